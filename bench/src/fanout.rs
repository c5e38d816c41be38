//! Fan-out: members of rooms connected over WebSocket, messages sent into the rooms on a
//! fixed schedule (open loop), every delivery timed from its *scheduled* send time, and
//! every socket checking that room `seq`s arrive without gaps or repeats.

use crate::{
    client::{Account, Client, Error},
    measure::{self, Server},
    socket,
};
use futures_util::{SinkExt as _, StreamExt as _};
use hdrhistogram::Histogram;
use rand::Rng as _;
use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

/// The server a run drives: Teahouse, or the socket.io peer of the side-by-side comparison
/// (`bench/peer/socketio`), which answers the same send route and emits frames of the same
/// shape inside socket.io's envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Protocol {
    Teahouse,
    Socketio,
}

/// Rooms for the socket.io peer: nothing to register, the room is just a number.
pub fn peer_setup(rooms: usize, members: usize) -> Vec<RoomSetup> {
    (0..rooms)
        .map(|r| RoomSetup {
            post: r as i64 + 1,
            members: (0..members)
                .map(|m| Account {
                    username: format!("peer_{r}_{m}"),
                    password: String::new(),
                    access: String::new(),
                })
                .collect(),
        })
        .collect()
}

/// One room of the run: its chat post and its members (the first owns it).
#[derive(Clone, Debug)]
pub struct RoomSetup {
    pub post: i64,
    pub members: Vec<Account>,
}

/// How many registrations run at once during setup (each costs an argon2 hash).
const SETUP_CONCURRENCY: usize = 8;

/// Registers `rooms × members` accounts and puts each group in its own room.
pub async fn setup(
    client: &Client,
    prefix: &str,
    rooms: usize,
    members: usize,
) -> Result<Vec<RoomSetup>, Error> {
    let mut out = Vec::new();
    for r in 0..rooms {
        let mut accounts = Vec::with_capacity(members);
        let names: Vec<String> = (0..members).map(|m| format!("{prefix}_{r}_{m}")).collect();
        for chunk in names.chunks(SETUP_CONCURRENCY) {
            let mut tasks = Vec::new();
            for name in chunk {
                let (client, name) = (client.clone(), name.clone());
                tasks.push(tokio::spawn(async move { client.register(&name).await }));
            }
            for task in tasks {
                accounts.push(task.await??);
            }
        }
        let owner = &accounts[0];
        let room = client
            .create_room(&owner.access, &format!("{prefix} room {r}"))
            .await?;
        for member in &accounts[1..] {
            client.join(&member.access, room.room.number).await?;
        }
        out.push(RoomSetup {
            post: room.default_post_id.0,
            members: accounts,
        });
    }
    Ok(out)
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub sent: u64,
    pub send_errors: u64,
    pub expected: u64,
    pub delivered: u64,
    pub gaps: u64,
    pub repeats: u64,
    pub latency: Option<Histogram<u64>>,
    pub elapsed: Duration,
    pub server_cpu: Duration,
    /// Sockets the server closed and the reader opened again, resuming from its cursor
    /// (as clients do; several instances close every socket after a bus outage).
    pub reconnects: u64,
}

impl Outcome {
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.delivered)
    }

    pub fn print(&self, label: &str) {
        let secs = self.elapsed.as_secs_f64();
        let per_sec = self.delivered as f64 / secs;
        let cpu_per = if self.delivered > 0 {
            self.server_cpu.as_secs_f64() * 1e6 / self.delivered as f64
        } else {
            0.0
        };
        println!(
            "{label}: sent {} msgs, {} deliveries in {:.1} s = {:.0} deliveries/s; lost {}, repeated {}, gaps {}, send errors {}{}",
            self.sent,
            self.delivered,
            secs,
            per_sec,
            self.lost(),
            self.repeats,
            self.gaps,
            self.send_errors,
            if self.reconnects > 0 {
                format!(", reconnected {} (resumed)", self.reconnects)
            } else {
                String::new()
            }
        );
        let latency = self
            .latency
            .as_ref()
            .map(measure::summary)
            .unwrap_or_default();
        println!(
            "{label}: delivery latency {latency}; server CPU {:.2} µs per delivery",
            cpu_per
        );
    }

    pub fn clean(&self) -> bool {
        self.lost() == 0 && self.repeats == 0 && self.gaps == 0 && self.send_errors == 0
    }
}

/// A member's socket, ready to receive `post`'s room: authenticated on Teahouse, joined
/// on the socket.io peer.
async fn open(
    protocol: Protocol,
    server: SocketAddr,
    index: usize,
    recv_buffer: Option<u32>,
    token: &str,
    post: i64,
) -> Result<socket::Ws, Error> {
    match protocol {
        Protocol::Teahouse => {
            let mut ws = socket::connect(server, index, recv_buffer).await?;
            socket::authenticate(&mut ws, token, Vec::new()).await?;
            Ok(ws)
        }
        Protocol::Socketio => socket::connect_socketio(server, index, recv_buffer, post).await,
    }
}

