//! Queries on rooms, memberships and join requests.

use crate::entities::{join_request, message, post, room, room_member, user};
use api::{RoomId, UserId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait as _},
};
use std::collections::HashMap;

pub async fn room(db: &impl ConnectionTrait, id: RoomId) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find_by_id(id.0).one(db).await
}

/// A group room (not a private chat).
pub async fn group(db: &impl ConnectionTrait, id: RoomId) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find_by_id(id.0)
        .filter(room::Column::Kind.eq(super::KIND_GROUP))
        .one(db)
        .await
}

pub async fn by_number(
    db: &impl ConnectionTrait,
    number: i64,
) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find()
        .filter(room::Column::Number.eq(number))
        .filter(room::Column::Kind.eq(super::KIND_GROUP))
        .one(db)
        .await
}

pub async fn member(
    db: &impl ConnectionTrait,
    room: RoomId,
    user: UserId,
) -> Result<Option<room_member::Model>, DbErr> {
    room_member::Entity::find_by_id((room.0, user.0))
        .one(db)
        .await
}

pub async fn member_count(db: &impl ConnectionTrait, room: RoomId) -> Result<i64, DbErr> {
    Ok(room_member::Entity::find()
        .filter(room_member::Column::RoomId.eq(room.0))
        .count(db)
        .await? as i64)
}

/// Every room `user` is in, with its newest event `seq`.
pub async fn memberships_with_seq(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<(RoomId, i64)>, DbErr> {
    Ok(my_rooms(db, user)
        .await?
        .into_iter()
        .map(|(_, r)| (RoomId(r.id), r.last_seq))
        .collect())
}

/// The rooms `user` is in, with the membership.
pub async fn my_rooms(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<(room_member::Model, room::Model)>, DbErr> {
    let memberships = room_member::Entity::find()
        .filter(room_member::Column::UserId.eq(user.0))
        .all(db)
        .await?;
    let ids: Vec<i64> = memberships.iter().map(|m| m.room_id).collect();
    let rooms: HashMap<i64, room::Model> = room::Entity::find()
        .filter(room::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(memberships
        .into_iter()
        .filter_map(|m| rooms.get(&m.room_id).cloned().map(|r| (m, r)))
        .collect())
}

/// Accounts by id.
pub async fn users(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, user::Model>, DbErr> {
    // Each person once: a page of 50 messages by two people asks for two, not 50.
    let ids: std::collections::BTreeSet<i64> = ids.into_iter().collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// The other person of each of `me`'s private chats among `rooms` (room id → their id):
/// a private chat is named after them (the contact list, search hits).
pub async fn peers(
    db: &impl ConnectionTrait,
    me: UserId,
    rooms: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, i64>, DbErr> {
    let rooms: Vec<i64> = rooms.into_iter().collect();
    if rooms.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(room_member::Entity::find()
        .select_only()
        .column(room_member::Column::RoomId)
        .column(room_member::Column::UserId)
        .filter(room_member::Column::RoomId.is_in(rooms))
        .filter(room_member::Column::UserId.ne(me.0))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Members of a room with their accounts, oldest membership first.
pub async fn members(
    db: &impl ConnectionTrait,
    room: RoomId,
) -> Result<Vec<(room_member::Model, user::Model)>, DbErr> {
    let memberships = room_member::Entity::find()
        .filter(room_member::Column::RoomId.eq(room.0))
        .order_by_asc(room_member::Column::JoinedAt)
        .all(db)
        .await?;
    let users = users(db, memberships.iter().map(|m| m.user_id)).await?;
    Ok(memberships
        .into_iter()
        .filter_map(|m| users.get(&m.user_id).cloned().map(|u| (m, u)))
        .collect())
}

pub async fn default_post(
    db: &impl ConnectionTrait,
    room: RoomId,
) -> Result<Option<post::Model>, DbErr> {
    post::Entity::find()
        .filter(post::Column::RoomId.eq(room.0))
        .filter(post::Column::IsDefault.eq(true))
        .one(db)
        .await
}

/// The newest message id in a room (0 if none): a new member's read floor.
pub async fn newest_message_id(db: &impl ConnectionTrait, room: RoomId) -> Result<i64, DbErr> {
    let newest: Option<Option<i64>> = message::Entity::find()
        .select_only()
        .expr(Expr::col(message::Column::Id).max())
        .filter(message::Column::RoomId.eq(room.0))
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.flatten().unwrap_or(0))
}

pub async fn public_rooms(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<room::Model>, DbErr> {
    let mut select = room::Entity::find()
        .filter(room::Column::Visibility.eq("public"))
        .filter(room::Column::Kind.eq(super::KIND_GROUP));
    let query = query.trim();
    if !query.is_empty() {
        let mut any = sea_orm::Condition::any()
            .add(Expr::col(room::Column::Name).like(crate::db::contains(query)))
            // 龙井茶社 by `longjing` or `ljcs`.
            .add(
                Expr::col(room::Column::NameSound).like(crate::db::contains(&query.to_lowercase())),
            );
        if let Ok(number) = query.parse::<i64>() {
            any = any.add(room::Column::Number.eq(number));
        }
        select = select.filter(any);
    }
    select
        .order_by_desc(room::Column::UpdatedAt)
        .limit(limit)
        .all(db)
        .await
}

pub async fn join_requests(
    db: &impl ConnectionTrait,
    room: RoomId,
) -> Result<Vec<(join_request::Model, user::Model)>, DbErr> {
    let requests = join_request::Entity::find()
        .filter(join_request::Column::RoomId.eq(room.0))
        .order_by_asc(join_request::Column::CreatedAt)
        .all(db)
        .await?;
    let users = users(db, requests.iter().map(|r| r.user_id)).await?;
    Ok(requests
        .into_iter()
        .filter_map(|r| users.get(&r.user_id).cloned().map(|u| (r, u)))
        .collect())
}
