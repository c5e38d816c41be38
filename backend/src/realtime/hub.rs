//! The hub: one task owns every subscription; everything else talks to it through the
//! cloneable `Hub` handle. It never waits on a socket: frames go into each socket's bounded
//! queue with `try_send`, and a socket whose queue is full is dropped from the hub (its task
//! sees the queue close and tells the client to reconnect and resume), so one slow reader
//! never slows a room.
//!
//! Presence lives here too. Each person's status (online if any socket is active, away if
//! all report away, offline without sockets or when invisible) goes to their friends and
//! to the sockets in their rooms — nobody else. Changes are collected and sent on a timer
//! (`presence_interval_ms`), one frame per recipient per interval however many people
//! changed, and a person whose last socket closed is announced offline only after a grace
//! (`presence_offline_grace_ms`), so a reload or a reconnect storm announces nothing.
//!
//! With several instances (`bus.rs`), every cluster-wide call on the handle is also put
//! on the bus, and what the other instances say comes back in as `Command::Remote`: their
//! room events and frames go to the sockets here as if published here, and a person's
//! status is the combination of their sockets here and what each other instance reports.

use api::{
    RoomId, UserId,
    friends::{Presence, UserPresence},
    ws::{EndReason, ServerFrame},
};
use bytestring::ByteString;
use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::bus::{self, Outbox, RosterEntry, Signal};

/// Commands waiting for the hub; senders wait (briefly) when it is full.
const COMMAND_QUEUE: usize = 8192;
/// With several instances: how often each sends its complete roster anyway.
const ROSTER_INTERVAL: Duration = Duration::from_secs(30);

pub type ConnId = u64;

/// What a socket's task receives from the hub.
#[derive(Debug)]
pub enum Outbound {
    /// A room event, serialised once for every recipient; `seq` keeps order and drops repeats.
    Event {
        room_id: RoomId,
        seq: i64,
        frame: ByteString,
    },
    /// Any other frame (typing, online lists, unread counts).
    Frame(ByteString),
    /// Now a member of `room_id`; its events after `seq` follow.
    Subscribed { room_id: RoomId, seq: i64 },
    /// No longer a member of `room_id`.
    Unsubscribed { room_id: RoomId },
    /// The session ended: say so and close.
    SessionEnded(EndReason),
    /// The room's newest event is `seq` (the periodic catch-up): anything missed up to
    /// it is read from the database.
    Nudge { room_id: RoomId, seq: i64 },
    /// The hub may have missed something meant for this socket (several instances, after
    /// the bus was lost): reconnect and resume, reading everything again.
    Resync,
}

enum Command {
    Connect {
        conn: ConnId,
        user_id: UserId,
        session_id: Uuid,
        rooms: Vec<RoomId>,
        presence: PresenceSetup,
        tx: mpsc::Sender<Outbound>,
    },
    Activity {
        conn: ConnId,
        away: bool,
    },
    Invisible {
        user_id: UserId,
        invisible: bool,
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
    Presence {
        user_ids: Vec<UserId>,
        reply: oneshot::Sender<Vec<UserPresence>>,
    },
    Subscribe {
        conn: ConnId,
        room_id: RoomId,
        seq: i64,
    },
    Disconnect {
        conn: ConnId,
    },
    Event {
        room_id: RoomId,
        seq: i64,
        frame: ByteString,
    },
    ToRoom {
        room_id: RoomId,
        frame: ByteString,
        except: Option<ConnId>,
    },
    ToUser {
        user_id: UserId,
        frame: ByteString,
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
    EndSessions {
        session_ids: Vec<Uuid>,
        reason: EndReason,
    },
    /// What another instance said (`bus.rs`).
    Remote {
        from: Uuid,
        signal: Signal,
    },
    /// The rooms with sockets here, and the newest `seq` the hub handed out in each.
    RoomSeqs {
        reply: oneshot::Sender<Vec<(RoomId, i64)>>,
    },
    /// These rooms' newest events (from the database): sockets behind catch up.
    Nudge {
        rooms: Vec<(RoomId, i64)>,
    },
    /// The bus (re)subscribed: tell the others again who is connected here.
    BusJoined,
    /// Every socket here reconnects (`Outbound::Resync`).
    ResyncAll,
    /// This socket is out of this room (it found out itself).
    Leave {
        conn: ConnId,
        room_id: RoomId,
    },
}

/// What the hub needs to know about a person's presence when their socket connects.
#[derive(Debug, Default)]
pub struct PresenceSetup {
    pub friends: Vec<UserId>,
    pub invisible: bool,
    /// From the database: when they were last online.
    pub last_seen: Option<OffsetDateTime>,
    /// Their private chats with someone either of them blocked: no presence or typing
    /// passes through these.
    pub blocked_chats: Vec<RoomId>,
}

/// How presence is paced (`Config::presence_interval_ms`, `presence_offline_grace_ms`).
#[derive(Clone, Copy, Debug)]
pub struct PresenceTiming {
    pub interval: Duration,
    pub offline_grace: Duration,
}

#[derive(Clone)]
pub struct Hub {
    commands: mpsc::Sender<Command>,
    next_conn: Arc<AtomicU64>,
    /// Frames that may wait for one socket (`Config::socket_queue`). A client this far
    /// behind is disconnected and resumes from the database, which is cheaper than
    /// buffering without bound.
    socket_queue: usize,
    /// The other instances, when there are any (`bus.rs`).
    bus: Option<Outbox>,
}

impl Hub {
    /// Starts the hub task on the current runtime; with `bus`, as one of several instances.
    pub fn start(
        socket_queue: usize,
        timing: PresenceTiming,
        bus: Option<Outbox>,
        metrics: Arc<crate::metrics::Metrics>,
    ) -> Self {
        let (commands, rx) = mpsc::channel(COMMAND_QUEUE);
        tokio::spawn(State::new(timing, bus.clone(), metrics).run(rx));
        Self {
            commands,
            next_conn: Arc::new(AtomicU64::new(1)),
            socket_queue: socket_queue.max(1),
            bus,
        }
    }

    /// Tells the other instances, if there are any.
    fn tell(&self, signal: impl FnOnce() -> Signal) {
        if let Some(bus) = &self.bus {
            bus.send(signal());
        }
    }

    /// What another instance said.
    pub async fn remote(&self, from: Uuid, signal: Signal) {
        self.send(Command::Remote { from, signal }).await;
    }

    /// The rooms with sockets here and the newest `seq` handed out in each (the catch-up).
    pub async fn room_seqs(&self) -> Vec<(RoomId, i64)> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::RoomSeqs { reply }).await;
        answer.await.unwrap_or_default()
    }

