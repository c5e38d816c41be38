//! Queries on `files` and the storage counters in `users`.

use crate::entities::{file, message, room_member, user};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait as _},
};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<file::Model>, DbErr> {
    file::Entity::find_by_id(id).one(db).await
}

/// Adds `bytes` to the person's storage if it stays within `quota`: one statement, so two
/// uploads at once cannot both squeeze under it. False: over quota, nothing changed.
pub async fn charge(
    db: &impl ConnectionTrait,
    user_id: i64,
    bytes: i64,
    quota: i64,
) -> Result<bool, DbErr> {
    let done = user::Entity::update_many()
        .col_expr(
            user::Column::StorageUsed,
            Expr::col(user::Column::StorageUsed).add(bytes),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(Expr::col(user::Column::StorageUsed).add(bytes).lte(quota))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Gives `bytes` back (a file deleted, an upload that failed after it was charged).
pub async fn refund(db: &impl ConnectionTrait, user_id: i64, bytes: i64) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::StorageUsed,
            Expr::col(user::Column::StorageUsed).sub(bytes),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// My files with these ids that no message has taken yet.
pub async fn unsent(
    db: &impl ConnectionTrait,
    owner: i64,
    ids: &[Uuid],
) -> Result<Vec<file::Model>, DbErr> {
    file::Entity::find()
        .filter(file::Column::Id.is_in(ids.iter().copied()))
        .filter(file::Column::OwnerId.eq(owner))
        .filter(file::Column::MessageId.is_null())
        .all(db)
        .await
}

/// Gives the files to a message, in order. False if one of them was taken meanwhile (a
/// send racing another send of the same file): the caller rolls back.
pub async fn attach(
    db: &impl ConnectionTrait,
    owner: i64,
    message_id: i64,
    ids: &[Uuid],
) -> Result<bool, DbErr> {
    for (position, id) in ids.iter().enumerate() {
        let done = file::Entity::update_many()
            .col_expr(file::Column::MessageId, Expr::value(message_id))
            .col_expr(file::Column::Position, Expr::value(position as i16))
            .filter(file::Column::Id.eq(*id))
            .filter(file::Column::OwnerId.eq(owner))
            .filter(file::Column::MessageId.is_null())
            .exec(db)
            .await?;
        if done.rows_affected != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The attachments of these messages, each message's in order.
pub async fn of_messages(
    db: &impl ConnectionTrait,
    message_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<file::Model>>, DbErr> {
    let ids: Vec<i64> = message_ids.into_iter().collect();
    let mut by_message: HashMap<i64, Vec<file::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_message);
    }
    let rows = file::Entity::find()
        .filter(file::Column::MessageId.is_in(ids))
        .order_by_asc(file::Column::MessageId)
        .order_by_asc(file::Column::Position)
        .all(db)
        .await?;
    for row in rows {
        if let Some(m) = row.message_id {
            by_message.entry(m).or_default().push(row);
        }
    }
    Ok(by_message)
}

/// Whether someone may download a file that a message took: its room's members while the
/// message stands; once it is recalled, only server admins among them. Every thumbnail in
/// a timeline asks this, so the account is read only for a recalled message.
pub async fn may_see_message_file(
    db: &impl ConnectionTrait,
    message_id: i64,
    user_id: i64,
) -> Result<bool, DbErr> {
    let Some(message) = message::Entity::find_by_id(message_id).one(db).await? else {
        return Ok(false);
    };
    let member = room_member::Entity::find_by_id((message.room_id, user_id))
        .one(db)
        .await?;
    if member.is_none() {
        return Ok(false);
    }
    if message.recalled_at.is_none() {
        return Ok(true);
    }
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|u| {
            crate::users::enum_from_str::<api::users::Role>(&u.role) == api::users::Role::Admin
        }))
}

/// Files no message took, uploaded before `before`: the sweep deletes them.
pub async fn unsent_before(
    db: &impl ConnectionTrait,
    before: OffsetDateTime,
) -> Result<Vec<file::Model>, DbErr> {
    file::Entity::find()
        .filter(file::Column::MessageId.is_null())
        .filter(file::Column::CreatedAt.lt(before))
        .all(db)
        .await
}
