//! The admin console's server side: the dashboard, people and rooms as staff see them,
//! and what staff do to them (reset a password, remove someone's messages, hand a room
//! over, delete it). Every function starts with the caller's site role, read fresh.

use crate::{
    auth::AuthUser,
    entities::{message, report, room, room_member, session, user},
    error::{AppError, AppResult},
    moderation::{
        audit::{self, Entry, action},
        people, staff,
    },
    rooms::{self, KIND_DIRECT, KIND_GROUP},
    state::AppState,
};
use api::{
    FieldCode, RoomId, UserId,
    admin::{
        AdminRoom, AdminRoomPage, AdminSession, AdminUser, AdminUserDetail, AdminUserPage,
        Dashboard, DayCount, EditAdminRoom, MessagesRemoved, RemoveMessages, TemporaryPassword,
    },
    moderation::WordPolicy,
    users::Role,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, ExprTrait as _, Func, Query},
};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

const PAGE: u64 = 50;
/// Days in the dashboard's chart.
const CHART_DAYS: i64 = 14;

fn to_admin_user(u: &user::Model) -> AdminUser {
    AdminUser {
        id: UserId(u.id),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        avatar: u.avatar.clone(),
        email: u.email.clone(),
        role: Role::parse(&u.role).unwrap_or_default(),
        deactivated_at: u.deactivated_at,
        last_seen_at: u.last_seen_at,
        storage_used: u.storage_used,
        created_at: u.created_at,
    }
}

/// People seen since `since`: a socket closed (last seen) or a session refreshed.
async fn active_since(db: &impl ConnectionTrait, since: OffsetDateTime) -> AppResult<u64> {
    let since = crate::db::stored_time(since);
    Ok(user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::LastSeenAt.gte(since))
                .add(
                    user::Column::Id.in_subquery(
                        Query::select()
                            .column(session::Column::UserId)
                            .from(session::Entity)
                            .and_where(Expr::col(session::Column::LastUsedAt).gte(since))
                            .to_owned(),
                    ),
                ),
        )
        .count(db)
        .await?)
}

/// The id of the first message sent at or after `since`, found by bisecting the primary
/// key (ids grow with time), so the chart's query reads only the last days' rows instead
/// of scanning the table or needing an index the send path would pay for.
async fn first_message_since(db: &impl ConnectionTrait, since: OffsetDateTime) -> AppResult<i64> {
    let since = crate::db::stored_time(since);
    let bounds: Option<(Option<i64>, Option<i64>)> = message::Entity::find()
        .select_only()
        .column_as(message::Column::Id.min(), "lo")
        .column_as(message::Column::Id.max(), "hi")
        .into_tuple()
        .one(db)
        .await?;
    let (Some(mut lo), Some(hi)) = bounds.unwrap_or_default() else {
        return Ok(0);
    };
    let mut hi = hi + 1;
    // Invariant: every message below `lo` is older than `since`; `hi` is past the answer.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let at: Option<(i64, OffsetDateTime)> = message::Entity::find()
            .select_only()
            .columns([message::Column::Id, message::Column::CreatedAt])
            .filter(message::Column::Id.gte(mid))
            .order_by_asc(message::Column::Id)
            .limit(1)
            .into_tuple()
            .one(db)
            .await?;
        match at {
            Some((id, created)) if created < since => lo = id + 1,
            _ => hi = mid,
        }
    }
    Ok(lo)
}

#[derive(FromQueryResult)]
struct DayRow {
    day: String,
    count: i64,
}

/// Messages per UTC day since `first_id`.
async fn messages_per_day(state: &AppState, first_id: i64) -> AppResult<HashMap<String, u64>> {
    let backend = state.db.get_database_backend();
    let day = match backend {
        DbBackend::Postgres => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        // Times are stored as text, in UTC: `2026-12-04 22:37:47.123+00:00`.
        _ => "substr(created_at, 1, 10)",
    };
    let sql = format!(
        "SELECT {day} AS day, COUNT(*) AS count FROM messages WHERE id >= {} GROUP BY 1",
        if backend == DbBackend::Postgres {
            "$1"
        } else {
            "?"
        }
    );
    let rows = DayRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [first_id.into()],
    ))
    .all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, u64::try_from(r.count).unwrap_or(0)))
        .collect())
}

