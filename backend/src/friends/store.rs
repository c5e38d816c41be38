//! Queries on friend requests, friendships and blocks.

use crate::entities::{block, friend_request, friendship, room, room_member};
use api::UserId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};
use std::collections::HashSet;
use time::OffsetDateTime;

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
pub const CANCELLED: &str = "cancelled";

/// Rows about the pair in either direction: (`a`, `b`) or (`b`, `a`).
fn either_way(
    first: impl ColumnTrait,
    second: impl ColumnTrait,
    a: UserId,
    b: UserId,
) -> Condition {
    Condition::any()
        .add(Condition::all().add(first.eq(a.0)).add(second.eq(b.0)))
        .add(Condition::all().add(first.eq(b.0)).add(second.eq(a.0)))
}

/// The ids of `user`'s friends.
pub async fn friend_ids(db: &impl ConnectionTrait, user: UserId) -> Result<Vec<UserId>, DbErr> {
    Ok(friendship::Entity::find()
        .select_only()
        .column(friendship::Column::FriendId)
        .filter(friendship::Column::UserId.eq(user.0))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .map(UserId)
        .collect())
}

/// `user`'s friendships, oldest first.
pub async fn friendships(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<friendship::Model>, DbErr> {
    friendship::Entity::find()
        .filter(friendship::Column::UserId.eq(user.0))
        .order_by_asc(friendship::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn friendship(
    db: &impl ConnectionTrait,
    user: UserId,
    friend: UserId,
) -> Result<Option<friendship::Model>, DbErr> {
    friendship::Entity::find_by_id((user.0, friend.0))
        .one(db)
        .await
}

/// Both rows of a new friendship.
pub async fn befriend(
    db: &impl ConnectionTrait,
    a: UserId,
    b: UserId,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    let row = |user: UserId, friend: UserId| friendship::ActiveModel {
        user_id: Set(user.0),
        friend_id: Set(friend.0),
        created_at: Set(now),
    };
    friendship::Entity::insert_many([row(a, b), row(b, a)])
        .on_conflict(
            OnConflict::columns([friendship::Column::UserId, friendship::Column::FriendId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Ends a friendship; false if there was none.
pub async fn unfriend(db: &impl ConnectionTrait, a: UserId, b: UserId) -> Result<bool, DbErr> {
    let deleted = friendship::Entity::delete_many()
        .filter(either_way(
            friendship::Column::UserId,
            friendship::Column::FriendId,
            a,
            b,
        ))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

pub async fn request(
    db: &impl ConnectionTrait,
    from: UserId,
    to: UserId,
) -> Result<Option<friend_request::Model>, DbErr> {
    friend_request::Entity::find_by_id((from.0, to.0))
        .one(db)
        .await
}

/// Sends (or sends again) a request: it is pending with this greeting from now on.
pub async fn put_request(
    db: &impl ConnectionTrait,
    from: UserId,
    to: UserId,
    greeting: Option<String>,
    now: OffsetDateTime,
) -> Result<friend_request::Model, DbErr> {
    friend_request::Entity::insert(friend_request::ActiveModel {
        from_id: Set(from.0),
        to_id: Set(to.0),
        state: Set(PENDING.into()),
        greeting: Set(greeting),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([friend_request::Column::FromId, friend_request::Column::ToId])
            .update_columns([
                friend_request::Column::State,
                friend_request::Column::Greeting,
                friend_request::Column::CreatedAt,
                friend_request::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_with_returning(db)
    .await
}

/// Moves a pending request to `state`; `None` if it was not pending.
pub async fn settle(
    db: &impl ConnectionTrait,
    from: UserId,
    to: UserId,
    state: &str,
    now: OffsetDateTime,
) -> Result<Option<friend_request::Model>, DbErr> {
    let updated = friend_request::Entity::update_many()
        .col_expr(
            friend_request::Column::State,
            sea_orm::sea_query::Expr::value(state),
        )
        .col_expr(
            friend_request::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(friend_request::Column::FromId.eq(from.0))
        .filter(friend_request::Column::ToId.eq(to.0))
        .filter(friend_request::Column::State.eq(PENDING))
        .exec_with_returning(db)
        .await?;
    Ok(updated.into_iter().next())
}

pub async fn pending_outgoing_count(db: &impl ConnectionTrait, from: UserId) -> Result<u64, DbErr> {
    friend_request::Entity::find()
        .filter(friend_request::Column::FromId.eq(from.0))
        .filter(friend_request::Column::State.eq(PENDING))
        .count(db)
        .await
}

/// Pending requests to (`incoming`) or from `user`, newest first.
pub async fn pending(
    db: &impl ConnectionTrait,
    user: UserId,
    incoming: bool,
) -> Result<Vec<friend_request::Model>, DbErr> {
    let column = if incoming {
        friend_request::Column::ToId
    } else {
        friend_request::Column::FromId
    };
    friend_request::Entity::find()
        .filter(column.eq(user.0))
        .filter(friend_request::Column::State.eq(PENDING))
        .order_by_desc(friend_request::Column::UpdatedAt)
        .all(db)
        .await
}

/// Whether either of the two blocked the other.
pub async fn blocked_either(
    db: &impl ConnectionTrait,
    a: UserId,
    b: UserId,
) -> Result<bool, DbErr> {
    Ok(block::Entity::find()
        .filter(either_way(
            block::Column::UserId,
            block::Column::BlockedId,
            a,
            b,
        ))
        .count(db)
        .await?
        > 0)
}

pub async fn block(
    db: &impl ConnectionTrait,
    user: UserId,
    blocked: UserId,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    block::Entity::insert(block::ActiveModel {
        user_id: Set(user.0),
        blocked_id: Set(blocked.0),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([block::Column::UserId, block::Column::BlockedId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Lifts a block; false if there was none.
pub async fn unblock(
    db: &impl ConnectionTrait,
    user: UserId,
    blocked: UserId,
) -> Result<bool, DbErr> {
    let deleted = block::Entity::delete_by_id((user.0, blocked.0))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

pub async fn blocks(db: &impl ConnectionTrait, user: UserId) -> Result<Vec<block::Model>, DbErr> {
    block::Entity::find()
        .filter(block::Column::UserId.eq(user.0))
        .order_by_desc(block::Column::CreatedAt)
        .all(db)
        .await
}

/// Who among `others` blocked `user`.
pub async fn blocked_by(
    db: &impl ConnectionTrait,
    user: UserId,
    others: &[i64],
) -> Result<HashSet<i64>, DbErr> {
    Ok(block::Entity::find()
        .select_only()
        .column(block::Column::UserId)
        .filter(block::Column::BlockedId.eq(user.0))
        .filter(block::Column::UserId.is_in(others.iter().copied()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// `user`'s private chats with people either of them blocked.
pub async fn blocked_chats(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<api::RoomId>, DbErr> {
    let pairs: Vec<(i64, i64)> = block::Entity::find()
        .select_only()
        .column(block::Column::UserId)
        .column(block::Column::BlockedId)
        .filter(
            Condition::any()
                .add(block::Column::UserId.eq(user.0))
                .add(block::Column::BlockedId.eq(user.0)),
        )
        .into_tuple()
        .all(db)
        .await?;
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = pairs
        .into_iter()
        .map(|(a, b)| crate::chats::service::direct_key(UserId(a), UserId(b)))
        .collect();
    Ok(room::Entity::find()
        .select_only()
        .column(room::Column::Id)
        .filter(room::Column::DirectKey.is_in(keys))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .map(api::RoomId)
        .collect())
}

/// Whether the two share a group room.
pub async fn share_a_room(db: &impl ConnectionTrait, a: UserId, b: UserId) -> Result<bool, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
    let mine = Query::select()
        .column(room_member::Column::RoomId)
        .from(room_member::Entity)
        .and_where(Expr::col(room_member::Column::UserId).eq(a.0))
        .to_owned();
    let groups = Query::select()
        .column(room::Column::Id)
        .from(room::Entity)
        .and_where(Expr::col(room::Column::Kind).eq(crate::rooms::KIND_GROUP))
        .to_owned();
    Ok(room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(b.0))
        .filter(room_member::Column::RoomId.in_subquery(mine))
        .filter(room_member::Column::RoomId.in_subquery(groups))
        .count(db)
        .await?
        > 0)
}
