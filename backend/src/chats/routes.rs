//! `/chats` and `/conversations`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{get, post, web};
use api::{
    ErrorBody,
    conversations::Conversation,
    friends::{DirectChat, OpenChat},
};

/// Open the private chat with someone (created on first use). Send messages to its
/// `post_id` as in any room; its events arrive on the socket like a room's.
#[utoipa::path(
    tag = "chats",
    security(("bearer" = [])),
    request_body = OpenChat,
    responses(
        (status = 200, description = "The chat", body = DirectChat),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`blocked`, or `not_friends`: they take private messages from friends only", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "`self_not_allowed`", body = ErrorBody),
    )
)]
#[post("/chats")]
pub async fn open(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<OpenChat>,
) -> AppResult<web::Json<DirectChat>> {
    Ok(web::Json(
        service::open(&state, &auth, body.into_inner()).await?,
    ))
}

/// The contact list: every post of my rooms and every private chat, newest activity first,
/// with unread counts and a preview of the last message. Keep it live from the socket's
/// `message_created`, `message_recalled` and `room_added` events.
#[utoipa::path(
    tag = "chats",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My conversations", body = Vec<Conversation>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/conversations")]
pub async fn conversations(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Vec<Conversation>>> {
    Ok(web::Json(service::conversations(&state, &auth).await?))
}
