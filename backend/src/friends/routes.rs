//! `/users` (search), `/friends…` and `/blocks…`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{HttpResponse, delete, get, post, web};
use api::{
    ErrorBody, UserId,
    friends::{
        BlockUser, BlockedUser, Friend, FriendRequest, PendingRequests, RequestResult,
        SendFriendRequest, UserCard,
    },
};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A part of a username or display name (at least 2 characters), or a user number
    /// (any number of digits).
    #[param(min_length = 1, pattern = r"^([0-9]+|[\s\S]{2,})$")]
    query: String,
}

/// Find people by username, display name (also by the pinyin of a Chinese one, full or
/// initials: 李雷 by `lilei` or `ll`) or number. People who blocked me are left out.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "At most 20 people, exact username first", body = Vec<UserCard>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "`validation_failed`: the query is too short", body = ErrorBody),
    )
)]
#[get("/users")]
pub async fn search(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<SearchQuery>,
) -> AppResult<web::Json<Vec<UserCard>>> {
    Ok(web::Json(
        service::search(&state, &auth, &query.query).await?,
    ))
}

/// My friends with their presence, online first.
#[utoipa::path(
    operation_id = "list_friends",
    tag = "friends",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My friends", body = Vec<Friend>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/friends")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> AppResult<web::Json<Vec<Friend>>> {
    Ok(web::Json(service::list(&state, &auth).await?))
}

/// End a friendship.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(("user_id" = i64, Path, description = "The friend")),
    responses(
        (status = 204, description = "No longer friends"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "Not friends", body = ErrorBody),
    )
)]
#[delete("/friends/{user_id}")]
pub async fn unfriend(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::unfriend(&state, &auth, UserId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Friend requests waiting for an answer, to me and from me. A request I neither accept
/// nor reject stays here, so clients show it again at every login.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pending requests", body = PendingRequests),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/friends/requests")]
pub async fn pending(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<PendingRequests>> {
    Ok(web::Json(service::pending(&state, &auth).await?))
}

/// Ask someone to be friends. If they already asked me, we become friends at once.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    request_body = SendFriendRequest,
    responses(
        (status = 200, description = "Sent, or accepted theirs", body = RequestResult),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`blocked`", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 409, description = "`already_friends`, or `friend_request_limit`", body = ErrorBody),
        (status = 422, description = "`self_not_allowed`, or `validation_failed` (greeting)", body = ErrorBody),
    )
)]
#[post("/friends/requests")]
pub async fn request(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<SendFriendRequest>,
) -> AppResult<web::Json<RequestResult>> {
    state.limits.friend_requests.check(&auth.user_id).await?;
    Ok(web::Json(
        service::request(&state, &auth, body.into_inner()).await?,
    ))
}

/// Accept the pending request this person sent me.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(("user_id" = i64, Path, description = "Who sent the request")),
    responses(
        (status = 200, description = "Accepted: we are friends", body = FriendRequest),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No pending request from them", body = ErrorBody),
    )
)]
#[post("/friends/requests/{user_id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i64>,
) -> AppResult<web::Json<FriendRequest>> {
    Ok(web::Json(
        service::answer(&state, &auth, UserId(path.into_inner()), true).await?,
    ))
}

/// Reject the pending request this person sent me. They may ask again later.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(("user_id" = i64, Path, description = "Who sent the request")),
    responses(
        (status = 200, description = "Rejected", body = FriendRequest),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No pending request from them", body = ErrorBody),
    )
)]
#[post("/friends/requests/{user_id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i64>,
) -> AppResult<web::Json<FriendRequest>> {
    Ok(web::Json(
        service::answer(&state, &auth, UserId(path.into_inner()), false).await?,
    ))
}

/// Withdraw my pending request to this person.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(("user_id" = i64, Path, description = "Whom I asked")),
    responses(
        (status = 200, description = "Cancelled", body = FriendRequest),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No pending request to them", body = ErrorBody),
    )
)]
#[delete("/friends/requests/{user_id}")]
pub async fn cancel(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i64>,
) -> AppResult<web::Json<FriendRequest>> {
    Ok(web::Json(
        service::cancel(&state, &auth, UserId(path.into_inner())).await?,
    ))
}

/// The people I blocked.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Blocked people, newest first", body = Vec<BlockedUser>),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/blocks")]
pub async fn blocks(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Vec<BlockedUser>>> {
    Ok(web::Json(service::blocks(&state, &auth).await?))
}

/// Block someone: no friend requests or private messages either way; a friendship ends.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    request_body = BlockUser,
    responses(
        (status = 200, description = "Blocked", body = BlockedUser),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "`self_not_allowed`", body = ErrorBody),
    )
)]
#[post("/blocks")]
pub async fn block(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<BlockUser>,
) -> AppResult<web::Json<BlockedUser>> {
    Ok(web::Json(
        service::block(&state, &auth, body.user_id).await?,
    ))
}

/// Lift a block.
#[utoipa::path(
    tag = "friends",
    security(("bearer" = [])),
    params(("user_id" = i64, Path, description = "Whom I blocked")),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "Not blocked", body = ErrorBody),
    )
)]
#[delete("/blocks/{user_id}")]
pub async fn unblock(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::unblock(&state, &auth, UserId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
