//! Unread counts, one per post: the one source for the room list, the topics, the contact
//! list, the switcher, the tab title and the favicon (a room's count is the sum of its
//! posts').
//!
//! Counts come from the server (the contact list, which has every post of every room and
//! every private chat; `unread` frames; mark-read answers) and grow by one for each message
//! from someone else that arrives unseen. A snapshot and the socket can cross: a list
//! computed before a message whose event was already counted would lose it, and an event
//! for a message the list already counts would count it twice. Each post therefore
//! remembers the newest message its count accounts for, and both sides check it.

use api::{MessageId, PostId, RoomId};
use leptos::prelude::*;
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub struct Unread {
    /// Per post: its room, its count, and how many of those mention me.
    counts: RwSignal<HashMap<PostId, (RoomId, i64, i64)>>,
    /// Per post: the newest message the count accounts for.
    counted: StoredValue<HashMap<PostId, i64>>,
}

impl Unread {
    pub fn new() -> Self {
        Self {
            counts: RwSignal::new(HashMap::new()),
            counted: StoredValue::new(HashMap::new()),
        }
    }

    /// One post's count (tracked).
    pub fn post(&self, post: PostId) -> i64 {
        self.counts.with(|c| c.get(&post).map_or(0, |(_, n, _)| *n))
    }

    /// Of one post's unread, those that mention me (tracked).
    pub fn mentioned(&self, post: PostId) -> i64 {
        self.counts.with(|c| c.get(&post).map_or(0, |(_, _, m)| *m))
    }

    /// Unread messages that mention me in a room, over its posts (tracked).
    pub fn room_mentioned(&self, room: RoomId) -> i64 {
        self.counts.with(|c| {
            c.values()
                .filter(|(r, _, _)| *r == room)
                .map(|(_, _, m)| *m)
                .sum()
        })
    }

    /// A room's count: its posts' together (tracked).
    pub fn room(&self, room: RoomId) -> i64 {
        self.counts.with(|c| {
            c.values()
                .filter(|(r, _, _)| *r == room)
                .map(|(_, n, _)| *n)
                .sum()
        })
    }

    /// The server's counts for a post, as of now.
    pub fn set(&self, room: RoomId, post: PostId, count: i64, mentioned: i64) {
        self.counts.update(|c| {
            c.insert(post, (room, count.max(0), mentioned.clamp(0, count.max(0))));
        });
    }

    /// A message from someone else arrived and nobody saw it: one more, unless the count
    /// already accounts for it.
    pub fn arrived(&self, room: RoomId, post: PostId, message: MessageId, mentions_me: bool) {
        let new = self
            .counted
            .with_value(|c| c.get(&post).is_none_or(|upto| *upto < message.0));
        if !new {
            return;
        }
        self.counted.update_value(|c| {
            c.insert(post, message.0);
        });
        self.counts.update(|c| {
            let entry = c.entry(post).or_insert((room, 0, 0));
            entry.1 += 1;
            if mentions_me {
                entry.2 += 1;
            }
        });
    }

    /// A whole list from the server: each post with its count and its newest message.
    /// Returns whether some post has counted a message newer than the list knew (then the
    /// list is older than what was applied: its count for that post is kept, and the caller
    /// should ask again).
    pub fn replace_all(
        &self,
        posts: impl IntoIterator<Item = (RoomId, PostId, i64, i64, Option<MessageId>)>,
    ) -> bool {
        let mut stale = false;
        let mut next = HashMap::new();
        let previous = self.counts.get_untracked();
        self.counted.update_value(|counted| {
            for (room, post, count, mentioned, newest) in posts {
                let newest = newest.map_or(0, |m| m.0);
                match counted.get(&post) {
                    Some(upto) if *upto > newest => {
                        stale = true;
                        let kept = previous
                            .get(&post)
                            .map_or((count, mentioned), |(_, n, m)| (*n, *m));
                        next.insert(post, (room, kept.0, kept.1));
                    }
                    _ => {
                        counted.insert(post, newest);
                        next.insert(post, (room, count, mentioned));
                    }
                }
            }
        });
        self.counts.set(next);
        stale
    }

    pub fn clear(&self) {
        self.counts.set(HashMap::new());
        self.counted.set_value(HashMap::new());
    }
}
