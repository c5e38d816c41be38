//! Room moderation by its owner and admins: silencing a member for a while (禁言), slow
//! mode, bans. Each is a room event; the send path checks the first two in the query that
//! loads the sender, joining checks bans.

use super::{
    service::{require_group_member, require_role},
    store, summary,
};
use crate::{
    auth::AuthUser,
    entities::{message, room_ban, room_member, user},
    error::{AppError, AppResult},
    moderation::audit::{self, Entry},
    realtime::events,
    state::AppState,
};
use api::{
    ErrorCode, FieldCode, RoomId, UserId,
    rooms::{Ban, BanMember, RoomRole, SilenceMember},
    ws::RoomEvent,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::{Duration, OffsetDateTime};

/// The longest silence: 30 days.
pub const SILENCE_MAX_SECS: u64 = 30 * 24 * 3600;
/// The slowest slow mode: one message a day.
pub const SLOW_MODE_MAX_SECS: u32 = 24 * 3600;
/// The longest ban reason, in characters.
const REASON_MAX: usize = 500;

/// A silence that has not run out yet.
pub fn still_silenced(until: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    until.filter(|u| *u > OffsetDateTime::now_utc())
}

/// Whole seconds from now until `at`, at least 1.
fn seconds_until(at: OffsetDateTime) -> u64 {
    ((at - OffsetDateTime::now_utc()).whole_seconds().max(0) as u64).max(1)
}

/// Before a send: refused while silenced (403 `silenced`), or in slow mode until the
/// member's last message is old enough (429 `slow_mode`). Owners and admins are exempt
/// from slow mode.
pub async fn check_send(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    author: UserId,
    role: RoomRole,
    silenced_until: Option<OffsetDateTime>,
    slow_mode_secs: i32,
) -> AppResult<()> {
    if let Some(until) = still_silenced(silenced_until) {
        return Err(AppError::Wait {
            code: ErrorCode::Silenced,
            message: "you are silenced in this room",
            retry_after: seconds_until(until),
        });
    }
    if slow_mode_secs > 0 && !role.can_moderate() {
        let last: Option<OffsetDateTime> = message::Entity::find()
            .select_only()
            .column(message::Column::CreatedAt)
            .filter(message::Column::RoomId.eq(room_id.0))
            .filter(message::Column::AuthorId.eq(author.0))
            .filter(message::Column::Kind.eq(crate::messages::kind_to_str(
                api::messages::MessageKind::Text,
            )))
            .order_by_desc(message::Column::Id)
            .limit(1)
            .into_tuple()
            .one(db)
            .await?;
        if let Some(last) = last {
            let next = last + Duration::seconds(i64::from(slow_mode_secs));
            if next > OffsetDateTime::now_utc() {
                return Err(AppError::Wait {
                    code: ErrorCode::SlowMode,
                    message: "the room is in slow mode",
                    retry_after: seconds_until(next),
                });
            }
        }
    }
    Ok(())
}

/// Joining (or asking to) while banned: 403 `banned_from_room`.
pub async fn refuse_banned(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    user_id: UserId,
) -> AppResult<()> {
    let banned = room_ban::Entity::find_by_id((room_id.0, user_id.0))
        .one(db)
        .await?
        .is_some();
    if banned {
        return Err(AppError::Rule {
            code: ErrorCode::BannedFromRoom,
            message: "you are banned from this room",
        });
    }
    Ok(())
}

/// The caller may act on `target` here: an owner or admin above the target's role, never
/// on themselves. The target's membership.
async fn actor_over(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    target: UserId,
) -> AppResult<room_member::Model> {
    let me = require_group_member(&state.db, room_id, auth.user_id).await?;
    let my_role = require_role(&me, RoomRole::can_moderate)?;
    let them = store::member(&state.db, room_id, target)
        .await?
        .ok_or(AppError::NotFound)?;
    if target == auth.user_id || !my_role.can_remove(super::role_from_str(&them.role)) {
        return Err(AppError::Forbidden);
    }
    Ok(them)
}

/// Silences a member for `seconds` (or lifts it: `None`); members get `member_silenced`.
pub async fn silence(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    target: UserId,
    req: Option<SilenceMember>,
) -> AppResult<Option<OffsetDateTime>> {
    actor_over(state, auth, room_id, target).await?;
    let until = match req {
        Some(SilenceMember { seconds }) if (1..=SILENCE_MAX_SECS).contains(&seconds) => Some(
            crate::db::stored_time(OffsetDateTime::now_utc() + Duration::seconds(seconds as i64)),
        ),
        Some(_) => return Err(AppError::field("seconds", FieldCode::Length)),
        None => None,
    };
    set_silenced(state, auth.user_id, room_id, target, until).await?;
    Ok(until)
}

/// Silences `target` in the room until `until` (`None` lifts it), tells the members and
/// logs it as `actor`'s doing; the caller checked that they may.
pub async fn set_silenced(
    state: &AppState,
    actor: UserId,
    room_id: RoomId,
    target: UserId,
    until: Option<OffsetDateTime>,
) -> AppResult<()> {
    let txn = crate::db::write_txn(&state.db).await?;
    room_member::Entity::update_many()
        .col_expr(
            room_member::Column::SilencedUntil,
            sea_orm::sea_query::Expr::value(until),
        )
        .filter(room_member::Column::RoomId.eq(room_id.0))
        .filter(room_member::Column::UserId.eq(target.0))
        .exec(&txn)
        .await?;
    let published = events::record(
        &txn,
        room_id,
        RoomEvent::MemberSilenced {
            user_id: target,
            until,
        },
    )
    .await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(actor),
            action: if until.is_some() {
                audit::action::MEMBER_SILENCED
            } else {
                audit::action::MEMBER_UNSILENCED
            },
            room: Some(room_id),
            target_user: Some(target),
            details: serde_json::json!({ "until": until.map(|u| u.unix_timestamp()) }),
        },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(())
}

