//! Several instances as one server: what one instance's hub must tell the others goes
//! over Redis pub/sub, on one channel, as JSON `Envelope`s.
//!
//! **The database stays the log; the bus is a hint.** A room event is published after its
//! transaction committed; every instance hands it to its sockets, and each socket keeps
//! the room's `seq` order itself (a repeat is dropped, a gap is read from the database:
//! `socket.rs`). Pub/sub is at-most-once, so nothing may depend on a message arriving:
//! - every `catch_up_ms` each instance compares the newest `seq` of every room it has
//!   sockets in with the database, and sockets behind read what they missed (a lost *last*
//!   message shows no gap);
//! - after the subscription is (re)established, every room is caught up at once, and the
//!   instance says who is connected to it again (presence);
//! - every instance says it is alive every second; its own echo proves the subscription
//!   works (a connection that went silent, as behind a cut network, is dropped and made
//!   again), and an instance not heard for `INSTANCE_TIMEOUT` is taken as gone: its people
//!   go offline after the usual grace.
//!
//! Without Redis none of this runs: one process, the in-process hub.

use super::hub::Hub;
use crate::{auth::cache::SessionCache, entities::room};
use api::{RoomId, UserId, friends::Presence, ws::EndReason};
use futures_util::StreamExt as _;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use uuid::Uuid;

/// How often an instance says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// An instance not heard for this long is gone (its sockets with it).
pub const INSTANCE_TIMEOUT: Duration = Duration::from_secs(5);
/// Our own heartbeat not heard back for this long: the subscription is dead.
const SUBSCRIPTION_TIMEOUT: Duration = Duration::from_secs(4);
/// A publish that takes longer than this is given up (the catch-up covers events).
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(2);
/// Signals waiting to be published; past this they are dropped (and counted).
const OUTBOX: usize = 65_536;
/// Rooms asked for in one catch-up query.
const CATCH_UP_CHUNK: usize = 500;

/// What one instance tells the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Signal {
    /// A committed room event (its frame as sent to sockets).
    Event {
        room_id: RoomId,
        seq: i64,
        frame: String,
    },
    /// A frame for every socket in a room (typing).
    ToRoom {
        room_id: RoomId,
        frame: String,
    },
    /// A frame for every socket of a person (unread counts, friend changes).
    ToUser {
        user_id: UserId,
        frame: String,
    },
    MemberAdded {
        room_id: RoomId,
        user_id: UserId,
        seq: i64,
    },
    MemberRemoved {
        room_id: RoomId,
        user_id: UserId,
    },
    RoomDeleted {
        room_id: RoomId,
    },
    /// These sessions ended: their sockets close, and no cache believes them any more.
    EndSessions {
        session_ids: Vec<Uuid>,
        reason: EndReason,
    },
    Friends {
        a: UserId,
        b: UserId,
        friends: bool,
    },
    Blocked {
        room_id: RoomId,
        people: [UserId; 2],
        blocked: bool,
    },
    Invisible {
        user_id: UserId,
        invisible: bool,
    },
    /// A person's status on the sending instance (`Offline`: no socket there), with what
    /// the others need to know whom to tell.
    Presence {
        user_id: UserId,
        status: Presence,
        rooms: Vec<RoomId>,
        friends: Vec<UserId>,
        last_seen: Option<OffsetDateTime>,
    },
    /// Everyone connected to the sending instance, with their status there: anyone the
    /// receiver had from that instance and who is not listed has no socket there any
    /// more (a lost `Presence` cannot leave someone online). With `reply`, the sender has
    /// just (re)subscribed and wants everyone's roster back.
    Roster {
        people: Vec<RosterEntry>,
        reply: bool,
    },
    /// The sending instance could not publish something: whatever it was (a membership
    /// change, a session ending, a block) may be missing here, so every socket here
    /// reconnects and reads its state again from the database.
    Resync,
    /// The sending instance is alive.
    Alive,
    /// Settings or word lists changed: read them again.
    Reload(Reload),
}

