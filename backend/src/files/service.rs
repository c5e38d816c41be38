//! Uploading, reading and deleting files; avatars; the sweep of files never sent.

use super::{
    Files, clean_name,
    image::{self as img, Format, ImageProblem},
    store, to_info,
    upload::{self, Received},
};
use crate::{
    auth::AuthUser,
    entities::{file, room, user},
    error::{AppError, AppResult},
    state::AppState,
};
use actix_multipart::Multipart;
use api::{
    ErrorCode, FieldCode,
    files::{FileId, FileInfo},
};
use sea_orm::{ActiveValue::Set, EntityTrait};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// A file's id from a path or a request, or 404: ids are only ever the server's UUIDs.
pub fn parse_id(raw: &str) -> AppResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

fn image_error(problem: ImageProblem, max_pixels: u64) -> AppError {
    match problem {
        ImageProblem::TooLarge(_) => AppError::Limit {
            code: ErrorCode::ImageTooLarge,
            limit: max_pixels,
        },
        ImageProblem::Unreadable(why) => {
            tracing::info!(%why, "an upload with an image signature did not decode");
            AppError::Rule {
                code: ErrorCode::NotAnImage,
                message: "not an image the server can read",
            }
        }
    }
}

/// `POST /files`: stores an upload as mine, not yet sent.
pub async fn upload(
    state: &AppState,
    auth: &AuthUser,
    declared: Option<u64>,
    body: Multipart,
) -> AppResult<FileInfo> {
    let files = &state.files;
    let settings = state.settings.get();
    let limit = settings.max_upload_bytes;
    upload::check_length(declared, limit)?;
    let quota = settings.quota_bytes;
    let owner = crate::users::store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    if owner.storage_used as u64 >= quota {
        return Err(over_quota(quota));
    }
    let received = upload::receive(files, body, limit).await?;
    let id = Uuid::new_v4();
    let name = clean_name(&received.name);
    let now = OffsetDateTime::now_utc();
    let mut row = file::ActiveModel {
        id: Set(id),
        owner_id: Set(auth.user_id.0),
        message_id: Set(None),
        position: Set(0),
        name_terms: Set(Some(crate::search::tokens::name_terms(&name))),
        name: Set(name),
        mime: Set(sniff_mime(&received.head).into()),
        size: Set(received.size as i64),
        sha256: Set(received.sha256.clone()),
        width: Set(None),
        height: Set(None),
        thumb_mime: Set(None),
        thumb_width: Set(None),
        thumb_height: Set(None),
        created_at: Set(now),
    };
    let (thumb, size) = match Format::sniff(&received.head) {
        Some(format) => store_image(files, &received, format, &mut row).await?,
        None => (None, received.size as i64),
    };

    if !store::charge(&state.db, auth.user_id.0, size, quota as i64).await? {
        return Err(over_quota(quota));
    }
    let stored = async {
        if let Some(thumb) = &thumb {
            write_file(&files.thumb_path(&id), thumb).await?;
        }
        received
            .scratch
            .keep(&files.path(&id))
            .await
            .map_err(AppError::internal)?;
        Ok::<_, AppError>(
            file::Entity::insert(row)
                .exec_with_returning(&state.db)
                .await?,
        )
    }
    .await;
    match stored {
        Ok(model) => {
            tracing::info!(file = %id, size, "file uploaded");
            Ok(to_info(&model))
        }
        Err(err) => {
            files.remove(&id).await;
            store::refund(&state.db, auth.user_id.0, size).await?;
            Err(err)
        }
    }
}

fn over_quota(quota: u64) -> AppError {
    AppError::Limit {
        code: ErrorCode::QuotaExceeded,
        limit: quota,
    }
}

/// The MIME type the content's signature says, for display; `application/octet-stream`
/// when it says nothing.
fn sniff_mime(head: &[u8]) -> &'static str {
    infer::get(head).map_or("application/octet-stream", |t| t.mime_type())
}

