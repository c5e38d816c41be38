//! Posts (topics) inside rooms: the default chat post, titled topics with tags.

pub mod routes;
pub mod service;
