//! The event stream at `/api/v1/ws`: JSON text frames, one `type`-tagged enum per
//! direction. See docs/PROTOCOL.md for the rules (authentication, resume, close codes).

use crate::{
    ErrorCode, MessageId, PostId, RoomId, UserId,
    friends::{FriendEvent, UserPresence},
    messages::Message,
    posts::Post,
    rooms::{Room, RoomRole, UserSummary},
};
use serde::{Deserialize, Serialize};

/// Bumped when a frame changes incompatibly.
pub const PROTOCOL_VERSION: u32 = 6;

/// Close codes the server uses (4000–4999 are the application's).
pub mod close {
    /// No `auth` frame in time, or a bad token.
    pub const AUTH_FAILED: u16 = 4001;
    /// The session ended (a newer login, logout, password change).
    pub const SESSION_ENDED: u16 = 4003;
    /// The socket fell too far behind, or (several instances) the server may have missed
    /// something meant for it; reconnect and resume from your cursors.
    pub const TOO_SLOW: u16 = 4008;
    /// A frame that is not valid JSON of this protocol.
    pub const PROTOCOL_ERROR: u16 = 4002;
    /// This session or person already has as many sockets open as allowed; an `error`
    /// frame with `rate_limited` comes first. Close another tab, or retry later.
    pub const TOO_MANY_SOCKETS: u16 = 4029;
}

/// Client → server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Must be the first frame. `cursors` holds the last `seq` seen per room; rooms left
    /// out start from now.
    Auth {
        token: String,
        #[serde(default)]
        cursors: Vec<RoomCursor>,
    },
    /// Catch up on rooms after `ready` (for example a room just joined).
    Resume {
        cursors: Vec<RoomCursor>,
    },
    /// I am typing in this post (send at most every few seconds while typing).
    Typing {
        post_id: PostId,
    },
    /// Whether the person at this client is active (input in the last 5 minutes) or away.
    /// Send on every change; a socket starts out active.
    Presence {
        status: Activity,
    },
    Ping,
}

/// What a client reports about its user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Active,
    Away,
}

/// Server → client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Authenticated. Replayed events follow, then live ones.
    Ready {
        protocol: u32,
        user_id: UserId,
        session_id: String,
        /// Every room I am in with its newest `seq`.
        rooms: Vec<RoomCursor>,
    },
    /// A change in a room. `seq` increases by exactly one per event in each room.
    Event {
        room_id: RoomId,
        seq: i64,
        event: RoomEvent,
    },
    /// The cursor for this room is too old (or unknown): reload it over REST.
    ResyncRequired {
        room_id: RoomId,
        seq: i64,
    },
    /// Someone is typing in a post (expires after a few seconds without a repeat).
    Typing {
        room_id: RoomId,
        post_id: PostId,
        user: UserSummary,
    },
    /// Presence of my friends and of people in my rooms. The first one after `ready` lists
    /// everyone online or away (anyone missing is offline); later ones carry changes,
    /// batched, at most one frame per interval.
    Presence {
        users: Vec<UserPresence>,
    },
    /// A friend request arrived or was answered, or a friendship began or ended.
    Friends {
        event: FriendEvent,
    },
    /// I became a member of a room (joined, or a request was approved): its events follow
    /// from `seq` on.
    RoomAdded {
        room_id: RoomId,
        seq: i64,
    },
    /// I am no longer in a room (left, removed, or it was deleted): no more of its events.
    RoomRemoved {
        room_id: RoomId,
    },
    /// I muted or unmuted a room or private chat (`PUT /rooms/{id}/mute`), on any device:
    /// sent to every socket of mine, so all of them stop (or start) making noise at once.
    Muted {
        room_id: RoomId,
        muted: bool,
    },
    /// In a private chat, the other person has read up to and including `up_to` (only
    /// when both send read receipts).
    ReadReceipt {
        room_id: RoomId,
        post_id: PostId,
        user_id: UserId,
        up_to: MessageId,
    },
    /// My unread counts changed (sent to every socket of mine).
    Unread {
        room_id: RoomId,
        post_id: PostId,
        post_unread: i64,
        room_unread: i64,
        /// Of the post's unread, those that mention me.
        #[serde(default)]
        post_mentioned: i64,
    },
    /// A moderator acted on a message I reported (sent to every socket of mine; also in
    /// `GET /reports`).
    ReportResolved {
        report: crate::admin::MyReport,
    },
    Pong,
    /// This session was ended; the socket closes after this frame.
    SessionEnded {
        reason: EndReason,
    },
    Error {
        code: ErrorCode,
        message: String,
    },
}

