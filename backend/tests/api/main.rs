//! One integration-test binary: every module drives a real server on a random port with a
//! fresh database (SQLite in a temp dir, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set).

// A test binary: a panic is how a helper reports a broken fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod assets;
mod backup;
mod bad_input;
mod chat;
mod cluster;
mod conformance;
mod console;
mod edits;
mod email;
mod errors;
mod files;
mod formatting;
mod friends;
mod helpers;
mod limits;
mod mail_sink;
mod mentions;
mod metrics;
mod migrations;
mod moderation;
mod openapi;
mod pins;
mod profile;
mod reactions;
mod realtime;
mod receipts;
mod replies;
mod reports;
mod room_moderation;
mod rooms;
mod search;
mod sessions;
mod startup;