/// Every member connects; `stalled` extra sockets per room connect and never read.
#[allow(clippy::too_many_arguments)] // one call per scenario, each naming every knob
pub async fn run(
    client: &Client,
    server_addr: SocketAddr,
    server: Option<Server>,
    rooms: &[RoomSetup],
    rate_per_room: f64,
    seconds: f64,
    stalled: usize,
    protocol: Protocol,
) -> Result<Outcome, Error> {
    let run_id: u32 = rand::rng().random();
    let (stop_tx, stop_rx) = watch::channel(false);
    let delivered = Arc::new(AtomicU64::new(0));
    let start_cell: Arc<std::sync::OnceLock<Instant>> = Arc::new(std::sync::OnceLock::new());

    // Connect every member (readers) first.
    let mut readers = Vec::new();
    let mut index = 0;
    for room in rooms {
        for member in &room.members {
            let ws = open(
                protocol,
                server_addr,
                index,
                None,
                &member.access,
                room.post,
            )
            .await?;
            let stop = stop_rx.clone();
            let delivered = delivered.clone();
            let start_cell = start_cell.clone();
            let again = Reconnect {
                server: server_addr,
                index,
                token: member.access.clone(),
            };
            readers.push(tokio::spawn(read(
                ws, run_id, stop, delivered, start_cell, protocol, again,
            )));
            index += 1;
        }
    }
    let mut stalled_sockets = Vec::new();
    for room in rooms {
        for _ in 0..stalled {
            let owner = &room.members[0].access;
            let ws = open(protocol, server_addr, index, Some(2048), owner, room.post).await?;
            index += 1;
            stalled_sockets.push(ws);
        }
    }
    // Let the presence announcements of the connections settle (they are flushed once a
    // second).
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let before = server.map(|s| s.sample());
    let start = Instant::now();
    let _ = start_cell.set(start);
    let end = start + Duration::from_secs_f64(seconds);
    let sent = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mut senders = Vec::new();
    let interval = Duration::from_secs_f64(1.0 / rate_per_room);
    for (r, room) in rooms.iter().enumerate() {
        let (client, room) = (client.clone(), room.clone());
        let (sent, errors) = (sent.clone(), errors.clone());
        // Rooms are out of phase with each other (room r starts r/rooms of an interval
        // late), as independent rooms are: in step, every room's message would land in
        // the same instant and the figures would measure that burst instead.
        let phase = interval.mul_f64(r as f64 / rooms.len() as f64);
        senders.push(tokio::spawn(async move {
            let mut in_flight = Vec::new();
            let mut i: u32 = 0;
            loop {
                let scheduled = start + phase + interval * i;
                if scheduled >= end {
                    break;
                }
                tokio::time::sleep_until(scheduled.into()).await;
                let offset = (scheduled - start).as_micros();
                let author = room.members[rand::rng().random_range(0..room.members.len())]
                    .access
                    .clone();
                let (client, sent, errors) = (client.clone(), sent.clone(), errors.clone());
                let post = room.post;
                in_flight.push(tokio::spawn(async move {
                    match client
                        .send(&author, post, &format!("b {run_id} {offset}"))
                        .await
                    {
                        Ok(_) => sent.fetch_add(1, Ordering::Relaxed),
                        Err(e) => {
                            let before = errors.fetch_add(1, Ordering::Relaxed);
                            if before < 5 {
                                eprintln!("fanout: a send failed: {e}");
                            }
                            before
                        }
                    };
                }));
                i += 1;
            }
            for task in in_flight {
                let _ = task.await;
            }
        }));
    }
    for sender in senders {
        sender.await?;
    }
    let sent = sent.load(Ordering::Relaxed);
    let members: u64 =
        rooms.iter().map(|r| r.members.len() as u64).sum::<u64>() / rooms.len().max(1) as u64;
    let expected = sent * members;
    // Wait for the deliveries to land (bounded).
    let drain_deadline = Instant::now() + Duration::from_secs(10);
    while delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = start.elapsed();
    let after = server.map(|s| s.sample());
    let _ = stop_tx.send(true);

    let mut outcome = Outcome {
        sent,
        send_errors: errors.load(Ordering::Relaxed),
        expected,
        elapsed,
        ..Default::default()
    };
    let mut latency = measure::histogram();
    for reader in readers {
        let r = reader.await?;
        outcome.delivered += r.delivered;
        outcome.gaps += r.gaps;
        outcome.repeats += r.repeats;
        outcome.reconnects += r.reconnects;
        latency.add(&r.latency).map_err(|e| e.to_string())?;
    }
    outcome.latency = Some(latency);
    if let (Some(b), Some(a)) = (before, after) {
        outcome.server_cpu = a.cpu.saturating_sub(b.cpu);
    }
    drop(stalled_sockets);
    Ok(outcome)
}

