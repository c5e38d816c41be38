//! Room rules: who may see, join, edit, manage and delete a room.
//!
//! Non-members get 404 for everything about a private room, so its existence is not
//! revealed; a public room's card is visible to anyone logged in.

use super::{role_to_str, store, summary, to_room, visibility_to_str};
use crate::{
    auth::AuthUser,
    entities::{join_request, post, room, room_member},
    error::{AppError, AppResult},
    messages,
    realtime::events,
    state::AppState,
    users::domain::parse_profile_text,
};
use api::{
    ErrorCode, FieldCode, PostId, RoomId, UserId,
    messages::MessageKind,
    rooms::{
        CreateRoom, EditRoom, JoinRequest, JoinResult, Member, MyRoom, Room, RoomRole, SetMuted,
        SetRole, TransferRoom,
    },
    ws::{RoomEvent, ServerFrame},
};
use rand::Rng as _;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, SqlErr,
};
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub const ROOM_NAME_MAX: usize = 64;
pub const ROOM_DESCRIPTION_MAX: usize = 500;
/// Room numbers are 8 digits: easy to say aloud, too many to guess.
const ROOM_NUMBERS: std::ops::Range<i64> = 10_000_000..100_000_000;
/// The default post's stored title; clients show it in their own language.
pub const DEFAULT_POST_TITLE: &str = "chat";

/// The caller's membership, or 404: a room you are not in does not exist for you.
pub async fn require_member(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
) -> AppResult<room_member::Model> {
    store::member(db, room, user)
        .await?
        .ok_or(AppError::NotFound)
}

/// The caller's membership of a group room, or 404: private chats have no room
/// settings, roles, posts to create or a way to leave.
pub async fn require_group_member(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
) -> AppResult<room_member::Model> {
    let member = require_member(db, room, user).await?;
    store::group(db, room).await?.ok_or(AppError::NotFound)?;
    Ok(member)
}

/// The caller's role allows this (one of `RoomRole`'s permissions), or 403.
pub fn require_role(
    member: &room_member::Model,
    allowed: impl Fn(RoomRole) -> bool,
) -> AppResult<RoomRole> {
    let role = super::role_from_str(&member.role);
    if allowed(role) {
        Ok(role)
    } else {
        Err(AppError::Forbidden)
    }
}

fn parse_name(raw: &str, problems: &mut BTreeMap<String, FieldCode>) -> Option<String> {
    match crate::users::domain::parse_name_text(raw, ROOM_NAME_MAX) {
        Ok(Some(name)) => Some(name),
        Ok(None) => {
            problems.insert("name".into(), FieldCode::Required);
            None
        }
        Err(p) => {
            problems.insert("name".into(), p);
            None
        }
    }
}

fn parse_description(raw: &str, problems: &mut BTreeMap<String, FieldCode>) -> Option<String> {
    parse_profile_text(raw, ROOM_DESCRIPTION_MAX)
        .map_err(|p| problems.insert("description".into(), p))
        .ok()
        .flatten()
}

