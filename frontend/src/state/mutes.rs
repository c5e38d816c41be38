//! Mute changes as they were heard (my click, or a `muted` frame from another app of mine),
//! with when: a room or contact list asked for before a change cannot undo it when its
//! answer arrives after.

use api::RoomId;
use leptos::prelude::*;
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub struct Mutes {
    clock: StoredValue<u64>,
    heard: StoredValue<HashMap<RoomId, (bool, u64)>>,
}

impl Mutes {
    pub fn new() -> Self {
        Self {
            clock: StoredValue::new(0),
            heard: StoredValue::new(HashMap::new()),
        }
    }

    /// A moment: taken when a list is asked for, and when a change is heard.
    pub fn now(&self) -> u64 {
        self.clock.update_value(|c| *c += 1);
        self.clock.get_value()
    }

    pub fn heard(&self, room: RoomId, muted: bool) {
        let at = self.now();
        self.heard.update_value(|h| {
            h.insert(room, (muted, at));
        });
    }

    /// The change heard for `room` after `asked`, if any: it wins over a list asked then.
    pub fn since(&self, room: RoomId, asked: u64) -> Option<bool> {
        self.heard.with_value(|h| {
            h.get(&room)
                .filter(|(_, at)| *at > asked)
                .map(|(muted, _)| *muted)
        })
    }
}
