//! Opening private chats, the rule for writing in them, and the contact list.

use crate::{
    auth::AuthUser,
    entities::{message, post, room, room_member, user},
    error::{AppError, AppResult},
    friends::store as friends_store,
    messages::{kind_from_str, unread},
    rooms::{
        self, KIND_DIRECT,
        service::{insert_default_post, insert_member, insert_room},
        store as room_store,
    },
    state::AppState,
    users,
};
use api::{
    ErrorCode, MessageId, PostId, RoomId, UserId,
    conversations::{Conversation, ConversationKind, LastMessage, excerpt},
    friends::{DirectChat, OpenChat},
    messages::text_of_html,
    rooms::RoomRole,
    users::DirectMessages,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait as _, Query},
};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The private chat of two people, whoever asks: "smaller id:larger id".
pub fn direct_key(a: UserId, b: UserId) -> String {
    format!("{}:{}", std::cmp::min(a.0, b.0), std::cmp::max(a.0, b.0))
}

/// Whether `me` may write privately to `them`: never when either blocked the other;
/// always between friends; otherwise only if they take messages from people who share a
/// room with them, and we do.
pub async fn check_contact(
    db: &impl ConnectionTrait,
    me: UserId,
    them: &user::Model,
) -> AppResult<()> {
    let them_id = UserId(them.id);
    if friends_store::blocked_either(db, me, them_id).await? {
        return Err(crate::friends::service::blocked());
    }
    if friends_store::friendship(db, me, them_id).await?.is_some() {
        return Ok(());
    }
    let policy: DirectMessages = users::enum_from_str(&them.direct_messages);
    if policy == DirectMessages::RoomMembers && friends_store::share_a_room(db, me, them_id).await?
    {
        return Ok(());
    }
    Err(AppError::Rule {
        code: ErrorCode::NotFriends,
        message: "this person takes private messages from friends only",
    })
}

