//! The hub: one task owns every subscription; everything else talks to it through the
//! cloneable `Hub` handle. It never waits on a socket: frames go into each socket's bounded
//! queue with `try_send`, and a socket whose queue is full is dropped from the hub (its task
//! sees the queue close and tells the client to reconnect and resume), so one slow reader
//! never slows a room.

use api::{
    RoomId, UserId,
    ws::{EndReason, ServerFrame},
};
use bytestring::ByteString;
use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Commands waiting for the hub; senders wait (briefly) when it is full.
const COMMAND_QUEUE: usize = 8192;

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
}

enum Command {
    Connect {
        conn: ConnId,
        user_id: UserId,
        session_id: Uuid,
        rooms: Vec<RoomId>,
        tx: mpsc::Sender<Outbound>,
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
    Online {
        room_id: RoomId,
        reply: oneshot::Sender<Vec<UserId>>,
    },
}

#[derive(Clone)]
pub struct Hub {
    commands: mpsc::Sender<Command>,
    next_conn: Arc<AtomicU64>,
    /// Frames that may wait for one socket (`Config::socket_queue`). A client this far
    /// behind is disconnected and resumes from the database, which is cheaper than
    /// buffering without bound.
    socket_queue: usize,
}

impl Hub {
    /// Starts the hub task on the current runtime.
    pub fn start(socket_queue: usize) -> Self {
        let (commands, rx) = mpsc::channel(COMMAND_QUEUE);
        tokio::spawn(State::default().run(rx));
        Self {
            commands,
            next_conn: Arc::new(AtomicU64::new(1)),
            socket_queue: socket_queue.max(1),
        }
    }

    async fn send(&self, command: Command) {
        // The hub only stops when the runtime does; then nobody is listening anyway.
        let _ = self.commands.send(command).await;
    }

    /// Registers a socket in its rooms. Returns its id and its queue.
    pub async fn connect(
        &self,
        user_id: UserId,
        session_id: Uuid,
        rooms: Vec<RoomId>,
    ) -> (ConnId, mpsc::Receiver<Outbound>) {
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(self.socket_queue);
        self.send(Command::Connect {
            conn,
            user_id,
            session_id,
            rooms,
            tx,
        })
        .await;
        (conn, rx)
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
            self.send(Command::ToUser { user_id, frame }).await;
        }
    }

    /// `user_id` joined `room_id` with event `seq`: their sockets follow the room from there.
    pub async fn member_added(&self, room_id: RoomId, user_id: UserId, seq: i64) {
        self.send(Command::MemberAdded {
            room_id,
            user_id,
            seq,
        })
        .await;
    }

    /// `user_id` left or was removed: their sockets stop receiving the room at once.
    pub async fn member_removed(&self, room_id: RoomId, user_id: UserId) {
        self.send(Command::MemberRemoved { room_id, user_id }).await;
    }

    pub async fn room_deleted(&self, room_id: RoomId) {
        self.send(Command::RoomDeleted { room_id }).await;
    }

    /// Tells the sockets of these sessions that they ended, and closes them.
    pub async fn end_sessions(&self, session_ids: Vec<Uuid>, reason: EndReason) {
        if !session_ids.is_empty() {
            self.send(Command::EndSessions {
                session_ids,
                reason,
            })
            .await;
        }
    }

    /// Who has a socket open in a room.
    pub async fn online(&self, room_id: RoomId) -> Vec<UserId> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Online { room_id, reply }).await;
        answer.await.unwrap_or_default()
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
}

#[derive(Default)]
struct State {
    conns: HashMap<ConnId, Conn>,
    rooms: HashMap<RoomId, HashSet<ConnId>>,
    users: HashMap<UserId, HashSet<ConnId>>,
}

impl State {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        while let Some(command) = commands.recv().await {
            self.handle(command);
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Connect {
                conn,
                user_id,
                session_id,
                rooms,
                tx,
            } => {
                let first_socket = !self.users.contains_key(&user_id);
                self.conns.insert(
                    conn,
                    Conn {
                        user_id,
                        session_id,
                        rooms: HashSet::new(),
                        tx,
                    },
                );
                self.users.entry(user_id).or_default().insert(conn);
                for room_id in rooms {
                    self.join(conn, room_id);
                    if first_socket {
                        self.announce_online(room_id);
                    } else {
                        self.send_online_to(conn, room_id);
                    }
                }
            }
            Command::Subscribe { conn, room_id, seq } => {
                if self.join(conn, room_id) {
                    self.deliver(conn, Outbound::Subscribed { room_id, seq });
                    self.announce_online(room_id);
                }
            }
            Command::Disconnect { conn } => self.drop_conn(conn),
            Command::Event {
                room_id,
                seq,
                frame,
            } => {
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
                let mut joined = false;
                for conn in self.user_conns(user_id) {
                    if self.join(conn, room_id) {
                        joined = true;
                        self.deliver(conn, Outbound::Subscribed { room_id, seq });
                    }
                }
                if joined {
                    self.announce_online(room_id);
                }
            }
            Command::MemberRemoved { room_id, user_id } => {
                for conn in self.user_conns(user_id) {
                    if self.leave(conn, room_id) {
                        self.deliver(conn, Outbound::Unsubscribed { room_id });
                    }
                }
                self.announce_online(room_id);
            }
            Command::RoomDeleted { room_id } => {
                for conn in self.members(room_id) {
                    if self.leave(conn, room_id) {
                        self.deliver(conn, Outbound::Unsubscribed { room_id });
                    }
                }
                self.rooms.remove(&room_id);
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
            Command::Online { room_id, reply } => {
                let _ = reply.send(self.online(room_id));
            }
        }
    }

    fn members(&self, room_id: RoomId) -> Vec<ConnId> {
        self.rooms
            .get(&room_id)
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default()
    }

    fn user_conns(&self, user_id: UserId) -> Vec<ConnId> {
        self.users
            .get(&user_id)
            .map(|c| c.iter().copied().collect())
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
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
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
        let last_socket = match self.users.get_mut(&c.user_id) {
            Some(conns) => {
                conns.remove(&conn);
                conns.is_empty()
            }
            None => true,
        };
        if last_socket {
            self.users.remove(&c.user_id);
        }
        for room_id in &c.rooms {
            if let Some(conns) = self.rooms.get_mut(room_id) {
                conns.remove(&conn);
                if conns.is_empty() {
                    self.rooms.remove(room_id);
                }
            }
        }
        if last_socket {
            for room_id in c.rooms {
                self.announce_online(room_id);
            }
        }
    }

    fn online(&self, room_id: RoomId) -> Vec<UserId> {
        let mut users: Vec<UserId> = self
            .rooms
            .get(&room_id)
            .map(|conns| {
                conns
                    .iter()
                    .filter_map(|c| self.conns.get(c).map(|c| c.user_id))
                    .collect()
            })
            .unwrap_or_default();
        users.sort();
        users.dedup();
        users
    }

    fn online_frame(&self, room_id: RoomId) -> Option<ByteString> {
        serialise(&ServerFrame::Online {
            room_id,
            user_ids: self.online(room_id),
        })
    }

    /// Tells everyone in a room who is online now.
    fn announce_online(&mut self, room_id: RoomId) {
        if let Some(frame) = self.online_frame(room_id) {
            for conn in self.members(room_id) {
                self.deliver(conn, Outbound::Frame(frame.clone()));
            }
        }
    }

    fn send_online_to(&mut self, conn: ConnId, room_id: RoomId) {
        if let Some(frame) = self.online_frame(room_id) {
            self.deliver(conn, Outbound::Frame(frame));
        }
    }
}