/// One person of a `Roster`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RosterEntry {
    pub user_id: UserId,
    pub status: Presence,
    pub rooms: Vec<RoomId>,
    pub friends: Vec<UserId>,
    pub last_seen: Option<OffsetDateTime>,
}

/// The sender id of processes that are not instances (the admin command line): receivers
/// act on what they say but do not count them as instances.
pub const NOT_AN_INSTANCE: Uuid = Uuid::nil();

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reload {
    Settings,
    Moderation,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    from: Uuid,
    /// When it was published (Unix milliseconds): the bus lag, clocks permitting.
    at: i64,
    #[serde(flatten)]
    signal: Signal,
}

/// Where the hub puts what the other instances must hear. Never waits: a full outbox
/// drops (pub/sub is at-most-once anyway, and the catch-up repairs events).
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Signal>,
    /// Signals dropped because the outbox was full (Redis slow or away).
    dropped: Arc<std::sync::atomic::AtomicU64>,
}

impl Outbox {
    pub fn send(&self, signal: Signal) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(signal) {
            let n = self
                .dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            // Said once, then at every power of two: an outage must not flood the log.
            if n.is_power_of_two() {
                tracing::warn!(dropped = n, "bus outbox full; signals dropped");
            }
        }
    }
}

/// The bus's settings (`Config::redis_url`, `redis_prefix`, `catch_up_ms`).
#[derive(Clone, Debug)]
pub struct BusConfig {
    pub url: String,
    /// The channel is `{prefix}:bus`; instances of one deployment share it.
    pub prefix: String,
    pub catch_up: Duration,
}

/// A connected bus: its outbox for the hub, and the instance's id.
pub struct Bus {
    pub instance: Uuid,
    pub outbox: Outbox,
    inbox: mpsc::Receiver<Signal>,
    client: redis::Client,
    config: BusConfig,
}

/// What a signal from another instance may touch besides the hub.
pub struct Receivers {
    pub db: DatabaseConnection,
    pub hub: Hub,
    pub sessions: Arc<SessionCache>,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Reads settings or word lists again.
    pub reload: Arc<dyn Fn(Reload) + Send + Sync>,
}

impl Bus {
    /// Checks that Redis answers (so a wrong URL stops the start, not the first message).
    pub async fn connect(config: BusConfig) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(config.url.as_str())?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        let (tx, inbox) = mpsc::channel(OUTBOX);
        Ok(Self {
            instance: Uuid::new_v4(),
            outbox: Outbox {
                tx,
                dropped: Arc::default(),
            },
            inbox,
            client,
            config,
        })
    }

    fn channel(&self) -> String {
        channel(&self.config.prefix)
    }

    /// Runs the publishing, the subscription and the catch-up, each on its own task.
    pub fn run(self, receivers: Receivers) {
        let channel = self.channel();
        let receivers = Arc::new(receivers);
        tokio::spawn(publish(
            self.client.clone(),
            channel.clone(),
            self.instance,
            self.inbox,
            self.outbox.dropped.clone(),
            receivers.metrics.clone(),
        ));
        tokio::spawn(subscribe(
            self.client,
            channel,
            self.instance,
            receivers.clone(),
        ));
        tokio::spawn(catch_up_every(self.config.catch_up, receivers));
        // Alive, every second, whatever the presence pacing: the others time us out by
        // it, and our own echo tells that the subscription works.
        let outbox = self.outbox.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(HEARTBEAT);
            loop {
                ticks.tick().await;
                outbox.send(Signal::Alive);
            }
        });
    }
}