/// Keeps someone out of the room until unbanned, removing them if they are in it (a
/// member only if the caller is above their role; someone outside, such as one asking to
/// join, by any owner or admin).
pub async fn ban(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    target: UserId,
    req: BanMember,
) -> AppResult<()> {
    let me = require_group_member(&state.db, room_id, auth.user_id).await?;
    let my_role = require_role(&me, RoomRole::can_moderate)?;
    let member = store::member(&state.db, room_id, target).await?;
    if target == auth.user_id
        || member
            .as_ref()
            .is_some_and(|m| !my_role.can_remove(super::role_from_str(&m.role)))
    {
        return Err(AppError::Forbidden);
    }
    crate::users::store::by_id(&state.db, target.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = match req.reason.as_deref().map(str::trim) {
        Some(r) if r.chars().count() > REASON_MAX => {
            return Err(AppError::field("reason", FieldCode::Length));
        }
        Some(r) if r.chars().any(|c| c.is_control() && c != '\n') => {
            return Err(AppError::field("reason", FieldCode::InvalidChars));
        }
        Some("") | None => None,
        Some(r) => Some(r.to_owned()),
    };
    room_ban::Entity::insert(room_ban::ActiveModel {
        room_id: Set(room_id.0),
        user_id: Set(target.0),
        banned_by: Set(auth.user_id.0),
        banned_at: Set(OffsetDateTime::now_utc()),
        reason: Set(reason.clone()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            room_ban::Column::RoomId,
            room_ban::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    audit::record(
        &state.db,
        Entry {
            actor: Some(auth.user_id),
            action: audit::action::MEMBER_BANNED,
            room: Some(room_id),
            target_user: Some(target),
            details: serde_json::json!({ "reason": reason }),
        },
    )
    .await?;
    // A request to join waiting for an answer goes with it.
    crate::entities::join_request::Entity::delete_by_id((room_id.0, target.0))
        .exec(&state.db)
        .await?;
    if member.is_some() {
        super::service::remove_member(state, room_id, target, true).await?;
    }
    Ok(())
}

/// Lets a banned person join again (owners and admins).
pub async fn unban(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    target: UserId,
) -> AppResult<()> {
    let me = require_group_member(&state.db, room_id, auth.user_id).await?;
    require_role(&me, RoomRole::can_moderate)?;
    let gone = room_ban::Entity::delete_by_id((room_id.0, target.0))
        .exec(&state.db)
        .await?;
    if gone.rows_affected > 0 {
        audit::record(
            &state.db,
            Entry {
                actor: Some(auth.user_id),
                action: audit::action::MEMBER_UNBANNED,
                room: Some(room_id),
                target_user: Some(target),
                details: serde_json::json!({}),
            },
        )
        .await?;
    }
    Ok(())
}

/// The room's bans, newest first (owners and admins).
pub async fn bans(state: &AppState, auth: &AuthUser, room_id: RoomId) -> AppResult<Vec<Ban>> {
    let me = require_group_member(&state.db, room_id, auth.user_id).await?;
    require_role(&me, RoomRole::can_moderate)?;
    let rows = room_ban::Entity::find()
        .filter(room_ban::Column::RoomId.eq(room_id.0))
        .order_by_desc(room_ban::Column::BannedAt)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().flat_map(|b| [b.user_id, b.banned_by]).collect();
    let people: std::collections::HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            Some(Ban {
                user: summary(people.get(&b.user_id)?),
                by: summary(people.get(&b.banned_by)?),
                at: b.banned_at,
                reason: b.reason,
            })
        })
        .collect())
}
