//! Emoji reactions: one per person per emoji on a message, at most
//! `rules::REACTIONS_PER_MESSAGE` different emoji per message. Adding and removing are
//! idempotent; each change that happens is a room event (`reaction_added`,
//! `reaction_removed`), so a client that was away gets the current state by replay.

use super::{kind_to_str, service::message_for_member};
use crate::{
    auth::AuthUser,
    entities::{message, message_reaction},
    error::{AppError, AppResult},
    realtime::events,
    rooms::summary,
    state::AppState,
};
use api::{
    ErrorCode, FieldCode, MessageId, PostId, RoomId, UserId,
    messages::{EmojiInfo, MessageKind, MessageReactions, Reaction},
    rules::REACTIONS_PER_MESSAGE,
    ws::RoomEvent,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::OnConflict,
};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The emoji as stored: its fully qualified form (`❤` and `❤️` are one reaction), or
/// `emoji: invalid_chars` when it is not one Unicode emoji.
fn checked(emoji: &str) -> AppResult<&'static str> {
    emojis::get(emoji.trim())
        .map(emojis::Emoji::as_str)
        .ok_or_else(|| AppError::field("emoji", FieldCode::InvalidChars))
}

/// A text message that is not recalled, and the caller a member of its room.
async fn reactable(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
) -> AppResult<message::Model> {
    let (message, _) = message_for_member(state, auth, message_id).await?;
    if message.kind != kind_to_str(MessageKind::Text) {
        return Err(AppError::Forbidden);
    }
    if message.recalled_at.is_some() {
        return Err(AppError::Rule {
            code: ErrorCode::MessageRecalled,
            message: "this message was recalled or removed",
        });
    }
    Ok(message)
}

/// Adds my reaction. Again is no change (and no event).
pub async fn add(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
    emoji: &str,
) -> AppResult<MessageReactions> {
    let emoji = checked(emoji)?;
    let message = reactable(state, auth, message_id).await?;
    super::service::check_private(&state.db, RoomId(message.room_id), auth.user_id).await?;
    let me = crate::users::store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::write_txn(&state.db).await?;
    let others: Vec<String> = message_reaction::Entity::find()
        .select_only()
        .column(message_reaction::Column::Emoji)
        .distinct()
        .filter(message_reaction::Column::MessageId.eq(message.id))
        .into_tuple()
        .all(&txn)
        .await?;
    if !others.iter().any(|e| e == emoji) && others.len() >= REACTIONS_PER_MESSAGE {
        return Err(AppError::Rule {
            code: ErrorCode::ReactionLimit,
            message: "this message has as many different reactions as it may",
        });
    }
    let inserted = message_reaction::Entity::insert(message_reaction::ActiveModel {
        message_id: Set(message.id),
        emoji: Set(emoji.to_owned()),
        user_id: Set(me.id),
        created_at: Set(OffsetDateTime::now_utc()),
    })
    .on_conflict(
        OnConflict::columns([
            message_reaction::Column::MessageId,
            message_reaction::Column::Emoji,
            message_reaction::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted > 0 {
        count(&txn, message.id, 1).await?;
    }
    let event = (inserted > 0).then(|| RoomEvent::ReactionAdded {
        message_id,
        post_id: PostId(message.post_id),
        emoji: emoji.to_owned(),
        user: summary(&me),
    });
    finish(state, txn, &message, event).await
}

/// Takes my reaction back. When there is none, no change (and no event).
pub async fn remove(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
    emoji: &str,
) -> AppResult<MessageReactions> {
    let emoji = checked(emoji)?;
    let (message, _) = message_for_member(state, auth, message_id).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    let deleted = message_reaction::Entity::delete_many()
        .filter(message_reaction::Column::MessageId.eq(message.id))
        .filter(message_reaction::Column::Emoji.eq(emoji))
        .filter(message_reaction::Column::UserId.eq(auth.user_id.0))
        .exec(&txn)
        .await?;
    if deleted.rows_affected > 0 {
        count(&txn, message.id, -1).await?;
    }
    let event = (deleted.rows_affected > 0).then(|| RoomEvent::ReactionRemoved {
        message_id,
        post_id: PostId(message.post_id),
        emoji: emoji.to_owned(),
        user_id: auth.user_id,
    });
    finish(state, txn, &message, event).await
}

/// Keeps `messages.reactions` (what history checks before asking for reactions).
async fn count(db: &impl ConnectionTrait, message_id: i64, by: i32) -> AppResult<()> {
    use sea_orm::sea_query::{Expr, ExprTrait as _};
    message::Entity::update_many()
        .col_expr(
            message::Column::Reactions,
            Expr::col(message::Column::Reactions).add(by),
        )
        .filter(message::Column::Id.eq(message_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the change's event (if it changed anything), commits, publishes, and answers
/// with the message's reactions as they are.
async fn finish(
    state: &AppState,
    txn: sea_orm::DatabaseTransaction,
    message: &message::Model,
    event: Option<RoomEvent>,
) -> AppResult<MessageReactions> {
    let published = match event {
        Some(event) => Some(events::record(&txn, RoomId(message.room_id), event).await?),
        None => None,
    };
    let mut reactions = of_messages(&txn, [message.id]).await?;
    txn.commit().await?;
    if let Some(published) = published {
        state.hub.publish(vec![published]).await;
    }
    Ok(MessageReactions {
        message_id: MessageId(message.id),
        reactions: reactions.remove(&message.id).unwrap_or_default(),
    })
}

/// The reactions of messages, by message id, in one query: each emoji in the order it
/// was first given, its people in the order they gave it.
pub async fn of_messages(
    db: &impl ConnectionTrait,
    message_ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, Vec<Reaction>>> {
    let ids: Vec<i64> = message_ids.into_iter().collect();
    let mut out: HashMap<i64, Vec<Reaction>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = message_reaction::Entity::find()
        .filter(message_reaction::Column::MessageId.is_in(ids))
        .order_by_asc(message_reaction::Column::CreatedAt)
        .all(db)
        .await?;
    for row in rows {
        Reaction::apply(
            out.entry(row.message_id).or_default(),
            &row.emoji,
            UserId(row.user_id),
            true,
        );
    }
    Ok(out)
}

/// The newest emoji a picker offers: Emoji 15.0 (2022) is what the fonts of most devices
/// in use draw; newer ones show as empty boxes there. Any valid emoji is still accepted.
const CATALOG_VERSION: emojis::EmojiVersion = emojis::EmojiVersion::new(15, 0);

/// The emoji a picker offers, in the standard order (the default skin tone of each).
pub fn catalog() -> Vec<EmojiInfo> {
    emojis::iter()
        .filter(|e| e.emoji_version() <= CATALOG_VERSION)
        .map(|e| EmojiInfo {
            emoji: e.as_str().to_owned(),
            name: e.name().to_owned(),
            group: group_name(e.group()).to_owned(),
            shortcodes: e.shortcodes().map(str::to_owned).collect(),
        })
        .collect()
}

fn group_name(group: emojis::Group) -> &'static str {
    match group {
        emojis::Group::SmileysAndEmotion => "smileys_and_emotion",
        emojis::Group::PeopleAndBody => "people_and_body",
        emojis::Group::AnimalsAndNature => "animals_and_nature",
        emojis::Group::FoodAndDrink => "food_and_drink",
        emojis::Group::TravelAndPlaces => "travel_and_places",
        emojis::Group::Activities => "activities",
        emojis::Group::Objects => "objects",
        emojis::Group::Symbols => "symbols",
        emojis::Group::Flags => "flags",
    }
}
