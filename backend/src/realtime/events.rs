//! Writing room events. Every change a member must see is recorded here, inside the same
//! transaction as the change, with the room's next `seq`; the caller publishes the returned
//! `Published` values to the hub only after the transaction commits. So an event exists in
//! the database before any socket sees it, a rolled-back change is never seen, and a client
//! that reconnects can get exactly what it missed.

use crate::{
    entities::{room, room_event},
    error::{AppError, AppResult},
};
use api::{
    PostId, RoomId,
    ws::{RoomEvent, ServerFrame},
};
use bytestring::ByteString;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Statement,
    sea_query::{Expr, ExprTrait as _, Query},
};
use time::OffsetDateTime;

/// A committed event, ready for the hub.
#[derive(Clone, Debug)]
pub struct Published {
    pub room_id: RoomId,
    pub seq: i64,
    /// The `ServerFrame::Event` JSON, as stored and as sent (shared, not copied, per socket).
    pub frame: ByteString,
}

/// Records `event` as the room's next one. Must run inside a transaction: the increment
/// of `rooms.last_seq` locks the room's row, so concurrent writers in one room take
/// consecutive numbers and commit in that order.
pub async fn record(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    event: RoomEvent,
) -> AppResult<Published> {
    record_many(db, room_id, vec![event])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("no event recorded"))
}

/// Records `events` as the room's next ones, in order, with one `seq` increment and one
/// insert however many there are.
pub async fn record_many(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    events: Vec<RoomEvent>,
) -> AppResult<Vec<Published>> {
    let (published, insert) = number(db, room_id, events).await?;
    if let Some(insert) = insert {
        db.execute_raw(insert).await?;
    }
    Ok(published)
}

/// Numbers `events` as the room's next ones (the `seq` increment runs now) and answers
/// them with the insert that stores them, for the caller to run later in the same
/// transaction (the group commit of new messages runs it with its other writes:
/// `db::execute_all`).
pub async fn number(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    events: Vec<RoomEvent>,
) -> AppResult<(Vec<Published>, Option<Statement>)> {
    if events.is_empty() {
        return Ok((Vec::new(), None));
    }
    let bump = Query::update()
        .table(room::Entity)
        .value(
            room::Column::LastSeq,
            Expr::col(room::Column::LastSeq).add(events.len() as i64),
        )
        .and_where(Expr::col(room::Column::Id).eq(room_id.0))
        .returning_col(room::Column::LastSeq)
        .to_owned();
    let row = db.query_one(&bump).await?.ok_or(AppError::NotFound)?;
    let last: i64 = row.try_get_by_index(0)?;
    let first = last - events.len() as i64 + 1;
    let now = OffsetDateTime::now_utc();
    let mut published = Vec::with_capacity(events.len());
    let mut rows = Vec::with_capacity(events.len());
    for (seq, event) in (first..).zip(events) {
        // Events that carry a message's text, so an edit or recall can rewrite them.
        let message_id = match &event {
            RoomEvent::MessageCreated { message } | RoomEvent::MessageEdited { message } => {
                Some(message.id.0)
            }
            _ => None,
        };
        let post_id = event.post_id().map(|p| p.0);
        let frame = serde_json::to_string(&ServerFrame::Event {
            room_id,
            seq,
            event,
        })
        .map_err(AppError::internal)?;
        rows.push(room_event::ActiveModel {
            room_id: Set(room_id.0),
            seq: Set(seq),
            payload: Set(frame.clone()),
            message_id: Set(message_id),
            post_id: Set(post_id),
            created_at: Set(now),
        });
        published.push(Published {
            room_id,
            seq,
            frame: frame.into(),
        });
    }
    let insert = room_event::Entity::insert_many(rows).build(db.get_database_backend());
    Ok((published, Some(insert)))
}

/// Rewrites every stored event that carries a message's text (its `message_created` and
/// any `message_edited`) to show the message as it is now: after a recall, a replay shows
/// it recalled from the start and its text and files are gone from the database
/// everywhere; after an edit, a replay from any cursor gives only the current text. Runs
/// in the recall's or edit's transaction.
pub async fn rewrite_message(
    db: &impl ConnectionTrait,
    current: &api::messages::Message,
) -> AppResult<()> {
    let stored = room_event::Entity::find()
        .filter(room_event::Column::MessageId.eq(current.id.0))
        .all(db)
        .await?;
    for row in stored {
        let was_edit = matches!(
            serde_json::from_str::<ServerFrame>(&row.payload),
            Ok(ServerFrame::Event {
                event: RoomEvent::MessageEdited { .. },
                ..
            })
        );
        let message = current.clone();
        let event = if was_edit {
            RoomEvent::MessageEdited { message }
        } else {
            RoomEvent::MessageCreated { message }
        };
        let frame = serde_json::to_string(&ServerFrame::Event {
            room_id: RoomId(row.room_id),
            seq: row.seq,
            event,
        })
        .map_err(AppError::internal)?;
        room_event::Entity::update_many()
            .col_expr(room_event::Column::Payload, Expr::value(frame))
            .filter(room_event::Column::RoomId.eq(row.room_id))
            .filter(room_event::Column::Seq.eq(row.seq))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Erases every stored event about a post being deleted (its creation, edits, messages
/// and recalls): each becomes `post_deleted` with its own `seq`, so a replay from any
/// cursor brings back neither the topic nor its messages or files, and the room's `seq`
/// stays gap-free. Runs in the deletion's transaction, in one statement.
pub async fn erase_post(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    post_id: PostId,
) -> AppResult<()> {
    let erase = Query::update()
        .table(room_event::Entity)
        .value(
            room_event::Column::Payload,
            Expr::cust(migrations::erased_payload_sql()),
        )
        .value(room_event::Column::MessageId, Option::<i64>::None)
        .and_where(Expr::col(room_event::Column::RoomId).eq(room_id.0))
        .and_where(Expr::col(room_event::Column::PostId).eq(post_id.0))
        .to_owned();
    db.execute(&erase).await?;
    Ok(())
}

/// At most this many events are read from the database per query while replaying.
pub const REPLAY_BATCH: u64 = 500;

/// Stored events of a room after `after`, oldest first, at most `REPLAY_BATCH`.
pub async fn after(
    db: &impl ConnectionTrait,
    room_id: RoomId,
    after: i64,
) -> AppResult<Vec<(i64, String)>> {
    let rows = room_event::Entity::find()
        .filter(room_event::Column::RoomId.eq(room_id.0))
        .filter(room_event::Column::Seq.gt(after))
        .order_by_asc(room_event::Column::Seq)
        .limit(REPLAY_BATCH)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|e| (e.seq, e.payload)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL that erases an event must write exactly what serde writes for the
    /// `post_deleted` event with the same room and `seq`.
    #[tokio::test]
    async fn the_erased_payload_is_the_post_deleted_frame() {
        use sea_orm::{ConnectionTrait as _, Database};
        let db = Database::connect("sqlite::memory:").await.unwrap();
        let sql = format!(
            "SELECT {} FROM (SELECT 7 AS room_id, 42 AS seq, 9 AS post_id)",
            migrations::erased_payload_sql()
        );
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        let stored: String = row.try_get_by_index(0).unwrap();
        let expected = serde_json::to_string(&ServerFrame::Event {
            room_id: RoomId(7),
            seq: 42,
            event: RoomEvent::PostDeleted { post_id: PostId(9) },
        })
        .unwrap();
        assert_eq!(stored, expected);
    }
}