/// Publishes the outbox in order, on one connection (reconnected as needed).
async fn publish(
    client: redis::Client,
    channel: String,
    instance: Uuid,
    mut inbox: mpsc::Receiver<Signal>,
    dropped: Arc<std::sync::atomic::AtomicU64>,
    metrics: Arc<crate::metrics::Metrics>,
) {
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_response_timeout(Some(PUBLISH_TIMEOUT))
        .set_connection_timeout(Some(PUBLISH_TIMEOUT));
    let mut conn = None;
    let mut batch = Vec::with_capacity(256);
    // Something was not published: the next batch that goes out says so first.
    let mut lost = false;
    let mut dropped_seen = 0;
    while inbox.recv_many(&mut batch, 256).await > 0 {
        // Signals the full outbox dropped count as lost too.
        let dropped_now = dropped.load(std::sync::atomic::Ordering::Relaxed);
        if dropped_now != dropped_seen {
            dropped_seen = dropped_now;
            lost = true;
        }
        if conn.is_none() {
            conn = client
                .get_connection_manager_with_config(config.clone())
                .await
                .inspect_err(|err| tracing::warn!(error = %err, "bus: cannot publish"))
                .ok();
        }
        let Some(c) = conn.as_mut() else {
            metrics.bus_publish_failures.inc_by(batch.len() as u64);
            lost |= batch.iter().any(|s| !matches!(s, Signal::Alive));
            batch.clear();
            continue;
        };
        let mut pipe = redis::pipe();
        let at = now_ms();
        let was_lost = lost;
        let resent_lost = lost.then_some(Signal::Resync);
        lost |= batch.iter().any(|s| !matches!(s, Signal::Alive));
        let count = batch.len() as u64;
        for signal in resent_lost.into_iter().chain(batch.drain(..)) {
            match serde_json::to_string(&Envelope {
                from: instance,
                at,
                signal,
            }) {
                Ok(json) => {
                    pipe.publish(&channel, json).ignore();
                }
                Err(err) => tracing::error!(error = %err, "bus: cannot serialise"),
            }
        }
        let sent: Result<Result<(), _>, _> =
            tokio::time::timeout(PUBLISH_TIMEOUT, pipe.query_async::<()>(c)).await;
        match sent {
            Ok(Ok(())) => {
                metrics.bus_published.inc_by(count);
                lost = false;
                if was_lost {
                    tracing::info!("bus: published again; the others resync");
                }
            }
            Ok(Err(err)) => {
                metrics.bus_publish_failures.inc_by(count);
                tracing::warn!(error = %err, "bus: publish failed");
            }
            Err(_) => {
                metrics.bus_publish_failures.inc_by(count);
                tracing::warn!("bus: publish timed out");
            }
        }
    }
}

