//! Rate limits per person (and per client address for registrations), and how many
//! sockets a session and a person may hold open. Token buckets (GCRA) from `governor`;
//! every refusal is 429 `rate_limited` with `Retry-After`.
//!
//! With several instances (Redis configured), the buckets live in Redis, so a limit counts
//! across all of them: the same GCRA as one script, on Redis's clock. Should Redis not
//! answer, each instance falls back to its own buckets until it does (a limit then counts
//! per instance, never not at all). The socket caps stay per instance.

use crate::{
    config::{LimitsConfig, Rate},
    error::{AppError, AppResult},
};
use api::UserId;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};
use std::{
    collections::HashMap,
    hash::Hash,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Mutex, RwLock},
    time::Duration,
};
use uuid::Uuid;

/// One kind of limit, keyed by whom it counts. Admins may change the rate while the
/// server runs (`set_rate`): the buckets start full again at the new rate.
pub struct Limit<K: Hash + Eq + Clone> {
    limiter: RwLock<Option<Arc<DefaultKeyedRateLimiter<K>>>>,
    enabled: bool,
    /// The rate in force (what the shared bucket is asked with).
    rate: RwLock<Rate>,
    /// Redis, when instances share their buckets, and this limit's key prefix there.
    shared: Option<(Shared, String)>,
}

/// Redis for buckets shared by several instances.
#[derive(Clone)]
pub struct Shared {
    conn: redis::aio::ConnectionManager,
    prefix: String,
}

impl Shared {
    /// `prefix`: the instances' common `redis_prefix`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_response_timeout(Some(SHARED_TIMEOUT))
            .set_connection_timeout(Some(SHARED_TIMEOUT));
        Ok(Self {
            conn: client.get_connection_manager_with_config(config).await?,
            prefix: prefix.to_owned(),
        })
    }
}

/// A shared bucket that does not answer within this is skipped for the local one.
const SHARED_TIMEOUT: Duration = Duration::from_millis(500);

/// GCRA on Redis's clock: the bucket is its "theoretical arrival time" in ms, kept only as
/// long as it matters. Returns 0 (taken) or the milliseconds to wait.
const GCRA: &str = r"
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - burst * interval
if allow_at > now then return allow_at - now end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now)
return 0
";

/// How a key is written in Redis.
pub trait LimitKey {
    fn shared_key(&self) -> String;
}

impl LimitKey for UserId {
    fn shared_key(&self) -> String {
        self.to_string()
    }
}

impl LimitKey for IpAddr {
    fn shared_key(&self) -> String {
        self.to_string()
    }
}

impl LimitKey for String {
    fn shared_key(&self) -> String {
        self.clone()
    }
}

impl LimitKey for (String, Option<IpAddr>) {
    fn shared_key(&self) -> String {
        match self.1 {
            Some(ip) => format!("{}@{ip}", self.0),
            None => format!("{}@-", self.0),
        }
    }
}

impl<K: Hash + Eq + Clone + LimitKey> Limit<K> {
    pub fn new(rate: Rate, enabled: bool) -> Self {
        Self {
            limiter: RwLock::new(enabled.then(|| Arc::new(RateLimiter::keyed(quota(rate))))),
            enabled,
            rate: RwLock::new(rate),
            shared: None,
        }
    }

    /// The same, counted across instances in Redis under `name`.
    pub fn shared(rate: Rate, enabled: bool, shared: Option<&Shared>, name: &str) -> Self {
        Self {
            shared: shared.map(|s| (s.clone(), format!("{}:limit:{name}:", s.prefix))),
            ..Self::new(rate, enabled)
        }
    }

