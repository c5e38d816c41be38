//! Receiving one file from a multipart body: streamed into the scratch directory chunk by
//! chunk (never held in memory), hashed and counted on the way, cut off at the size limit.

use super::Files;
use crate::error::{AppError, AppResult};
use actix_multipart::Multipart;
use api::FieldCode;
use futures_util::TryStreamExt as _;
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt as _;
use uuid::Uuid;

/// How many bytes of the start are kept to recognise the type.
const HEAD: usize = 64;
/// Room for the multipart framing and a `name` part around the file itself.
const FRAMING: u64 = 16 * 1024;
/// The longest `name` part read.
const NAME_PART_MAX: usize = 4096;

/// A file in the scratch directory, removed when dropped unless `keep` took it.
pub struct Scratch {
    path: PathBuf,
    kept: bool,
}

impl Scratch {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves it to `to` (the same file system: a rename) and stops guarding it.
    pub async fn keep(mut self, to: &Path) -> std::io::Result<()> {
        if let Some(dir) = to.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::rename(&self.path, to).await?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What arrived.
pub struct Received {
    pub scratch: Scratch,
    /// The name it was sent with (the `name` part if there was one, else the file part's
    /// filename), not yet cleaned.
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub head: Vec<u8>,
}

/// The declared length alone says it is too large: refuse before reading anything.
pub fn check_length(declared: Option<u64>, limit: u64) -> AppResult<()> {
    match declared {
        Some(length) if length > limit + FRAMING => Err(AppError::PayloadTooLarge { limit }),
        _ => Ok(()),
    }
}

/// Reads the body: an optional text part `name`, then the part `file`. Parts after `file`
/// are not read. Over `limit` bytes: 413, and nothing stays on disk.
pub async fn receive(files: &Files, mut body: Multipart, limit: u64) -> AppResult<Received> {
    let bad = |e: actix_multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut name_part: Option<String> = None;
    while let Some(mut field) = body.try_next().await.map_err(bad)? {
        match field.name() {
            Some("name") => {
                let mut text = Vec::new();
                while let Some(chunk) = field.try_next().await.map_err(bad)? {
                    if text.len() + chunk.len() > NAME_PART_MAX {
                        return Err(AppError::field("name", FieldCode::Length));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text)
                    .map_err(|_| AppError::field("name", FieldCode::InvalidChars))?;
                name_part = Some(text);
            }
            Some("file") => {
                let filename = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .map(unescape_filename);
                let name = name_part.or(filename).unwrap_or_default();
                return stream_to_scratch(files, field, limit, name).await;
            }
            // Anything else is skipped (its bytes still count against nothing: the
            // framing allowance and the stream bound them).
            _ => while field.try_next().await.map_err(bad)?.is_some() {},
        }
    }
    Err(AppError::field("file", FieldCode::Required))
}

async fn stream_to_scratch(
    files: &Files,
    mut field: actix_multipart::Field,
    limit: u64,
    name: String,
) -> AppResult<Received> {
    let scratch = Scratch {
        path: files
            .scratch_dir()
            .join(Uuid::new_v4().simple().to_string()),
        kept: false,
    };
    let mut out = tokio::fs::File::create(scratch.path())
        .await
        .map_err(AppError::internal)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head = Vec::with_capacity(HEAD);
    while let Some(chunk) = field
        .try_next()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        size += chunk.len() as u64;
        if size > limit {
            // `scratch` is dropped on return, and with it the partial file.
            return Err(AppError::PayloadTooLarge { limit });
        }
        if head.len() < HEAD {
            let take = (HEAD - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await.map_err(AppError::internal)?;
    }
    out.flush().await.map_err(AppError::internal)?;
    drop(out);
    if size == 0 {
        return Err(AppError::field("file", FieldCode::Required));
    }
    Ok(Received {
        scratch,
        name,
        size,
        sha256: hex(&hasher.finalize()),
        head,
    })
}

/// Browsers write `"`, CR and LF in a part's filename as `%22`, `%0D` and `%0A` (HTML's
/// form encoding); this reverses exactly that. A name that really contains `%22` cannot be
/// told apart: clients that need it exact send the `name` part.
fn unescape_filename(raw: &str) -> String {
    raw.replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
