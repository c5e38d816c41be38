//! sea-orm entities: the tables as the server sees them. Never serialised to clients;
//! each feature maps them to its `api` type.

pub mod audit_entry;
pub mod block;
pub mod email_code;
pub mod file;
pub mod friend_request;
pub mod friendship;
pub mod join_request;
pub mod message;
pub mod message_edit;
pub mod message_pin;
pub mod message_reaction;
pub mod post;
pub mod post_tag;
pub mod read_marker;
pub mod refresh_token;
pub mod report;
pub mod room;
pub mod room_ban;
pub mod room_event;
pub mod room_member;
pub mod server_setting;
pub mod session;
pub mod user;
pub mod word;
pub mod word_category;
