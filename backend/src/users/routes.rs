//! `/me` and `/users/{id}`.

use super::service;
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{get, patch, web};
use api::{
    ErrorBody,
    users::{EditProfile, Me, PublicUser},
};

/// My account, with its private fields.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My account", body = Me),
        (status = 401, description = "`unauthenticated`, `invalid_token`, `token_expired` or `session_ended`", body = ErrorBody),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> AppResult<web::Json<Me>> {
    Ok(web::Json(service::me(&state, &auth).await?))
}

/// Edit my profile. Fields left out stay as they are; an empty string clears a text field.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = EditProfile,
    responses(
        (status = 200, description = "The updated account", body = Me),
        (status = 400, description = "`malformed_json` (including unknown fields)", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a field is too long or has control characters", body = ErrorBody),
    )
)]
#[patch("/me")]
pub async fn edit_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<EditProfile>,
) -> AppResult<web::Json<Me>> {
    Ok(web::Json(
        service::edit(&state, &auth, body.into_inner()).await?,
    ))
}

/// Someone's public profile.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's number")),
    responses(
        (status = 200, description = "The profile", body = PublicUser),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/users/{id}")]
pub async fn user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<PublicUser>> {
    Ok(web::Json(
        service::public_profile(&state, &auth, id.into_inner()).await?,
    ))
}