    /// These rooms' newest events are at these `seq`s: sockets behind read the rest.
    pub async fn nudge(&self, rooms: Vec<(RoomId, i64)>) {
        self.send(Command::Nudge { rooms }).await;
    }

    /// Settings or word lists changed here: the other instances read them again.
    pub fn reload(&self, what: bus::Reload) {
        self.tell(|| Signal::Reload(what));
    }

    /// One socket leaves one room, here only (it read its own leaving from the database).
    pub async fn leave(&self, conn: ConnId, room_id: RoomId) {
        self.send(Command::Leave { conn, room_id }).await;
    }

    /// Every socket here reconnects and reads its state again (memberships, session,
    /// friends, blocks) from the database: what the other instances said may be lost.
    pub async fn resync_all(&self) {
        self.send(Command::ResyncAll).await;
    }

    /// The bus is (again) subscribed.
    pub async fn bus_joined(&self) {
        self.send(Command::BusJoined).await;
    }

    async fn send(&self, command: Command) {
        // The hub only stops when the runtime does; then nobody is listening anyway.
        let _ = self.commands.send(command).await;
    }

    /// Registers a socket in its rooms. Returns its id and its queue; the first frame in
    /// the queue is the presence of everyone it may see.
    pub async fn connect(
        &self,
        user_id: UserId,
        session_id: Uuid,
        rooms: Vec<RoomId>,
        presence: PresenceSetup,
    ) -> (ConnId, mpsc::Receiver<Outbound>) {
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(self.socket_queue);
        self.send(Command::Connect {
            conn,
            user_id,
            session_id,
            rooms,
            presence,
            tx,
        })
        .await;
        (conn, rx)
    }

    /// The client of this socket reports its user active or away.
    pub async fn activity(&self, conn: ConnId, away: bool) {
        self.send(Command::Activity { conn, away }).await;
    }

    /// The user turned invisible mode on or off.
    pub async fn invisible(&self, user_id: UserId, invisible: bool) {
        self.tell(|| Signal::Invisible { user_id, invisible });
        self.send(Command::Invisible { user_id, invisible }).await;
    }

    /// `a` and `b` became friends (`true`) or stopped being friends: presence follows.
    pub async fn friends(&self, a: UserId, b: UserId, friends: bool) {
        self.tell(|| Signal::Friends { a, b, friends });
        self.send(Command::Friends { a, b, friends }).await;
    }

    /// One of the two people of the private chat `room_id` blocked the other (`true`), or
    /// no block is left between them (`false`). While blocked, the chat carries neither
    /// presence nor typing; a block does not touch what they share in group rooms.
    pub async fn blocked(&self, room_id: RoomId, people: [UserId; 2], blocked: bool) {
        self.tell(|| Signal::Blocked {
            room_id,
            people,
            blocked,
        });
        self.send(Command::Blocked {
            room_id,
            people,
            blocked,
        })
        .await;
    }