/// `GET /admin/dashboard` (staff).
pub async fn dashboard(state: &AppState, auth: &AuthUser) -> AppResult<Dashboard> {
    staff::require_staff(&state.db, auth).await?;
    let db = &state.db;
    let now = OffsetDateTime::now_utc();
    let people = user::Entity::find().count(db).await?;
    let deactivated = user::Entity::find()
        .filter(user::Column::DeactivatedAt.is_not_null())
        .count(db)
        .await?;
    let active_day = active_since(db, now - Duration::days(1)).await?;
    let active_week = active_since(db, now - Duration::days(7)).await?;
    let rooms = room::Entity::find()
        .filter(room::Column::Kind.eq(KIND_GROUP))
        .count(db)
        .await?;
    let private_chats = room::Entity::find()
        .filter(room::Column::Kind.eq(KIND_DIRECT))
        .count(db)
        .await?;
    let messages = message::Entity::find().count(db).await?;
    let first_day = (now - Duration::days(CHART_DAYS - 1))
        .date()
        .midnight()
        .assume_utc();
    let first_id = first_message_since(db, first_day).await?;
    let per_day = messages_per_day(state, first_id).await?;
    let messages_per_day = (0..CHART_DAYS)
        .map(|i| {
            let day = (first_day + Duration::days(i)).date().to_string();
            let count = per_day.get(&day).copied().unwrap_or(0);
            DayCount { day, count }
        })
        .collect();
    let storage: Option<Option<i64>> = user::Entity::find()
        .select_only()
        // PostgreSQL sums a BIGINT as NUMERIC: back to BIGINT for both databases.
        .column_as(
            Expr::expr(Func::sum(Expr::col(user::Column::StorageUsed)))
                .cast_as(sea_orm::sea_query::Alias::new("BIGINT")),
            "s",
        )
        .into_tuple()
        .one(db)
        .await?;
    let open_reports = crate::moderation::reports::open_count(db).await?;
    Ok(Dashboard {
        people,
        deactivated,
        active_day,
        active_week,
        rooms,
        private_chats,
        messages,
        messages_per_day,
        storage_bytes: u64::try_from(storage.flatten().unwrap_or(0)).unwrap_or(0),
        sockets_open: state.limits.sockets_open().0,
        open_reports,
    })
}

/// What `GET /admin/users` filters on.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the username, display name or e-mail address, or the account's number.
    pub q: Option<String>,
    /// Only people with this site role.
    pub role: Option<Role>,
    /// Only deactivated accounts (`true`) or only active ones (`false`).
    pub deactivated: Option<bool>,
    /// Accounts numbered below this (the previous page's `next`).
    pub before: Option<i64>,
}

/// `GET /admin/users` (staff): newest first, 50 a page.
pub async fn users(
    state: &AppState,
    auth: &AuthUser,
    query: UserQuery,
) -> AppResult<AdminUserPage> {
    staff::require_staff(&state.db, auth).await?;
    let mut find = user::Entity::find();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let key = crate::users::domain::login_key(q);
        let pattern = || crate::db::contains(&key);
        let mut any = Condition::any()
            .add(Expr::col(user::Column::UsernameKey).like(pattern()))
            .add(Expr::col(user::Column::EmailKey).like(pattern()))
            .add(Expr::expr(Func::lower(Expr::col(user::Column::DisplayName))).like(pattern()));
        if let Ok(number) = q.parse::<i64>() {
            any = any.add(user::Column::Id.eq(number));
        }
        find = find.filter(any);
    }
    if let Some(role) = query.role {
        find = find.filter(user::Column::Role.eq(role.as_str()));
    }
    match query.deactivated {
        Some(true) => find = find.filter(user::Column::DeactivatedAt.is_not_null()),
        Some(false) => find = find.filter(user::Column::DeactivatedAt.is_null()),
        None => {}
    }
    if let Some(before) = query.before {
        find = find.filter(user::Column::Id.lt(before));
    }
    let mut rows = find
        .order_by_desc(user::Column::Id)
        .limit(PAGE + 1)
        .all(&state.db)
        .await?;
    let next = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        UserId(rows.last().map_or(0, |u| u.id))
    });
    Ok(AdminUserPage {
        users: rows.iter().map(to_admin_user).collect(),
        next,
    })
}

