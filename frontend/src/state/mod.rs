//! App-wide state, one context per file, each with its `provide`.

pub mod chat;
pub mod friends;
pub mod session;
pub mod theme;