    /// What these people's friends see of them now. People the hub does not know are
    /// offline with no `last_seen_at` (the caller has it from the database).
    pub async fn presence(&self, user_ids: Vec<UserId>) -> Vec<UserPresence> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Presence { user_ids, reply }).await;
        answer.await.unwrap_or_default()
    }

    /// Adds one more room to a connected socket (a membership that appeared while it connected).
    pub async fn subscribe(&self, conn: ConnId, room_id: RoomId, seq: i64) {
        self.send(Command::Subscribe { conn, room_id, seq }).await;
    }

    pub async fn disconnect(&self, conn: ConnId) {
        self.send(Command::Disconnect { conn }).await;
    }

    /// Delivers committed room events to the sockets in their rooms.
    pub async fn publish(&self, published: Vec<super::Published>) {
        for event in published {
            self.tell(|| Signal::Event {
                room_id: event.room_id,
                seq: event.seq,
                frame: event.frame.to_string(),
            });
            self.send(Command::Event {
                room_id: event.room_id,
                seq: event.seq,
                frame: event.frame,
            })
            .await;
        }
    }

    /// A frame for everyone in a room (typing), optionally not back to its sender.
    pub async fn to_room(&self, room_id: RoomId, frame: &ServerFrame, except: Option<ConnId>) {
        if let Some(frame) = serialise(frame) {
            self.tell(|| Signal::ToRoom {
                room_id,
                frame: frame.to_string(),
            });
            self.send(Command::ToRoom {
                room_id,
                frame,
                except,
            })
            .await;
        }
    }

    /// A frame for every socket of one user (unread counts, so a second tab updates too).
    pub async fn to_user(&self, user_id: UserId, frame: &ServerFrame) {
        if let Some(frame) = serialise(frame) {
            self.tell(|| Signal::ToUser {
                user_id,
                frame: frame.to_string(),
            });
            self.send(Command::ToUser { user_id, frame }).await;
        }
    }

    /// `user_id` joined `room_id` with event `seq`: their sockets follow the room from there.
    pub async fn member_added(&self, room_id: RoomId, user_id: UserId, seq: i64) {
        self.tell(|| Signal::MemberAdded {
            room_id,
            user_id,
            seq,
        });
        self.send(Command::MemberAdded {
            room_id,
            user_id,
            seq,
        })
        .await;
    }

    /// `user_id` left or was removed: their sockets stop receiving the room at once.
    pub async fn member_removed(&self, room_id: RoomId, user_id: UserId) {
        self.tell(|| Signal::MemberRemoved { room_id, user_id });
        self.send(Command::MemberRemoved { room_id, user_id }).await;
    }

    pub async fn room_deleted(&self, room_id: RoomId) {
        self.tell(|| Signal::RoomDeleted { room_id });
        self.send(Command::RoomDeleted { room_id }).await;
    }

    /// Tells the sockets of these sessions that they ended, and closes them.
    pub async fn end_sessions(&self, session_ids: Vec<Uuid>, reason: EndReason) {
        if !session_ids.is_empty() {
            self.tell(|| Signal::EndSessions {
                session_ids: session_ids.clone(),
                reason,
            });
            self.send(Command::EndSessions {
                session_ids,
                reason,
            })
            .await;
        }
    }
}

fn serialise(frame: &ServerFrame) -> Option<ByteString> {
    match serde_json::to_string(frame) {
        Ok(json) => Some(ByteString::from(json)),
        Err(err) => {
            tracing::error!(error = %err, "could not serialise a frame");
            None
        }
    }
}

struct Conn {
    user_id: UserId,
    session_id: Uuid,
    rooms: HashSet<RoomId>,
    tx: mpsc::Sender<Outbound>,
    away: bool,
}

/// A person with sockets, or whose last socket closed less than the grace ago.
struct Person {
    conns: HashSet<ConnId>,
    /// Every room they are in: whom to tell, also after the last socket closed.
    rooms: HashSet<RoomId>,
    friends: HashSet<UserId>,
    invisible: bool,
    last_seen: Option<OffsetDateTime>,
    /// When the last socket closed.
    left_at: Option<Instant>,
    /// What the others were last told.
    announced: Presence,
    /// Their status on each other instance where they have sockets.
    remote: HashMap<Uuid, Presence>,
    /// Their status here as the other instances were last told it.
    published: Presence,
}

impl Person {
    fn new(
        rooms: HashSet<RoomId>,
        friends: HashSet<UserId>,
        invisible: bool,
        last_seen: Option<OffsetDateTime>,
    ) -> Self {
        Self {
            conns: HashSet::new(),
            rooms,
            friends,
            invisible,
            last_seen,
            left_at: None,
            announced: Presence::Offline,
            remote: HashMap::new(),
            published: Presence::Offline,
        }
    }

    /// Has a socket here or on another instance.
    fn connected(&self) -> bool {
        !self.conns.is_empty() || !self.remote.is_empty()
    }
}

struct State {
    conns: HashMap<ConnId, Conn>,
    rooms: HashMap<RoomId, HashSet<ConnId>>,
    people: HashMap<UserId, Person>,
    /// People whose presence may have changed since the last announcement.
    dirty: HashSet<UserId>,
    /// People without sockets who are not announced offline yet.
    in_grace: HashSet<UserId>,
    /// Private chats between people one of whom blocked the other: presence and typing
    /// do not pass through them.
    blocked_chats: HashSet<RoomId>,
    timing: PresenceTiming,
    /// The other instances, when there are any.
    bus: Option<Outbox>,
    /// Other instances, and when each was last heard.
    instances: HashMap<Uuid, Instant>,
    /// The newest `seq` handed to the sockets of each room (the catch-up compares it).
    room_seq: HashMap<RoomId, i64>,
    /// When the roster was last published.
    roster_sent: Option<Instant>,
    metrics: Arc<crate::metrics::Metrics>,
}

