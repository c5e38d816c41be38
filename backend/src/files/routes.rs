//! `/files`, `/me/avatar`, `/rooms/{id}/avatar` and the public `/avatars/{key}/{size}`.

use super::service;
use crate::{
    auth::AuthUser,
    error::{AppError, AppResult},
    state::AppState,
};
use actix_files::NamedFile;
use actix_multipart::Multipart;
use actix_web::{
    HttpRequest, HttpResponse, delete, get,
    http::header::{
        self, Charset, ContentDisposition, ContentEncoding, DispositionParam, DispositionType,
        ExtendedValue, HeaderValue,
    },
    post, put, web,
};
use api::{
    ErrorBody, RoomId,
    files::{Binary, FileInfo, FileUsage, ImageForm, UploadForm},
    rooms::Room,
    users::Me,
};

/// Whatever a downloaded file contains, a browser that opens it runs nothing: no scripts,
/// no plugins, no same-origin access (`sandbox`), no loads but inline styles for its own
/// image viewer.
const FILE_CSP: &str =
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";
/// Files never change, but who may see them does (a recall): reuse only after asking,
/// which the ETag makes a 304 without the body.
const FILE_CACHE: &str = "private, no-cache";
/// Avatars never change: a new one gets a new key.
const AVATAR_CACHE: &str = "public, max-age=31536000, immutable";

/// The request must be `multipart/form-data`, and may say how long it is.
fn multipart(req: &HttpRequest, payload: web::Payload) -> AppResult<(Option<u64>, Multipart)> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    Ok((declared, Multipart::new(req.headers(), payload)))
}

/// Upload a file (multipart: an optional text part `name`, then the part `file`). It stays
/// mine alone until I send it in a message; unsent uploads are deleted after a day.
/// Images (JPEG, PNG, GIF, WebP) lose their metadata and get a thumbnail.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data", description = "`name` (optional text: the file's name, exactly; browsers escape quotes in the part's filename), then `file`"),
    responses(
        (status = 201, description = "Stored", body = FileInfo),
        (status = 400, description = "`bad_request`: not a well-formed multipart body", body = ErrorBody),
        (status = 413, description = "`payload_too_large` (`details.limit`: the largest file) or `quota_exceeded` (`details.limit`: the quota); nothing is kept", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not multipart/form-data", body = ErrorBody),
        (status = 422, description = "`validation_failed` (`file` missing or empty), `image_too_large` (more pixels than `details.limit`), `not_an_image` (an image signature that does not decode)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads; wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/files")]
pub async fn upload(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    state.limits.uploads.check(&auth.user_id).await?;
    let (declared, body) = multipart(&req, payload)?;
    let info = service::upload(&state, &auth, declared, body).await?;
    Ok(HttpResponse::Created().json(info))
}

/// My storage use and the server's limits.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Usage and limits", body = FileUsage),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[get("/files/usage")]
pub async fn usage(state: web::Data<AppState>, auth: AuthUser) -> AppResult<web::Json<FileUsage>> {
    Ok(web::Json(service::usage(&state, &auth).await?))
}

/// Download a file: for its uploader before it is sent, then for whoever may see the
/// message (a recalled message's files: server admins only). Images are served inline
/// with their real type; everything else as an `attachment` of type
/// `application/octet-stream`. Range requests and `If-None-Match` are honoured.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The file: images inline with their type, anything else as an `application/octet-stream` attachment",
            content((Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "image/gif"), (Binary = "image/webp"), (Binary = "application/octet-stream"))),
        (status = 206, description = "The range asked for (`Range` header)",
            content((Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "image/gif"), (Binary = "image/webp"), (Binary = "application/octet-stream"))),
        (status = 416, description = "The range asked for is outside the file"),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such file, or not visible to you", body = ErrorBody),
    )
)]
#[get("/files/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let found = service::download(&state, &auth, &id, false).await?;
    serve(&req, found).await
}

/// An image's thumbnail (at most 480 px a side; a smaller image is its own).
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The thumbnail (JPEG, or PNG for transparency), or a small image itself (any of the four types)",
            content((Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "image/gif"), (Binary = "image/webp"))),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such image, or not visible to you", body = ErrorBody),
    )
)]
#[get("/files/{id}/thumb")]
pub async fn thumb(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let found = service::download(&state, &auth, &id, true).await?;
    serve(&req, found).await
}