pub async fn create(state: &AppState, auth: &AuthUser, req: CreateRoom) -> AppResult<MyRoom> {
    let mut problems = BTreeMap::new();
    let name = parse_name(&req.name, &mut problems);
    let description = req
        .description
        .as_deref()
        .and_then(|d| parse_description(d, &mut problems));
    let Some(name) = name.filter(|_| problems.is_empty()) else {
        return Err(AppError::Validation(problems));
    };
    use crate::moderation::service::{Field, screen_default};
    let name = screen_default(state, auth.user_id, Field::RoomName, Some(name))
        .await?
        .unwrap_or_default();
    let description =
        screen_default(state, auth.user_id, Field::RoomDescription, description).await?;
    let now = OffsetDateTime::now_utc();
    let room = room::ActiveModel {
        name_sound: Set(Some(super::pinyin::sound_of(&[&name]))),
        name: Set(name),
        description: Set(description),
        visibility: Set(visibility_to_str(req.visibility).into()),
        owner_id: Set(auth.user_id.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let Some((txn, room)) = insert_room(&state.db, room).await? else {
        return Err(AppError::internal(
            "a new room broke a unique rule other than its number",
        ));
    };
    insert_member(&txn, RoomId(room.id), auth.user_id, RoomRole::Owner, 0).await?;
    let default_post = insert_default_post(&txn, RoomId(room.id), now).await?;
    txn.commit().await?;
    state
        .hub
        .member_added(RoomId(room.id), auth.user_id, 0)
        .await;
    tracing::info!(room_id = room.id, number = room.number, "room created");
    Ok(MyRoom {
        room: to_room(&room, 1),
        role: RoomRole::Owner,
        seq: 0,
        default_post_id: PostId(default_post.id),
        unread: 0,
        muted: false,
        announcement: None,
        announcement_unseen: false,
        silenced_until: None,
    })
}

/// Inserts a room (group or private chat) with a random number, in a write transaction
/// it returns open for the rest of the creation. A number that is taken is retried with
/// another; `None` when another unique rule failed (a private chat opened by the other
/// person at the same moment).
pub(crate) async fn insert_room(
    db: &DatabaseConnection,
    mut room: room::ActiveModel,
) -> AppResult<Option<(DatabaseTransaction, room::Model)>> {
    room.last_seq = Set(0);
    for _ in 0..8 {
        let number = rand::rng().random_range(ROOM_NUMBERS);
        room.number = Set(number);
        // A failed statement spoils a PostgreSQL transaction: each try has its own.
        let txn = crate::db::write_txn(db).await?;
        match room::Entity::insert(room.clone())
            .exec_with_returning(&txn)
            .await
        {
            Ok(inserted) => return Ok(Some((txn, inserted))),
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                drop(txn);
                let taken = room::Entity::find()
                    .filter(room::Column::Number.eq(number))
                    .one(db)
                    .await?
                    .is_some();
                if !taken {
                    return Ok(None);
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(AppError::internal("could not find a free room number"))
}

/// The chat post every room (and every private chat) has.
pub(crate) async fn insert_default_post(
    db: &impl ConnectionTrait,
    room: RoomId,
    now: OffsetDateTime,
) -> AppResult<post::Model> {
    Ok(post::Entity::insert(post::ActiveModel {
        room_id: Set(room.0),
        title: Set(DEFAULT_POST_TITLE.into()),
        title_key: Set(DEFAULT_POST_TITLE.into()),
        description: Set(None),
        is_default: Set(true),
        author_id: Set(None),
        created_at: Set(now),
        last_activity_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

pub(crate) async fn insert_member(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
    role: RoomRole,
    read_floor: i64,
) -> AppResult<()> {
    room_member::Entity::insert(room_member::ActiveModel {
        room_id: Set(room.0),
        user_id: Set(user.0),
        role: Set(role_to_str(role).into()),
        joined_at: Set(OffsetDateTime::now_utc()),
        read_floor: Set(read_floor),
        muted: Set(false),
        announcement_seen_at: Set(None),
        silenced_until: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// My rooms, newest first by their last event. Read in one snapshot: each room's `seq`
/// (where the socket resumes) and its unread count must agree, or a message committed
/// between the two reads is counted here and again when the socket replays it.
pub async fn list_mine(state: &AppState, auth: &AuthUser) -> AppResult<Vec<MyRoom>> {
    use sea_orm::{AccessMode, DbBackend, IsolationLevel, TransactionTrait as _};
    let txn = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            state
                .db
                .begin_with_config(
                    Some(IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await?
        }
        // A read transaction in WAL mode is one snapshot from its first read.
        _ => state.db.begin().await?,
    };
    let mut rooms = Vec::new();
    for (membership, room) in store::my_rooms(&txn, auth.user_id).await? {
        if room.kind != super::KIND_GROUP {
            continue;
        }
        rooms.push(my_room(&txn, &membership, &room).await?);
    }
    txn.commit().await?;
    rooms.sort_by(|a, b| b.seq.cmp(&a.seq).then(b.room.id.cmp(&a.room.id)));
    Ok(rooms)
}

async fn my_room(
    db: &impl ConnectionTrait,
    membership: &room_member::Model,
    room: &room::Model,
) -> AppResult<MyRoom> {
    let room_id = RoomId(room.id);
    let default_post = store::default_post(db, room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unread = messages::unread::total(
        &messages::unread::room(
            db,
            UserId(membership.user_id),
            room_id,
            membership.read_floor,
        )
        .await?,
    );
    Ok(MyRoom {
        room: to_room(room, store::member_count(db, room_id).await?),
        role: super::role_from_str(&membership.role),
        seq: room.last_seq,
        default_post_id: PostId(default_post.id),
        unread,
        muted: membership.muted,
        silenced_until: super::moderation::still_silenced(membership.silenced_until),
        announcement: super::announcement::of(db, room).await?,
        announcement_unseen: super::announcement::unseen(room, membership),
    })
}

/// Public rooms matching a name fragment or number.
pub async fn discover(state: &AppState, query: &str) -> AppResult<Vec<Room>> {
    let mut rooms = Vec::new();
    for room in store::public_rooms(&state.db, query, 50).await? {
        let count = store::member_count(&state.db, RoomId(room.id)).await?;
        rooms.push(to_room(&room, count));
    }
    Ok(rooms)
}

/// A room's card: for members, and for anyone if it is public.
pub async fn get(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<Room> {
    let room = store::group(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if room.visibility != "public" {
        require_member(&state.db, id, auth.user_id).await?;
    }
    Ok(to_room(&room, store::member_count(&state.db, id).await?))
}

/// The caller is an owner or admin of this group room: 404 if not in it, 403 if only a
/// member.
pub async fn require_room_admin(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
) -> AppResult<RoomRole> {
    let member = require_group_member(db, room, user).await?;
    require_role(&member, RoomRole::can_moderate)
}

pub async fn edit(state: &AppState, auth: &AuthUser, id: RoomId, req: EditRoom) -> AppResult<Room> {
    require_room_admin(&state.db, id, auth.user_id).await?;
    let mut problems = BTreeMap::new();
    let mut change = room::ActiveModel {
        id: Set(id.0),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    use crate::moderation::service::{Field, screen_in_room};
    if let Some(name) = &req.name
        && let Some(name) = parse_name(name, &mut problems)
    {
        let name = screen_in_room(state, auth.user_id, id, Field::RoomName, name).await?;
        change.name_sound = Set(Some(super::pinyin::sound_of(&[&name])));
        change.name = Set(name);
    }
    if let Some(description) = &req.description {
        let description = match parse_description(description, &mut problems) {
            Some(d) => {
                Some(screen_in_room(state, auth.user_id, id, Field::RoomDescription, d).await?)
            }
            None => None,
        };
        change.description = Set(description);
    }
    if let Some(visibility) = req.visibility {
        change.visibility = Set(visibility_to_str(visibility).into());
    }
    if let Some(members_mention_all) = req.members_mention_all {
        change.members_mention_all = Set(members_mention_all);
    }
    if let Some(secs) = req.slow_mode_secs {
        if secs > super::moderation::SLOW_MODE_MAX_SECS {
            problems.insert("slow_mode_secs".into(), FieldCode::Length);
        } else {
            change.slow_mode_secs = Set(secs as i32);
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    apply_edit(state, id, change).await
}

/// Writes a change to a room's card and tells its members; the caller checked that they
/// may (a room owner or admin, or site staff).
pub async fn apply_edit(
    state: &AppState,
    id: RoomId,
    change: room::ActiveModel,
) -> AppResult<Room> {
    let txn = crate::db::write_txn(&state.db).await?;
    let room = room::Entity::update(change).exec(&txn).await?;
    let card = to_room(&room, store::member_count(&txn, id).await?);
    let published = events::record(&txn, id, RoomEvent::RoomEdited { room: card.clone() }).await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(card)
}

/// Deletes the room and everything in it. Owner only.
pub async fn delete(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<()> {
    let member = require_group_member(&state.db, id, auth.user_id).await?;
    require_role(&member, RoomRole::is_owner)?;
    delete_unchecked(state, id).await
}

/// Deletes the room; the caller checked that they may (its owner, or a site admin).
pub async fn delete_unchecked(state: &AppState, id: RoomId) -> AppResult<()> {
    let txn = crate::db::write_txn(&state.db).await?;
    crate::search::index::remove_room(&txn, id.0).await?;
    room::Entity::delete_by_id(id.0).exec(&txn).await?;
    txn.commit().await?;
    state.hub.room_deleted(id).await;
    tracing::info!(room_id = id.0, "room deleted");
    Ok(())
}

/// Join by number: a public room at once, a private one by request.
pub async fn join(
    state: &AppState,
    auth: &AuthUser,
    number: i64,
    message: Option<String>,
) -> AppResult<JoinResult> {
    let room = store::by_number(&state.db, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let room_id = RoomId(room.id);
    if store::member(&state.db, room_id, auth.user_id)
        .await?
        .is_none()
    {
        super::moderation::refuse_banned(&state.db, room_id, auth.user_id).await?;
        if room.visibility == "private" {
            let message = message
                .as_deref()
                .and_then(|m| parse_profile_text(m, 500).ok().flatten());
            join_request::Entity::delete_by_id((room.id, auth.user_id.0))
                .exec(&state.db)
                .await?;
            join_request::Entity::insert(join_request::ActiveModel {
                room_id: Set(room.id),
                user_id: Set(auth.user_id.0),
                message: Set(message),
                created_at: Set(OffsetDateTime::now_utc()),
            })
            .exec_without_returning(&state.db)
            .await?;
            return Ok(JoinResult::Requested);
        }
        add_member(state, room_id, auth.user_id).await?;
    }
    let membership = require_member(&state.db, room_id, auth.user_id).await?;
    let room = store::room(&state.db, room_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(JoinResult::Joined {
        room: Box::new(my_room(&state.db, &membership, &room).await?),
    })
}

/// Makes `user` a member: the membership, an "X joined" notice in the default post and a
/// `member_joined` event, in one transaction; then their sockets follow the room.
async fn add_member(state: &AppState, room_id: RoomId, user_id: UserId) -> AppResult<()> {
    let user = crate::users::store::by_id(&state.db, user_id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::write_txn(&state.db).await?;
    // Everything said before joining counts as read.
    let floor = store::newest_message_id(&txn, room_id).await?;
    match insert_member(&txn, room_id, user_id, RoomRole::Member, floor).await {
        Err(AppError::Internal(_))
            if store::member(&state.db, room_id, user_id).await?.is_some() =>
        {
            return Ok(());
        }
        other => other?,
    }
    let mut published =
        messages::service::system_notice(&txn, room_id, &user, MessageKind::Joined).await?;
    published.push(
        events::record(
            &txn,
            room_id,
            RoomEvent::MemberJoined {
                user: summary(&user),
                role: RoomRole::Member,
            },
        )
        .await?,
    );
    txn.commit().await?;
    let seq = published.last().map(|p| p.seq).unwrap_or_default();
    state.hub.publish(published).await;
    state.hub.member_added(room_id, user_id, seq).await;
    Ok(())
}

/// Ends `user`'s membership (leaving, or removed by `by`).
pub(super) async fn remove_member(
    state: &AppState,
    room_id: RoomId,
    user_id: UserId,
    removed: bool,
) -> AppResult<()> {
    let user = crate::users::store::by_id(&state.db, user_id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::write_txn(&state.db).await?;
    room_member::Entity::delete_by_id((room_id.0, user_id.0))
        .exec(&txn)
        .await?;
    let mut published =
        messages::service::system_notice(&txn, room_id, &user, MessageKind::Left).await?;
    published
        .push(events::record(&txn, room_id, RoomEvent::MemberLeft { user_id, removed }).await?);
    txn.commit().await?;
    state.hub.publish(published).await;
    state.hub.member_removed(room_id, user_id).await;
    Ok(())
}

pub async fn leave(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<()> {
    let member = require_group_member(&state.db, id, auth.user_id).await?;
    if super::role_from_str(&member.role) == RoomRole::Owner {
        return Err(AppError::Rule {
            code: ErrorCode::OwnerMustTransfer,
            message: "the owner must transfer the room (or delete it) before leaving",
        });
    }
    remove_member(state, id, auth.user_id, false).await
}

/// Members, online first, then by role and name.
pub async fn members(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<Vec<Member>> {
    require_member(&state.db, id, auth.user_id).await?;
    members_of(state, id).await
}

/// The members of a room; the caller checked that they may see them.
pub async fn members_of(state: &AppState, id: RoomId) -> AppResult<Vec<Member>> {
    let rows = store::members(&state.db, id).await?;
    let presence = crate::realtime::presence_of(&state.hub, rows.iter().map(|(_, u)| u)).await;
    let mut members: Vec<Member> = rows
        .into_iter()
        .map(|(m, u)| {
            let presence = presence.get(&UserId(u.id));
            let keys =
                super::pinyin::NameKeys::of(u.display_name.as_deref().unwrap_or(&u.username));
            Member {
                initials: keys.as_ref().map(|k| k.initials.clone()),
                pinyin: keys.map(|k| k.full),
                presence: presence.map(|p| p.status).unwrap_or_default(),
                last_seen_at: presence.and_then(|p| p.last_seen_at),
                user: summary(&u),
                role: super::role_from_str(&m.role),
                joined_at: m.joined_at,
                silenced_until: super::moderation::still_silenced(m.silenced_until),
            }
        })
        .collect();
    members.sort_by(|a, b| api::rooms::member_order(a, a.presence, b, b.presence));
    Ok(members)
}

/// Owner only: make a member an admin, or an admin a member.
/// Silences a room or private chat for me (or undoes it). Any member may; it changes
/// nothing anyone else sees.
pub async fn set_muted(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    req: SetMuted,
) -> AppResult<()> {
    require_member(&state.db, id, auth.user_id).await?;
    room_member::Entity::update_many()
        .col_expr(
            room_member::Column::Muted,
            sea_orm::sea_query::Expr::value(req.muted),
        )
        .filter(room_member::Column::RoomId.eq(id.0))
        .filter(room_member::Column::UserId.eq(auth.user_id.0))
        .exec(&state.db)
        .await?;
    let frame = ServerFrame::Muted {
        room_id: id,
        muted: req.muted,
    };
    state.hub.to_user(auth.user_id, &frame).await;
    Ok(())
}

pub async fn set_role(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    target: UserId,
    req: SetRole,
) -> AppResult<()> {
    let me = require_group_member(&state.db, id, auth.user_id).await?;
    require_role(&me, RoomRole::is_owner)?;
    if req.role == RoomRole::Owner {
        return Err(AppError::field("role", FieldCode::InvalidChars));
    }
    let them = store::member(&state.db, id, target)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::role_from_str(&me.role).can_set_role_of(super::role_from_str(&them.role)) {
        return Err(AppError::Forbidden);
    }
    let txn = crate::db::write_txn(&state.db).await?;
    set_member_role(&txn, id, target, req.role).await?;
    let published = events::record(
        &txn,
        id,
        RoomEvent::MemberRoleChanged {
            user_id: target,
            role: req.role,
        },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(())
}

async fn set_member_role(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
    role: RoomRole,
) -> AppResult<()> {
    room_member::Entity::update(room_member::ActiveModel {
        room_id: Set(room.0),
        user_id: Set(user.0),
        role: Set(role_to_str(role).into()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The owner removes anyone; an admin removes plain members.
pub async fn remove(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    target: UserId,
) -> AppResult<()> {
    let me = require_group_member(&state.db, id, auth.user_id).await?;
    let my_role = require_role(&me, RoomRole::can_moderate)?;
    let them = store::member(&state.db, id, target)
        .await?
        .ok_or(AppError::NotFound)?;
    if target == auth.user_id || !my_role.can_remove(super::role_from_str(&them.role)) {
        return Err(AppError::Forbidden);
    }
    remove_member(state, id, target, true).await
}

/// The owner hands the room to another member and becomes an admin.
pub async fn transfer(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    req: TransferRoom,
) -> AppResult<()> {
    let me = require_group_member(&state.db, id, auth.user_id).await?;
    require_role(&me, RoomRole::is_owner)?;
    store::member(&state.db, id, req.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if req.user_id == auth.user_id {
        return Ok(());
    }
    hand_over(state, id, auth.user_id, req.user_id).await
}

/// Makes member `to` the owner and the owner `from` an admin, and tells the members; the
/// caller checked that they may (the owner, or site staff).
pub async fn hand_over(state: &AppState, id: RoomId, from: UserId, to: UserId) -> AppResult<()> {
    let txn = crate::db::write_txn(&state.db).await?;
    set_member_role(&txn, id, to, RoomRole::Owner).await?;
    set_member_role(&txn, id, from, RoomRole::Admin).await?;
    room::Entity::update_many()
        .col_expr(room::Column::OwnerId, sea_orm::sea_query::Expr::value(to.0))
        .filter(room::Column::Id.eq(id.0))
        .exec(&txn)
        .await?;
    let published = vec![
        events::record(
            &txn,
            id,
            RoomEvent::MemberRoleChanged {
                user_id: to,
                role: RoomRole::Owner,
            },
        )
        .await?,
        events::record(
            &txn,
            id,
            RoomEvent::MemberRoleChanged {
                user_id: from,
                role: RoomRole::Admin,
            },
        )
        .await?,
    ];
    txn.commit().await?;
    state.hub.publish(published).await;
    Ok(())
}

pub async fn requests(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
) -> AppResult<Vec<JoinRequest>> {
    let me = require_group_member(&state.db, id, auth.user_id).await?;
    require_role(&me, RoomRole::can_moderate)?;
    Ok(store::join_requests(&state.db, id)
        .await?
        .into_iter()
        .map(|(r, u)| JoinRequest {
            user: summary(&u),
            message: r.message,
            created_at: r.created_at,
        })
        .collect())
}

/// Approve or decline a join request (owner or admin).
pub async fn answer_request(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    user: UserId,
    approve: bool,
) -> AppResult<()> {
    let me = require_group_member(&state.db, id, auth.user_id).await?;
    require_role(&me, RoomRole::can_moderate)?;
    let deleted = join_request::Entity::delete_many()
        .filter(join_request::Column::RoomId.eq(id.0))
        .filter(join_request::Column::UserId.eq(user.0))
        .exec(&state.db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    if approve && store::member(&state.db, id, user).await?.is_none() {
        super::moderation::refuse_banned(&state.db, id, user).await?;
        add_member(state, id, user).await?;
    }
    Ok(())
}
