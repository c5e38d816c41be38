//! Reusable pieces of the screens.

pub mod form;
pub mod header;