/// Delete an upload I have not sent yet (it no longer counts against my quota).
#[utoipa::path(
    operation_id = "delete_file",
    tag = "files",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The file's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`not_found`: no such upload of mine", body = ErrorBody),
        (status = 409, description = "`file_already_sent`: recall the message instead", body = ErrorBody),
    )
)]
#[delete("/files/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    service::delete(&state, &auth, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `Content-Disposition` per RFC 6266: a plain-ASCII `filename` for old clients (anything
/// else becomes `_`) and the exact name as UTF-8 in `filename*`.
pub fn disposition(inline: bool, name: &str) -> ContentDisposition {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '/' | '%' | ';') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(fallback),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

async fn serve(req: &HttpRequest, found: service::Download) -> AppResult<HttpResponse> {
    let mime: mime::Mime = found.mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let path = found.path.clone();
    let file = web::block(move || NamedFile::open(path))
        .await
        .map_err(AppError::internal)?
        .map_err(|err| {
            // The row is there but the bytes are not: a broken store, not the caller's fault.
            AppError::internal(format!("{}: {err}", found.path.display()))
        })?;
    let mut res = file
        .set_content_type(mime)
        .set_content_disposition(disposition(found.inline, &found.name))
        .set_content_encoding(ContentEncoding::Identity)
        .use_etag(true)
        .use_last_modified(true)
        .into_response(req);
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(FILE_CACHE));
    Ok(res)
}

/// Set my avatar (multipart part `file`: a JPEG, PNG, GIF or WebP). The middle square is
/// kept, at 64 and 256 pixels.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body(content = ImageForm, content_type = "multipart/form-data", description = "`file`: the image"),
    responses(
        (status = 200, description = "My account with its new avatar", body = Me),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not multipart/form-data", body = ErrorBody),
        (status = 422, description = "`not_an_image`, `image_too_large`, or `validation_failed` (`file` missing)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads; wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[put("/me/avatar")]
pub async fn set_my_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<Me>> {
    state.limits.uploads.check(&auth.user_id).await?;
    let (declared, body) = multipart(&req, payload)?;
    Ok(web::Json(
        service::set_my_avatar(&state, &auth, declared, body).await?,
    ))
}

/// Remove my avatar (clients draw the generated one).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "My account", body = Me),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
#[delete("/me/avatar")]
pub async fn clear_my_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> AppResult<web::Json<Me>> {
    Ok(web::Json(service::clear_my_avatar(&state, &auth).await?))
}

/// Set a room's avatar: owners and admins. Members see it live (`room_edited`).
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room's id")),
    request_body(content = ImageForm, content_type = "multipart/form-data", description = "`file`: the image"),
    responses(
        (status = 200, description = "The room's card", body = Room),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`: members cannot", body = ErrorBody),
        (status = 404, description = "`not_found`: no such room of mine", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "`not_an_image`, `image_too_large`, or `validation_failed`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many uploads; wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[put("/rooms/{id}/avatar")]
pub async fn set_room_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<web::Json<Room>> {
    state.limits.uploads.check(&auth.user_id).await?;
    let (declared, body) = multipart(&req, payload)?;
    Ok(web::Json(
        service::set_room_avatar(&state, &auth, RoomId(*id), declared, body).await?,
    ))
}

/// Remove a room's avatar: owners and admins.
#[utoipa::path(
    tag = "rooms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room's card", body = Room),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/rooms/{id}/avatar")]
pub async fn clear_room_avatar(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Room>> {
    Ok(web::Json(
        service::clear_room_avatar(&state, &auth, RoomId(*id)).await?,
    ))
}

/// An avatar (64 or 256 px). Public like a profile picture on any site: the key is
/// random and changes with every new avatar, so it is cached forever.
#[utoipa::path(
    tag = "users",
    params(
        ("key" = String, Path, description = "The avatar's key, from `avatar` of a user or room: the image is at `/api/v1/avatars/{key}/64` and `/api/v1/avatars/{key}/256`"),
        ("size" = u32, Path, description = "64 or 256"),
    ),
    responses(
        (status = 200, description = "The image (JPEG, or PNG when it has transparency)",
            content((Binary = "image/jpeg"), (Binary = "image/png"), (Binary = "image/gif"), (Binary = "image/webp"))),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/avatars/{key}/{size}")]
pub async fn avatar(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, u32)>,
) -> AppResult<HttpResponse> {
    let (key, size) = path.into_inner();
    let path = service::avatar_file(&state.files, &key, size)?;
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(err) => return Err(AppError::internal(err)),
    };
    let mime = if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    };
    let etag = format!("\"{key}-{size}\"");
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, AVATAR_CACHE))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, AVATAR_CACHE))
        .insert_header((header::CONTENT_SECURITY_POLICY, FILE_CSP))
        .body(bytes))
}
