//! `/filter/check`, `/rooms/{id}/word-policy`, and the staff's `/admin/filter…`,
//! `/admin/audit`, `/admin/users/{id}/role`.

use super::{audit_log, service};
use crate::{
    auth::AuthUser,
    error::{AppError, AppResult},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use api::{
    ErrorBody, RoomId, UserId,
    moderation::{
        AddWords, AuditPage, CheckText, CreateWordCategory, EditWordCategory, SetWordPolicy,
        TestText, TextCheck, TextTest, WordCategory, WordPage, WordPolicies, WordsAdded,
    },
    users::{PublicUser, SetSiteRole},
};
use futures_util::StreamExt as _;
use serde::Deserialize;

/// Would this text be warned about, masked or refused where it goes? The composer asks
/// before sending under `warn` and shows the words; a hit is recorded in the audit log
/// either way.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    request_body = CheckText,
    responses(
        (status = 200, description = "The policy there and the words found", body = TextCheck),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such room, or not a member", body = ErrorBody),
        (status = 422, description = "`validation_failed`: over 4000 characters", body = ErrorBody),
    )
)]
#[post("/filter/check")]
pub async fn check(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CheckText>,
) -> AppResult<web::Json<TextCheck>> {
    Ok(web::Json(
        service::check(&state, &auth, body.into_inner()).await?,
    ))
}

/// The room's word-filter policy (the owner): `null` follows the server's default; never
/// milder than the server's minimum. Members get `room_edited`.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room")),
    request_body = SetWordPolicy,
    responses(
        (status = 200, description = "The room now", body = api::rooms::Room),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not the owner", body = ErrorBody),
        (status = 404, description = "`not_found`: no such group room, or not a member", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `policy`: `below_minimum`", body = ErrorBody),
    )
)]
#[put("/rooms/{id}/word-policy")]
pub async fn set_room_policy(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SetWordPolicy>,
) -> AppResult<web::Json<api::rooms::Room>> {
    Ok(web::Json(
        service::set_room_policy(
            &state,
            &auth,
            RoomId(id.into_inner()),
            body.into_inner().policy,
        )
        .await?,
    ))
}

/// The filter's default and minimum policy (staff).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The policies", body = WordPolicies),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/filter/policies")]
pub async fn policies(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<WordPolicies>> {
    Ok(web::Json(service::policies(&state, &auth).await?))
}

/// Set the filter's default and minimum policy (admins); applied at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = WordPolicies,
    responses(
        (status = 200, description = "The policies now", body = WordPolicies),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `default`: `below_minimum`", body = ErrorBody),
    )
)]
#[put("/admin/filter/policies")]
pub async fn set_policies(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<WordPolicies>,
) -> AppResult<web::Json<WordPolicies>> {
    Ok(web::Json(
        service::set_policies(&state, &auth, body.into_inner()).await?,
    ))
}

/// The word lists, by name (staff).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every list", body = Vec<WordCategory>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/filter/categories")]
pub async fn categories(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Vec<WordCategory>>> {
    Ok(web::Json(service::categories(&state, &auth).await?))
}

/// Create a word list (admins); it starts disabled.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateWordCategory,
    responses(
        (status = 201, description = "Created", body = WordCategory),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 409, description = "`name_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `name`", body = ErrorBody),
    )
)]
#[post("/admin/filter/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CreateWordCategory>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(service::create_category(&state, &auth, body.into_inner()).await?))
}