/// `GET /admin/users/{id}` (staff): the account, its live sessions and counts.
pub async fn user(state: &AppState, auth: &AuthUser, id: UserId) -> AppResult<AdminUserDetail> {
    staff::require_staff(&state.db, auth).await?;
    let db = &state.db;
    let person = crate::users::store::by_id(db, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = crate::db::stored_time(OffsetDateTime::now_utc());
    let (_, sockets) = state.limits.sockets_open();
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id.0))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastUsedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| AdminSession {
            id: s.id.to_string(),
            user_agent: s.user_agent,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            sockets: sockets.get(&s.id).copied().unwrap_or(0),
        })
        .collect();
    let rooms = room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(id.0))
        .filter(
            room_member::Column::RoomId.in_subquery(
                Query::select()
                    .column(room::Column::Id)
                    .from(room::Entity)
                    .and_where(Expr::col(room::Column::Kind).eq(KIND_GROUP))
                    .to_owned(),
            ),
        )
        .count(db)
        .await?;
    let messages = message::Entity::find()
        .filter(message::Column::AuthorId.eq(id.0))
        .count(db)
        .await?;
    let reports_against = report::Entity::find()
        .filter(report::Column::AuthorId.eq(id.0))
        .count(db)
        .await?;
    Ok(AdminUserDetail {
        user: to_admin_user(&person),
        bio: person.bio,
        location: person.location,
        sessions,
        rooms,
        messages,
        reports_against,
    })
}

/// `POST /admin/users/{id}/password` (admins): a temporary password to hand over; every
/// session of theirs ends (sockets close with `password_changed`).
pub async fn reset_password(
    state: &AppState,
    auth: &AuthUser,
    id: UserId,
) -> AppResult<TemporaryPassword> {
    staff::require_admin(&state.db, auth).await?;
    people::target_for(state, auth, id).await?;
    let password = super::cli::temporary_password();
    let ended = people::set_password(
        &state.db,
        &state.hasher,
        Some(auth.user_id),
        id,
        password.clone(),
        true,
    )
    .await?;
    crate::auth::service::sessions_ended(state, ended, api::ws::EndReason::PasswordChanged).await;
    Ok(TemporaryPassword { password })
}

/// The most messages one removal goes through (ask again for the rest).
const REMOVE_MAX: u64 = 10_000;

/// `POST /admin/users/{id}/messages/remove` (staff, over the person's role): every text
/// message they sent in `[from, to]` is removed as a recall would (placeholder, replays
/// rewritten, files gone), oldest first, at most 10,000 a call.
pub async fn remove_messages(
    state: &AppState,
    auth: &AuthUser,
    id: UserId,
    req: RemoveMessages,
) -> AppResult<MessagesRemoved> {
    people::target_for(state, auth, id).await?;
    if req.to < req.from {
        return Err(AppError::field("to", FieldCode::OutOfRange));
    }
    let rows = message::Entity::find()
        .filter(message::Column::AuthorId.eq(id.0))
        .filter(message::Column::CreatedAt.gte(crate::db::stored_time(req.from)))
        .filter(message::Column::CreatedAt.lte(crate::db::stored_time(req.to)))
        .filter(message::Column::RecalledAt.is_null())
        .order_by_asc(message::Column::Id)
        .limit(REMOVE_MAX)
        .all(&state.db)
        .await?;
    let mut removed = 0;
    for row in &rows {
        if crate::messages::service::remove_as_staff(state, auth.user_id, row)
            .await?
            .is_some()
        {
            removed += 1;
        }
    }
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::MESSAGES_REMOVED,
            room: None,
            target_user: Some(id),
            details: serde_json::json!({
                "from": req.from.unix_timestamp(),
                "to": req.to.unix_timestamp(),
                "removed": removed,
            }),
        },
    )
    .await?;
    Ok(MessagesRemoved { removed })
}

async fn to_admin_rooms(
    db: &impl ConnectionTrait,
    rows: Vec<room::Model>,
) -> AppResult<Vec<AdminRoom>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts: HashMap<i64, i64> = room_member::Entity::find()
        .select_only()
        .column(room_member::Column::RoomId)
        .column_as(room_member::Column::UserId.count(), "n")
        .filter(room_member::Column::RoomId.is_in(ids))
        .group_by(room_member::Column::RoomId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let owners: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.owner_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let owner = owners.get(&r.owner_id)?;
            Some(AdminRoom {
                id: RoomId(r.id),
                number: r.number,
                name: r.name.clone(),
                visibility: rooms::visibility_from_str(&r.visibility),
                owner: rooms::summary(owner),
                members: u64::try_from(counts.get(&r.id).copied().unwrap_or(0)).unwrap_or(0),
                word_policy: r.word_policy.as_deref().and_then(WordPolicy::parse),
                slow_mode_secs: u32::try_from(r.slow_mode_secs).unwrap_or(0),
                created_at: r.created_at,
            })
        })
        .collect())
}

/// What `GET /admin/rooms` filters on.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoomQuery {
    /// Part of the name, or the room's number.
    pub q: Option<String>,
    /// Rooms numbered (by id) below this (the previous page's `next`).
    pub before: Option<i64>,
}

