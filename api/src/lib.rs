//! Teahouse wire types: everything that crosses the HTTP boundary, shared by the server
//! (`backend/`) and the browser app (`frontend/`). Requests are verb + noun (`Register`,
//! `EditProfile`), responses are nouns (`Me`, `AuthSession`).

/// The admin console: dashboard, people, rooms, settings, reports.
pub mod admin;
/// Accounts: registration, login, token refresh, logout.
pub mod auth;
/// The contact list: every conversation with its unread count and last message.
pub mod conversations;
/// The one error body every endpoint returns, with its stable codes.
pub mod error;
/// Uploads, attachments and avatars.
pub mod files;
/// Friends, friend requests, blocks, private chats and presence.
pub mod friends;
/// Typed identifiers.
pub mod ids;
/// Messages: sending, history pages, recall, read markers.
pub mod messages;
/// The sensitive-word filter: policies, the composer's check, the word lists.
pub mod moderation;
/// Posts (topics) inside rooms.
pub mod posts;
/// Rooms, members, join requests.
pub mod rooms;
/// Input rules shared by server and client (lengths, allowed characters).
pub mod rules;
/// Search: messages found, with what matched.
pub mod search;
/// Profiles: my account, other people's public profile, edits.
pub mod users;
/// The WebSocket protocol: typed, versioned frames in both directions.
pub mod ws;

pub use error::{ErrorBody, ErrorCode, ErrorDetails, FieldCode};
pub use ids::{MessageId, PostId, RoomId, SessionId, UserId};

/// Path prefix of every REST endpoint.
pub const API_PREFIX: &str = "/api/v1";
