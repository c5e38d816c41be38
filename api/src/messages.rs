use crate::{
    MessageId, PostId, RoomId, UserId, files::FileId, files::FileInfo, rooms::UserSummary,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `POST /posts/{id}/messages`. Sending the same `client_id` again returns the message the
/// first send created and creates nothing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// A UUID the client makes once per message and reuses on every retry.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub client_id: String,
    /// Up to 4000 characters; line breaks are kept; never interpreted as HTML. May be
    /// empty when the message carries attachments.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub body: String,
    /// Up to 5 files I uploaded (`POST /files`) and have not sent yet, in the order to
    /// show them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub attachments: Vec<FileId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Written by a person.
    Text,
    /// "X joined the room": `author` is X.
    Joined,
    /// "X left the room": `author` is X.
    Left,
}

/// A message. A recalled one keeps its place with `body` gone and `recall` set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: MessageId,
    pub room_id: RoomId,
    pub post_id: PostId,
    pub kind: MessageKind,
    pub author: UserSummary,
    /// `None` once recalled; empty for a message of attachments only.
    pub body: Option<String>,
    /// Its files, in order; empty once recalled (the files stop downloading then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<FileInfo>,
    /// The sender's idempotency key, so a client can match its pending copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub recall: Option<Recall>,
}

impl Message {
    /// The unread rule: a text message by someone else that is not recalled counts as
    /// unread for `me` until read ("X joined" notices and my own never count). The
    /// server's counts (`messages::unread`) apply the same rule in SQL.
    pub fn is_unread_for(&self, me: UserId) -> bool {
        self.author.id != me && self.kind == MessageKind::Text && self.recall.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recall {
    pub by: UserId,
    /// Removed by a room owner or admin rather than recalled by its author.
    pub by_admin: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A page of history, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// More messages exist beyond this page in the direction asked.
    pub has_more: bool,
    /// On the newest page only (neither `before` nor `after`): the reader has read every
    /// message up to and including this id (0: none), so a client can open the
    /// conversation at the first unread message. Absent on other pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<MessageId>,
}

/// `POST /posts/{id}/read`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    /// Read up to and including this message; the newest when left out.
    #[serde(default)]
    pub message_id: Option<MessageId>,
}

/// Unread counts after a change, for one post and its room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    pub room_id: RoomId,
    pub post_id: PostId,
    pub post_unread: i64,
    pub room_unread: i64,
}
