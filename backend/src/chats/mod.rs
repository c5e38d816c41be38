//! Private chats and the contact list.
//!
//! A private chat is a room of kind `direct` whose two members are the two people, with
//! one default post: sending, history, recall, resume over the socket and unread counts
//! are the rooms' own machinery. What differs is who may open one and write in it
//! (`service::check_contact`), and that it has no settings, roles, topics or number.

pub mod routes;
pub mod service;