    fn current(&self) -> Option<Arc<DefaultKeyedRateLimiter<K>>> {
        match self.limiter.read() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Takes one from `key`'s bucket, or says how long to wait: in Redis when shared
    /// (the local bucket if Redis does not answer), else here.
    pub async fn check(&self, key: &K) -> AppResult<()> {
        if !self.enabled {
            return Ok(());
        }
        if let Some((shared, prefix)) = &self.shared {
            let rate = match self.rate.read() {
                Ok(r) => *r,
                Err(poisoned) => *poisoned.into_inner(),
            };
            let mut conn = shared.conn.clone();
            let taken: Result<Result<u64, _>, _> = tokio::time::timeout(
                SHARED_TIMEOUT,
                redis::Script::new(GCRA)
                    .key(format!("{prefix}{}", key.shared_key()))
                    .arg(rate.refill_ms.max(1))
                    .arg(rate.burst.max(1))
                    .invoke_async(&mut conn),
            )
            .await;
            match taken {
                Ok(Ok(0)) => return Ok(()),
                Ok(Ok(wait_ms)) => {
                    return Err(AppError::RateLimited {
                        retry_after: seconds_up(Duration::from_millis(wait_ms)),
                    });
                }
                Ok(Err(err)) => tracing::warn!(error = %err, "shared limit unavailable; local"),
                Err(_) => tracing::warn!("shared limit timed out; local"),
            }
        }
        self.check_here(key)
    }

    /// Takes one from this instance's bucket. (A read lock, shared by every caller; only
    /// an admin's change of rate writes.)
    fn check_here(&self, key: &K) -> AppResult<()> {
        let guard = match self.limiter.read() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        let Some(limiter) = guard.as_ref() else {
            return Ok(());
        };
        limiter
            .check_key(key)
            .map_err(|not_until| AppError::RateLimited {
                retry_after: seconds_up(not_until.wait_time_from(limiter.clock().now())),
            })
    }

    /// From now on, this rate (nothing when limits are off in the configuration).
    pub fn set_rate(&self, rate: Rate) {
        if !self.enabled {
            return;
        }
        match self.rate.write() {
            Ok(mut slot) => *slot = rate,
            Err(poisoned) => *poisoned.into_inner() = rate,
        }
        let fresh = Some(Arc::new(RateLimiter::keyed(quota(rate))));
        match self.limiter.write() {
            Ok(mut slot) => *slot = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    /// Forgets keys whose buckets are full again.
    pub fn sweep(&self) {
        if let Some(limiter) = self.current() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// A bucket of `rate.burst` refilled one every `rate.refill_ms`.
pub fn quota(rate: Rate) -> Quota {
    let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(Duration::from_millis(rate.refill_ms.max(1)))
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// Whole seconds to wait, rounded up (a client that waits `Retry-After` must get in).
pub fn seconds_up(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

pub struct Limits {
    pub messages: Limit<UserId>,
    pub rooms_created: Limit<UserId>,
    pub friend_requests: Limit<UserId>,
    pub uploads: Limit<UserId>,
    pub registrations: Limit<IpAddr>,
    pub mail_requests: Limit<IpAddr>,
    pub password_checks: Limit<IpAddr>,
    sockets: Arc<Mutex<SocketCounts>>,
    sockets_per_session: u32,
    sockets_per_person: u32,
    enabled: bool,
}

#[derive(Default)]
struct SocketCounts {
    sessions: HashMap<Uuid, u32>,
    people: HashMap<UserId, u32>,
}

/// Held by an open socket; its slot is given back when it is dropped.
pub struct SocketSlot {
    counts: Arc<Mutex<SocketCounts>>,
    session: Uuid,
    person: UserId,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.counts.lock() {
            decrement(&mut counts.sessions, self.session);
            decrement(&mut counts.people, self.person);
        }
    }
}

fn decrement<K: Hash + Eq>(map: &mut HashMap<K, u32>, key: K) {
    if let Some(n) = map.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&key);
        }
    }
}

impl Limits {
    /// `shared`: Redis, when several instances count together.
    pub fn new(config: &LimitsConfig, shared: Option<&Shared>) -> Self {
        let on = config.enabled;
        Self {
            messages: Limit::shared(config.messages, on, shared, "messages"),
            rooms_created: Limit::shared(config.rooms_created, on, shared, "rooms_created"),
            friend_requests: Limit::shared(config.friend_requests, on, shared, "friend_requests"),
            uploads: Limit::shared(config.uploads, on, shared, "uploads"),
            registrations: Limit::shared(config.registrations, on, shared, "registrations"),
            mail_requests: Limit::shared(config.mail_requests, on, shared, "mail_requests"),
            password_checks: Limit::shared(config.password_checks, on, shared, "password_checks"),
            sockets: Arc::default(),
            sockets_per_session: config.sockets_per_session.max(1),
            sockets_per_person: config.sockets_per_person.max(1),
            enabled: on,
        }
    }

    /// A slot for one more socket of this session, or 429 when the session or the person
    /// already has as many open as allowed.
    pub fn open_socket(&self, session: Uuid, person: UserId) -> AppResult<SocketSlot> {
        let mut counts = self
            .sockets
            .lock()
            .map_err(|_| AppError::internal("socket counts poisoned"))?;
        let in_session = counts.sessions.get(&session).copied().unwrap_or(0);
        let of_person = counts.people.get(&person).copied().unwrap_or(0);
        if self.enabled
            && (in_session >= self.sockets_per_session || of_person >= self.sockets_per_person)
        {
            // A socket closes as soon as its tab does; try again shortly.
            return Err(AppError::RateLimited { retry_after: 5 });
        }
        *counts.sessions.entry(session).or_default() += 1;
        *counts.people.entry(person).or_default() += 1;
        Ok(SocketSlot {
            counts: self.sockets.clone(),
            session,
            person,
        })
    }

    /// Sockets open now: in all, and per session.
    pub fn sockets_open(&self) -> (u64, HashMap<Uuid, u32>) {
        match self.sockets.lock() {
            Ok(counts) => (
                counts.people.values().map(|n| u64::from(*n)).sum(),
                counts.sessions.clone(),
            ),
            Err(_) => (0, HashMap::new()),
        }
    }

    /// Forgets idle keys (every minute, from `startup`).
    pub fn sweep(&self) {
        self.messages.sweep();
        self.rooms_created.sweep();
        self.friend_requests.sweep();
        self.uploads.sweep();
        self.registrations.sweep();
        self.mail_requests.sweep();
        self.password_checks.sweep();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn buckets_refuse_with_a_wait_and_sockets_give_their_slot_back() {
        let config = LimitsConfig {
            messages: Rate {
                burst: 2,
                refill_ms: 60_000,
            },
            sockets_per_session: 2,
            sockets_per_person: 3,
            ..LimitsConfig::default()
        };
        let limits = Limits::new(&config, None);
        let li = UserId(1);
        assert!(limits.messages.check(&li).await.is_ok());
        assert!(limits.messages.check(&li).await.is_ok());
        match limits.messages.check(&li).await {
            Err(AppError::RateLimited { retry_after }) => assert!((1..=60).contains(&retry_after)),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(
            limits.messages.check(&UserId(2)).await.is_ok(),
            "per person"
        );

        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let first = limits.open_socket(a, li).unwrap();
        let _second = limits.open_socket(a, li).unwrap();
        assert!(limits.open_socket(a, li).is_err(), "per session");
        let _third = limits.open_socket(b, li).unwrap();
        assert!(limits.open_socket(b, li).is_err(), "per person");
        drop(first);
        assert!(
            limits.open_socket(b, li).is_ok(),
            "a closed socket frees its slot"
        );

        let off = Limits::new(
            &LimitsConfig {
                enabled: false,
                ..config
            },
            None,
        );
        for _ in 0..10 {
            assert!(off.messages.check(&li).await.is_ok());
        }
    }

    #[test]
    fn waits_round_up() {
        assert_eq!(seconds_up(Duration::from_millis(1900)), 2);
        assert_eq!(seconds_up(Duration::from_secs(3)), 3);
        assert_eq!(seconds_up(Duration::ZERO), 1);
    }
}
