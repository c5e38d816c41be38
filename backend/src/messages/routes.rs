//! `/posts/{id}/messages`, `/messages/{id}` (edit), `/messages/{id}/edits`,
//! `/messages/{id}/recall`, `/posts/{id}/read`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use api::{
    ErrorBody, MessageId, PostId,
    messages::{
        EditMessage, EmojiInfo, MarkRead, Message, MessageEdits, MessagePage, MessageReactions,
        Pin, SendMessage, Unread,
    },
};
use serde::Deserialize;

/// Send a message to a post.
///
/// Idempotent by `client_id`: a retry with the same id returns the original message with
/// 200 and creates nothing. Members only (404 otherwise).
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The post")),
    request_body = SendMessage,
    responses(
        (status = 201, description = "Sent", body = Message),
        (status = 200, description = "Already sent with this `client_id`: the original", body = Message),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`silenced`: an owner or admin silenced you here (`details.retry_after` seconds left); `mention_all_forbidden` (`@all` is for owners and admins here), or in a private chat: `blocked` (one of you blocked the other) or `not_friends` (they take messages from friends only)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such post, or not a member", body = ErrorBody),
        (status = 409, description = "`client_id_conflict`: the id was used for another message", body = ErrorBody),
        (status = 422, description = "`validation_failed`: empty, over 4000 characters, or control characters; `mentions`: `not_member` or `length` (over 50); `content_blocked`: a word the room's filter refuses (`details.matches`)", body = ErrorBody),
    )
)]
#[post("/posts/{id}/messages")]
pub async fn send(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SendMessage>,
) -> AppResult<HttpResponse> {
    let started = std::time::Instant::now();
    state.limits.messages.check(&auth.user_id).await?;
    let (message, created) =
        service::send(&state, &auth, PostId(id.into_inner()), body.into_inner()).await?;
    state
        .metrics
        .send_seconds
        .observe(started.elapsed().as_secs_f64());
    Ok(if created {
        HttpResponse::Created().json(message)
    } else {
        HttpResponse::Ok().json(message)
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Messages older than this id (the newest page if neither cursor is given).
    before: Option<i64>,
    /// Messages newer than this id.
    after: Option<i64>,
    /// The page with this message in its middle (half the page up to and including it,
    /// half after it; `has_newer` says whether more follow): to open a quote in context.
    around: Option<i64>,
    /// Page size, 1–100 (default 50).
    limit: Option<u64>,
}

/// A page of a post's history, oldest first.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The post"), PageQuery),
    responses(
        (status = 200, description = "The page", body = MessagePage),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/posts/{id}/messages")]
pub async fn history(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> AppResult<web::Json<MessagePage>> {
    let started = std::time::Instant::now();
    let q = query.into_inner();
    let page = service::history(
        &state,
        &auth,
        PostId(id.into_inner()),
        service::PageAt {
            before: q.before,
            after: q.after,
            around: q.around,
        },
        q.limit,
    )
    .await?;
    state
        .metrics
        .history_seconds
        .observe(started.elapsed().as_secs_f64());
    Ok(web::Json(page))
}

/// Recall a message (its author, within the recall window) or remove it (a room owner
/// or admin, any time). A placeholder stays; the text is gone for good.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    responses(
        (status = 200, description = "The placeholder", body = Message),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden` (someone else's message) or `recall_expired`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/messages/{id}/recall")]
pub async fn recall(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Message>> {
    Ok(web::Json(
        service::recall(&state, &auth, MessageId(id.into_inner())).await?,
    ))
}

/// Edit my message: new text (Markdown, the same rules as sending) within the edit window.
/// Room members get `message_edited`; the replaced version is kept (`GET
/// /messages/{id}/edits`). The same text again changes nothing.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    request_body = EditMessage,
    responses(
        (status = 200, description = "The message as it is now", body = Message),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden` (not my message, or a notice), `edit_expired`, or in a private chat `blocked` / `not_friends` (as for sending)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such message, or not a member", body = ErrorBody),
        (status = 409, description = "`message_recalled`: it was recalled or removed", body = ErrorBody),
        (status = 422, description = "`validation_failed`: empty, over 4000 characters, or control characters", body = ErrorBody),
    )
)]
#[patch("/messages/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditMessage>,
) -> AppResult<web::Json<Message>> {
    state.limits.messages.check(&auth.user_id).await?;
    Ok(web::Json(
        service::edit(&state, &auth, MessageId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// What a message said before its edits, oldest first. Members of its room only.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    responses(
        (status = 200, description = "The earlier versions", body = MessageEdits),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/messages/{id}/edits")]
pub async fn edits(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<MessageEdits>> {
    Ok(web::Json(
        service::edits(&state, &auth, MessageId(id.into_inner())).await?,
    ))
}

/// React to a message with an emoji (one Unicode emoji, in the path, percent-encoded).
/// Idempotent: again changes nothing. Members get `reaction_added`.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The message"),
        ("emoji" = String, Path, description = "One Unicode emoji, e.g. %F0%9F%91%8D for 👍"),
    ),
    responses(
        (status = 200, description = "The message's reactions now", body = MessageReactions),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: a notice; in a private chat `blocked` / `not_friends` (as for sending)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such message, or not a member", body = ErrorBody),
        (status = 409, description = "`message_recalled`, or `reaction_limit` (20 different emoji already)", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not one emoji (`emoji: invalid_chars`)", body = ErrorBody),
    )
)]
#[put("/messages/{id}/reactions/{emoji}")]
pub async fn react(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, String)>,
) -> AppResult<web::Json<MessageReactions>> {
    state.limits.messages.check(&auth.user_id).await?;
    let (id, emoji) = path.into_inner();
    Ok(web::Json(
        super::reactions::add(&state, &auth, MessageId(id), &emoji).await?,
    ))
}

/// Take my reaction back. Idempotent. Members get `reaction_removed`.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The message"),
        ("emoji" = String, Path, description = "The emoji, percent-encoded"),
    ),
    responses(
        (status = 200, description = "The message's reactions now", body = MessageReactions),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not one emoji", body = ErrorBody),
    )
)]
#[delete("/messages/{id}/reactions/{emoji}")]
pub async fn unreact(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i64, String)>,
) -> AppResult<web::Json<MessageReactions>> {
    state.limits.messages.check(&auth.user_id).await?;
    let (id, emoji) = path.into_inner();
    Ok(web::Json(
        super::reactions::remove(&state, &auth, MessageId(id), &emoji).await?,
    ))
}

/// The emoji a picker offers (name, group, short codes; up to Emoji 15.0, which most
/// devices draw; any valid emoji is accepted as a reaction). The same for
/// everyone and every request: cache it.
#[utoipa::path(
    tag = "messages",
    responses((status = 200, description = "The emoji", body = Vec<EmojiInfo>))
)]
#[get("/emoji")]
pub async fn emoji_catalog() -> HttpResponse {
    static CATALOG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        serde_json::to_string(&super::reactions::catalog()).unwrap_or_else(|_| "[]".into())
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(CATALOG.as_str())
}

/// Mark a post read up to a message (or all of it). Every socket of mine gets the new
/// counts.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The post")),
    request_body = MarkRead,
    responses(
        (status = 200, description = "The unread counts now", body = Unread),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/posts/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<MarkRead>,
) -> AppResult<web::Json<Unread>> {
    Ok(web::Json(
        service::mark_read(&state, &auth, PostId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// Pin a message in its room (owners and admins; at most 50 per room). Pinning it again
/// changes nothing. Members get `message_pinned`.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    responses(
        (status = 200, description = "The pin", body = Pin),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an owner or admin of its room, or a notice", body = ErrorBody),
        (status = 404, description = "`not_found`: no such message, or not a member", body = ErrorBody),
        (status = 409, description = "`message_recalled`, or `pin_limit`: the room has 50 pins", body = ErrorBody),
    )
)]
#[put("/messages/{id}/pin")]
pub async fn pin(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Pin>> {
    Ok(web::Json(
        super::pins::pin(&state, &auth, MessageId(id.into_inner())).await?,
    ))
}

/// Unpin a message (owners and admins). Unpinning what is not pinned changes nothing.
/// Members get `message_unpinned`.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The message")),
    responses(
        (status = 204, description = "Not pinned (any more)"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an owner or admin of its room", body = ErrorBody),
        (status = 404, description = "`not_found`: no such message, or not a member", body = ErrorBody),
    )
)]
#[delete("/messages/{id}/pin")]
pub async fn unpin(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    super::pins::unpin(&state, &auth, MessageId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A room's pinned messages, most recently pinned first. Members only.
#[utoipa::path(
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    responses(
        (status = 200, description = "The pins", body = Vec<Pin>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such room, or not a member", body = ErrorBody),
    )
)]
#[get("/rooms/{id}/pins")]
pub async fn pins(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<Pin>>> {
    Ok(web::Json(
        super::pins::list(&state, &auth, api::RoomId(id.into_inner())).await?,
    ))
}
