//! Open sessions seen recently, so an authenticated request does not read its session row
//! every time.
//!
//! Correctness rests on invalidation, not on the time limit: every way a session ends
//! calls `ended` after its transaction commits. An entry read from the database just
//! before such a commit could still be inserted just after `ended` ran; the `ended` set
//! remembers ended ids for as long as an entry may live, so such a late insert is never
//! believed. The time limit (`MAX_AGE`) only bounds memory and the effect of an ending
//! done by another server instance (none exist yet: with several instances, `ended` must
//! be broadcast over the bus).

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};
use time::OffsetDateTime;
use uuid::Uuid;

/// How long an open session is believed without asking the database again.
const MAX_AGE: Duration = Duration::from_secs(30);
/// Entries kept at most; past this the cache starts over (cheap, and never wrong).
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct SessionCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    open: HashMap<Uuid, (i64, OffsetDateTime, Instant)>,
    ended: HashMap<Uuid, Instant>,
}

impl SessionCache {
    /// The user of an open, unexpired session, if it was seen recently.
    pub fn get(&self, session: Uuid) -> Option<i64> {
        let inner = self.inner.lock().ok()?;
        let (user, expires, seen) = inner.open.get(&session)?;
        (seen.elapsed() < MAX_AGE
            && *expires > OffsetDateTime::now_utc()
            && !inner.ended.contains_key(&session))
        .then_some(*user)
    }

    /// Remembers a session the database just said is open.
    pub fn open(&self, session: Uuid, user: i64, expires: OffsetDateTime) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.ended.contains_key(&session) {
            return;
        }
        if inner.open.len() >= MAX_ENTRIES {
            inner.open.clear();
        }
        inner.open.insert(session, (user, expires, Instant::now()));
    }

    /// These sessions ended (call after the commit that ended them).
    pub fn ended(&self, sessions: &[Uuid]) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let now = Instant::now();
        inner.ended.retain(|_, at| at.elapsed() < MAX_AGE);
        for session in sessions {
            inner.open.remove(session);
            inner.ended.insert(*session, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_session_is_never_believed_again() {
        let cache = SessionCache::default();
        let (s, later) = (
            Uuid::new_v4(),
            OffsetDateTime::now_utc() + time::Duration::hours(1),
        );
        cache.open(s, 7, later);
        assert_eq!(cache.get(s), Some(7));
        cache.ended(&[s]);
        assert_eq!(cache.get(s), None);
        // A read that raced the ending tries to re-insert it: ignored.
        cache.open(s, 7, later);
        assert_eq!(cache.get(s), None);
    }

    #[test]
    fn expired_sessions_are_not_served() {
        let cache = SessionCache::default();
        let s = Uuid::new_v4();
        cache.open(s, 7, OffsetDateTime::now_utc() - time::Duration::seconds(1));
        assert_eq!(cache.get(s), None);
    }
}
