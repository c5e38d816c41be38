use crate::{PostId, RoomId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A topic inside a room. Every room has one default post (its chat) that cannot be
/// deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: PostId,
    pub room_id: RoomId,
    pub title: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub is_default: bool,
    /// Who opened it (none for the default post).
    pub author_id: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity_at: OffsetDateTime,
}

/// A post in a room's list, with my unread count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostListItem {
    #[serde(flatten)]
    pub post: Post,
    pub unread: i64,
}

/// `POST /rooms/{id}/posts`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePost {
    /// 1–100 characters, unique in the room ignoring case.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Up to 5 tags of 1–24 characters.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `PATCH /posts/{id}`: fields left out stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditPost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}
