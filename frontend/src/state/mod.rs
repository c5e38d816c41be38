//! App-wide state, one context per file, each with its `provide`.

pub mod attention;
pub mod chat;
pub mod conversation;
pub mod drafts;
pub mod friends;
pub mod mutes;
pub mod recent_emoji;
pub mod session;
pub mod storage;
pub mod theme;
pub mod unread;