/// Listens to the other instances; after every (re)subscription, catches every room up
/// and says who is here.
async fn subscribe(
    client: redis::Client,
    channel: String,
    instance: Uuid,
    receivers: Arc<Receivers>,
) {
    let mut backoff = Duration::from_millis(100);
    let mut first = true;
    loop {
        if !first {
            receivers.metrics.bus_reconnects.inc();
        }
        let first_time = first;
        first = false;
        match listen(&client, &channel, instance, &receivers, !first_time).await {
            Ok(()) => backoff = Duration::from_millis(100),
            Err(err) => tracing::warn!(error = %err, "bus: subscription lost"),
        }
        receivers.metrics.bus_connected.set(0);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

async fn listen(
    client: &redis::Client,
    channel: &str,
    instance: Uuid,
    receivers: &Receivers,
    again: bool,
) -> Result<(), redis::RedisError> {
    let mut pubsub = tokio::time::timeout(PUBLISH_TIMEOUT, client.get_async_pubsub())
        .await
        .map_err(|_| timed_out("connecting"))??;
    tokio::time::timeout(PUBLISH_TIMEOUT, pubsub.subscribe(channel))
        .await
        .map_err(|_| timed_out("subscribing"))??;
    tracing::info!(%instance, "bus: subscribed");
    receivers.metrics.bus_connected.set(1);
    // Whatever was missed while not subscribed is read now, and the others hear again
    // who is connected here.
    if again {
        // Whatever the others said meanwhile is lost (membership changes, session
        // endings, blocks): every socket here reconnects and reads it from the database.
        receivers.hub.resync_all().await;
    }
    receivers.hub.bus_joined().await;
    catch_up(receivers).await;
    if again {
        // A reload said while we were away is read now.
        (receivers.reload)(Reload::Settings);
        (receivers.reload)(Reload::Moderation);
    }
    let mut messages = pubsub.into_on_message();
    let mut heard_self = Instant::now();
    let mut check = tokio::time::interval(HEARTBEAT);
    loop {
        tokio::select! {
            message = messages.next() => {
                let Some(message) = message else {
                    return Err(timed_out("connection closed"));
                };
                let Ok(payload) = message.get_payload::<String>() else { continue };
                let envelope = match serde_json::from_str::<Envelope>(&payload) {
                    Ok(envelope) => envelope,
                    Err(err) => {
                        tracing::warn!(error = %err, "bus: unreadable message");
                        continue;
                    }
                };
                if envelope.from == instance {
                    heard_self = Instant::now();
                    continue;
                }
                receivers.metrics.bus_received.inc();
                let lag_ms = (now_ms() - envelope.at).max(0);
                receivers.metrics.bus_lag.observe(lag_ms as f64 / 1000.0);
                receive(receivers, envelope.from, envelope.signal).await;
            }
            _ = check.tick() => {
                if heard_self.elapsed() > SUBSCRIPTION_TIMEOUT {
                    return Err(timed_out("own heartbeat not heard"));
                }
            }
        }
    }
}

/// From a process that is not an instance (the admin CLI): tells the running instances
/// once, if Redis is configured (sessions the CLI ended close their sockets everywhere).
pub async fn tell_running(config: &crate::config::Config, signal: Signal) {
    let Some(url) = config.redis_url() else {
        return;
    };
    let told = async {
        let client = redis::Client::open(url)?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        let json = serde_json::to_string(&Envelope {
            from: NOT_AN_INSTANCE,
            at: now_ms(),
            signal,
        })
        .map_err(|e| redis::RedisError::from((redis::ErrorKind::Io, "bus", e.to_string())))?;
        redis::cmd("PUBLISH")
            .arg(channel(&config.redis_prefix))
            .arg(json)
            .query_async::<i64>(&mut conn)
            .await
    };
    if let Err(err) = tokio::time::timeout(PUBLISH_TIMEOUT, told)
        .await
        .unwrap_or_else(|_| Err(timed_out("publishing")))
    {
        tracing::warn!(error = %err, "could not tell the running instances");
    }
}

fn channel(prefix: &str) -> String {
    format!("{prefix}:bus")
}

fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn timed_out(what: &'static str) -> redis::RedisError {
    redis::RedisError::from((redis::ErrorKind::Io, "bus", what.to_owned()))
}

async fn receive(receivers: &Receivers, from: Uuid, signal: Signal) {
    match &signal {
        Signal::EndSessions { session_ids, .. } => receivers.sessions.ended(session_ids),
        Signal::Reload(what) => (receivers.reload)(*what),
        Signal::Resync => {
            (receivers.reload)(Reload::Settings);
            (receivers.reload)(Reload::Moderation);
        }
        _ => {}
    }
    receivers.hub.remote(from, signal).await;
}

async fn catch_up_every(interval: Duration, receivers: Arc<Receivers>) {
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(100)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        catch_up(&receivers).await;
    }
}

/// Rooms with sockets here whose newest event in the database is newer than what the
/// hub has seen: their sockets read what they missed.
async fn catch_up(receivers: &Receivers) {
    let rooms = receivers.hub.room_seqs().await;
    for chunk in rooms.chunks(CATCH_UP_CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(r, _)| r.0).collect();
        let newest: Vec<(i64, i64)> = match room::Entity::find()
            .select_only()
            .column(room::Column::Id)
            .column(room::Column::LastSeq)
            .filter(room::Column::Id.is_in(ids))
            .into_tuple()
            .all(&receivers.db)
            .await
        {
            Ok(rows) => rows,
            Err(err) => {
                tracing::warn!(error = %err, "bus: catch-up query failed");
                return;
            }
        };
        let behind: Vec<(RoomId, i64)> = newest
            .into_iter()
            .filter(|(id, seq)| {
                chunk
                    .iter()
                    .any(|(room, seen)| room.0 == *id && *seq > *seen)
            })
            .map(|(id, seq)| (RoomId(id), seq))
            .collect();
        if !behind.is_empty() {
            tracing::debug!(rooms = behind.len(), "bus: catching up");
            receivers.hub.nudge(behind).await;
        }
    }
}
