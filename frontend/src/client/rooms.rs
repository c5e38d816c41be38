//! `/rooms`: my rooms, joining, members, roles, moderation and settings.

use super::{ApiError, empty};
use crate::state::session::Session;
use api::{
    PostId, RoomId, UserId,
    posts::{CreatePost, Post, PostListItem},
    rooms::{
        CreateRoom, EditRoom, JoinRequest, JoinResult, JoinRoom, Member, MyRoom, Room, RoomRole,
        SetMuted, SetRole, TransferRoom,
    },
};

pub async fn mine(s: Session) -> Result<Vec<MyRoom>, ApiError> {
    s.get("/rooms").await
}

pub async fn discover(s: Session) -> Result<Vec<Room>, ApiError> {
    s.get("/rooms/discover").await
}

pub async fn create(s: Session, body: &CreateRoom) -> Result<MyRoom, ApiError> {
    s.post_json("/rooms", body).await
}

pub async fn edit(s: Session, room: RoomId, body: &EditRoom) -> Result<Room, ApiError> {
    s.patch(&format!("/rooms/{room}"), body).await
}

pub async fn delete(s: Session, room: RoomId) -> Result<(), ApiError> {
    s.delete(&format!("/rooms/{room}")).await
}

pub async fn join(s: Session, body: &JoinRoom) -> Result<JoinResult, ApiError> {
    s.post_json("/rooms/join", body).await
}

pub async fn leave(s: Session, room: RoomId) -> Result<(), ApiError> {
    s.post_empty(&format!("/rooms/{room}/leave"), &empty())
        .await
}

pub async fn posts(s: Session, room: RoomId) -> Result<Vec<PostListItem>, ApiError> {
    s.get(&format!("/rooms/{room}/posts")).await
}

pub async fn create_post(s: Session, room: RoomId, body: &CreatePost) -> Result<Post, ApiError> {
    s.post_json(&format!("/rooms/{room}/posts"), body).await
}

pub async fn edit_post(
    s: Session,
    post: PostId,
    body: &api::posts::EditPost,
) -> Result<Post, ApiError> {
    s.patch(&format!("/posts/{post}"), body).await
}

pub async fn delete_post(s: Session, post: PostId) -> Result<(), ApiError> {
    s.delete(&format!("/posts/{post}")).await
}

pub async fn members(s: Session, room: RoomId) -> Result<Vec<Member>, ApiError> {
    s.get(&format!("/rooms/{room}/members")).await
}

pub async fn set_role(
    s: Session,
    room: RoomId,
    user: UserId,
    role: RoomRole,
) -> Result<(), ApiError> {
    s.put_empty(
        &format!("/rooms/{room}/members/{user}/role"),
        &SetRole { role },
    )
    .await
}

pub async fn remove_member(s: Session, room: RoomId, user: UserId) -> Result<(), ApiError> {
    s.delete(&format!("/rooms/{room}/members/{user}")).await
}

pub async fn transfer(s: Session, room: RoomId, user: UserId) -> Result<(), ApiError> {
    s.post_empty(
        &format!("/rooms/{room}/transfer"),
        &TransferRoom { user_id: user },
    )
    .await
}

pub async fn join_requests(s: Session, room: RoomId) -> Result<Vec<JoinRequest>, ApiError> {
    s.get(&format!("/rooms/{room}/requests")).await
}

/// Approves (`true`) or declines a request to join.
pub async fn answer_request(
    s: Session,
    room: RoomId,
    user: UserId,
    approve: bool,
) -> Result<(), ApiError> {
    let verb = if approve { "approve" } else { "decline" };
    s.post_empty(&format!("/rooms/{room}/requests/{user}/{verb}"), &empty())
        .await
}

pub async fn set_muted(s: Session, room: RoomId, muted: bool) -> Result<(), ApiError> {
    s.put_empty(&format!("/rooms/{room}/mute"), &SetMuted { muted })
        .await
}

/// Writes the room's announcement (owners and admins); empty takes it down.
pub async fn set_announcement(
    s: Session,
    room: RoomId,
    body: String,
) -> Result<Option<api::rooms::Announcement>, ApiError> {
    s.put_json(
        &format!("/rooms/{room}/announcement"),
        &api::rooms::SetAnnouncement { body },
    )
    .await
}

/// I have read the room's announcement as it is now.
pub async fn announcement_seen(s: Session, room: RoomId) -> Result<(), ApiError> {
    s.post_empty(&format!("/rooms/{room}/announcement/seen"), &super::empty())
        .await
}

/// Silences a member for `seconds` (owners and admins).
pub async fn silence(s: Session, room: RoomId, user: UserId, seconds: u64) -> Result<(), ApiError> {
    s.put_empty(
        &format!("/rooms/{room}/members/{user}/silence"),
        &api::rooms::SilenceMember { seconds },
    )
    .await
}

pub async fn unsilence(s: Session, room: RoomId, user: UserId) -> Result<(), ApiError> {
    s.delete(&format!("/rooms/{room}/members/{user}/silence"))
        .await
}

/// Removes someone and keeps them out until unbanned.
pub async fn ban(s: Session, room: RoomId, user: UserId) -> Result<(), ApiError> {
    s.put_empty(
        &format!("/rooms/{room}/bans/{user}"),
        &api::rooms::BanMember { reason: None },
    )
    .await
}

/// The room's word-filter policy (the owner); `None` follows the server's default.
pub async fn set_word_policy(
    s: Session,
    room: RoomId,
    policy: Option<api::moderation::WordPolicy>,
) -> Result<Room, ApiError> {
    s.put_json(
        &format!("/rooms/{room}/word-policy"),
        &api::moderation::SetWordPolicy { policy },
    )
    .await
}