impl State {
    fn new(
        timing: PresenceTiming,
        bus: Option<Outbox>,
        metrics: Arc<crate::metrics::Metrics>,
    ) -> Self {
        Self {
            conns: HashMap::new(),
            rooms: HashMap::new(),
            people: HashMap::new(),
            dirty: HashSet::new(),
            in_grace: HashSet::new(),
            blocked_chats: HashSet::new(),
            timing,
            bus,
            instances: HashMap::new(),
            room_seq: HashMap::new(),
            roster_sent: None,
            metrics,
        }
    }

    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut presence =
            tokio::time::interval(self.timing.interval.max(Duration::from_millis(1)));
        presence.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.handle(command),
                    None => break,
                },
                _ = presence.tick() => self.tick(),
            }
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Connect {
                conn,
                user_id,
                session_id,
                rooms,
                presence,
                tx,
            } => {
                self.conns.insert(
                    conn,
                    Conn {
                        user_id,
                        session_id,
                        rooms: HashSet::new(),
                        tx,
                        away: false,
                    },
                );
                let person = self.people.entry(user_id).or_insert_with(|| {
                    Person::new(
                        HashSet::new(),
                        HashSet::new(),
                        presence.invisible,
                        presence.last_seen,
                    )
                });
                person.conns.insert(conn);
                person.left_at = None;
                self.in_grace.remove(&user_id);
                person.friends = presence.friends.into_iter().collect();
                person.invisible = presence.invisible;
                person.rooms.extend(rooms.iter().copied());
                self.blocked_chats.extend(presence.blocked_chats);
                for room_id in rooms {
                    self.join(conn, room_id);
                }
                self.dirty.insert(user_id);
                self.send_snapshot(conn);
            }
            Command::Subscribe { conn, room_id, seq } => {
                if self.join(conn, room_id) {
                    self.subscribed(conn, room_id, seq);
                    if let Some(user_id) = self.conns.get(&conn).map(|c| c.user_id) {
                        self.met_in_room(user_id, room_id);
                    }
                }
            }
            Command::Disconnect { conn } => self.drop_conn(conn),
            Command::Activity { conn, away } => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.away = away;
                    self.dirty.insert(c.user_id);
                }
            }
            Command::Invisible { user_id, invisible } => {
                if let Some(person) = self.people.get_mut(&user_id) {
                    person.invisible = invisible;
                    self.dirty.insert(user_id);
                }
            }
            Command::Friends { a, b, friends } => {
                for (me, other) in [(a, b), (b, a)] {
                    if let Some(person) = self.people.get_mut(&me) {
                        if friends {
                            person.friends.insert(other);
                        } else {
                            person.friends.remove(&other);
                        }
                    }
                }
                if friends {
                    self.introduce(a, b);
                    self.introduce(b, a);
                }
            }
            Command::Blocked {
                room_id,
                people: [a, b],
                blocked,
            } => {
                if blocked {
                    if self.blocked_chats.insert(room_id) {
                        self.forget_through_chat(a, b);
                        self.forget_through_chat(b, a);
                    }
                } else if self.blocked_chats.remove(&room_id) {
                    self.introduce(a, b);
                    self.introduce(b, a);
                }
            }
            Command::Presence { user_ids, reply } => {
                let answer = user_ids.into_iter().map(|u| self.presence_of(u)).collect();
                let _ = reply.send(answer);
            }
            Command::Event {
                room_id,
                seq,
                frame,
            } => {
                // Every room's, with sockets here or not (a few bytes a room): a socket that
                // joins learns what it may have missed (`subscribed`).
                let newest = self.room_seq.entry(room_id).or_insert(seq);
                *newest = (*newest).max(seq);
                for conn in self.members(room_id) {
                    self.deliver(
                        conn,
                        Outbound::Event {
                            room_id,
                            seq,
                            frame: frame.clone(),
                        },
                    );
                }
            }
            Command::ToRoom {
                room_id,
                frame,
                except,
            } => {
                if self.blocked_chats.contains(&room_id) {
                    return;
                }
                for conn in self.members(room_id) {
                    if Some(conn) != except {
                        self.deliver(conn, Outbound::Frame(frame.clone()));
                    }
                }
            }
            Command::ToUser { user_id, frame } => {
                for conn in self.user_conns(user_id) {
                    self.deliver(conn, Outbound::Frame(frame.clone()));
                }
            }
            Command::MemberAdded {
                room_id,
                user_id,
                seq,
            } => {
                if let Some(person) = self.people.get_mut(&user_id) {
                    person.rooms.insert(room_id);
                }
                let mut joined = false;
                for conn in self.user_conns(user_id) {
                    if self.join(conn, room_id) {
                        joined = true;
                        self.subscribed(conn, room_id, seq);
                    }
                }
                // Also someone with sockets only on other instances: the sockets here
                // in the room learn their presence now.
                let elsewhere = self
                    .people
                    .get(&user_id)
                    .is_some_and(|p| !p.remote.is_empty());
                if joined || elsewhere {
                    self.met_in_room(user_id, room_id);
                }
            }
            Command::MemberRemoved { room_id, user_id } => {
                if let Some(person) = self.people.get_mut(&user_id) {
                    person.rooms.remove(&room_id);
                }
                for conn in self.user_conns(user_id) {
                    if self.leave(conn, room_id) {
                        self.deliver(conn, Outbound::Unsubscribed { room_id });
                    }
                }
            }
            Command::RoomDeleted { room_id } => {
                for conn in self.members(room_id) {
                    if let Some(user_id) = self.conns.get(&conn).map(|c| c.user_id)
                        && let Some(person) = self.people.get_mut(&user_id)
                    {
                        person.rooms.remove(&room_id);
                    }
                    if self.leave(conn, room_id) {
                        self.deliver(conn, Outbound::Unsubscribed { room_id });
                    }
                }
                self.rooms.remove(&room_id);
                self.room_seq.remove(&room_id);
            }
            Command::EndSessions {
                session_ids,
                reason,
            } => {
                let ended: Vec<ConnId> = self
                    .conns
                    .iter()
                    .filter(|(_, c)| session_ids.contains(&c.session_id))
                    .map(|(id, _)| *id)
                    .collect();
                for conn in ended {
                    self.deliver(conn, Outbound::SessionEnded(reason));
                    // Out of every room now; the socket closes after sending the notice.
                    self.drop_conn(conn);
                }
            }
            Command::Remote { from, signal } => self.remote(from, signal),
            Command::RoomSeqs { reply } => {
                let rooms = self
                    .rooms
                    .keys()
                    .map(|r| (*r, self.room_seq.get(r).copied().unwrap_or(0)))
                    .collect();
                let _ = reply.send(rooms);
            }
            Command::Nudge { rooms } => {
                self.metrics.catch_ups.inc_by(rooms.len() as u64);
                for (room_id, seq) in rooms {
                    if !self.rooms.contains_key(&room_id) {
                        continue;
                    }
                    let newest = self.room_seq.entry(room_id).or_insert(seq);
                    *newest = (*newest).max(seq);
                    for conn in self.members(room_id) {
                        self.deliver(conn, Outbound::Nudge { room_id, seq });
                    }
                }
            }
            Command::BusJoined => self.publish_roster(true),
            Command::Leave { conn, room_id } => {
                self.leave(conn, room_id);
            }
            Command::ResyncAll => {
                let all: Vec<ConnId> = self.conns.keys().copied().collect();
                if !all.is_empty() {
                    tracing::info!(sockets = all.len(), "bus: every socket reconnects");
                }
                for conn in all {
                    self.deliver(conn, Outbound::Resync);
                    self.drop_conn(conn);
                }
            }
        }
    }

    /// What another instance said: its events and frames go to the sockets here as if
    /// they were published here; its people's statuses combine with theirs here.
    fn remote(&mut self, from: Uuid, signal: Signal) {
        if from != bus::NOT_AN_INSTANCE && self.instances.insert(from, Instant::now()).is_none() {
            // A new instance (or one back after it was taken as gone): it learns who is here.
            self.publish_roster(false);
        }
        let command = match signal {
            Signal::Event {
                room_id,
                seq,
                frame,
            } => Command::Event {
                room_id,
                seq,
                frame: frame.into(),
            },
            Signal::ToRoom { room_id, frame } => Command::ToRoom {
                room_id,
                frame: frame.into(),
                except: None,
            },
            Signal::ToUser { user_id, frame } => Command::ToUser {
                user_id,
                frame: frame.into(),
            },
            Signal::MemberAdded {
                room_id,
                user_id,
                seq,
            } => Command::MemberAdded {
                room_id,
                user_id,
                seq,
            },
            Signal::MemberRemoved { room_id, user_id } => {
                Command::MemberRemoved { room_id, user_id }
            }
            Signal::RoomDeleted { room_id } => Command::RoomDeleted { room_id },
            Signal::EndSessions {
                session_ids,
                reason,
            } => Command::EndSessions {
                session_ids,
                reason,
            },
            Signal::Friends { a, b, friends } => Command::Friends { a, b, friends },
            Signal::Blocked {
                room_id,
                people,
                blocked,
            } => Command::Blocked {
                room_id,
                people,
                blocked,
            },
            Signal::Invisible { user_id, invisible } => Command::Invisible { user_id, invisible },
            Signal::Presence {
                user_id,
                status,
                rooms,
                friends,
                last_seen,
            } => {
                self.remote_presence(from, user_id, status, rooms, friends, last_seen);
                return;
            }
            Signal::Roster { people, reply } => {
                self.roster(from, people);
                if reply {
                    self.publish_roster(false);
                }
                return;
            }
            Signal::Resync => Command::ResyncAll,
            Signal::Alive | Signal::Reload(_) => return,
        };
        self.handle(command);
    }

    /// `user_id`'s status on instance `from`.
    fn remote_presence(
        &mut self,
        from: Uuid,
        user_id: UserId,
        status: Presence,
        rooms: Vec<RoomId>,
        friends: Vec<UserId>,
        last_seen: Option<OffsetDateTime>,
    ) {
        let person = self
            .people
            .entry(user_id)
            .or_insert_with(|| Person::new(HashSet::new(), HashSet::new(), false, last_seen));
        if person.conns.is_empty() && status != Presence::Offline {
            // Nobody here knows them better: whom to tell is what their instance says
            // (kept when they leave, to tell the same people).
            person.rooms = rooms.into_iter().collect();
            person.friends = friends.into_iter().collect();
        }
        if last_seen > person.last_seen {
            person.last_seen = last_seen;
        }
        let was = person.connected();
        if status == Presence::Offline {
            person.remote.remove(&from);
        } else {
            person.remote.insert(from, status);
            person.left_at = None;
            self.in_grace.remove(&user_id);
        }
        if was && !person.connected() {
            person.left_at = Some(Instant::now());
            if !person.invisible {
                // Gone from their last instance (or it from us): seen until now.
                person.last_seen = Some(OffsetDateTime::now_utc());
            }
            if person.announced != Presence::Offline {
                self.in_grace.insert(user_id);
            }
        }
        self.dirty.insert(user_id);
    }

    /// Every presence interval: instances gone silent, the periodic roster, announcements.
    fn tick(&mut self) {
        if self.bus.is_some() {
            let now = Instant::now();
            // Heals a lost `Presence` even while every subscription stayed up (a failed
            // publish).
            if self
                .roster_sent
                .is_none_or(|at| now.duration_since(at) >= ROSTER_INTERVAL)
            {
                self.publish_roster(false);
            }
            let gone: Vec<Uuid> = self
                .instances
                .iter()
                .filter(|(_, heard)| now.duration_since(**heard) > bus::INSTANCE_TIMEOUT)
                .map(|(id, _)| *id)
                .collect();
            for instance in gone {
                tracing::warn!(%instance, "bus: instance gone silent; its people are leaving");
                self.instances.remove(&instance);
                let affected: Vec<UserId> = self
                    .people
                    .iter()
                    .filter(|(_, p)| p.remote.contains_key(&instance))
                    .map(|(u, _)| *u)
                    .collect();
                for user_id in affected {
                    self.remote_presence(
                        instance,
                        user_id,
                        Presence::Offline,
                        Vec::new(),
                        Vec::new(),
                        None,
                    );
                }
            }
        }
        self.announce_presence();
    }

    fn tell(&self, signal: Signal) {
        if let Some(bus) = &self.bus {
            bus.send(signal);
        }
    }

    /// `user_id`'s status from the sockets here only (what the other instances combine).
    fn local_status(&self, person: &Person) -> Presence {
        if person.invisible || person.conns.is_empty() {
            Presence::Offline
        } else if person
            .conns
            .iter()
            .any(|c| self.conns.get(c).is_some_and(|c| !c.away))
        {
            Presence::Online
        } else {
            Presence::Away
        }
    }

    /// Tells the other instances `user_id`'s status here, if it changed (or `always`).
    fn publish_local(&mut self, user_id: UserId, always: bool) {
        if self.bus.is_none() {
            return;
        }
        let Some(person) = self.people.get(&user_id) else {
            return;
        };
        let status = self.local_status(person);
        if status == person.published && !(always && status != Presence::Offline) {
            return;
        }
        let signal = Signal::Presence {
            user_id,
            status,
            rooms: person.rooms.iter().copied().collect(),
            friends: person.friends.iter().copied().collect(),
            last_seen: person.last_seen,
        };
        if let Some(person) = self.people.get_mut(&user_id) {
            person.published = status;
        }
        self.tell(signal);
    }

    /// Tells the other instances everyone connected here, as one complete list.
    fn publish_roster(&mut self, reply: bool) {
        if self.bus.is_none() {
            return;
        }
        self.roster_sent = Some(Instant::now());
        let mut people = Vec::new();
        for (user_id, person) in &self.people {
            let status = self.local_status(person);
            if status == Presence::Offline {
                continue;
            }
            people.push(RosterEntry {
                user_id: *user_id,
                status,
                rooms: person.rooms.iter().copied().collect(),
                friends: person.friends.iter().copied().collect(),
                last_seen: person.last_seen,
            });
        }
        for entry in &people {
            if let Some(person) = self.people.get_mut(&entry.user_id) {
                person.published = entry.status;
            }
        }
        self.tell(Signal::Roster { people, reply });
    }

    /// Instance `from`'s complete list: who is listed has that status there; whom we had
    /// from it and who is not listed has no socket there any more.
    fn roster(&mut self, from: Uuid, people: Vec<RosterEntry>) {
        let listed: HashSet<UserId> = people.iter().map(|e| e.user_id).collect();
        let gone: Vec<UserId> = self
            .people
            .iter()
            .filter(|(u, p)| p.remote.contains_key(&from) && !listed.contains(u))
            .map(|(u, _)| *u)
            .collect();
        for user_id in gone {
            self.remote_presence(
                from,
                user_id,
                Presence::Offline,
                Vec::new(),
                Vec::new(),
                None,
            );
        }
        for entry in people {
            self.remote_presence(
                from,
                entry.user_id,
                entry.status,
                entry.rooms,
                entry.friends,
                entry.last_seen,
            );
        }
    }

    /// `conn` now follows `room_id` from `seq`. An event after `seq` may have been handed
    /// out before this (its writer and the membership's reached the hub in the other
    /// order, here or on another instance): the socket reads it from the database.
    fn subscribed(&mut self, conn: ConnId, room_id: RoomId, seq: i64) {
        self.deliver(conn, Outbound::Subscribed { room_id, seq });
        if let Some(&newest) = self.room_seq.get(&room_id)
            && newest > seq
        {
            self.deliver(
                conn,
                Outbound::Nudge {
                    room_id,
                    seq: newest,
                },
            );
        }
    }

    fn members(&self, room_id: RoomId) -> Vec<ConnId> {
        self.rooms
            .get(&room_id)
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default()
    }

    fn user_conns(&self, user_id: UserId) -> Vec<ConnId> {
        self.people
            .get(&user_id)
            .map(|p| p.conns.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Adds `conn` to `room_id`; false if it was already there (or is gone).
    fn join(&mut self, conn: ConnId, room_id: RoomId) -> bool {
        let Some(c) = self.conns.get_mut(&conn) else {
            return false;
        };
        if !c.rooms.insert(room_id) {
            return false;
        }
        self.rooms.entry(room_id).or_default().insert(conn);
        true
    }

    fn leave(&mut self, conn: ConnId, room_id: RoomId) -> bool {
        let removed = self
            .conns
            .get_mut(&conn)
            .is_some_and(|c| c.rooms.remove(&room_id));
        if let Some(conns) = self.rooms.get_mut(&room_id) {
            conns.remove(&conn);
            if conns.is_empty() {
                self.rooms.remove(&room_id);
            }
        }
        removed
    }

    /// Hands a frame to a socket without waiting. A full queue means the socket cannot keep
    /// up: it is dropped (its task sees the queue close and asks the client to resume).
    fn deliver(&mut self, conn: ConnId, out: Outbound) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        match c.tx.try_send(out) {
            Ok(()) => {
                self.metrics.deliveries.inc();
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.metrics.drops.inc();
                tracing::info!(conn, user_id = %c.user_id, "socket too slow; disconnecting it");
                self.drop_conn(conn);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => self.drop_conn(conn),
        }
    }

    /// Removes a socket from every room; dropping its sender closes its queue.
    fn drop_conn(&mut self, conn: ConnId) {
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        if let Some(person) = self.people.get_mut(&c.user_id) {
            person.conns.remove(&conn);
            if person.conns.is_empty() && !person.invisible {
                person.last_seen = Some(OffsetDateTime::now_utc());
            }
            if !person.connected() {
                person.left_at = Some(Instant::now());
                if person.announced != Presence::Offline {
                    self.in_grace.insert(c.user_id);
                }
            }
            self.dirty.insert(c.user_id);
        }
        for room_id in &c.rooms {
            if let Some(conns) = self.rooms.get_mut(room_id) {
                conns.remove(&conn);
                if conns.is_empty() {
                    self.rooms.remove(room_id);
                }
            }
        }
    }

    /// What others are told about `user_id` now (as last announced).
    fn presence_of(&self, user_id: UserId) -> UserPresence {
        match self.people.get(&user_id) {
            Some(person) => UserPresence {
                user_id,
                status: person.announced,
                last_seen_at: match person.announced {
                    Presence::Offline => person.last_seen,
                    _ => None,
                },
            },
            None => UserPresence {
                user_id,
                status: Presence::Offline,
                last_seen_at: None,
            },
        }
    }

    /// The status `user_id` should have now, from their sockets.
    fn actual(&self, person: &Person) -> Presence {
        if person.invisible {
            return Presence::Offline;
        }
        let here = self.local_status(person);
        if here == Presence::Online || person.remote.values().any(|s| *s == Presence::Online) {
            Presence::Online
        } else if here == Presence::Away || !person.remote.is_empty() {
            Presence::Away
        } else {
            Presence::Offline
        }
    }

    /// The sockets that may see `user_id`'s presence: their rooms' and their friends'.
    fn watchers(&self, user_id: UserId) -> HashSet<ConnId> {
        let mut out = HashSet::new();
        let Some(person) = self.people.get(&user_id) else {
            return out;
        };
        for room_id in person.rooms.difference(&self.blocked_chats) {
            if let Some(conns) = self.rooms.get(room_id) {
                out.extend(conns.iter().copied());
            }
        }
        for friend in &person.friends {
            if let Some(p) = self.people.get(friend) {
                out.extend(p.conns.iter().copied());
            }
        }
        for own in &person.conns {
            out.remove(own);
        }
        out
    }

    /// Sends everyone whose presence changed to whoever may see it: one frame per socket.
    fn announce_presence(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut changed = Vec::new();
        for user_id in std::mem::take(&mut self.dirty) {
            self.publish_local(user_id, false);
            let Some(person) = self.people.get(&user_id) else {
                continue;
            };
            if !person.connected()
                && person
                    .left_at
                    .is_some_and(|left| now < left + self.timing.offline_grace)
            {
                // Maybe only a reload: decide after the grace.
                self.dirty.insert(user_id);
                continue;
            }
            let status = self.actual(person);
            if status != person.announced {
                changed.push((user_id, status));
            } else if status == Presence::Offline && !person.connected() {
                // Never announced (invisible, or gone within one interval): forget them.
                self.in_grace.remove(&user_id);
                self.people.remove(&user_id);
            }
        }
        let mut frames: HashMap<ConnId, Vec<UserPresence>> = HashMap::new();
        for (user_id, status) in &changed {
            if let Some(person) = self.people.get_mut(user_id) {
                person.announced = *status;
            }
            let presence = self.presence_of(*user_id);
            for conn in self.watchers(*user_id) {
                frames.entry(conn).or_default().push(presence.clone());
            }
        }
        // People gone for good are forgotten once the others were told.
        for (user_id, status) in &changed {
            if *status == Presence::Offline {
                self.in_grace.remove(user_id);
                if self.people.get(user_id).is_some_and(|p| !p.connected()) {
                    self.people.remove(user_id);
                }
            }
        }
        for (conn, users) in frames {
            if let Some(frame) = serialise(&ServerFrame::Presence { users }) {
                self.deliver(conn, Outbound::Frame(frame));
            }
        }
    }

    /// People with sockets on other instances who are in any of `rooms`.
    fn remote_people_in(&self, rooms: &HashSet<RoomId>) -> Vec<UserId> {
        self.people
            .iter()
            .filter(|(_, p)| !p.remote.is_empty() && !p.rooms.is_disjoint(rooms))
            .map(|(u, _)| *u)
            .collect()
    }

    /// The first presence frame of a socket: everyone it may see who is not offline.
    fn send_snapshot(&mut self, conn: ConnId) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        let mut seen: HashSet<UserId> = HashSet::new();
        let rooms: HashSet<RoomId> = c.rooms.difference(&self.blocked_chats).copied().collect();
        for room_id in &rooms {
            if let Some(conns) = self.rooms.get(room_id) {
                seen.extend(
                    conns
                        .iter()
                        .filter_map(|c| self.conns.get(c).map(|c| c.user_id)),
                );
            }
        }
        if let Some(person) = self.people.get(&c.user_id) {
            seen.extend(person.friends.iter().copied());
        }
        seen.extend(self.remote_people_in(&rooms));
        // Those in the grace after their last socket closed are still shown as before.
        for user_id in &self.in_grace {
            if self
                .people
                .get(user_id)
                .is_some_and(|p| !p.rooms.is_disjoint(&rooms))
            {
                seen.insert(*user_id);
            }
        }
        seen.remove(&c.user_id);
        let mut users: Vec<UserPresence> = seen
            .into_iter()
            .map(|u| self.presence_of(u))
            .filter(|p| p.status != Presence::Offline)
            .collect();
        users.sort_by_key(|p| p.user_id);
        if let Some(frame) = serialise(&ServerFrame::Presence { users }) {
            self.deliver(conn, Outbound::Frame(frame));
        }
    }

    /// `user_id` is newly in `room_id`: they and the room's sockets learn each other's
    /// presence now (nobody's status changed, so no announcement would carry it).
    fn met_in_room(&mut self, user_id: UserId, room_id: RoomId) {
        if self.blocked_chats.contains(&room_id) {
            return;
        }
        let room_conns = self.members(room_id);
        let others: HashSet<UserId> = room_conns
            .iter()
            .filter_map(|c| self.conns.get(c).map(|c| c.user_id))
            .chain(self.remote_people_in(&HashSet::from([room_id])))
            .filter(|u| *u != user_id)
            .collect();
        let mut users: Vec<UserPresence> = others
            .into_iter()
            .map(|u| self.presence_of(u))
            .filter(|p| p.status != Presence::Offline)
            .collect();
        if !users.is_empty() {
            users.sort_by_key(|p| p.user_id);
            if let Some(frame) = serialise(&ServerFrame::Presence { users }) {
                for conn in self.user_conns(user_id) {
                    self.deliver(conn, Outbound::Frame(frame.clone()));
                }
            }
        }
        let me = self.presence_of(user_id);
        if me.status != Presence::Offline
            && let Some(frame) = serialise(&ServerFrame::Presence { users: vec![me] })
        {
            for conn in room_conns {
                if self.conns.get(&conn).is_some_and(|c| c.user_id != user_id) {
                    self.deliver(conn, Outbound::Frame(frame.clone()));
                }
            }
        }
    }

    /// After a block: if `to` may no longer see `about` at all (they share no other room
    /// and are not friends), `to`'s sockets are told `about` is offline, with no last seen,
    /// so nothing they showed stays on screen.
    fn forget_through_chat(&mut self, to: UserId, about: UserId) {
        let to_conns = self.user_conns(to);
        if to_conns.is_empty() {
            return;
        }
        let watchers = self.watchers(about);
        if to_conns.iter().any(|c| watchers.contains(c)) {
            return;
        }
        let hidden = UserPresence {
            user_id: about,
            status: Presence::Offline,
            last_seen_at: None,
        };
        if let Some(frame) = serialise(&ServerFrame::Presence {
            users: vec![hidden],
        }) {
            for conn in to_conns {
                self.deliver(conn, Outbound::Frame(frame.clone()));
            }
        }
    }

    /// Tells `to`'s sockets `about`'s presence, if it is anything but offline.
    fn introduce(&mut self, to: UserId, about: UserId) {
        let presence = self.presence_of(about);
        if presence.status == Presence::Offline {
            return;
        }
        if let Some(frame) = serialise(&ServerFrame::Presence {
            users: vec![presence],
        }) {
            for conn in self.user_conns(to) {
                self.deliver(conn, Outbound::Frame(frame.clone()));
            }
        }
    }
}
