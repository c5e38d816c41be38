//! App-wide state, one context per file, each with its `provide`.

pub mod session;
pub mod theme;
