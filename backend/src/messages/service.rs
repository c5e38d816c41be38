//! Sending, reading and recalling messages.

use super::{kind_to_str, to_message, unread, writer::Draft};
use crate::{
    auth::AuthUser,
    entities::{message, message_edit, post, read_marker, room, room_member, user},
    error::{AppError, AppResult},
    realtime::{Published, events},
    rooms::{self, service::require_member, store as room_store},
    state::AppState,
};
use api::{
    ErrorCode, FieldCode, MessageId, PostId, RoomId, UserId,
    messages::{
        EditMessage, MarkRead, Message, MessageEdits, MessageKind, MessagePage, MessageVersion,
        ReplyQuote, SendMessage, Unread,
    },
    ws::{RoomEvent, ServerFrame},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait as _, OnConflict},
};
use time::OffsetDateTime;
use uuid::Uuid;

/// The longest message, in characters.
pub const BODY_MAX: usize = api::rules::MESSAGE_MAX;
/// The largest history page.
pub const PAGE_MAX: u64 = 100;
pub const PAGE_DEFAULT: u64 = 50;

/// The post and the caller's membership of its room, or 404.
async fn post_for_member(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
) -> AppResult<(post::Model, crate::entities::room_member::Model)> {
    let post = post::Entity::find_by_id(post_id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = require_member(&state.db, RoomId(post.room_id), auth.user_id).await?;
    Ok((post, member))
}

/// The caller's membership of the room that holds `post_id`, in one statement, or 404 (no
/// such post, or not a member). Every history page starts with it.
async fn member_of_post(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
) -> AppResult<room_member::Model> {
    use sea_orm::sea_query::Query;
    room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(auth.user_id.0))
        .filter(
            room_member::Column::RoomId.in_subquery(
                Query::select()
                    .column(post::Column::RoomId)
                    .from(post::Entity)
                    .and_where(post::Column::Id.eq(post_id.0))
                    .to_owned(),
            ),
        )
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The message and the caller's membership of its room, or 404 (for non-members too).
pub(super) async fn message_for_member(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
) -> AppResult<(message::Model, room_member::Model)> {
    let message = message::Entity::find_by_id(message_id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = require_member(&state.db, RoomId(message.room_id), auth.user_id).await?;
    Ok((message, member))
}

/// In a private chat, writing (an edit, a reaction) needs what sending needs: neither
/// blocked the other, and the other takes messages from me.
pub(super) async fn check_private(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    user: UserId,
) -> AppResult<()> {
    let direct = room::Entity::find_by_id(room_id.0)
        .one(db)
        .await?
        .is_some_and(|r| r.kind == crate::rooms::KIND_DIRECT);
    if direct {
        crate::chats::service::check_send(db, room_id, user).await?;
    }
    Ok(())
}

/// Text as people typed it: `\r\n` folded to `\n`, trailing space trimmed, no control
/// characters but line breaks and tabs.
pub(crate) fn parse_body(raw: &str) -> Result<String, FieldCode> {
    let body = raw.replace("\r\n", "\n").replace('\r', "\n");
    let body = body.trim_end().trim_start_matches(['\n', ' ']).to_owned();
    if body.trim().is_empty() {
        return Err(FieldCode::Required);
    }
    if body.chars().count() > BODY_MAX {
        return Err(FieldCode::Length);
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldCode::InvalidChars);
    }
    Ok(body)
}

/// Sends a message. The same `client_id` again returns the first message and creates
/// nothing (`created` is false then). The write itself is group-committed (`writer`).
pub async fn send(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
    req: SendMessage,
) -> AppResult<(Message, bool)> {
    let client_id = Uuid::parse_str(req.client_id.trim())
        .map_err(|_| AppError::field("client_id", FieldCode::InvalidChars))?;
    let body = match parse_body(&req.body) {
        Ok(body) => body,
        // A message of files alone has no text.
        Err(FieldCode::Required) if !req.attachments.is_empty() => String::new(),
        Err(problem) => return Err(AppError::field("body", problem)),
    };
    let Sender {
        room_id,
        author,
        direct,
        caller,
        word_policy,
        silenced_until,
        slow_mode_secs,
    } = sender_in_post(&state.db, auth.user_id, post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    rooms::moderation::check_send(
        &state.db,
        room_id,
        auth.user_id,
        caller.role,
        silenced_until,
        slow_mode_secs,
    )
    .await?;
    if direct {
        crate::chats::service::check_send(&state.db, room_id, auth.user_id).await?;
    }
    let body = screen_body(state, auth, room_id, word_policy.as_deref(), body).await?;
    let mentions =
        super::mentions::check(&state.db, room_id, caller, &req.mentions, req.mention_all).await?;
    let attachments =
        crate::files::service::check_attachments(state, auth, &req.attachments).await?;
    let reply = match req.reply_to {
        Some(original) => Some(Box::new(reply_quote(state, post_id, original).await?)),
        None => None,
    };
    // Rendered here, on the request's own worker, not in the writer that serialises sends.
    let html = (!body.is_empty()).then(|| super::markdown::render(&body));
    // Cut for the search index here too.
    let index = crate::search::index::Prepared::of(&body);
    let (mut message, created) = state
        .writer
        .send(Draft {
            room_id,
            post_id,
            author,
            client_id,
            body,
            html,
            attachments,
            reply: reply.clone(),
            mentions,
            mention_all: req.mention_all,
            index,
        })
        .await?;
    if !created && message.reply_to.is_none() {
        // A retry answers with the first send, quote and all.
        message.reply_to = reply;
    }
    Ok((message, created))
}

/// The word filter on a message's text, under the room's policy.
async fn screen_body(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    room_policy: Option<&str>,
    body: String,
) -> AppResult<String> {
    use crate::moderation::service::{Field, policy_for, screen};
    if body.is_empty() {
        return Ok(body);
    }
    let policy = policy_for(state, room_policy);
    screen(
        state,
        auth.user_id,
        Some(room_id),
        policy,
        Field::Body,
        body,
    )
    .await
}

/// The quote of the message a reply answers: a text message in the same post, not
/// recalled; anything else is `reply_to: unavailable`.
async fn reply_quote(
    state: &AppState,
    post_id: PostId,
    original: MessageId,
) -> AppResult<ReplyQuote> {
    let unavailable = || AppError::field("reply_to", FieldCode::Unavailable);
    let found = message::Entity::find_by_id(original.0)
        .one(&state.db)
        .await?
        .filter(|m| {
            m.post_id == post_id.0
                && m.recalled_at.is_none()
                && m.kind == kind_to_str(MessageKind::Text)
        })
        .ok_or_else(unavailable)?;
    let mut quotes = quotes_of(&state.db, [found]).await?;
    quotes.remove(&original.0).ok_or_else(unavailable)
}

/// Rows as messages with their authors and files (one query each; none for no rows), in
/// order; a row whose author is gone is left out.
pub(crate) async fn with_files(
    db: &impl ConnectionTrait,
    rows: &[message::Model],
) -> AppResult<Vec<Message>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let authors = room_store::users(db, rows.iter().map(|m| m.author_id)).await?;
    // Attachments only for messages that took some: a page of plain messages costs no
    // query for them.
    let mut files =
        crate::files::store::of_messages(db, rows.iter().filter(|m| m.shows_files()).map(|m| m.id))
            .await?;
    Ok(rows
        .iter()
        .filter_map(|m| {
            let mut message = to_message(m, authors.get(&m.author_id)?);
            if let Some(files) = files.remove(&m.id) {
                message.attachments = files.iter().map(crate::files::to_info).collect();
            }
            Some(message)
        })
        .collect())
}

/// The quotes of `originals` as they are now, by id.
pub(super) async fn quotes_of(
    db: &impl ConnectionTrait,
    originals: impl IntoIterator<Item = message::Model>,
) -> AppResult<std::collections::HashMap<i64, ReplyQuote>> {
    let originals: Vec<message::Model> = originals.into_iter().collect();
    Ok(with_files(db, &originals)
        .await?
        .iter()
        .map(|m| (m.id.0, ReplyQuote::of(m)))
        .collect())
}

/// After `original` changed (an edit or a recall): the stored events of every reply to it
/// get the new quote, so a replay never shows what the original no longer says. Runs in
/// the change's transaction.
async fn requote_replies(db: &impl ConnectionTrait, original: &Message) -> AppResult<()> {
    let replies = message::Entity::find()
        .filter(message::Column::ReplyToId.eq(original.id.0))
        .filter(message::Column::RecalledAt.is_null())
        .all(db)
        .await?;
    let quote = Box::new(ReplyQuote::of(original));
    for mut message in with_files(db, &replies).await? {
        message.reply_to = Some(quote.clone());
        events::rewrite_message(db, &message).await?;
    }
    Ok(())
}

/// Who is sending where.
struct Sender {
    room_id: RoomId,
    author: user::Model,
    /// The room is a private chat.
    direct: bool,
    caller: super::mentions::Caller,
    /// The room's own word-filter policy, if it chose one.
    word_policy: Option<String>,
    /// Room moderation: the sender's silence, the room's slow mode.
    silenced_until: Option<OffsetDateTime>,
    slow_mode_secs: i32,
}

/// The post's room, the caller's account and role, and the room's kind and `@all` rule, if
/// the post exists and the caller is a member of its room: the whole check for a send in a
/// group room, in one query.
async fn sender_in_post(
    db: &impl ConnectionTrait,
    user: UserId,
    post_id: PostId,
) -> AppResult<Option<Sender>> {
    use sea_orm::{
        FromQueryResult as _,
        sea_query::{Asterisk, Expr, Query},
    };
    let query = Query::select()
        .column((post::Entity, post::Column::RoomId))
        .expr_as(
            Expr::col((room::Entity, room::Column::Kind)),
            sea_orm::sea_query::Alias::new("room_kind"),
        )
        .expr_as(
            Expr::col((room::Entity, room::Column::MembersMentionAll)),
            sea_orm::sea_query::Alias::new("room_members_mention_all"),
        )
        .expr_as(
            Expr::col((room::Entity, room::Column::WordPolicy)),
            sea_orm::sea_query::Alias::new("room_word_policy"),
        )
        .expr_as(
            Expr::col((room::Entity, room::Column::SlowModeSecs)),
            sea_orm::sea_query::Alias::new("room_slow_mode_secs"),
        )
        .expr_as(
            Expr::col((room_member::Entity, room_member::Column::SilencedUntil)),
            sea_orm::sea_query::Alias::new("member_silenced_until"),
        )
        .expr_as(
            Expr::col((room_member::Entity, room_member::Column::Role)),
            sea_orm::sea_query::Alias::new("member_role"),
        )
        .column((user::Entity, Asterisk))
        .from(post::Entity)
        .inner_join(
            room::Entity,
            Expr::col((room::Entity, room::Column::Id))
                .equals((post::Entity, post::Column::RoomId)),
        )
        .inner_join(
            room_member::Entity,
            Expr::col((room_member::Entity, room_member::Column::RoomId))
                .equals((post::Entity, post::Column::RoomId)),
        )
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((room_member::Entity, room_member::Column::UserId)),
        )
        .and_where(Expr::col((post::Entity, post::Column::Id)).eq(post_id.0))
        .and_where(Expr::col((room_member::Entity, room_member::Column::UserId)).eq(user.0))
        .to_owned();
    let Some(row) = db.query_one(&query).await? else {
        return Ok(None);
    };
    let room_id: i64 = row.try_get("", "room_id")?;
    let kind: String = row.try_get("", "room_kind")?;
    let role: String = row.try_get("", "member_role")?;
    Ok(Some(Sender {
        room_id: RoomId(room_id),
        author: user::Model::from_query_result(&row, "")?,
        direct: kind == crate::rooms::KIND_DIRECT,
        caller: super::mentions::Caller {
            role: rooms::role_from_str(&role),
            members_mention_all: row.try_get("", "room_members_mention_all")?,
        },
        word_policy: row.try_get("", "room_word_policy")?,
        silenced_until: row.try_get("", "member_silenced_until")?,
        slow_mode_secs: row.try_get("", "room_slow_mode_secs")?,
    }))
}

