//! Finding people, friend requests, friendships and blocks.

pub mod routes;
pub mod service;
pub mod store;
