//! One integration-test binary: every module drives a real server on a random port with a
//! fresh database (SQLite in a temp dir, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set).

mod accounts;
mod errors;
mod helpers;
mod openapi;
mod profile;
mod sessions;
