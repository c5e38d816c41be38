//! The room announcement (群公告): one per group room, written by its owners and admins,
//! shown at the top of the room and to each member once after every change (each member
//! acknowledges it: `room_members.announcement_seen_at`).

use super::service::{require_group_member, require_role};
use crate::{
    auth::AuthUser,
    entities::{room, room_member},
    error::{AppError, AppResult},
    realtime::events,
    state::AppState,
};
use api::{
    FieldCode, RoomId, UserId,
    rooms::{Announcement, RoomRole, SetAnnouncement},
    rules::ANNOUNCEMENT_MAX,
    ws::RoomEvent,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait as _},
};
use time::OffsetDateTime;

/// The room's announcement as members see it, if it has one.
pub async fn of(db: &impl ConnectionTrait, room: &room::Model) -> AppResult<Option<Announcement>> {
    let (Some(body), Some(html), Some(by), Some(at)) = (
        &room.announcement,
        &room.announcement_html,
        room.announcement_by,
        room.announcement_at,
    ) else {
        return Ok(None);
    };
    let Some(author) = crate::users::store::by_id(db, by).await? else {
        return Ok(None);
    };
    Ok(Some(Announcement {
        body: body.clone(),
        html: html.clone(),
        by: super::summary(&author),
        at,
    }))
}

/// The member has not acknowledged the announcement since it last changed.
pub fn unseen(room: &room::Model, membership: &room_member::Model) -> bool {
    room.announcement_at
        .is_some_and(|at| membership.announcement_seen_at.is_none_or(|seen| seen < at))
}

/// Writes (or, with an empty body, takes down) the announcement: owners and admins only.
/// Every member sees it once more; the writer has seen it.
pub async fn set(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    req: SetAnnouncement,
) -> AppResult<Option<Announcement>> {
    let member = require_group_member(&state.db, room_id, auth.user_id).await?;
    require_role(&member, RoomRole::can_pin)?;
    let body = match crate::messages::service::parse_body(&req.body) {
        Ok(body) => Some(body),
        Err(FieldCode::Required) => None,
        Err(problem) => return Err(AppError::field("body", problem)),
    };
    if body
        .as_ref()
        .is_some_and(|b| b.chars().count() > ANNOUNCEMENT_MAX)
    {
        return Err(AppError::field("body", FieldCode::Length));
    }
    let body = match body {
        Some(body) => Some(
            crate::moderation::service::screen_in_room(
                state,
                auth.user_id,
                room_id,
                crate::moderation::service::Field::Announcement,
                body,
            )
            .await?,
        ),
        None => None,
    };
    let html = body.as_deref().map(crate::messages::markdown::render);
    let now = crate::db::stored_time(OffsetDateTime::now_utc());
    let txn = crate::db::write_txn(&state.db).await?;
    room::Entity::update_many()
        .col_expr(room::Column::Announcement, Expr::value(body.clone()))
        .col_expr(room::Column::AnnouncementHtml, Expr::value(html.clone()))
        .col_expr(
            room::Column::AnnouncementBy,
            Expr::value(body.as_ref().map(|_| auth.user_id.0)),
        )
        .col_expr(
            room::Column::AnnouncementAt,
            Expr::value(body.as_ref().map(|_| now)),
        )
        .filter(room::Column::Id.eq(room_id.0))
        .exec(&txn)
        .await?;
    mark_seen(&txn, room_id, auth.user_id, now).await?;
    let room = room::Entity::find_by_id(room_id.0)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let announcement = of(&txn, &room).await?;
    let published = events::record(
        &txn,
        room_id,
        RoomEvent::AnnouncementChanged {
            announcement: announcement.clone(),
        },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(announcement)
}

/// The caller has read the announcement as it is now. Their other devices learn it from
/// `GET /rooms` (the prompt shows once per change, not once per device).
pub async fn seen(state: &AppState, auth: &AuthUser, room_id: RoomId) -> AppResult<()> {
    require_group_member(&state.db, room_id, auth.user_id).await?;
    mark_seen(
        &state.db,
        room_id,
        auth.user_id,
        crate::db::stored_time(OffsetDateTime::now_utc()),
    )
    .await
}

async fn mark_seen(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    user: UserId,
    at: OffsetDateTime,
) -> AppResult<()> {
    room_member::Entity::update_many()
        .col_expr(room_member::Column::AnnouncementSeenAt, Expr::value(at))
        .filter(room_member::Column::RoomId.eq(room_id.0))
        .filter(room_member::Column::UserId.eq(user.0))
        .filter(
            Expr::col(room_member::Column::AnnouncementSeenAt)
                .is_null()
                .or(Expr::col(room_member::Column::AnnouncementSeenAt).lt(at)),
        )
        .exec(db)
        .await?;
    Ok(())
}
