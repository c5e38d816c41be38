//! Uploads, message attachments and avatars.
//!
//! Upload first (`POST /files`, streamed to disk), send after (`attachments` of a message).
//! Files live under `<data dir>/files/<2 hex>/<uuid>` with a `.thumb` beside images larger
//! than a thumbnail; avatars under `<data dir>/avatars/<key>-<size>`. Names on disk are
//! always the server's own; the uploaded name is only data.

pub mod image;
pub mod routes;
pub mod service;
pub mod store;
mod upload;

use crate::{config::FilesConfig, entities::file};
use api::files::{FileId, FileInfo, FileKind};
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Where files live, and the limits that apply to them. Cloned into every worker.
#[derive(Clone)]
pub struct Files {
    root: PathBuf,
    pub config: Arc<FilesConfig>,
    /// Image decodes at once (each can take `4 × max_image_pixels` bytes).
    decoding: Arc<Semaphore>,
}

impl Files {
    /// Creates the directories under `data_dir` and empties the upload scratch space (what
    /// is there was left by uploads a restart cut off).
    pub fn open(data_dir: &Path, config: FilesConfig) -> std::io::Result<Self> {
        let root = data_dir.to_owned();
        let files = Self {
            decoding: Arc::new(Semaphore::new(config.max_concurrent_images.max(1))),
            config: Arc::new(config),
            root,
        };
        let _ = std::fs::remove_dir_all(files.scratch_dir());
        std::fs::create_dir_all(files.scratch_dir())?;
        std::fs::create_dir_all(files.root.join("avatars"))?;
        Ok(files)
    }

    /// Uploads in progress; always on the same file system as the files, so finishing one
    /// is a rename.
    pub fn scratch_dir(&self) -> PathBuf {
        self.root.join("files").join("tmp")
    }

    pub fn path(&self, id: &Uuid) -> PathBuf {
        let name = id.simple().to_string();
        self.root.join("files").join(&name[..2]).join(name)
    }

    pub fn thumb_path(&self, id: &Uuid) -> PathBuf {
        let mut path = self.path(id);
        path.set_extension("thumb");
        path
    }

    pub fn avatar_path(&self, key: &Uuid, size: u32) -> PathBuf {
        self.root
            .join("avatars")
            .join(format!("{}-{size}", key.simple()))
    }

    /// Removes a stored file and its thumbnail, if there. Never fails: a file already gone
    /// is what was wanted, and anything else is logged.
    pub async fn remove(&self, id: &Uuid) {
        for path in [self.path(id), self.thumb_path(id)] {
            remove_quietly(&path).await;
        }
    }

    pub async fn remove_avatar(&self, key: &str) {
        let Ok(key) = Uuid::parse_str(key) else {
            return;
        };
        for size in api::files::AVATAR_SIZES {
            remove_quietly(&self.avatar_path(&key, size)).await;
        }
    }

    /// Runs image work on the blocking pool, at most `max_concurrent_images` at once.
    pub async fn decode<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> crate::error::AppResult<T> {
        let _permit = self
            .decoding
            .acquire()
            .await
            .map_err(crate::error::AppError::internal)?;
        actix_web::web::block(work)
            .await
            .map_err(crate::error::AppError::internal)
    }
}

async fn remove_quietly(path: &Path) {
    match tokio::fs::remove_file(path).await {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => tracing::warn!(error = %err, path = %path.display(), "could not remove a file"),
    }
}

/// The wire form of a stored file.
pub fn to_info(f: &file::Model) -> FileInfo {
    let dim = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
    FileInfo {
        id: FileId(f.id.to_string()),
        name: f.name.clone(),
        mime: f.mime.clone(),
        kind: if f.width.is_some() {
            FileKind::Image
        } else {
            FileKind::File
        },
        size: f.size,
        sha256: f.sha256.clone(),
        width: dim(f.width),
        height: dim(f.height),
        thumb_width: dim(f.thumb_width).or(dim(f.width)),
        thumb_height: dim(f.thumb_height).or(dim(f.height)),
        created_at: f.created_at,
    }
}

/// A file name as uploaded, made safe to keep and show. The name is only ever data (never
/// a path on the server; downloads encode it per RFC 6266 and the browser makes it safe
/// for its disk), so quotes, slashes and every script stay as they are. Control
/// characters and the bidirectional overrides that disguise `gpj.exe` as `exe.jpg` become
/// `_`, surrounding spaces go, and a name longer than `FILE_NAME_MAX` characters is cut
/// keeping its extension.
pub fn clean_name(raw: &str) -> String {
    let replaced: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = replaced.trim();
    let max = api::files::FILE_NAME_MAX;
    let name = if trimmed.chars().count() > max {
        let (stem, ext) = match trimmed.rsplit_once('.') {
            Some((stem, ext)) if ext.chars().count() <= 16 => (stem, Some(ext)),
            _ => (trimmed, None),
        };
        let keep = max - ext.map_or(0, |e| e.chars().count() + 1);
        let stem: String = stem.chars().take(keep).collect();
        match ext {
            Some(ext) => format!("{stem}.{ext}"),
            None => stem,
        }
    } else {
        trimmed.to_owned()
    };
    if name.is_empty() { "file".into() } else { name }
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn names_keep_quotes_slashes_and_scripts() {
        assert_eq!(clean_name("报告 \"最终\" 版.pdf"), "报告 \"最终\" 版.pdf");
        assert_eq!(clean_name("a/b\\c.txt"), "a/b\\c.txt");
        assert_eq!(clean_name("bad\u{0}\nname.txt"), "bad__name.txt");
        assert_eq!(clean_name("photo\u{202E}gpj.exe"), "photo_gpj.exe");
        assert_eq!(clean_name("  "), "file");
        let long = format!("{}.jpeg", "字".repeat(300));
        let cut = clean_name(&long);
        assert_eq!(cut.chars().count(), api::files::FILE_NAME_MAX);
        assert!(cut.ends_with(".jpeg"));
    }
}
