//! `/search/*`.

use super::service::{self, SearchQuery};
use crate::{auth::AuthUser, error::AppResult, state::AppState};
use actix_web::{get, web};
use api::{ErrorBody, search::SearchResults};

/// Find messages in my rooms and private chats, newest first.
///
/// Chinese is found at any length (one character matches the character; longer runs match
/// as a phrase of their character pairs), as are words of other scripts; full-width and
/// half-width forms, case and traditional/simplified characters are the same.
/// `"quoted words"` is a phrase, `-word` excludes. Recalled and removed messages are never
/// found. Each hit says what matched as byte ranges into its text.
#[utoipa::path(
    tag = "search",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of hits", body = SearchResults),
        (status = 400, description = "`bad_request`: a query parameter could not be read", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: `room_id` is not one of my rooms", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `q` is empty or longer than 200 characters", body = ErrorBody),
    )
)]
#[get("/search/messages")]
pub async fn search_messages(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<SearchQuery>,
) -> AppResult<web::Json<SearchResults>> {
    Ok(web::Json(
        service::messages(&state, &auth, query.into_inner()).await?,
    ))
}

/// Find files sent in my rooms and private chats by their names, newest first.
///
/// The name is cut as message text is (Chinese at any length, words of other scripts;
/// the last word may be the start of a longer one). Files of recalled messages are never
/// found.
#[utoipa::path(
    tag = "search",
    security(("bearer" = [])),
    params(service::FileQuery),
    responses(
        (status = 200, description = "A page of files", body = api::search::FileResults),
        (status = 400, description = "`bad_request`: a query parameter could not be read", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: `room_id` is not one of my rooms", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `q` is empty or longer than 200 characters", body = ErrorBody),
    )
)]
#[get("/search/files")]
pub async fn search_files(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<service::FileQuery>,
) -> AppResult<web::Json<api::search::FileResults>> {
    Ok(web::Json(
        service::files(&state, &auth, query.into_inner()).await?,
    ))
}