/// `GET /admin/rooms` (staff): group rooms, newest first, 50 a page.
pub async fn rooms(
    state: &AppState,
    auth: &AuthUser,
    query: RoomQuery,
) -> AppResult<AdminRoomPage> {
    staff::require_staff(&state.db, auth).await?;
    let mut find = room::Entity::find().filter(room::Column::Kind.eq(KIND_GROUP));
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = crate::db::contains(&q.to_lowercase());
        let mut any = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(room::Column::Name))).like(pattern));
        if let Ok(number) = q.parse::<i64>() {
            any = any.add(room::Column::Number.eq(number));
        }
        find = find.filter(any);
    }
    if let Some(before) = query.before {
        find = find.filter(room::Column::Id.lt(before));
    }
    let mut rows = find
        .order_by_desc(room::Column::Id)
        .limit(PAGE + 1)
        .all(&state.db)
        .await?;
    let next = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        RoomId(rows.last().map_or(0, |r| r.id))
    });
    Ok(AdminRoomPage {
        rooms: to_admin_rooms(&state.db, rows).await?,
        next,
    })
}

async fn admin_room(state: &AppState, id: RoomId) -> AppResult<AdminRoom> {
    let row = rooms::store::group(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    to_admin_rooms(&state.db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// `GET /admin/rooms/{id}` (staff).
pub async fn room(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<AdminRoom> {
    staff::require_staff(&state.db, auth).await?;
    admin_room(state, id).await
}

/// `GET /admin/rooms/{id}/members` (staff): members as their room sees them.
pub async fn room_members(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
) -> AppResult<Vec<api::rooms::Member>> {
    staff::require_staff(&state.db, auth).await?;
    rooms::store::group(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    rooms::service::members_of(state, id).await
}

/// `PATCH /admin/rooms/{id}` (staff): slow mode and the owner; members see `room_edited`
/// and role changes as from the room's own owner.
pub async fn edit_room(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    req: EditAdminRoom,
) -> AppResult<AdminRoom> {
    staff::require_staff(&state.db, auth).await?;
    let before = admin_room(state, id).await?;
    if let Some(secs) = req.slow_mode_secs {
        if secs > crate::rooms::moderation::SLOW_MODE_MAX_SECS {
            return Err(AppError::field("slow_mode_secs", FieldCode::OutOfRange));
        }
        rooms::service::apply_edit(
            state,
            id,
            room::ActiveModel {
                id: sea_orm::ActiveValue::Set(id.0),
                slow_mode_secs: sea_orm::ActiveValue::Set(secs as i32),
                updated_at: sea_orm::ActiveValue::Set(OffsetDateTime::now_utc()),
                ..Default::default()
            },
        )
        .await?;
    }
    if let Some(owner) = req.owner
        && owner != before.owner.id
    {
        rooms::store::member(&state.db, id, owner)
            .await?
            .ok_or(AppError::field("owner", FieldCode::NotMember))?;
        rooms::service::hand_over(state, id, before.owner.id, owner).await?;
        audit::record(
            &state.db,
            Entry {
                actor: Some(auth.user_id),
                action: action::ROOM_TRANSFERRED,
                room: Some(id),
                target_user: Some(owner),
                details: serde_json::json!({ "from": before.owner.id }),
            },
        )
        .await?;
    }
    if let Some(secs) = req.slow_mode_secs
        && secs != before.slow_mode_secs
    {
        audit::record(
            &state.db,
            Entry {
                actor: Some(auth.user_id),
                action: action::ROOM_EDITED,
                room: Some(id),
                target_user: None,
                details: serde_json::json!({ "slow_mode_secs": secs }),
            },
        )
        .await?;
    }
    admin_room(state, id).await
}

/// `PUT /admin/rooms/{id}/word-policy` (staff): any policy, the server's minimum
/// included (it binds room owners, not staff).
pub async fn set_room_policy(
    state: &AppState,
    auth: &AuthUser,
    id: RoomId,
    policy: Option<WordPolicy>,
) -> AppResult<AdminRoom> {
    staff::require_staff(&state.db, auth).await?;
    rooms::store::group(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::moderation::service::store_room_policy(state, auth.user_id, id, policy).await?;
    admin_room(state, id).await
}

/// `DELETE /admin/rooms/{id}` (admins): the room and everything in it.
pub async fn delete_room(state: &AppState, auth: &AuthUser, id: RoomId) -> AppResult<()> {
    staff::require_admin(&state.db, auth).await?;
    let room = admin_room(state, id).await?;
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: action::ROOM_DELETED,
            room: Some(id),
            target_user: Some(room.owner.id),
            details: serde_json::json!({ "name": room.name, "number": room.number }),
        },
    )
    .await?;
    rooms::service::delete_unchecked(state, id).await
}
