//! Reusable pieces of the screens.

pub mod badge;
pub mod dialog;
pub mod files;
pub mod form;
pub mod header;
pub mod presence;
pub mod profile_card;
