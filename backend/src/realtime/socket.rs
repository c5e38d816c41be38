//! One WebSocket: authenticate with the first frame, subscribe, replay what the client
//! missed from the database, then forward live events, in `seq` order and exactly once.
//!
//! Ordering and exactly-once rest on one rule: this loop remembers the last `seq` it sent
//! for each room, drops anything at or below it, and when an event arrives with a gap
//! before it, reads the missing ones from the database first (they are committed: a
//! higher `seq` can only exist after the lower one's transaction released the room row).

use super::{
    PresenceSetup,
    hub::{ConnId, Outbound},
};
use crate::{
    auth::{self, AuthUser},
    entities::post,
    error::AppError,
    rooms::store as room_store,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, http::header, web};
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use api::{
    ErrorCode, PostId, RoomId,
    rooms::UserSummary,
    ws::{Activity, ClientFrame, PROTOCOL_VERSION, RoomCursor, ServerFrame, close},
};
use futures_util::StreamExt as _;
use sea_orm::EntityTrait;
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

/// The client must authenticate within this long after the upgrade.
const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the server pings.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(15);
/// A client silent (no frame, no pong) for this long is gone.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(45);
/// The largest frame a client may send; ours are small JSON.
const MAX_FRAME_BYTES: usize = 16 * 1024;
/// Typing notices from one socket for one post are passed on at most this often.
const TYPING_MIN_INTERVAL: Duration = Duration::from_secs(2);

/// `GET /api/v1/ws`: upgrades, then runs the socket on its own task.
pub async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !same_origin(&req) {
        return Err(AppError::Forbidden);
    }
    let (response, session, stream) =
        actix_ws::handle(&req, body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let stream = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME_BYTES);
    actix_web::rt::spawn(run(state.into_inner(), session, stream));
    Ok(response)
}

/// Browsers always send `Origin` on a WebSocket upgrade: it must be this server. Clients
/// that are not browsers send none and are let through (they authenticate like anyone).
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    origin_host.eq_ignore_ascii_case(host)
}

/// One socket's task. Its future lives as long as the socket, sized for its largest
/// state: the steps that run once or rarely and hold database queries (authenticating,
/// opening, resuming, a client's frame, a replay, storing "last seen") are boxed, so an
/// idle socket holds 2.5 KB here instead of 4.1 KB (docs/BENCHMARKS.md, idle sockets).
async fn run(state: Arc<AppState>, mut ws: Session, mut stream: AggregatedMessageStream) {
    let Some((auth, cursors)) = Box::pin(authenticate(&state, &mut ws, &mut stream)).await else {
        return;
    };
    // Held until the socket is done; its slot is given back when it drops.
    let _slot = match state.limits.open_socket(auth.session_id, auth.user_id) {
        Ok(slot) => slot,
        Err(err) => {
            refuse_with(
                &mut ws,
                err.code(),
                "too many sockets open for this session or person",
                close::TOO_MANY_SOCKETS,
            )
            .await;
            return;
        }
    };
    let mut socket = match Box::pin(Socket::open(state, ws, auth)).await {
        Ok(socket) => socket,
        Err(ws) => {
            let _ = ws
                .close(Some(CloseReason {
                    code: CloseCode::Error,
                    description: None,
                }))
                .await;
            return;
        }
    };
    let reason = socket.serve(cursors, &mut stream).await;
    // Every way out of the loop ends here: leave the hub, then close.
    socket.state.hub.disconnect(socket.conn).await;
    // Not while the runtime shuts down (its tasks are then polled outside of it).
    if tokio::runtime::Handle::try_current().is_ok()
        && let Err(err) = Box::pin(crate::users::store::seen_now(
            &socket.state.db,
            socket.auth.user_id.0,
        ))
        .await
    {
        tracing::warn!(error = %err, "could not store last seen");
    }
    let _ = socket.ws.close(reason).await;
}

/// Waits for the `auth` frame and checks its token; closes the socket if anything is wrong.
async fn authenticate(
    state: &AppState,
    ws: &mut Session,
    stream: &mut AggregatedMessageStream,
) -> Option<(AuthUser, Vec<RoomCursor>)> {
    let first = tokio::time::timeout(AUTH_TIMEOUT, stream.next()).await;
    let frame = match first {
        Ok(Some(Ok(AggregatedMessage::Text(text)))) => {
            serde_json::from_str::<ClientFrame>(&text).ok()
        }
        _ => None,
    };
    let (token, cursors) = match frame {
        Some(ClientFrame::Auth { token, cursors }) => (token, cursors),
        _ => {
            refuse(
                ws,
                ErrorCode::Unauthenticated,
                "the first frame must be {\"type\":\"auth\",…}",
            )
            .await;
            return None;
        }
    };
    match auth::service::authenticate(state, &token).await {
        Ok(auth) => Some((auth, cursors)),
        Err(err) => {
            // Internal causes stay in the log, as for REST.
            let message = if err.code().status() >= 500 {
                tracing::error!(error = %err, "socket authentication failed");
                "the server could not check the token; try again".to_owned()
            } else {
                err.to_string()
            };
            refuse(ws, err.code(), &message).await;
            None
        }
    }
}

