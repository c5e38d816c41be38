use crate::API_PREFIX;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The most files one message may carry.
pub const ATTACHMENTS_MAX: usize = 5;
/// The longest file name kept, in characters (a longer one is cut, keeping its extension).
pub const FILE_NAME_MAX: usize = 255;
/// Thumbnails fit in a square of this many pixels (never enlarged).
pub const THUMB_MAX: u32 = 480;
/// The square sizes every avatar comes in.
pub const AVATAR_SIZES: [u32; 2] = [64, 256];

/// An uploaded file's id: random, so it says nothing about other files.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FileId(pub String);

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// JPEG, PNG, GIF or WebP that the server decoded: shown inline, has a thumbnail and
    /// dimensions.
    Image,
    /// Anything else: always downloaded, never shown.
    File,
}

/// An uploaded file (`POST /files`), and an attachment of a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileInfo {
    pub id: FileId,
    /// The name it was uploaded with (download uses it).
    pub name: String,
    /// The type found in the content, never the one the client claimed;
    /// `application/octet-stream` when unknown.
    pub mime: String,
    pub kind: FileKind,
    /// Bytes as stored (images without their metadata).
    pub size: i64,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: String,
    /// Pixels, images only (already turned upright).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The thumbnail's pixels, images only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_height: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl FileInfo {
    /// `GET` this (with the bearer token) for the file itself.
    pub fn url(&self) -> String {
        format!("{API_PREFIX}/files/{}", self.id)
    }

    /// `GET` this for the thumbnail (images only).
    pub fn thumb_url(&self) -> String {
        format!("{API_PREFIX}/files/{}/thumb", self.id)
    }

    pub fn is_image(&self) -> bool {
        self.kind == FileKind::Image
    }
}

/// `GET /files/usage`: my storage and the server's limits, so a client can refuse a file
/// before sending it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileUsage {
    /// Bytes of my uploads the server keeps.
    pub used_bytes: i64,
    pub quota_bytes: i64,
    /// The largest file one upload may carry.
    pub max_upload_bytes: i64,
    /// Images with more pixels are refused.
    pub max_image_pixels: i64,
}

/// Where an avatar is served: public, unguessable, never changing (a new avatar gets a new
/// key). `size` is one of `AVATAR_SIZES`.
pub fn avatar_url(key: &str, size: u32) -> String {
    format!("{API_PREFIX}/avatars/{key}/{size}")
}

/// The colour of a generated avatar (an initial on a colour), as a hue in degrees, for
/// people and rooms without an avatar. Every client draws the same one.
pub fn avatar_hue(id: i64) -> u16 {
    (id.unsigned_abs().wrapping_mul(137) % 360) as u16
}

/// The letter on a generated avatar: the name's first character, upper-cased.
pub fn avatar_initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// "12.3 MB", "512 KB", "18 B": a size for people (1 KB = 1000 bytes, as file managers).
pub fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1000.0 {
        return format!("{bytes} B");
    }
    let (value, unit) = if b < 1e6 {
        (b / 1e3, "KB")
    } else if b < 1e9 {
        (b / 1e6, "MB")
    } else {
        (b / 1e9, "GB")
    };
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(18), "18 B");
        assert_eq!(human_size(1_234), "1.2 KB");
        assert_eq!(human_size(512_000), "512 KB");
        assert_eq!(human_size(20 * 1024 * 1024), "21 MB");
    }

    #[test]
    fn generated_avatars_are_stable() {
        assert_eq!(avatar_hue(1), 137);
        assert_eq!(avatar_hue(1), avatar_hue(1));
        assert_eq!(avatar_initial("li"), "L");
        assert_eq!(avatar_initial("小李"), "小");
        assert_eq!(avatar_initial(""), "");
    }
}

/// The multipart body of `POST /files`: an optional text part `name`, then the part
/// `file`.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
pub struct UploadForm {
    /// The file's name exactly as it should be shown (browsers escape quotes in a part's
    /// filename; this part is taken as it is). Without it, the `file` part's filename.
    pub name: Option<String>,
    /// The file's bytes (at most `GET /server`'s `max_upload_bytes`).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The multipart body of `PUT /me/avatar` and `PUT /rooms/{id}/avatar`.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
pub struct ImageForm {
    /// A JPEG, PNG, GIF or WebP image.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A file's bytes, as sent.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(pub Vec<u8>);
