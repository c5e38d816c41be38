//! Unread counts: messages by others, not recalled, after the reader's marker (or, for a
//! post never opened, after the newest message when they joined the room); and, in the same
//! query, how many of them mention the reader (`Message::mentions_me`).

use crate::entities::{message, read_marker, room_member};
use api::{PostId, RoomId, UserId};
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait as _, Func, JoinType, Query},
};
use std::collections::HashMap;

#[derive(FromQueryResult)]
struct Count {
    post_id: i64,
    unread: i64,
    mentioned: Option<i64>,
}

/// One post's counts for one reader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub unread: i64,
    /// Of `unread`, those that mention the reader.
    pub mentioned: i64,
}

/// A room's total over its posts.
pub fn total(counts: &HashMap<PostId, Counts>) -> i64 {
    counts.values().map(|c| c.unread).sum()
}

/// Unread messages per post of a room, for one reader (posts with none are left out).
pub async fn room(
    db: &impl ConnectionTrait,
    user: UserId,
    room: RoomId,
    floor: i64,
) -> Result<HashMap<PostId, Counts>, DbErr> {
    counts(
        db,
        user,
        Expr::val(floor),
        Expr::col((message::Entity, message::Column::RoomId)).eq(room.0),
        false,
    )
    .await
}

/// Unread messages per post over every room the reader is in, in one query.
pub async fn everywhere(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<HashMap<PostId, Counts>, DbErr> {
    counts(
        db,
        user,
        Expr::col((room_member::Entity, room_member::Column::ReadFloor)),
        Expr::col((room_member::Entity, room_member::Column::UserId)).eq(user.0),
        true,
    )
    .await
}

/// Unread messages in one post.
pub async fn post(
    db: &impl ConnectionTrait,
    user: UserId,
    post: PostId,
    floor: i64,
) -> Result<Counts, DbErr> {
    let counts = counts(
        db,
        user,
        Expr::val(floor),
        Expr::col((message::Entity, message::Column::PostId)).eq(post.0),
        false,
    )
    .await?;
    Ok(counts.get(&post).copied().unwrap_or_default())
}

/// `floor`: where counting starts for a post without a read marker; `memberships`: join
/// the reader's `room_members` rows (for a floor per room).
async fn counts(
    db: &impl ConnectionTrait,
    user: UserId,
    floor: Expr,
    scope: Expr,
    memberships: bool,
) -> Result<HashMap<PostId, Counts>, DbErr> {
    let mut query = Query::select();
    if memberships {
        query.join(
            JoinType::InnerJoin,
            room_member::Entity,
            Expr::col((room_member::Entity, room_member::Column::RoomId))
                .equals((message::Entity, message::Column::RoomId)),
        );
    }
    let query = query
        .expr_as(
            Expr::col((message::Entity, message::Column::PostId)),
            Alias::new("post_id"),
        )
        .expr_as(
            Expr::col((message::Entity, message::Column::Id)).count(),
            Alias::new("unread"),
        )
        .expr_as(
            Expr::case(
                Expr::col((message::Entity, message::Column::MentionAll)).or(Expr::col((
                    message::Entity,
                    message::Column::Mentions,
                ))
                .like(format!("%,{},%", user.0))),
                1,
            )
            .finally(0)
            .sum(),
            Alias::new("mentioned"),
        )
        .from(message::Entity)
        .join(
            JoinType::LeftJoin,
            read_marker::Entity,
            Expr::col((read_marker::Entity, read_marker::Column::PostId))
                .equals((message::Entity, message::Column::PostId))
                .and(Expr::col((read_marker::Entity, read_marker::Column::UserId)).eq(user.0)),
        )
        .and_where(scope)
        .and_where(Expr::col((message::Entity, message::Column::AuthorId)).ne(user.0))
        .and_where(Expr::col((message::Entity, message::Column::RecalledAt)).is_null())
        .and_where(Expr::col((message::Entity, message::Column::Kind)).eq("text"))
        .and_where(
            Expr::col((message::Entity, message::Column::Id)).gt(Func::coalesce([
                Expr::col((read_marker::Entity, read_marker::Column::LastReadId)),
                floor,
            ])),
        )
        .group_by_col((message::Entity, message::Column::PostId))
        .to_owned();
    let rows = Count::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            (
                PostId(c.post_id),
                Counts {
                    unread: c.unread,
                    mentioned: c.mentioned.unwrap_or(0),
                },
            )
        })
        .collect())
}