/// Marks the posts as active at `now` (the order of the topic list), in one statement.
pub(super) async fn touch_posts(
    db: &impl ConnectionTrait,
    post_ids: Vec<i64>,
    now: OffsetDateTime,
) -> AppResult<()> {
    db.execute_raw(touch_posts_statement(
        db.get_database_backend(),
        post_ids,
        now,
    ))
    .await?;
    Ok(())
}

/// What [`touch_posts`] runs.
pub(super) fn touch_posts_statement(
    backend: sea_orm::DbBackend,
    post_ids: Vec<i64>,
    now: OffsetDateTime,
) -> sea_orm::Statement {
    use sea_orm::QueryTrait as _;
    post::Entity::update_many()
        .col_expr(
            post::Column::LastActivityAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(post::Column::Id.is_in(post_ids))
        .build(backend)
}

/// "X joined" / "X left" in the room's default post, with its event. Runs in the caller's
/// transaction.
pub async fn system_notice(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    about: &user::Model,
    kind: MessageKind,
) -> AppResult<Vec<Published>> {
    let Some(default_post) = room_store::default_post(db, room_id).await? else {
        return Ok(Vec::new());
    };
    let now = OffsetDateTime::now_utc();
    let inserted = message::Entity::insert(message::ActiveModel {
        room_id: Set(room_id.0),
        post_id: Set(default_post.id),
        author_id: Set(about.id),
        client_id: Set(None),
        kind: Set(kind_to_str(kind).into()),
        body: Set(None),
        created_at: Set(now),
        recalled_at: Set(None),
        recalled_by: Set(None),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    touch_posts(db, vec![default_post.id], now).await?;
    let message = to_message(&inserted, about);
    Ok(vec![
        events::record(db, room_id, RoomEvent::MessageCreated { message }).await?,
    ])
}

/// Which page of a post's history.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageAt {
    /// The page ending just before this message.
    pub before: Option<i64>,
    /// The page starting just after it.
    pub after: Option<i64>,
    /// The page with this message in its middle (to open a quoted message in context).
    pub around: Option<i64>,
}

/// A page of a post's history, oldest first: the newest page if no cursor is given.
pub async fn history(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
    at: PageAt,
    limit: Option<u64>,
) -> AppResult<MessagePage> {
    let member = member_of_post(state, auth, post_id).await?;
    let limit = limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
    let newest = at.before.is_none() && at.after.is_none() && at.around.is_none();
    // Up to `n` messages from the cursor, and whether there are more beyond them.
    let fetch = |lower: Option<i64>, upper: Option<i64>, ascending: bool, n: u64| async move {
        let mut select = message::Entity::find().filter(message::Column::PostId.eq(post_id.0));
        if let Some(lower) = lower {
            select = select.filter(message::Column::Id.gt(lower));
        }
        if let Some(upper) = upper {
            select = select.filter(message::Column::Id.lt(upper));
        }
        select = if ascending {
            select.order_by_asc(message::Column::Id)
        } else {
            select.order_by_desc(message::Column::Id)
        };
        let mut rows = select.limit(n + 1).all(&state.db).await?;
        let more = rows.len() as u64 > n;
        rows.truncate(n as usize);
        if !ascending {
            rows.reverse();
        }
        AppResult::Ok((rows, more))
    };
    let (rows, has_more, has_newer) = match at {
        PageAt {
            around: Some(around),
            ..
        } => {
            // The message and the older half, then the newer half.
            let older = limit.div_ceil(2);
            let (mut rows, has_more) = fetch(None, Some(around + 1), false, older).await?;
            let (newer, has_newer) = fetch(Some(around), None, true, limit - older).await?;
            rows.extend(newer);
            (rows, has_more, Some(has_newer))
        }
        PageAt {
            before: None,
            after: Some(after),
            ..
        } => {
            let (rows, more) = fetch(Some(after), None, true, limit).await?;
            (rows, more, None)
        }
        PageAt { before, after, .. } => {
            let (rows, more) = fetch(after, before, false, limit).await?;
            (rows, more, None)
        }
    };
    // Quotes only when the page has replies: a page without costs no query more.
    let originals: Vec<i64> = rows
        .iter()
        .filter(|m| m.recalled_at.is_none())
        .filter_map(|m| m.reply_to_id)
        .collect();
    let quotes = if originals.is_empty() {
        Default::default()
    } else {
        let found = message::Entity::find()
            .filter(message::Column::Id.is_in(originals))
            .all(&state.db)
            .await?;
        quotes_of(&state.db, found).await?
    };
    let mut reactions = super::reactions::of_messages(
        &state.db,
        rows.iter()
            .filter(|m| m.recalled_at.is_none() && m.reactions > 0)
            .map(|m| m.id),
    )
    .await?;
    let replying: std::collections::HashMap<i64, i64> = rows
        .iter()
        .filter_map(|m| Some((m.id, m.reply_to_id?)))
        .collect();
    let mut messages = with_files(&state.db, &rows).await?;
    for message in &mut messages {
        if let Some(reactions) = reactions.remove(&message.id.0) {
            message.reactions = reactions;
        }
        if message.recall.is_none() {
            message.reply_to = replying
                .get(&message.id.0)
                .and_then(|original| quotes.get(original).cloned().map(Box::new));
        }
    }

    let read_up_to = if newest {
        let marker = read_marker::Entity::find_by_id((auth.user_id.0, post_id.0))
            .one(&state.db)
            .await?
            .map_or(member.read_floor, |m| m.last_read_id);
        // The unread counts' rule: the marker, or the floor set at joining without one.
        Some(MessageId(marker))
    } else {
        None
    };
    let peer_read_up_to = if newest {
        peer_read(&state.db, RoomId(member.room_id), auth.user_id, post_id).await?
    } else {
        None
    };
    Ok(MessagePage {
        messages,
        has_more,
        has_newer,
        read_up_to,
        peer_read_up_to,
    })
}

/// Recall: the author within the window, or a room owner/admin at any time. The body is
/// erased from the database (also from the stored event that created it); everyone sees a
/// placeholder in its place, and its files stop downloading for all but server admins.
pub async fn recall(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
) -> AppResult<Message> {
    let (existing, member) = message_for_member(state, auth, message_id).await?;
    let author = crate::users::store::by_id(&state.db, existing.author_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if existing.kind != kind_to_str(MessageKind::Text) {
        return Err(AppError::Forbidden);
    }
    if existing.recalled_at.is_some() {
        return Ok(to_message(&existing, &author));
    }
    let role = rooms::role_from_str(&member.role);
    let is_author = existing.author_id == auth.user_id.0;
    let now = OffsetDateTime::now_utc();
    if !is_author && !role.can_moderate() {
        return Err(AppError::Forbidden);
    }
    let age = (now - existing.created_at).whole_seconds();
    if !role.can_recall(is_author, age, state.settings.get().recall_window_secs) {
        return Err(AppError::Rule {
            code: ErrorCode::RecallExpired,
            message: "the time to recall this message has passed",
        });
    }
    erase(state, &existing, &author, auth.user_id, now).await
}

/// Site staff remove a message (a report's outcome, or everything someone sent in a time
/// range): as a recall by a room admin, in any room. Already recalled: nothing happens.
pub async fn remove_as_staff(
    state: &AppState,
    actor: UserId,
    existing: &message::Model,
) -> AppResult<Option<Message>> {
    if existing.recalled_at.is_some() || existing.kind != kind_to_str(MessageKind::Text) {
        return Ok(None);
    }
    let author = crate::users::store::by_id(&state.db, existing.author_id)
        .await?
        .ok_or(AppError::NotFound)?;
    erase(state, existing, &author, actor, OffsetDateTime::now_utc())
        .await
        .map(Some)
}

/// The recall itself: the body erased everywhere it is stored, a placeholder left, the
/// room told.
async fn erase(
    state: &AppState,
    existing: &message::Model,
    author: &crate::entities::user::Model,
    actor: UserId,
    now: OffsetDateTime,
) -> AppResult<Message> {
    let txn = crate::db::write_txn(&state.db).await?;
    let recalled = message::Entity::update(message::ActiveModel {
        id: Set(existing.id),
        body: Set(None),
        body_html: Set(None),
        reactions: Set(0),
        mentions: Set(None),
        mention_all: Set(false),
        recalled_at: Set(Some(now)),
        recalled_by: Set(Some(actor.0)),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let message = to_message(&recalled, author);
    // Nor through search.
    crate::search::index::remove(&txn, &[existing.id]).await?;
    // Its text and files must not come back through a replay either.
    events::rewrite_message(&txn, &message).await?;
    requote_replies(&txn, &message).await?;
    // Earlier versions and reactions go with the text.
    message_edit::Entity::delete_many()
        .filter(message_edit::Column::MessageId.eq(existing.id))
        .exec(&txn)
        .await?;
    crate::entities::message_reaction::Entity::delete_many()
        .filter(crate::entities::message_reaction::Column::MessageId.eq(existing.id))
        .exec(&txn)
        .await?;
    // A recalled message is no longer pinned.
    let unpinned = super::pins::remove(&txn, existing).await?;
    let published = events::record(
        &txn,
        RoomId(existing.room_id),
        RoomEvent::MessageRecalled {
            message: message.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    state
        .hub
        .publish(unpinned.into_iter().chain([published]).collect())
        .await;
    Ok(message)
}

/// Edit: the author changes the text of a message within the edit window (nobody else may,
/// not even an owner: they can remove words, not put words in someone's mouth). The
/// version it replaces is kept for members to see (`edits`); the stored events of the
/// message are rewritten, so a replay gives the current text; `message_edited` goes to
/// the room. The same text again changes nothing and sends nothing.
pub async fn edit(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
    req: EditMessage,
) -> AppResult<Message> {
    let (existing, member) = message_for_member(state, auth, message_id).await?;
    if existing.kind != kind_to_str(MessageKind::Text) {
        return Err(AppError::Forbidden);
    }
    if existing.recalled_at.is_some() {
        return Err(recalled_error());
    }
    let is_author = existing.author_id == auth.user_id.0;
    if !is_author {
        return Err(AppError::Forbidden);
    }
    check_private(&state.db, RoomId(existing.room_id), auth.user_id).await?;
    let now = crate::db::stored_time(OffsetDateTime::now_utc());
    let age = (now - existing.created_at).whole_seconds();
    if !rooms::role_from_str(&member.role).can_edit(
        is_author,
        age,
        state.settings.get().edit_window_secs,
    ) {
        return Err(AppError::Rule {
            code: ErrorCode::EditExpired,
            message: "the time to edit this message has passed",
        });
    }
    let mut files = crate::files::store::of_messages(&state.db, [existing.id]).await?;
    let attachments: Vec<_> = files
        .remove(&existing.id)
        .unwrap_or_default()
        .iter()
        .map(crate::files::to_info)
        .collect();
    let body = match parse_body(&req.body) {
        Ok(body) => body,
        // Files alone are a message; text alone or nothing is not.
        Err(FieldCode::Required) if !attachments.is_empty() => String::new(),
        Err(problem) => return Err(AppError::field("body", problem)),
    };
    let room_policy = room::Entity::find_by_id(existing.room_id)
        .one(&state.db)
        .await?
        .and_then(|r| r.word_policy);
    let body = screen_body(
        state,
        auth,
        RoomId(existing.room_id),
        room_policy.as_deref(),
        body,
    )
    .await?;
    let author = crate::users::store::by_id(&state.db, existing.author_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Its own quote stays as it is (the stored events are rewritten with it).
    let quote = match existing.reply_to_id {
        Some(original) => {
            let found = message::Entity::find_by_id(original).one(&state.db).await?;
            quotes_of(&state.db, found)
                .await?
                .remove(&original)
                .map(Box::new)
        }
        None => None,
    };
    let was_mentioned = super::mentions_from_column(existing.mentions.as_deref());
    let (mentions, mention_all) = if req.mentions.is_none() && req.mention_all.is_none() {
        (was_mentioned.clone(), existing.mention_all)
    } else {
        let all = req.mention_all.unwrap_or(existing.mention_all);
        let ids = req
            .mentions
            .clone()
            .unwrap_or_else(|| was_mentioned.clone());
        let room = room::Entity::find_by_id(existing.room_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let caller = super::mentions::Caller {
            role: rooms::role_from_str(&member.role),
            members_mention_all: room.members_mention_all,
        };
        // An `@all` the message already has stays (the author's role may have changed).
        let ids = super::mentions::check(
            &state.db,
            RoomId(existing.room_id),
            caller,
            &ids,
            all && !existing.mention_all,
        )
        .await?;
        (ids, all)
    };
    if existing.body.as_deref() == Some(body.as_str())
        && mentions == was_mentioned
        && mention_all == existing.mention_all
    {
        let mut message = to_message(&existing, &author);
        message.attachments = attachments;
        message.reply_to = quote;
        return Ok(message);
    }
    let html = (!body.is_empty()).then(|| super::markdown::render(&body));

    let txn = crate::db::write_txn(&state.db).await?;
    // Only while it is not recalled: a recall that won the race keeps its erasure.
    let updated = message::Entity::update_many()
        .col_expr(message::Column::Body, Expr::value(body.clone()))
        .col_expr(message::Column::BodyHtml, Expr::value(html.clone()))
        .col_expr(message::Column::EditedAt, Expr::value(now))
        .col_expr(
            message::Column::Mentions,
            Expr::value(super::mentions_to_column(&mentions)),
        )
        .col_expr(message::Column::MentionAll, Expr::value(mention_all))
        .filter(message::Column::Id.eq(existing.id))
        .filter(message::Column::RecalledAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(recalled_error());
    }
    crate::search::index::replace(
        &txn,
        existing.id,
        existing.room_id,
        &crate::search::index::Prepared::of(&body),
    )
    .await?;
    message_edit::Entity::insert(message_edit::ActiveModel {
        message_id: Set(existing.id),
        body: Set(existing.body.clone().unwrap_or_default()),
        body_html: Set(existing.body_html.clone()),
        written_at: Set(existing.edited_at.unwrap_or(existing.created_at)),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    let mut message = to_message(
        &message::Model {
            body: Some(body),
            body_html: html,
            edited_at: Some(now),
            mentions: super::mentions_to_column(&mentions),
            mention_all,
            ..existing
        },
        &author,
    );
    message.attachments = attachments;
    message.reply_to = quote;
    events::rewrite_message(&txn, &message).await?;
    requote_replies(&txn, &message).await?;
    let published = events::record(
        &txn,
        RoomId(message.room_id.0),
        RoomEvent::MessageEdited {
            message: message.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(message)
}

fn recalled_error() -> AppError {
    AppError::Rule {
        code: ErrorCode::MessageRecalled,
        message: "this message was recalled or removed",
    }
}

/// The earlier versions of a message, oldest first, for members of its room.
pub async fn edits(
    state: &AppState,
    auth: &AuthUser,
    message_id: MessageId,
) -> AppResult<MessageEdits> {
    let (existing, _) = message_for_member(state, auth, message_id).await?;
    let versions = if existing.recalled_at.is_some() {
        Vec::new()
    } else {
        message_edit::Entity::find()
            .filter(message_edit::Column::MessageId.eq(existing.id))
            .order_by_asc(message_edit::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|v| MessageVersion {
                body: v.body,
                html: v.body_html,
                written_at: v.written_at,
            })
            .collect()
    };
    Ok(MessageEdits { versions })
}

/// Moves my read marker forward (never back) and tells all my sockets the new counts.
pub async fn mark_read(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
    req: MarkRead,
) -> AppResult<Unread> {
    let (post, member) = post_for_member(state, auth, post_id).await?;
    let upto = match req.message_id {
        Some(id) => id.0,
        None => message::Entity::find()
            .select_only()
            .expr(sea_orm::sea_query::Expr::col(message::Column::Id).max())
            .filter(message::Column::PostId.eq(post_id.0))
            .into_tuple::<Option<i64>>()
            .one(&state.db)
            .await?
            .flatten()
            .unwrap_or(0),
    };
    set_markers(&state.db, [(auth.user_id, post_id, upto)]).await?;
    let room_id = RoomId(post.room_id);
    let counts = unread::room(&state.db, auth.user_id, room_id, member.read_floor).await?;
    let here = counts.get(&post_id).copied().unwrap_or_default();
    let counts = Unread {
        room_id,
        post_id,
        post_unread: here.unread,
        room_unread: unread::total(&counts),
        post_mentioned: here.mentioned,
    };
    let frame = ServerFrame::Unread {
        room_id,
        post_id,
        post_unread: counts.post_unread,
        room_unread: counts.room_unread,
        post_mentioned: counts.post_mentioned,
    };
    state.hub.to_user(auth.user_id, &frame).await;
    // In a private chat where both send receipts, the other person learns how far I read.
    if let Some(peer) = receipt_peer(&state.db, room_id, auth.user_id).await?
        && let Some(marker) = read_marker::Entity::find_by_id((auth.user_id.0, post_id.0))
            .one(&state.db)
            .await?
    {
        let receipt = ServerFrame::ReadReceipt {
            room_id,
            post_id,
            user_id: auth.user_id,
            up_to: MessageId(marker.last_read_id),
        };
        state.hub.to_user(peer, &receipt).await;
    }
    Ok(counts)
}

/// The other person of a private chat, if the room is one and both of us send read
/// receipts.
async fn receipt_peer(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    me: UserId,
) -> AppResult<Option<UserId>> {
    let direct = room::Entity::find_by_id(room_id.0)
        .one(db)
        .await?
        .is_some_and(|r| r.kind == crate::rooms::KIND_DIRECT);
    if !direct {
        return Ok(None);
    }
    let members = room_member::Entity::find()
        .filter(room_member::Column::RoomId.eq(room_id.0))
        .all(db)
        .await?;
    let people = room_store::users(db, members.iter().map(|m| m.user_id)).await?;
    if people.len() != 2 || !people.values().all(|u| u.read_receipts) {
        return Ok(None);
    }
    Ok(people.keys().find(|id| **id != me.0).map(|id| UserId(*id)))
}

/// How far the other person of a private chat has read its post (0: nothing), when both
/// send read receipts.
async fn peer_read(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    me: UserId,
    post_id: PostId,
) -> AppResult<Option<MessageId>> {
    let Some(peer) = receipt_peer(db, room_id, me).await? else {
        return Ok(None);
    };
    let marker = read_marker::Entity::find_by_id((peer.0, post_id.0))
        .one(db)
        .await?
        .map_or(0, |m| m.last_read_id);
    Ok(Some(MessageId(marker)))
}

/// Sets each (reader, post) marker to `upto` unless it is already further, in one
/// statement. A pair must not appear twice (PostgreSQL refuses to update a row twice in
/// one upsert).
pub(super) async fn set_markers(
    db: &impl ConnectionTrait,
    markers: impl IntoIterator<Item = (UserId, PostId, i64)>,
) -> AppResult<()> {
    db.execute_raw(markers_statement(db.get_database_backend(), markers))
        .await?;
    Ok(())
}

/// What [`set_markers`] runs: each marker moves forward only.
pub(super) fn markers_statement(
    backend: sea_orm::DbBackend,
    markers: impl IntoIterator<Item = (UserId, PostId, i64)>,
) -> sea_orm::Statement {
    use sea_orm::QueryTrait as _;
    use sea_orm::sea_query::{Alias, Expr};
    read_marker::Entity::insert_many(markers.into_iter().map(|(user, post, upto)| {
        read_marker::ActiveModel {
            user_id: Set(user.0),
            post_id: Set(post.0),
            last_read_id: Set(upto),
        }
    }))
    .on_conflict(
        OnConflict::columns([read_marker::Column::UserId, read_marker::Column::PostId])
            .update_column(read_marker::Column::LastReadId)
            .action_and_where(
                Expr::col((read_marker::Entity, read_marker::Column::LastReadId)).lt(Expr::col((
                    Alias::new("excluded"),
                    read_marker::Column::LastReadId,
                ))),
            )
            .to_owned(),
    )
    .build(backend)
}
