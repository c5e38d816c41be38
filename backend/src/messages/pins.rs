//! Pinned messages: a room's owners and admins pin what matters (at most
//! `rules::PINS_PER_ROOM`); every member sees the list, live (`message_pinned`,
//! `message_unpinned`). A pin goes with its message: a recall unpins it, deleting the
//! topic deletes it.

use super::service::{message_for_member, with_files};
use crate::{
    auth::AuthUser,
    entities::{message, message_pin},
    error::{AppError, AppResult},
    realtime::events,
    rooms::{self, service::require_member, store as room_store},
    state::AppState,
};
use api::{
    ErrorCode, MessageId, PostId, RoomId,
    messages::{MessageKind, Pin},
    rules::PINS_PER_ROOM,
    ws::RoomEvent,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use time::OffsetDateTime;

/// Pins a message (owners and admins of its room). Pinning it again changes nothing.
pub async fn pin(state: &AppState, auth: &AuthUser, message_id: MessageId) -> AppResult<Pin> {
    let (existing, member) = message_for_member(state, auth, message_id).await?;
    rooms::service::require_role(&member, api::rooms::RoomRole::can_pin)?;
    if existing.kind != super::kind_to_str(MessageKind::Text) {
        return Err(AppError::Forbidden);
    }
    if existing.recalled_at.is_some() {
        return Err(AppError::Rule {
            code: ErrorCode::MessageRecalled,
            message: "this message was recalled or removed",
        });
    }
    let room_id = RoomId(existing.room_id);
    if let Some(pin) = message_pin::Entity::find_by_id(existing.id)
        .one(&state.db)
        .await?
    {
        return to_pins(&state.db, vec![pin])
            .await?
            .pop()
            .ok_or(AppError::NotFound);
    }
    let now = crate::db::stored_time(OffsetDateTime::now_utc());
    let txn = crate::db::write_txn(&state.db).await?;
    let pinned = message_pin::Entity::find()
        .filter(message_pin::Column::RoomId.eq(room_id.0))
        .count(&txn)
        .await?;
    if pinned >= PINS_PER_ROOM as u64 {
        return Err(AppError::Rule {
            code: ErrorCode::PinLimit,
            message: "this room has as many pinned messages as it may; unpin one first",
        });
    }
    let inserted = message_pin::Entity::insert(message_pin::ActiveModel {
        message_id: Set(existing.id),
        room_id: Set(room_id.0),
        pinned_by: Set(auth.user_id.0),
        pinned_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(message_pin::Column::MessageId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let row = message_pin::Entity::find_by_id(existing.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut published = Vec::new();
    if inserted == 1 {
        let by = crate::users::store::by_id(&txn, auth.user_id.0)
            .await?
            .ok_or(AppError::NotFound)?;
        published.push(
            events::record(
                &txn,
                room_id,
                RoomEvent::MessagePinned {
                    message_id,
                    post_id: PostId(existing.post_id),
                    by: rooms::summary(&by),
                    at: now,
                },
            )
            .await?,
        );
    }
    txn.commit().await?;
    state.hub.publish(published).await;
    to_pins(&state.db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Unpins a message (owners and admins). Unpinning what is not pinned changes nothing.
pub async fn unpin(state: &AppState, auth: &AuthUser, message_id: MessageId) -> AppResult<()> {
    let (existing, member) = message_for_member(state, auth, message_id).await?;
    rooms::service::require_role(&member, api::rooms::RoomRole::can_pin)?;
    let txn = crate::db::write_txn(&state.db).await?;
    let published = remove(&txn, &existing).await?;
    txn.commit().await?;
    state.hub.publish(published.into_iter().collect()).await;
    Ok(())
}

/// Takes a message's pin away, if it has one, with its event (in the caller's
/// transaction: an unpin or a recall).
pub(super) async fn remove(
    db: &impl ConnectionTrait,
    message: &message::Model,
) -> AppResult<Option<events::Published>> {
    let deleted = message_pin::Entity::delete_by_id(message.id)
        .exec(db)
        .await?
        .rows_affected;
    if deleted == 0 {
        return Ok(None);
    }
    Ok(Some(
        events::record(
            db,
            RoomId(message.room_id),
            RoomEvent::MessageUnpinned {
                message_id: MessageId(message.id),
                post_id: PostId(message.post_id),
            },
        )
        .await?,
    ))
}

/// The room's pinned messages, most recently pinned first (members only).
pub async fn list(state: &AppState, auth: &AuthUser, room_id: RoomId) -> AppResult<Vec<Pin>> {
    require_member(&state.db, room_id, auth.user_id).await?;
    let rows = message_pin::Entity::find()
        .filter(message_pin::Column::RoomId.eq(room_id.0))
        .order_by_desc(message_pin::Column::PinnedAt)
        .order_by_desc(message_pin::Column::MessageId)
        .all(&state.db)
        .await?;
    to_pins(&state.db, rows).await
}

async fn to_pins(db: &impl ConnectionTrait, rows: Vec<message_pin::Model>) -> AppResult<Vec<Pin>> {
    let messages = message::Entity::find()
        .filter(message::Column::Id.is_in(rows.iter().map(|p| p.message_id)))
        .all(db)
        .await?;
    let messages: std::collections::HashMap<_, _> = with_files(db, &messages)
        .await?
        .into_iter()
        .map(|m| (m.id.0, m))
        .collect();
    let pinners = room_store::users(db, rows.iter().map(|p| p.pinned_by)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|p| {
            Some(Pin {
                message: messages.get(&p.message_id)?.clone(),
                pinned_by: rooms::summary(pinners.get(&p.pinned_by)?),
                pinned_at: p.pinned_at,
            })
        })
        .collect())
}