/// The `seq` of an event frame and, for a message of this run, its scheduled offset, read
/// without deserialising the frame: the generator shares the machine's 2 cores with the
/// server, so its per-delivery cost is kept to a couple of substring searches. Relies on
/// the field order `{"type":"event","room_id":…,"seq":…,"event":…}` of `ServerFrame`.
fn scan(text: &str, marker: &str) -> Option<(i64, Option<u64>)> {
    let rest = text.strip_prefix(r#"{"type":"event","#)?;
    let at = rest.find(r#""seq":"#)? + 6;
    let digits = |s: &str| {
        s.split(|c: char| !c.is_ascii_digit())
            .next()
            .map(str::to_owned)
    };
    let seq = digits(&rest[at..])?.parse().ok()?;
    let offset = rest
        .find(marker)
        .and_then(|i| digits(&rest[i + marker.len()..])?.parse().ok());
    Some((seq, offset))
}

struct ReaderResult {
    delivered: u64,
    gaps: u64,
    repeats: u64,
    reconnects: u64,
    latency: Histogram<u64>,
}

/// How a reader opens its socket again.
struct Reconnect {
    server: SocketAddr,
    index: usize,
    token: String,
}

/// The `room_id` of an event frame (`{"type":"event","room_id":…`).
fn room_of(text: &str) -> Option<i64> {
    let rest = text.strip_prefix(r#"{"type":"event","room_id":"#)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

async fn read(
    mut ws: socket::Ws,
    run_id: u32,
    mut stop: watch::Receiver<bool>,
    delivered: Arc<AtomicU64>,
    start: Arc<std::sync::OnceLock<Instant>>,
    protocol: Protocol,
    again: Reconnect,
) -> ReaderResult {
    let mut result = ReaderResult {
        delivered: 0,
        gaps: 0,
        repeats: 0,
        reconnects: 0,
        latency: measure::histogram(),
    };
    let mut last_seq: Option<i64> = None;
    let mut room: Option<i64> = None;
    let marker = format!("b {run_id} ");
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            msg = ws.next() => {
                let Some(Ok(Message::Text(text))) = msg else {
                    if matches!(msg, None | Some(Err(_))) {
                        // Closed by the server: open again and resume from the cursor, as
                        // clients do (a resumed socket replays what it missed).
                        if protocol == Protocol::Teahouse
                            && let (Some(room_id), Some(seq)) = (room, last_seq)
                            && let Ok(mut fresh) = socket::connect(again.server, again.index, None).await
                            && socket::authenticate(
                                &mut fresh,
                                &again.token,
                                vec![api::ws::RoomCursor { room_id: api::RoomId(room_id), seq }],
                            )
                            .await
                            .is_ok()
                        {
                            ws = fresh;
                            result.reconnects += 1;
                            continue;
                        }
                        break;
                    }
                    continue;
                };
                let frame = match protocol {
                    Protocol::Teahouse => text.as_str(),
                    // engine.io ping ("2") wants a pong; events are `42["event",{…}]`.
                    Protocol::Socketio if text.as_str() == "2" => {
                        let _ = ws.send(Message::text("3")).await;
                        continue;
                    }
                    Protocol::Socketio => match text.strip_prefix(r#"42["event","#) {
                        Some(rest) => rest.strip_suffix(']').unwrap_or(rest),
                        None => continue,
                    },
                };
                let Some((seq, offset)) = scan(frame, &marker) else { continue };
                if room.is_none() {
                    room = room_of(frame);
                }
                match last_seq {
                    Some(last) if seq <= last => { result.repeats += 1; continue; }
                    Some(last) if seq > last + 1 => result.gaps += (seq - last - 1) as u64,
                    _ => {}
                }
                last_seq = Some(seq);
                if let (Some(offset), Some(start)) = (offset, start.get()) {
                    let scheduled = *start + Duration::from_micros(offset);
                    let latency = Instant::now().saturating_duration_since(scheduled).as_micros() as u64;
                    let _ = result.latency.record(latency.max(1));
                    result.delivered += 1;
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::scan;
    use api::{
        MessageId, PostId, RoomId, UserId,
        messages::{Message, MessageKind},
        rooms::UserSummary,
        ws::{RoomEvent, ServerFrame},
    };

    #[test]
    fn scan_reads_what_serde_writes() {
        let message = Message {
            id: MessageId(9),
            room_id: RoomId(3),
            post_id: PostId(4),
            kind: MessageKind::Text,
            author: UserSummary {
                id: UserId(1),
                username: "seq".into(),
                display_name: None,
                avatar: None,
            },
            body: Some("b 77 123456".into()),
            html: None,
            attachments: Vec::new(),
            client_id: None,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            edited_at: None,
            reply_to: None,
            reactions: Vec::new(),
            mentions: Vec::new(),
            mention_all: false,
            recall: None,
        };
        let frame = ServerFrame::Event {
            room_id: RoomId(3),
            seq: 42,
            event: RoomEvent::MessageCreated { message },
        };
        let json = serde_json::to_string(&frame).unwrap();
        assert_eq!(scan(&json, "b 77 "), Some((42, Some(123456))));
        assert_eq!(scan(&json, "b 78 "), Some((42, None)));
        assert_eq!(
            scan(
                r#"{"type":"presence","users":[{"user_id":3,"status":"online","last_seen_at":null}]}"#,
                "b 77 "
            ),
            None
        );
    }
}
