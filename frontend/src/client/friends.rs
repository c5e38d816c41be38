//! Friends, requests, blocks, finding people, private chats and the contact list.

use super::{ApiError, empty};
use crate::state::session::Session;
use api::{
    UserId,
    conversations::Conversation,
    friends::{
        BlockUser, BlockedUser, DirectChat, Friend, FriendRequest, OpenChat, PendingRequests,
        RequestResult, SendFriendRequest, UserCard,
    },
};

pub async fn list(s: Session) -> Result<Vec<Friend>, ApiError> {
    s.get("/friends").await
}

pub async fn remove(s: Session, user: UserId) -> Result<(), ApiError> {
    s.delete(&format!("/friends/{user}")).await
}

pub async fn requests(s: Session) -> Result<PendingRequests, ApiError> {
    s.get("/friends/requests").await
}

pub async fn ask(s: Session, body: &SendFriendRequest) -> Result<RequestResult, ApiError> {
    s.post_json("/friends/requests", body).await
}

/// Withdraws my request to `to`.
pub async fn withdraw(s: Session, to: UserId) -> Result<(), ApiError> {
    s.delete(&format!("/friends/requests/{to}")).await
}

/// Accepts (`true`) or rejects the request from `from`.
pub async fn answer(s: Session, from: UserId, accept: bool) -> Result<FriendRequest, ApiError> {
    let verb = if accept { "accept" } else { "reject" };
    s.post_json(&format!("/friends/requests/{from}/{verb}"), &empty())
        .await
}

/// People by username, display name or number.
pub async fn search(s: Session, query: &str) -> Result<Vec<UserCard>, ApiError> {
    let query = String::from(js_sys::encode_uri_component(query.trim()));
    s.get(&format!("/users?query={query}")).await
}

pub async fn blocks(s: Session) -> Result<Vec<BlockedUser>, ApiError> {
    s.get("/blocks").await
}

pub async fn block(s: Session, user: UserId) -> Result<(), ApiError> {
    s.post_empty("/blocks", &BlockUser { user_id: user }).await
}

pub async fn unblock(s: Session, user: UserId) -> Result<(), ApiError> {
    s.delete(&format!("/blocks/{user}")).await
}

/// The private chat with `user` (made if there is none).
pub async fn open_chat(s: Session, user: UserId) -> Result<DirectChat, ApiError> {
    s.post_json("/chats", &OpenChat { user_id: user }).await
}

pub async fn conversations(s: Session) -> Result<Vec<Conversation>, ApiError> {
    s.get("/conversations").await
}
