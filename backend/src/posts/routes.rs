//! `/rooms/{id}/posts` and `/posts/{id}`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use api::{
    ErrorBody, PostId, RoomId,
    posts::{CreatePost, EditPost, Post, PostListItem},
};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostFilter {
    /// Only posts with this tag.
    tag: Option<String>,
}

/// A room's posts with my unread counts: the default post first, then by last activity.
#[utoipa::path(
    operation_id = "list_posts",
    tag = "posts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room"), PostFilter),
    responses(
        (status = 200, description = "The posts", body = Vec<PostListItem>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such room, or not a member", body = ErrorBody),
    )
)]
#[get("/rooms/{id}/posts")]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    filter: web::Query<PostFilter>,
) -> AppResult<web::Json<Vec<PostListItem>>> {
    Ok(web::Json(
        service::list(
            &state,
            &auth,
            RoomId(id.into_inner()),
            filter.into_inner().tag,
        )
        .await?,
    ))
}

/// Open a post (topic) in a room. Any member may.
#[utoipa::path(
    operation_id = "create_post",
    tag = "posts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = CreatePost,
    responses(
        (status = 201, description = "Created", body = Post),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`post_title_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/rooms/{id}/posts")]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<CreatePost>,
) -> AppResult<HttpResponse> {
    let post = service::create(&state, &auth, RoomId(id.into_inner()), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(post))
}

/// Edit or rename a post (its author, or a room owner/admin).
#[utoipa::path(
    operation_id = "edit_post",
    tag = "posts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The post")),
    request_body = EditPost,
    responses(
        (status = 200, description = "Updated", body = Post),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`post_title_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[patch("/posts/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditPost>,
) -> AppResult<web::Json<Post>> {
    Ok(web::Json(
        service::edit(&state, &auth, PostId(id.into_inner()), body.into_inner()).await?,
    ))
}

/// Delete a post and its messages (its author, or a room owner/admin). Not the default post.
#[utoipa::path(
    operation_id = "delete_post",
    tag = "posts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The post")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`default_post_protected`", body = ErrorBody),
    )
)]
#[delete("/posts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete(&state, &auth, PostId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