/// Rename a word list, or turn it on or off (admins); applied at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list")),
    request_body = EditWordCategory,
    responses(
        (status = 200, description = "The list now", body = WordCategory),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`name_taken`", body = ErrorBody),
    )
)]
#[patch("/admin/filter/categories/{id}")]
pub async fn edit_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EditWordCategory>,
) -> AppResult<web::Json<WordCategory>> {
    Ok(web::Json(
        service::edit_category(&state, &auth, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Delete a word list and its words (admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/admin/filter/categories/{id}")]
pub async fn delete_category(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete_category(&state, &auth, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WordsQuery {
    /// The `next` of the page before.
    after: Option<i64>,
    /// Only words containing this (as matched: normalised first).
    query: Option<String>,
}

/// A page of a list's words, oldest first (staff).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list"), WordsQuery),
    responses(
        (status = 200, description = "Up to 200 words", body = WordPage),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/admin/filter/categories/{id}/words")]
pub async fn words(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    query: web::Query<WordsQuery>,
) -> AppResult<web::Json<WordPage>> {
    let query = query.into_inner();
    Ok(web::Json(
        service::words(&state, &auth, id.into_inner(), query.after, query.query).await?,
    ))
}

/// Add words to a list (admins): up to 64 characters each; words the list has (after
/// normalising) are counted, not added again.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list")),
    request_body = AddWords,
    responses(
        (status = 200, description = "What was added", body = WordsAdded),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `words[i]`: `length` or `invalid_chars`", body = ErrorBody),
    )
)]
#[post("/admin/filter/categories/{id}/words")]
pub async fn add_words(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AddWords>,
) -> AppResult<web::Json<WordsAdded>> {
    Ok(web::Json(
        service::add_words(&state, &auth, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Import words into a list from a file (admins): `text/plain`, one word a line (`#`
/// starts a comment line), or `text/csv`, the word in the first column (a `word` header
/// is skipped). UTF-8, up to 8 MB and 100,000 words.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list")),
    request_body(content = String, content_type = "text/plain", description = "One word a line; or `text/csv`"),
    responses(
        (status = 200, description = "What was added", body = WordsAdded),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: over 8 MB", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not text/plain or text/csv", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `file`: `invalid_chars` (not UTF-8, or broken CSV); `words[i]`: `length` (over 64 characters) or `invalid_chars`; `words`: `length` (over 100,000)", body = ErrorBody),
    )
)]
#[post("/admin/filter/categories/{id}/import")]
pub async fn import(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    mut payload: web::Payload,
) -> AppResult<web::Json<WordsAdded>> {
    let mime = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    let csv = match mime.as_deref() {
        Some("text/plain") => false,
        Some("text/csv") => true,
        _ => return Err(AppError::UnsupportedMediaType),
    };
    // Staff only, before reading up to 8 MB.
    super::staff::require_admin(&state.db, &auth).await?;
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if body.len() + chunk.len() > service::IMPORT_MAX_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: service::IMPORT_MAX_BYTES as u64,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(web::Json(
        service::import(&state, &auth, id.into_inner(), csv, &body).await?,
    ))
}

/// Remove a word from its list (admins).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The word")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/admin/filter/words/{id}")]
pub async fn remove_word(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::remove_word(&state, &auth, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The test box (staff): what the enabled lists find in a text, the text as the filter
/// sees it, and what `mask` would send. Nothing is logged.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = TestText,
    responses(
        (status = 200, description = "The hits", body = TextTest),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
        (status = 422, description = "`validation_failed`: over 4000 characters", body = ErrorBody),
    )
)]
#[post("/admin/filter/test")]
pub async fn test(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<TestText>,
) -> AppResult<web::Json<TextTest>> {
    Ok(web::Json(
        service::test(&state, &auth, body.into_inner()).await?,
    ))
}

/// Give someone a site role (admins). The last admin cannot be demoted.
#[utoipa::path(
    operation_id = "set_site_role",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    request_body = SetSiteRole,
    responses(
        (status = 200, description = "The person now", body = PublicUser),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`: the server would have no admin", body = ErrorBody),
    )
)]
#[put("/admin/users/{id}/role")]
pub async fn set_role(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: web::Json<SetSiteRole>,
) -> AppResult<web::Json<PublicUser>> {
    Ok(web::Json(
        service::set_role(
            &state,
            &auth,
            UserId(id.into_inner()),
            body.into_inner().role,
        )
        .await?,
    ))
}

/// The audit log, newest first (staff): every staff action and every filter hit.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(audit_log::AuditQuery),
    responses(
        (status = 200, description = "Up to 100 entries", body = AuditPage),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff", body = ErrorBody),
    )
)]
#[get("/admin/audit")]
pub async fn audit(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<audit_log::AuditQuery>,
) -> AppResult<web::Json<AuditPage>> {
    Ok(web::Json(
        audit_log::page(&state, &auth, query.into_inner()).await?,
    ))
}

/// Deactivate an account (staff; moderators only members'): every session ends and every
/// socket closes at once (`session_ended` with `deactivated`), and logging in answers 403
/// `account_deactivated` until reactivated.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not staff, or yourself; `staff_protected`: a moderator acting on staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`: the server would have no active admin", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    super::people::deactivate(&state, &auth, UserId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Reactivate an account (staff): its owner may log in again.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    responses(
        (status = 204, description = "Active again"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`; `staff_protected`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/reactivate")]
pub async fn reactivate(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    super::people::reactivate(&state, &auth, UserId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End every session of an account now (staff): its sockets get `session_ended` with
/// `forced_logout`; logging in again works.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The person")),
    responses(
        (status = 204, description = "Logged out everywhere"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`; `staff_protected`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/logout")]
pub async fn force_logout(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    super::people::force_logout(&state, &auth, UserId(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add the example word lists Teahouse ships (admins): short Chinese lists of insults and
/// of advertising, off like every new list. A list of the same name is left alone.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every list now", body = [WordCategory]),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin", body = ErrorBody),
    )
)]
#[post("/admin/filter/examples")]
pub async fn add_examples(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Vec<WordCategory>>> {
    Ok(web::Json(service::add_examples(&state, &auth).await?))
}
