//! `POST /admin/filter/categories/{id}/import`: a word file sent as the request body itself
//! (`text/plain`, or `text/csv` for a `.csv` file), which `Session`'s JSON calls cannot send.

use super::{ApiError, check, url};
use crate::state::session::Session;
use api::moderation::{WordPolicies, WordsAdded};
use gloo_net::http::{Request, Response};

/// Imports `file` into list `id` (admins).
pub async fn import(s: Session, id: i64, file: &web_sys::File) -> Result<WordsAdded, ApiError> {
    let path = format!("/admin/filter/categories/{id}/import");
    let mime = mime(file);
    let mut response = post_file(s, &path, mime, file).await?;
    if response.status() == 401 {
        // The access token expired: a call through the session refreshes it (or ends the
        // session, and the error is the answer), then the file goes again.
        s.get::<WordPolicies>("/admin/filter/policies").await?;
        response = post_file(s, &path, mime, file).await?;
    }
    let response = check(response).await?;
    response.json().await.map_err(ApiError::unreachable)
}

/// `text/csv` for CSV files (browsers disagree on their type; Windows says
/// `application/vnd.ms-excel`), else `text/plain`.
fn mime(file: &web_sys::File) -> &'static str {
    let csv = file.type_() == "text/csv" || file.name().to_lowercase().ends_with(".csv");
    if csv { "text/csv" } else { "text/plain" }
}

async fn post_file(
    s: Session,
    path: &str,
    mime: &str,
    file: &web_sys::File,
) -> Result<Response, ApiError> {
    let Some(token) = s.access_token() else {
        return Err(ApiError::unauthenticated());
    };
    Request::post(&url(path))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", mime)
        .body(file.clone())
        .map_err(ApiError::unreachable)?
        .send()
        .await
        .map_err(ApiError::unreachable)
}
