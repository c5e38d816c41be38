//! Rooms: creation, the number people join by, membership and roles, join requests.

pub mod announcement;
pub mod moderation;
pub mod pinyin;
pub mod routes;
pub mod service;
pub mod store;

use crate::entities::{room, user};
use api::{
    RoomId, UserId,
    rooms::{Room, RoomRole, UserSummary, Visibility},
};

/// `rooms.kind` of a group room (with posts, roles, a number to join by).
pub const KIND_GROUP: &str = "group";
/// `rooms.kind` of a private chat between two people.
pub const KIND_DIRECT: &str = "direct";

pub fn summary(user: &user::Model) -> UserSummary {
    UserSummary {
        id: UserId(user.id),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        avatar: user.avatar.clone(),
    }
}

pub fn role_from_str(s: &str) -> RoomRole {
    match s {
        "owner" => RoomRole::Owner,
        "admin" => RoomRole::Admin,
        _ => RoomRole::Member,
    }
}

pub fn role_to_str(role: RoomRole) -> &'static str {
    match role {
        RoomRole::Owner => "owner",
        RoomRole::Admin => "admin",
        RoomRole::Member => "member",
    }
}

pub fn visibility_from_str(s: &str) -> Visibility {
    if s == "private" {
        Visibility::Private
    } else {
        Visibility::Public
    }
}

pub fn visibility_to_str(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Private => "private",
    }
}

pub fn to_room(room: &room::Model, member_count: i64) -> Room {
    Room {
        id: RoomId(room.id),
        number: room.number,
        name: room.name.clone(),
        description: room.description.clone(),
        visibility: visibility_from_str(&room.visibility),
        owner_id: UserId(room.owner_id),
        member_count,
        avatar: room.avatar.clone(),
        members_mention_all: room.members_mention_all,
        slow_mode_secs: room.slow_mode_secs.max(0) as u32,
        word_policy: room
            .word_policy
            .as_deref()
            .and_then(api::moderation::WordPolicy::parse),
        created_at: room.created_at,
    }
}
