//! Teahouse wire types: everything that crosses the HTTP boundary, shared by the server
//! (`backend/`) and the browser app (`frontend/`). Requests are verb + noun (`Register`,
//! `EditProfile`), responses are nouns (`Me`, `AuthSession`).

/// Accounts: registration, login, token refresh, logout.
pub mod auth;
/// The one error body every endpoint returns, with its stable codes.
pub mod error;
/// Typed identifiers.
pub mod ids;
/// Input rules shared by server and client (lengths, allowed characters).
pub mod rules;
/// Profiles: my account, other people's public profile, edits.
pub mod users;

pub use error::{ErrorBody, ErrorCode, ErrorDetails, FieldCode};
pub use ids::{SessionId, UserId};

/// Path prefix of every REST endpoint.
pub const API_PREFIX: &str = "/api/v1";