async fn write_file(path: &std::path::Path, bytes: &[u8]) -> AppResult<()> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(AppError::internal)?;
    }
    tokio::fs::write(path, bytes)
        .await
        .map_err(AppError::internal)
}

/// Decodes, strips and thumbnails an image upload: the scratch file is replaced by the
/// stripped bytes and `row` gets the image's facts. Returns the thumbnail's bytes, if one
/// was made, and the size stored.
async fn store_image(
    files: &Files,
    received: &Received,
    format: Format,
    row: &mut file::ActiveModel,
) -> AppResult<(Option<Vec<u8>>, i64)> {
    let max_pixels = files.config.max_image_pixels;
    let data = tokio::fs::read(received.scratch.path())
        .await
        .map_err(AppError::internal)?;
    let processed = files
        .decode(move || img::process(&data, format, max_pixels))
        .await?
        .map_err(|p| image_error(p, max_pixels))?;
    tokio::fs::write(received.scratch.path(), &processed.bytes)
        .await
        .map_err(AppError::internal)?;
    let size = processed.bytes.len() as i64;
    row.mime = Set(format.mime().into());
    row.size = Set(size);
    row.sha256 = Set(upload::hex(&Sha256::digest(&processed.bytes)));
    row.width = Set(Some(processed.width as i32));
    row.height = Set(Some(processed.height as i32));
    // No separate thumbnail when the image is small enough to be its own.
    let thumb = processed.thumb.map(|thumb| {
        row.thumb_mime = Set(Some(thumb.mime.into()));
        row.thumb_width = Set(Some(thumb.width as i32));
        row.thumb_height = Set(Some(thumb.height as i32));
        thumb.bytes
    });
    Ok((thumb, size))
}

/// What a download serves.
pub struct Download {
    pub path: std::path::PathBuf,
    pub mime: String,
    pub name: String,
    /// Shown by the browser (an image it decodes) rather than saved.
    pub inline: bool,
}

