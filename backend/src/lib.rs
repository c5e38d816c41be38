//! The Teahouse server. Start reading at `startup.rs` (how the parts are put together),
//! then `http/mod.rs` (the route table), then a feature folder such as `auth/`.

/// The command line's `admin` subcommands.
pub mod admin;
/// Accounts and sessions: register, login, refresh, logout, password change, `AuthUser`.
pub mod auth;
/// Private chats (rooms of two) and the contact list.
pub mod chats;
/// Typed configuration: defaults < teahouse.toml < environment.
pub mod config;
/// Connecting to SQLite/PostgreSQL and running migrations.
pub mod db;
/// sea-orm entities (tables); never sent to clients.
pub mod entities;
/// `AppError`, the one error type, and its JSON body.
pub mod error;
/// Uploads (streamed, sniffed, images stripped and thumbnailed), downloads, avatars.
pub mod files;
/// Finding people, friend requests, friendships, blocks.
pub mod friends;
/// The route table, OpenAPI document, docs UI, response headers, and the SPA files.
pub mod http;
/// Rate limits per person and per client address, and open sockets per session.
pub mod limits;
/// Outgoing e-mail (SMTP): codes that confirm an address, password-reset links.
pub mod mail;
/// Messages: send (idempotent), history, recall, read markers, unread counts.
pub mod messages;
/// `/metrics` (Prometheus text format).
pub mod metrics;
/// Keeping the server clean: the sensitive-word filter, site roles, the audit log.
pub mod moderation;
/// Posts (topics) inside rooms.
pub mod posts;
/// Live delivery: room events with gap-free `seq`, the hub, the WebSocket loop.
pub mod realtime;
/// Rooms: numbers, membership, roles, join requests.
pub mod rooms;
/// Search: the tokeniser both databases' indexes share.
pub mod search;
/// Building and running the server.
pub mod startup;
/// `AppState`, what handlers share.
pub mod state;
/// Structured logging.
pub mod telemetry;
/// Profiles: `/me`, `/users/{id}`, and the parsing of names and addresses.
pub mod users;