async fn refuse(ws: &mut Session, code: ErrorCode, message: &str) {
    refuse_with(ws, code, message, close::AUTH_FAILED).await;
}

async fn refuse_with(ws: &mut Session, code: ErrorCode, message: &str, close_code: u16) {
    if let Ok(json) = serde_json::to_string(&ServerFrame::Error {
        code,
        message: message.into(),
    }) {
        let _ = ws.text(json).await;
    }
    let reason = CloseReason {
        code: CloseCode::Other(close_code),
        description: Some(code.as_str().into()),
    };
    let _ = ws.clone().close(Some(reason)).await;
}

struct Socket {
    state: Arc<AppState>,
    ws: Session,
    auth: AuthUser,
    user: UserSummary,
    conn: ConnId,
    queue: tokio::sync::mpsc::Receiver<Outbound>,
    /// The last `seq` sent per room I am in.
    sent: HashMap<RoomId, i64>,
    /// Rooms of posts seen in typing frames, and when each post's typing was last passed on.
    post_rooms: HashMap<PostId, RoomId>,
    typing_sent: HashMap<PostId, Instant>,
    last_heard: Instant,
}

impl Socket {
    /// Subscribes in the hub first, then reads the rooms' positions, so no event committed
    /// in between can be missed: it is either in the replay or in the queue (or both, and
    /// the duplicate is dropped).
    async fn open(state: Arc<AppState>, ws: Session, auth: AuthUser) -> Result<Self, Session> {
        let account = match crate::users::store::by_id(&state.db, auth.user_id.0).await {
            Ok(Some(u)) => u,
            _ => return Err(ws),
        };
        let user = crate::rooms::summary(&account);
        let Ok(before) = room_store::memberships_with_seq(&state.db, auth.user_id).await else {
            return Err(ws);
        };
        let Ok(friends) = crate::friends::store::friend_ids(&state.db, auth.user_id).await else {
            return Err(ws);
        };
        let Ok(blocked_chats) = crate::friends::store::blocked_chats(&state.db, auth.user_id).await
        else {
            return Err(ws);
        };
        let (conn, queue) = state
            .hub
            .connect(
                auth.user_id,
                auth.session_id,
                before.iter().map(|(room, _)| *room).collect(),
                PresenceSetup {
                    friends,
                    invisible: account.invisible,
                    last_seen: account.last_seen_at,
                    blocked_chats,
                },
            )
            .await;
        let mut socket = Self {
            state,
            ws,
            auth,
            user,
            conn,
            queue,
            sent: HashMap::new(),
            post_rooms: HashMap::new(),
            typing_sent: HashMap::new(),
            last_heard: Instant::now(),
        };
        // Memberships that appeared between the first read and the subscription.
        let now =
            match room_store::memberships_with_seq(&socket.state.db, socket.auth.user_id).await {
                Ok(now) => now,
                Err(_) => return Err(socket.ws),
            };
        for (room_id, _) in &now {
            if !before.iter().any(|(r, _)| r == room_id) {
                socket.state.hub.subscribe(conn, *room_id, 0).await;
            }
        }
        socket.sent = now.into_iter().collect();
        Ok(socket)
    }

