//! Reusable pieces of the screens.

pub mod files;
pub mod form;
pub mod header;