/// The rule for a send into a private chat: the other member must still be someone I may
/// write to.
pub async fn check_send(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    sender: UserId,
) -> AppResult<()> {
    let peer = room_member::Entity::find()
        .filter(room_member::Column::RoomId.eq(room_id.0))
        .filter(room_member::Column::UserId.ne(sender.0))
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let peer = users::store::by_id(db, peer.user_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    check_contact(db, sender, &peer).await
}

/// The private chat of these two, if they have one.
pub async fn direct_room(
    db: &impl ConnectionTrait,
    a: UserId,
    b: UserId,
) -> AppResult<Option<room::Model>> {
    Ok(room::Entity::find()
        .filter(room::Column::DirectKey.eq(direct_key(a, b)))
        .one(db)
        .await?)
}

async fn existing(
    state: &AppState,
    me: UserId,
    peer: &user::Model,
) -> AppResult<Option<DirectChat>> {
    let Some(room) = direct_room(&state.db, me, UserId(peer.id)).await? else {
        return Ok(None);
    };
    let post = room_store::default_post(&state.db, RoomId(room.id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Some(DirectChat {
        room_id: RoomId(room.id),
        post_id: PostId(post.id),
        seq: room.last_seq,
        peer: rooms::summary(peer),
    }))
}

/// The private chat with someone, created on first use. Creating one needs the right to
/// write to them (`check_contact`); an existing one is returned to its members unless
/// either blocked the other.
pub async fn open(state: &AppState, auth: &AuthUser, req: OpenChat) -> AppResult<DirectChat> {
    if req.user_id == auth.user_id {
        return Err(AppError::Rule {
            code: ErrorCode::SelfNotAllowed,
            message: "you cannot chat privately with yourself",
        });
    }
    let peer = users::store::by_id(&state.db, req.user_id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    // Never across a block, not even to an existing chat (its history stays readable
    // through the contact list, but nobody reopens it to write).
    if friends_store::blocked_either(&state.db, auth.user_id, req.user_id).await? {
        return Err(crate::friends::service::blocked());
    }
    if let Some(chat) = existing(state, auth.user_id, &peer).await? {
        return Ok(chat);
    }
    check_contact(&state.db, auth.user_id, &peer).await?;
    let now = OffsetDateTime::now_utc();
    let room = room::ActiveModel {
        name: Set(String::new()),
        description: Set(None),
        visibility: Set("private".into()),
        owner_id: Set(auth.user_id.0),
        kind: Set(KIND_DIRECT.into()),
        direct_key: Set(Some(direct_key(auth.user_id, req.user_id))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let Some((txn, room)) = insert_room(&state.db, room).await? else {
        // The other person opened it at the same moment.
        return existing(state, auth.user_id, &peer)
            .await?
            .ok_or(AppError::NotFound);
    };
    let room_id = RoomId(room.id);
    for member in [auth.user_id, req.user_id] {
        insert_member(&txn, room_id, member, RoomRole::Member, 0).await?;
    }
    let post = insert_default_post(&txn, room_id, now).await?;
    txn.commit().await?;
    for member in [auth.user_id, req.user_id] {
        state.hub.member_added(room_id, member, 0).await;
    }
    Ok(DirectChat {
        room_id,
        post_id: PostId(post.id),
        seq: 0,
        peer: rooms::summary(&peer),
    })
}

/// Every post of every group room I am in and every private chat, newest activity first,
/// with unread counts and the last message.
pub async fn conversations(state: &AppState, auth: &AuthUser) -> AppResult<Vec<Conversation>> {
    let db = &state.db;
    let memberships = room_store::my_rooms(db, auth.user_id).await?;
    let muted: std::collections::HashSet<i64> = memberships
        .iter()
        .filter(|(m, _)| m.muted)
        .map(|(m, _)| m.room_id)
        .collect();
    let rooms: HashMap<i64, room::Model> =
        memberships.into_iter().map(|(_, r)| (r.id, r)).collect();
    let posts = post::Entity::find()
        .filter(post::Column::RoomId.is_in(rooms.keys().copied()))
        .all(db)
        .await?;
    // The newest message of each post, in one query.
    let newest = Query::select()
        .expr(Expr::col(message::Column::Id).max())
        .from(message::Entity)
        .and_where(Expr::col(message::Column::PostId).is_in(posts.iter().map(|p| p.id)))
        .group_by_col(message::Column::PostId)
        .to_owned();
    let last: HashMap<i64, message::Model> = message::Entity::find()
        .filter(message::Column::Id.in_subquery(newest))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.post_id, m))
        .collect();
    let peers = room_store::peers(
        db,
        auth.user_id,
        rooms
            .values()
            .filter(|r| r.kind == KIND_DIRECT)
            .map(|r| r.id),
    )
    .await?;
    let people = room_store::users(
        db,
        last.values()
            .map(|m| m.author_id)
            .chain(peers.values().copied()),
    )
    .await?;
    let unread = unread::everywhere(db, auth.user_id).await?;
    // Only the previews whose message took files ask for them ("[图片]").
    let files = crate::files::store::of_messages(
        db,
        last.values().filter(|m| m.shows_files()).map(|m| m.id),
    )
    .await?;

    let mut out: Vec<Conversation> = posts
        .into_iter()
        .filter_map(|p| {
            let room = rooms.get(&p.room_id)?;
            let is_direct = room.kind == KIND_DIRECT;
            let peer = if is_direct {
                Some(rooms::summary(people.get(peers.get(&room.id)?)?))
            } else {
                None
            };
            let last_message = last.get(&p.id).and_then(|m| {
                Some(LastMessage {
                    id: MessageId(m.id),
                    author: rooms::summary(people.get(&m.author_id)?),
                    kind: kind_from_str(&m.kind),
                    recalled: m.recalled_at.is_some(),
                    excerpt: match (&m.body_html, &m.body) {
                        (Some(html), _) => Some(excerpt(&text_of_html(html))),
                        (None, body) => body.as_deref().map(excerpt),
                    },
                    attachment: files
                        .get(&m.id)
                        .and_then(|f| f.first())
                        .map(|f| (&crate::files::to_info(f)).into()),
                    created_at: m.created_at,
                })
            });
            Some(Conversation {
                kind: if is_direct {
                    ConversationKind::Direct
                } else {
                    ConversationKind::Post
                },
                room_id: RoomId(room.id),
                post_id: PostId(p.id),
                room_name: (!is_direct).then(|| room.name.clone()),
                post_title: (!is_direct && !p.is_default).then(|| p.title.clone()),
                peer,
                last_message,
                unread: unread.get(&PostId(p.id)).map_or(0, |c| c.unread),
                mentioned: unread.get(&PostId(p.id)).map_or(0, |c| c.mentioned),
                muted: muted.contains(&room.id),
                last_activity_at: p.last_activity_at,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then(b.post_id.cmp(&a.post_id))
    });
    Ok(out)
}