/// Why a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The account logged in somewhere else (single-session policy).
    Replaced,
    Logout,
    /// The password was changed in another session.
    PasswordChanged,
    /// A used refresh token was presented again: it was probably stolen.
    RefreshReuse,
    /// Site staff deactivated the account.
    Deactivated,
    /// Site staff ended the account's sessions.
    ForcedLogout,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomCursor {
    pub room_id: RoomId,
    pub seq: i64,
}

/// What happened in a room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomEvent {
    MessageCreated {
        message: Message,
    },
    /// The message as it is now: a placeholder with no body.
    MessageRecalled {
        message: Message,
    },
    /// Its author changed the text: the message as it is now (`edited_at` set).
    MessageEdited {
        message: Message,
    },
    /// Someone reacted to a message with an emoji (see `Reaction::apply`).
    ReactionAdded {
        message_id: MessageId,
        post_id: PostId,
        emoji: String,
        user: UserSummary,
    },
    /// Someone took their reaction back.
    ReactionRemoved {
        message_id: MessageId,
        post_id: PostId,
        emoji: String,
        user_id: UserId,
    },
    PostCreated {
        post: Post,
    },
    PostEdited {
        post: Post,
    },
    PostDeleted {
        post_id: PostId,
    },
    MemberJoined {
        user: UserSummary,
        role: RoomRole,
    },
    /// `removed`: by an owner or admin rather than leaving.
    MemberLeft {
        user_id: UserId,
        removed: bool,
    },
    MemberRoleChanged {
        user_id: UserId,
        role: RoomRole,
    },
    /// An owner or admin silenced (禁言) a member until `until`, or lifted it (`null`).
    MemberSilenced {
        user_id: UserId,
        #[serde(with = "time::serde::rfc3339::option")]
        until: Option<time::OffsetDateTime>,
    },
    RoomEdited {
        room: Room,
    },
    /// An owner or admin pinned a message (`GET /rooms/{id}/pins` lists them).
    MessagePinned {
        message_id: MessageId,
        post_id: PostId,
        by: UserSummary,
        #[serde(with = "time::serde::rfc3339")]
        at: time::OffsetDateTime,
    },
    /// A message is no longer pinned (unpinned, or recalled).
    MessageUnpinned {
        message_id: MessageId,
        post_id: PostId,
    },
    /// The room's announcement changed (`None`: taken down). Show it to each member once
    /// (`POST /rooms/{id}/announcement/seen`).
    AnnouncementChanged {
        announcement: Option<crate::rooms::Announcement>,
    },
}

impl RoomEvent {
    /// The message this event is about, if any.
    pub fn message_id(&self) -> Option<MessageId> {
        match self {
            Self::MessageCreated { message }
            | Self::MessageRecalled { message }
            | Self::MessageEdited { message } => Some(message.id),
            Self::ReactionAdded { message_id, .. }
            | Self::ReactionRemoved { message_id, .. }
            | Self::MessagePinned { message_id, .. }
            | Self::MessageUnpinned { message_id, .. } => Some(*message_id),
            _ => None,
        }
    }

    /// The post this event is about, if any (deleting the post erases it from replays).
    pub fn post_id(&self) -> Option<PostId> {
        match self {
            Self::MessageCreated { message }
            | Self::MessageRecalled { message }
            | Self::MessageEdited { message } => Some(message.post_id),
            Self::ReactionAdded { post_id, .. }
            | Self::ReactionRemoved { post_id, .. }
            | Self::MessagePinned { post_id, .. }
            | Self::MessageUnpinned { post_id, .. } => Some(*post_id),
            Self::PostCreated { post } | Self::PostEdited { post } => Some(post.id),
            Self::PostDeleted { post_id } => Some(*post_id),
            _ => None,
        }
    }
}
