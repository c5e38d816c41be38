//! Live delivery. `events.rs` writes a room's events (in the caller's transaction, with a
//! gap-free `seq`); after commit the service hands them to the `Hub` (`hub.rs`), one task
//! that knows which socket is in which room; each socket runs one loop (`socket.rs`) that
//! authenticates, replays what the client missed from the database, and then forwards live
//! events in order, exactly once.

pub mod bus;
pub mod events;
pub mod hub;
pub mod socket;

pub use events::Published;
pub use hub::{Hub, PresenceSetup, PresenceTiming};

use crate::entities::user;
use api::{
    UserId,
    friends::{Presence, UserPresence},
};
use std::collections::HashMap;

/// What others see of these people now: the hub's status, and for those offline the last
/// time they were seen (the hub's if it still remembers them, else the database's).
pub async fn presence_of<'a>(
    hub: &Hub,
    users: impl IntoIterator<Item = &'a user::Model>,
) -> HashMap<UserId, UserPresence> {
    let users: Vec<&user::Model> = users.into_iter().collect();
    let from_hub = hub
        .presence(users.iter().map(|u| UserId(u.id)).collect())
        .await;
    users
        .into_iter()
        .zip(from_hub)
        .map(|(user, mut presence)| {
            if presence.status == Presence::Offline && presence.last_seen_at.is_none() {
                presence.last_seen_at = user.last_seen_at;
            }
            (UserId(user.id), presence)
        })
        .collect()
}