/// The file (or its thumbnail), if the caller may see it: the uploader before it is sent;
/// afterwards whoever is in the message's room, and once the message is recalled only
/// server admins among them. Everyone else: 404, the same as for a file that never was.
pub async fn download(
    state: &AppState,
    auth: &AuthUser,
    raw_id: &str,
    thumb: bool,
) -> AppResult<Download> {
    let id = parse_id(raw_id)?;
    let f = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let visible = match f.message_id {
        None => f.owner_id == auth.user_id.0,
        Some(message_id) => {
            store::may_see_message_file(&state.db, message_id, auth.user_id.0).await?
        }
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    let image = f.width.is_some();
    let files = &state.files;
    Ok(match (thumb, image) {
        (false, _) => Download {
            path: files.path(&id),
            mime: if image {
                f.mime.clone()
            } else {
                "application/octet-stream".into()
            },
            name: f.name,
            inline: image,
        },
        (true, false) => return Err(AppError::NotFound),
        (true, true) => match f.thumb_mime {
            Some(mime) => Download {
                path: files.thumb_path(&id),
                name: thumb_name(&f.name, &mime),
                mime,
                inline: true,
            },
            None => Download {
                path: files.path(&id),
                mime: f.mime,
                name: f.name,
                inline: true,
            },
        },
    })
}

/// "photo.heic.jpg"-style names are confusing; a thumbnail is "photo (thumbnail).jpg".
fn thumb_name(name: &str, mime: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let ext = if mime == "image/png" { "png" } else { "jpg" };
    format!("{stem} (thumbnail).{ext}")
}

/// `DELETE /files/{id}`: an upload I have not sent (sent files go with their message).
pub async fn delete(state: &AppState, auth: &AuthUser, raw_id: &str) -> AppResult<()> {
    let id = parse_id(raw_id)?;
    let f = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if f.owner_id != auth.user_id.0 {
        return Err(AppError::NotFound);
    }
    if f.message_id.is_some() {
        return Err(AppError::Rule {
            code: ErrorCode::FileAlreadySent,
            message: "this file was sent in a message; recall the message instead",
        });
    }
    remove_rows(state, &[f]).await
}

/// Deletes file rows, their bytes and gives the storage back to their owners.
async fn remove_rows(state: &AppState, rows: &[file::Model]) -> AppResult<()> {
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    if rows.is_empty() {
        return Ok(());
    }
    let txn = crate::db::write_txn(&state.db).await?;
    for f in rows {
        let gone = file::Entity::delete_many()
            .filter(file::Column::Id.eq(f.id))
            .filter(file::Column::MessageId.is_null())
            .exec(&txn)
            .await?;
        if gone.rows_affected == 1 {
            store::refund(&txn, f.owner_id, f.size).await?;
        }
    }
    txn.commit().await?;
    for f in rows {
        state.files.remove(&f.id).await;
    }
    Ok(())
}

/// `GET /files/usage`.
pub async fn usage(state: &AppState, auth: &AuthUser) -> AppResult<api::files::FileUsage> {
    let me = crate::users::store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    Ok(api::files::FileUsage {
        used_bytes: me.storage_used,
        quota_bytes: state.settings.get().quota_bytes as i64,
        max_upload_bytes: state.settings.get().max_upload_bytes as i64,
        max_image_pixels: state.files.config.max_image_pixels as i64,
    })
}

/// Checks the attachments of a send: mine, not sent yet, no repeats, at most
/// `ATTACHMENTS_MAX`. Returns them in the order given.
pub async fn check_attachments(
    state: &AppState,
    auth: &AuthUser,
    ids: &[FileId],
) -> AppResult<Vec<(Uuid, FileInfo)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > api::files::ATTACHMENTS_MAX {
        return Err(AppError::field("attachments", FieldCode::Length));
    }
    let unavailable = || AppError::field("attachments", FieldCode::Unavailable);
    let mut uuids = Vec::with_capacity(ids.len());
    for id in ids {
        let id = Uuid::parse_str(&id.0).map_err(|_| unavailable())?;
        if uuids.contains(&id) {
            return Err(unavailable());
        }
        uuids.push(id);
    }
    let found = store::unsent(&state.db, auth.user_id.0, &uuids).await?;
    uuids
        .into_iter()
        .map(|id| {
            found
                .iter()
                .find(|f| f.id == id)
                .map(|f| (id, to_info(f)))
                .ok_or_else(unavailable)
        })
        .collect()
}

/// Reads an avatar upload and makes its variants; returns the new key. The old one's
/// files are the caller's to remove once the new key is committed.
async fn make_avatar(
    state: &AppState,
    declared: Option<u64>,
    body: Multipart,
) -> AppResult<String> {
    let files = &state.files;
    let limit = state.settings.get().max_upload_bytes;
    upload::check_length(declared, limit)?;
    let received = upload::receive(files, body, limit).await?;
    let format = Format::sniff(&received.head).ok_or(AppError::Rule {
        code: ErrorCode::NotAnImage,
        message: "an avatar must be a JPEG, PNG, GIF or WebP image",
    })?;
    let max_pixels = files.config.max_image_pixels;
    let data = tokio::fs::read(received.scratch.path())
        .await
        .map_err(AppError::internal)?;
    drop(received);
    let variants = files
        .decode(move || img::avatar(&data, format, max_pixels))
        .await?
        .map_err(|p| image_error(p, max_pixels))?;
    let key = Uuid::new_v4();
    for (size, encoded) in &variants {
        if let Err(err) = write_file(&files.avatar_path(&key, *size), &encoded.bytes).await {
            files.remove_avatar(&key.to_string()).await;
            return Err(err);
        }
    }
    Ok(key.simple().to_string())
}

