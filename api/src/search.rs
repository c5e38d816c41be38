//! Search (`GET /search/messages`).

use crate::{MessageId, messages::Message};
use serde::{Deserialize, Serialize};

/// One message found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub message: Message,
    /// The room's name (a private chat: the other person's name).
    pub room_name: String,
    /// The topic's title; empty for a room's default topic (named by the app, "Chat").
    pub post_title: String,
    /// What matched: byte ranges `[start, end)` into `message.body`, in order.
    pub highlights: Vec<[u32; 2]>,
}

/// A page of hits, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Ask again with `before` set to this for older hits; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<MessageId>,
}

/// A file found by its name (`GET /search/files`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileHit {
    pub file: crate::files::FileInfo,
    /// The message that carries it.
    pub message_id: MessageId,
    pub room_id: crate::RoomId,
    pub post_id: crate::PostId,
    /// The room's name (a private chat: the other person's name).
    pub room_name: String,
    pub sender: crate::rooms::UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: time::OffsetDateTime,
}

/// A page of files, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileResults {
    pub files: Vec<FileHit>,
    /// Ask again with `before` set to this for older files; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<MessageId>,
}
