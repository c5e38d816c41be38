//! Live delivery. `events.rs` writes a room's events (in the caller's transaction, with a
//! gap-free `seq`); after commit the service hands them to the `Hub` (`hub.rs`), one task
//! that knows which socket is in which room; each socket runs one loop (`socket.rs`) that
//! authenticates, replays what the client missed from the database, and then forwards live
//! events in order, exactly once.

pub mod events;
pub mod hub;
pub mod socket;

pub use events::Published;
pub use hub::Hub;