    async fn serve(
        &mut self,
        cursors: Vec<RoomCursor>,
        stream: &mut AggregatedMessageStream,
    ) -> Option<CloseReason> {
        let rooms = self
            .sent
            .iter()
            .map(|(room_id, seq)| RoomCursor {
                room_id: *room_id,
                seq: *seq,
            })
            .collect();
        let ready = ServerFrame::Ready {
            protocol: PROTOCOL_VERSION,
            user_id: self.auth.user_id,
            session_id: self.auth.session_id.to_string(),
            rooms,
        };
        if self.send(&ready).await.is_err() {
            return None;
        }
        if Box::pin(self.resume(cursors)).await.is_err() {
            return None;
        }

        let mut heartbeat = tokio::time::interval(HEARTBEAT_INTERVAL);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                incoming = stream.next() => {
                    self.last_heard = Instant::now();
                    match incoming {
                        Some(Ok(AggregatedMessage::Text(text))) => {
                            if let Err(reason) = Box::pin(self.on_frame(&text)).await {
                                return reason;
                            }
                        }
                        Some(Ok(AggregatedMessage::Ping(bytes))) => {
                            if self.ws.pong(&bytes).await.is_err() {
                                return None;
                            }
                        }
                        Some(Ok(AggregatedMessage::Pong(_))) => {}
                        Some(Ok(AggregatedMessage::Binary(_))) => {
                            return Some(reason(close::PROTOCOL_ERROR, "binary frames are not part of the protocol"));
                        }
                        Some(Ok(AggregatedMessage::Close(client_reason))) => {
                            // Answer the close at once, with the client's own code; leaving
                            // the hub and storing "last seen" happen after.
                            let _ = self.ws.clone().close(client_reason).await;
                            return None;
                        }
                        None => return None,
                        Some(Err(_)) => return Some(reason(close::PROTOCOL_ERROR, "bad frame")),
                    }
                }
                out = self.queue.recv() => {
                    let Some(out) = out else {
                        // The hub let go of us: we fell behind. The client resumes from its cursors.
                        return Some(reason(close::TOO_SLOW, "too slow; reconnect and resume"));
                    };
                    match self.on_outbound(out).await {
                        Ok(None) => {}
                        Ok(Some(reason)) => return Some(reason),
                        Err(()) => return None,
                    }
                }
                _ = heartbeat.tick() => {
                    if self.last_heard.elapsed() > CLIENT_TIMEOUT {
                        return Some(reason(1001, "no heartbeat"));
                    }
                    if self.ws.ping(b"").await.is_err() {
                        return None;
                    }
                }
            }
        }
    }

    /// A frame from the client. `Err` closes the socket with the reason.
    async fn on_frame(&mut self, text: &str) -> Result<(), Option<CloseReason>> {
        let frame = match serde_json::from_str::<ClientFrame>(text) {
            Ok(frame) => frame,
            Err(err) => {
                let error = ServerFrame::Error {
                    code: ErrorCode::MalformedJson,
                    message: err.to_string(),
                };
                return self.send(&error).await.map_err(|()| None);
            }
        };
        match frame {
            ClientFrame::Ping => self.send(&ServerFrame::Pong).await.map_err(|()| None),
            ClientFrame::Resume { cursors } => self.resume(cursors).await.map_err(|()| None),
            ClientFrame::Typing { post_id } => {
                self.typing(post_id).await;
                Ok(())
            }
            ClientFrame::Presence { status } => {
                self.state
                    .hub
                    .activity(self.conn, status == Activity::Away)
                    .await;
                Ok(())
            }
            ClientFrame::Auth { .. } => {
                let error = ServerFrame::Error {
                    code: ErrorCode::BadRequest,
                    message: "already authenticated".into(),
                };
                self.send(&error).await.map_err(|()| None)
            }
        }
    }

    async fn on_outbound(&mut self, out: Outbound) -> Result<Option<CloseReason>, ()> {
        match out {
            Outbound::Event {
                room_id,
                seq,
                frame,
            } => self.deliver(room_id, seq, frame).await.map(|()| None),
            Outbound::Frame(frame) => self.ws.text(frame).await.map(|()| None).map_err(drop),
            Outbound::Subscribed { room_id, seq } => {
                self.sent.entry(room_id).or_insert(seq);
                self.send(&ServerFrame::RoomAdded { room_id, seq })
                    .await
                    .map(|()| None)
            }
            Outbound::Unsubscribed { room_id } => {
                self.post_rooms.retain(|_, r| *r != room_id);
                if self.sent.remove(&room_id).is_none() {
                    // Already out (a replay met my own leaving first).
                    return Ok(None);
                }
                self.send(&ServerFrame::RoomRemoved { room_id })
                    .await
                    .map(|()| None)
            }
            Outbound::Nudge { room_id, seq } => {
                // Behind what the database has: read the rest (a lost bus message).
                match self.sent.get(&room_id) {
                    Some(&last) if seq > last => {
                        Box::pin(self.replay(room_id, last)).await.map(|()| None)
                    }
                    _ => Ok(None),
                }
            }
            Outbound::Resync => Ok(Some(reason(
                close::TOO_SLOW,
                "the server lost track; reconnect and resume",
            ))),
            Outbound::SessionEnded(why) => {
                self.send(&ServerFrame::SessionEnded { reason: why })
                    .await?;
                Ok(Some(reason(close::SESSION_ENDED, "session ended")))
            }
        }
    }

    /// Sends a live event in order: repeats are dropped, gaps are filled from the database.
    async fn deliver(
        &mut self,
        room_id: RoomId,
        seq: i64,
        frame: bytestring::ByteString,
    ) -> Result<(), ()> {
        let Some(&last) = self.sent.get(&room_id) else {
            return Ok(());
        };
        if seq <= last {
            return Ok(());
        }
        if seq > last + 1 {
            Box::pin(self.replay(room_id, last)).await?;
            // Already sent by the replay, or out of the room (the replay met my leaving).
            if self.sent.get(&room_id).is_none_or(|&now| seq <= now) {
                return Ok(());
            }
        }
        self.ws.text(frame).await.map_err(drop)?;
        self.sent.insert(room_id, seq);
        Ok(())
    }

    /// Catches up rooms from the client's cursors. Rooms I am not in are ignored (they
    /// must not even be confirmed to exist); a cursor that cannot be served gets
    /// `resync_required` and continues from now.
    async fn resume(&mut self, cursors: Vec<RoomCursor>) -> Result<(), ()> {
        for RoomCursor {
            room_id,
            seq: cursor,
        } in cursors
        {
            let Some(&now) = self.sent.get(&room_id) else {
                continue;
            };
            if cursor < 0 || cursor > now {
                self.send(&ServerFrame::ResyncRequired { room_id, seq: now })
                    .await?;
                continue;
            }
            self.sent.insert(room_id, cursor);
            self.replay(room_id, cursor).await?;
            // Anything newer than the replay reached is in the queue already.
            if self.sent.get(&room_id).is_some_and(|&sent| sent < now) {
                self.sent.insert(room_id, now);
                self.send(&ServerFrame::ResyncRequired { room_id, seq: now })
                    .await?;
            }
        }
        Ok(())
    }

    /// Sends every stored event of a room after `after`, in order.
    async fn replay(&mut self, room_id: RoomId, mut after: i64) -> Result<(), ()> {
        loop {
            let batch = match super::events::after(&self.state.db, room_id, after).await {
                Ok(batch) => batch,
                Err(err) => {
                    tracing::error!(error = %err, %room_id, "replay failed");
                    return Err(());
                }
            };
            let done = (batch.len() as u64) < super::events::REPLAY_BATCH;
            // My own leaving, as stored: past it, nothing more of this room is mine (the
            // hub may not know yet: with several instances the news can be lost, and the
            // catch-up replays from the database).
            let my_leaving = format!(r#""kind":"member_left","user_id":{},"#, self.auth.user_id);
            for (seq, payload) in batch {
                let left = payload.contains(&my_leaving);
                self.ws.text(payload).await.map_err(drop)?;
                after = seq;
                self.sent.insert(room_id, seq);
                if left && self.out_of(room_id).await? {
                    return Ok(());
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    /// After my own `member_left` in a replay: if I am no longer a member (I may have come
    /// back since), the room is gone from this socket, here and in the hub.
    async fn out_of(&mut self, room_id: RoomId) -> Result<bool, ()> {
        match room_store::member(&self.state.db, room_id, self.auth.user_id).await {
            Ok(Some(_)) => Ok(false),
            Ok(None) => {
                self.sent.remove(&room_id);
                self.post_rooms.retain(|_, r| *r != room_id);
                self.state.hub.leave(self.conn, room_id).await;
                self.send(&ServerFrame::RoomRemoved { room_id }).await?;
                Ok(true)
            }
            Err(err) => {
                tracing::error!(error = %err, %room_id, "membership check failed");
                Err(())
            }
        }
    }

    /// Passes a typing notice to the post's room, if I am in it, at most every few seconds.
    async fn typing(&mut self, post_id: PostId) {
        if self
            .typing_sent
            .get(&post_id)
            .is_some_and(|at| at.elapsed() < TYPING_MIN_INTERVAL)
        {
            return;
        }
        let room_id = match self.post_rooms.get(&post_id) {
            Some(room) => *room,
            None => match post::Entity::find_by_id(post_id.0)
                .one(&self.state.db)
                .await
            {
                Ok(Some(post)) => {
                    self.post_rooms.insert(post_id, RoomId(post.room_id));
                    RoomId(post.room_id)
                }
                _ => return,
            },
        };
        if !self.sent.contains_key(&room_id) {
            return;
        }
        self.typing_sent.insert(post_id, Instant::now());
        let frame = ServerFrame::Typing {
            room_id,
            post_id,
            user: self.user.clone(),
        };
        self.state
            .hub
            .to_room(room_id, &frame, Some(self.conn))
            .await;
    }

    async fn send(&mut self, frame: &ServerFrame) -> Result<(), ()> {
        let json = serde_json::to_string(frame).map_err(drop)?;
        self.ws.text(json).await.map_err(drop)
    }
}

fn reason(code: u16, description: &str) -> CloseReason {
    CloseReason {
        code: CloseCode::Other(code),
        description: Some(description.into()),
    }
}