/// `PUT /me/avatar`.
pub async fn set_my_avatar(
    state: &AppState,
    auth: &AuthUser,
    declared: Option<u64>,
    body: Multipart,
) -> AppResult<api::users::Me> {
    let key = make_avatar(state, declared, body).await?;
    replace_user_avatar(state, auth, Some(key)).await
}

/// `DELETE /me/avatar`: back to the generated one.
pub async fn clear_my_avatar(state: &AppState, auth: &AuthUser) -> AppResult<api::users::Me> {
    replace_user_avatar(state, auth, None).await
}

async fn replace_user_avatar(
    state: &AppState,
    auth: &AuthUser,
    key: Option<String>,
) -> AppResult<api::users::Me> {
    let before = crate::users::store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    let updated = user::Entity::update(user::ActiveModel {
        id: Set(auth.user_id.0),
        avatar: Set(key),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    if let Some(old) = before.avatar {
        state.files.remove_avatar(&old).await;
    }
    Ok(crate::users::to_me(&updated))
}

/// `PUT /rooms/{id}/avatar`: room owners and admins.
pub async fn set_room_avatar(
    state: &AppState,
    auth: &AuthUser,
    room_id: api::RoomId,
    declared: Option<u64>,
    body: Multipart,
) -> AppResult<api::rooms::Room> {
    // Check the right before reading the body.
    crate::rooms::service::require_room_admin(&state.db, room_id, auth.user_id).await?;
    let key = make_avatar(state, declared, body).await?;
    replace_room_avatar(state, auth, room_id, Some(key)).await
}

/// `DELETE /rooms/{id}/avatar`.
pub async fn clear_room_avatar(
    state: &AppState,
    auth: &AuthUser,
    room_id: api::RoomId,
) -> AppResult<api::rooms::Room> {
    replace_room_avatar(state, auth, room_id, None).await
}

async fn replace_room_avatar(
    state: &AppState,
    auth: &AuthUser,
    room_id: api::RoomId,
    key: Option<String>,
) -> AppResult<api::rooms::Room> {
    let before = room::Entity::find_by_id(room_id.0).one(&state.db).await?;
    let change = room::ActiveModel {
        id: Set(room_id.0),
        avatar: Set(key.clone()),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    let edited =
        match crate::rooms::service::require_room_admin(&state.db, room_id, auth.user_id).await {
            Ok(_) => crate::rooms::service::apply_edit(state, room_id, change).await,
            Err(e) => Err(e),
        };
    let card = match edited {
        Ok(card) => card,
        Err(err) => {
            if let Some(key) = key {
                state.files.remove_avatar(&key).await;
            }
            return Err(err);
        }
    };
    if let Some(old) = before.and_then(|r| r.avatar) {
        state.files.remove_avatar(&old).await;
    }
    Ok(card)
}

/// The path of an avatar variant, if the key and size are well-formed (the public route
/// takes them from the URL, so nothing else may reach the file system).
pub fn avatar_file(files: &Files, key: &str, size: u32) -> AppResult<std::path::PathBuf> {
    let key = Uuid::try_parse(key).map_err(|_| AppError::NotFound)?;
    if !api::files::AVATAR_SIZES.contains(&size) {
        return Err(AppError::NotFound);
    }
    Ok(files.avatar_path(&key, size))
}

/// Deletes uploads that were never sent and are older than `unsent_ttl_secs`, and files
/// whose message was deleted (with its post or room). Runs every hour.
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let before = OffsetDateTime::now_utc()
        - time::Duration::seconds(state.files.config.unsent_ttl_secs as i64);
    let rows = store::unsent_before(&state.db, before).await?;
    let count = rows.len();
    remove_rows(state, &rows).await?;
    if count > 0 {
        tracing::info!(count, "unsent uploads swept");
    }
    Ok(count)
}

/// Starts the hourly sweep on the current runtime.
pub fn start_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(err) = sweep(&state).await {
                tracing::warn!(error = %err, "sweep of unsent uploads failed");
            }
        }
    });
}
