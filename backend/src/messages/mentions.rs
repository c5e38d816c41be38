//! Mentions: the members a message calls by name, and `@all`.
//!
//! A message stores whom it mentions as ids (`messages.mentions`), not only as `@name`
//! text: names change and repeat, ids do not. The rules: distinct members of the room, at
//! most `rules::MENTIONS_PER_MESSAGE`; `@all` from owners and admins, and from members
//! where the room allows it.

use crate::{
    entities::room_member,
    error::{AppError, AppResult},
};
use api::{ErrorCode, FieldCode, RoomId, UserId, rooms::RoomRole, rules::MENTIONS_PER_MESSAGE};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Who may say what in one room: the sender's role and the room's `@all` rule.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    pub role: RoomRole,
    pub members_mention_all: bool,
}

/// `ids` checked for `room` (order kept, repeats dropped), and `all` checked for the
/// caller.
pub async fn check(
    db: &impl ConnectionTrait,
    room: RoomId,
    caller: Caller,
    ids: &[UserId],
    all: bool,
) -> AppResult<Vec<UserId>> {
    if all && !caller.role.can_mention_all(caller.members_mention_all) {
        return Err(AppError::Rule {
            code: ErrorCode::MentionAllForbidden,
            message: "only the room's owners and admins may mention everyone here",
        });
    }
    let mut distinct = Vec::with_capacity(ids.len());
    for id in ids {
        if !distinct.contains(id) {
            distinct.push(*id);
        }
    }
    if distinct.len() > MENTIONS_PER_MESSAGE {
        return Err(AppError::field("mentions", FieldCode::Length));
    }
    if distinct.is_empty() {
        return Ok(distinct);
    }
    let members = room_member::Entity::find()
        .filter(room_member::Column::RoomId.eq(room.0))
        .filter(room_member::Column::UserId.is_in(distinct.iter().map(|u| u.0)))
        .count(db)
        .await?;
    if members != distinct.len() as u64 {
        return Err(AppError::field("mentions", FieldCode::NotMember));
    }
    Ok(distinct)
}
