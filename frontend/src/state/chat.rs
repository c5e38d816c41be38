//! Everything live about chat: my rooms with unread counts, the open room and post, its
//! timeline, messages waiting to be sent, who is online and typing, and the connection.
//! The socket (`crate::ws`) and the pages write here; views derive from it.

use crate::{
    client::{ApiError, messages, rooms},
    state::{
        attention::Attention, friends::Friends, mutes::Mutes, session::Session, unread::Unread,
    },
};
use api::{
    MessageId, PostId, RoomId, UserId,
    friends::{Presence, UserPresence},
    messages::{Message, SendMessage},
    posts::PostListItem,
    rooms::{Member, MyRoom, UserSummary},
    ws::{RoomEvent, ServerFrame},
};
use leptos::{prelude::*, task::spawn_local};
use std::collections::HashMap;

/// How long a typing notice shows without a repeat.
pub const TYPING_SHOWN_MS: f64 = 5000.0;
/// How many messages a conversation opens with (enough to reach most first unreads).
const OPEN_PAGE: u32 = 100;
/// The author's recall window until the server said its own (`GET /server`).
const DEFAULT_RECALL_WINDOW_SECS: u64 = 120;

/// What the reader of the open conversation has seen, and where it is.
#[derive(Clone, Copy)]
pub struct TimelineView {
    /// The "new messages" line goes above this message: the first unread one when the
    /// conversation opened, or the first that arrived while the person was not looking.
    pub divider: RwSignal<Option<MessageId>>,
    /// The reader is at the newest message and follows what arrives.
    pub at_bottom: RwSignal<bool>,
    /// Messages from others that arrived below while scrolled up (the "N new" pill).
    pub new_below: RwSignal<u32>,
    /// Bumped when a conversation's first page has arrived (to place the reader).
    pub opened: RwSignal<u64>,
    /// The newest message marked read (or being marked) in the open post.
    marked: StoredValue<(Option<PostId>, i64)>,
    /// A mark-read request is on its way; the newest wanted goes when it returns.
    marking: StoredValue<bool>,
    /// The mark-read still to send.
    to_mark: StoredValue<Option<(PostId, MessageId)>>,
}

impl TimelineView {
    fn new() -> Self {
        Self {
            divider: RwSignal::new(None),
            at_bottom: RwSignal::new(true),
            new_below: RwSignal::new(0),
            opened: RwSignal::new(0),
            marked: StoredValue::new((None, 0)),
            marking: StoredValue::new(false),
            to_mark: StoredValue::new(None),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    Reconnecting,
}

/// A message typed here and not yet confirmed by the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub client_id: String,
    pub post_id: PostId,
    pub body: String,
    /// Uploaded files going with it.
    pub attachments: Vec<api::files::FileInfo>,
    /// The server refused it for good (not a network failure).
    pub failed: Option<ApiError>,
}

#[derive(Clone, Copy)]
pub struct Chat {
    pub session: Session,
    /// Friends, requests and the contact list, fed by the same socket.
    pub friends: Friends,
    pub rooms: RwSignal<Vec<MyRoom>>,
    pub rooms_loaded: RwSignal<bool>,
    pub connection: RwSignal<Connection>,
    pub open_room: RwSignal<Option<RoomId>>,
    pub open_post: RwSignal<Option<PostId>>,
    pub posts: RwSignal<Vec<PostListItem>>,
    pub timeline: RwSignal<Vec<Message>>,
    pub has_older: RwSignal<bool>,
    pub pending: RwSignal<Vec<Pending>>,
    /// Presence of friends and co-members: the one source for every view (missing:
    /// offline, never seen). Frames keep it; the friend list seeds it.
    pub presence: RwSignal<HashMap<UserId, UserPresence>>,
    pub typing: RwSignal<Vec<(RoomId, PostId, UserSummary, f64)>>,
    pub members: RwSignal<Vec<Member>>,
    /// The sidebar shows my rooms rather than the contact list (kept while logged in).
    pub rooms_tab: RwSignal<bool>,
    /// The last `seq` processed per room: sent as cursors when the socket reconnects.
    pub cursors: StoredValue<HashMap<RoomId, i64>>,
    /// Bumped every second, so "is typing" and recall buttons expire without events.
    pub tick: RwSignal<u64>,
    /// The server's rules (recall window, limits), loaded once.
    pub server: RwSignal<Option<api::users::ServerInfo>>,
    /// Where the open conversation is read to, its "new messages" line, and whether
    /// the reader follows the newest message.
    pub view: TimelineView,
    /// Is the person looking (tab visible and focused)?
    pub attention: Attention,
    /// Unread counts, one per post: the one source for every badge and the title.
    pub unread: Unread,
    /// Mute changes heard, so that an older list cannot undo one.
    mutes: Mutes,
    /// Reloads issued so far (rooms, posts, members): responses can arrive out of order,
    /// and only the newest request's answer may replace the list.
    reloads: StoredValue<[u64; 3]>,
}

/// Which list a reload is for.
#[derive(Clone, Copy)]
enum List {
    Rooms = 0,
    Posts = 1,
    Members = 2,
}

impl Chat {
    pub fn provide(session: Session, attention: Attention) -> Self {
        let presence = RwSignal::new(HashMap::new());
        let unread = Unread::new();
        let mutes = Mutes::new();
        let chat = Self {
            unread,
            mutes,
            view: TimelineView::new(),
            attention,
            session,
            friends: Friends::new(session, presence, unread, mutes),
            rooms: RwSignal::new(Vec::new()),
            rooms_loaded: RwSignal::new(false),
            connection: RwSignal::new(Connection::Connecting),
            open_room: RwSignal::new(None),
            open_post: RwSignal::new(None),
            posts: RwSignal::new(Vec::new()),
            timeline: RwSignal::new(Vec::new()),
            has_older: RwSignal::new(false),
            pending: RwSignal::new(Vec::new()),
            presence,
            typing: RwSignal::new(Vec::new()),
            members: RwSignal::new(Vec::new()),
            rooms_tab: RwSignal::new(false),
            cursors: StoredValue::new(HashMap::new()),
            tick: RwSignal::new(0),
            server: RwSignal::new(None),
            reloads: StoredValue::new([0; 3]),
        };
        provide_context(chat);
        spawn_local(async move {
            if let Ok(info) = crate::client::server_info().await {
                chat.server.set(Some(info));
            }
        });
        chat
    }

    /// How long an author may recall a message, as this server says.
    pub fn recall_window_secs(&self) -> u64 {
        self.server
            .with(|s| s.as_ref().map(|s| s.recall_window_secs))
            .unwrap_or(DEFAULT_RECALL_WINDOW_SECS)
    }

    /// Someone's status (tracked); I am online to myself.
    pub fn status(&self, user: UserId) -> Presence {
        if self.me() == Some(user) {
            return Presence::Online;
        }
        self.presence
            .with(|p| p.get(&user).map(|u| u.status).unwrap_or_default())
    }

    /// When someone was last online, if offline and known (tracked).
    pub fn last_seen(&self, user: UserId) -> Option<time::OffsetDateTime> {
        self.presence
            .with(|p| p.get(&user).and_then(|u| u.last_seen_at))
    }

    pub fn me(&self) -> Option<UserId> {
        self.session
            .user
            .with_untracked(|u| u.as_ref().map(|u| u.id))
    }

    /// Starts a reload of `list`; the returned number is checked by `is_latest`.
    fn next_reload(self, list: List) -> u64 {
        let mut issued = 0;
        self.reloads.update_value(|r| {
            r[list as usize] += 1;
            issued = r[list as usize];
        });
        issued
    }

    fn is_latest(self, list: List, issued: u64) -> bool {
        self.reloads.with_value(|r| r[list as usize] == issued)
    }

    pub fn reload_rooms(self) {
        let issued = self.next_reload(List::Rooms);
        let asked = self.mutes.now();
        spawn_local(async move {
            if let Ok(mut rooms) = rooms::mine(self.session).await
                && self.is_latest(List::Rooms, issued)
            {
                for r in &mut rooms {
                    if let Some(muted) = self.mutes.since(r.room.id, asked) {
                        r.muted = muted;
                    }
                }
                self.rooms.set(rooms);
                self.rooms_loaded.set(true);
            }
        });
    }

    pub fn reload_posts(self) {
        let Some(room) = self.open_room.get_untracked() else {
            return;
        };
        let issued = self.next_reload(List::Posts);
        spawn_local(async move {
            if let Ok(posts) = rooms::posts(self.session, room).await
                && self.open_room.get_untracked() == Some(room)
                && self.is_latest(List::Posts, issued)
            {
                self.posts.set(posts);
            }
        });
    }

    pub fn reload_members(self) {
        let Some(room) = self.open_room.get_untracked() else {
            return;
        };
        let issued = self.next_reload(List::Members);
        spawn_local(async move {
            if let Ok(members) = rooms::members(self.session, room).await
                && self.open_room.get_untracked() == Some(room)
                && self.is_latest(List::Members, issued)
            {
                self.members.set(members);
            }
        });
    }

    /// Opens a post: its newest page, and marks it read.
    pub fn open(self, room: RoomId, post: PostId) {
        if self.open_room.get_untracked() != Some(room) {
            self.open_room.set(Some(room));
            self.posts.set(Vec::new());
            self.members.set(Vec::new());
            self.reload_posts();
            self.reload_members();
        }
        if self.open_post.get_untracked() == Some(post) {
            return;
        }
        self.open_post.set(Some(post));
        self.timeline.set(Vec::new());
        self.has_older.set(false);
        self.view.divider.set(None);
        self.view.new_below.set(0);
        self.view.at_bottom.set(true);
        // Nothing is marked read until the page is here and the reader has seen it.
        self.view.marked.set_value((None, 0));
        spawn_local(async move {
            if let Ok(page) = messages::history(self.session, post, None, OPEN_PAGE).await
                && self.open_post.get_untracked() == Some(post)
            {
                let read_up_to = page.read_up_to.map_or(i64::MAX, |m| m.0);
                self.view.marked.set_value((Some(post), read_up_to));
                let me = self.me();
                let first_unread = page
                    .messages
                    .iter()
                    .find(|m| m.id.0 > read_up_to && me.is_some_and(|me| m.is_unread_for(me)))
                    .map(|m| m.id);
                self.has_older.set(page.has_more);
                // Messages that came over the socket while the page travelled, and that
                // the page (made before them) lacks, stay.
                let newest = page.messages.last().map(|m| m.id);
                self.timeline.update(|t| {
                    let live: Vec<Message> = t
                        .drain(..)
                        .filter(|m| newest.is_none_or(|n| m.id > n))
                        .collect();
                    *t = page.messages;
                    t.extend(live);
                });
                self.view.divider.set(first_unread);
                self.view.opened.update(|o| *o += 1);
            }
        });
    }

    /// The reader has seen the open post up to `upto` (on screen while looking): marks
    /// it read on the server, one request at a time, never backwards.
    pub fn seen(self, upto: MessageId) {
        let Some(post) = self.open_post.get_untracked() else {
            return;
        };
        let (marked_post, marked) = self.view.marked.get_value();
        if marked_post != Some(post) || upto.0 <= marked {
            return;
        }
        self.view.marked.set_value((Some(post), upto.0));
        self.view.to_mark.set_value(Some((post, upto)));
        if self.view.marking.get_value() {
            return;
        }
        self.view.marking.set_value(true);
        // One request at a time, for whatever post was seen last (the reader may switch
        // conversations while one is on its way).
        spawn_local(async move {
            while let Some((post, upto)) =
                self.view.to_mark.try_update_value(Option::take).flatten()
            {
                match messages::mark_read(self.session, post, upto).await {
                    Ok(u) => self.apply_unread(u.room_id, u.post_id, u.post_unread),
                    Err(_) => {
                        // Not marked: the next thing seen in this post tries again.
                        self.view.marked.update_value(|(p, m)| {
                            if *p == Some(post) && *m >= upto.0 {
                                *m = upto.0 - 1;
                            }
                        });
                        break;
                    }
                }
            }
            self.view.marking.set_value(false);
        });
    }

    /// Unread messages that should make noise: every post of every room and private
    /// chat not muted (the contact list has them all).
    pub fn unread_total(&self) -> i64 {
        self.friends.conversations.with(|c| {
            c.iter()
                .filter(|c| !c.muted)
                .map(|c| self.unread.post(c.post_id))
                .sum()
        })
    }

    /// Loads the page before the oldest shown message. Returns how many came.
    pub async fn load_older(self) -> usize {
        let (Some(post), Some(oldest)) = (
            self.open_post.get_untracked(),
            self.timeline.with_untracked(|t| t.first().map(|m| m.id)),
        ) else {
            return 0;
        };
        match messages::history(self.session, post, Some(oldest), 50).await {
            Ok(page) if self.open_post.get_untracked() == Some(post) => {
                let count = page.messages.len();
                self.has_older.set(page.has_more);
                self.timeline.update(|t| {
                    let mut older = page.messages;
                    older.append(t);
                    *t = older;
                });
                count
            }
            _ => 0,
        }
    }

    /// The server's count for a post (its room's is the sum of its posts').
    fn apply_unread(self, room: RoomId, post: PostId, post_unread: i64) {
        self.unread.set(room, post, post_unread);
    }

    /// Queues a message and tries to send it. It stays pending (and is retried with the
    /// same id when the connection returns) until the server has it.
    pub fn send(self, post: PostId, body: String, attachments: Vec<api::files::FileInfo>) {
        let pending = Pending {
            client_id: new_client_id(),
            post_id: post,
            body,
            attachments,
            failed: None,
        };
        self.pending.update(|p| p.push(pending.clone()));
        spawn_local(async move { self.deliver(pending).await });
    }

    /// Sends every pending message again (after a reconnect).
    pub fn retry_pending(self) {
        for pending in self
            .pending
            .get_untracked()
            .into_iter()
            .filter(|p| p.failed.is_none())
        {
            spawn_local(async move { self.deliver(pending).await });
        }
    }

    async fn deliver(self, pending: Pending) {
        let body = SendMessage {
            client_id: pending.client_id.clone(),
            body: pending.body.clone(),
            attachments: pending.attachments.iter().map(|f| f.id.clone()).collect(),
        };
        match messages::send(self.session, pending.post_id, &body).await {
            Ok(message) => {
                self.pending
                    .update(|p| p.retain(|x| x.client_id != pending.client_id));
                self.add_to_timeline(message);
            }
            // Not reached: keep it pending; it goes again when the socket is back.
            Err(err) if err.status == 0 || err.status >= 500 => {}
            // Sending too fast: it stays pending and goes again when the server says.
            Err(err) if err.code() == api::ErrorCode::RateLimited => {
                let wait = err
                    .body
                    .details
                    .as_ref()
                    .and_then(|d| d.retry_after)
                    .unwrap_or(1);
                set_timeout(
                    move || spawn_local(async move { self.deliver(pending).await }),
                    std::time::Duration::from_secs(wait),
                );
            }
            Err(err) => self.pending.update(|p| {
                if let Some(x) = p.iter_mut().find(|x| x.client_id == pending.client_id) {
                    x.failed = Some(err);
                }
            }),
        }
    }

    pub fn discard_pending(self, client_id: &str) {
        self.pending
            .update(|p| p.retain(|x| x.client_id != client_id));
    }

    fn add_to_timeline(self, message: Message) {
        if self.open_post.get_untracked() != Some(message.post_id) {
            return;
        }
        self.timeline
            .update(|t| match t.iter().position(|m| m.id == message.id) {
                Some(i) => t[i] = message,
                None => {
                    let at = t
                        .iter()
                        .rposition(|m| m.id < message.id)
                        .map(|i| i + 1)
                        .unwrap_or(0);
                    t.insert(at, message);
                }
            });
    }

    /// Recalls a message. Returns its text when it was mine (to offer it back for editing).
    pub async fn recall(self, id: MessageId) -> Result<Option<String>, ApiError> {
        let mine = self.timeline.with_untracked(|t| {
            t.iter()
                .find(|m| m.id == id)
                .filter(|m| Some(m.author.id) == self.me())
                .and_then(|m| m.body.clone())
        });
        let message = messages::recall(self.session, id).await?;
        self.add_to_timeline(message);
        Ok(mine)
    }

    /// Applies one frame from the socket.
    pub fn apply(self, frame: ServerFrame) {
        match frame {
            ServerFrame::Ready { rooms, .. } => {
                self.connection.set(Connection::Online);
                // The presence frame that follows lists everyone not offline.
                self.presence.set(HashMap::new());
                self.friends.reload();
                self.cursors.update_value(|c| {
                    for r in rooms {
                        c.entry(r.room_id).or_insert(r.seq);
                    }
                });
                self.reload_rooms();
                self.retry_pending();
            }
            ServerFrame::Event {
                room_id,
                seq,
                event,
            } => {
                self.cursors.update_value(|c| {
                    c.insert(room_id, seq);
                });
                self.apply_event(room_id, event);
            }
            ServerFrame::ResyncRequired { room_id, seq } => {
                self.cursors.update_value(|c| {
                    c.insert(room_id, seq);
                });
                self.reload_rooms();
                if self.open_room.get_untracked() == Some(room_id) {
                    self.reload_posts();
                    if let Some(post) = self.open_post.get_untracked() {
                        self.open_post.set(None);
                        self.open(room_id, post);
                    }
                }
            }
            ServerFrame::RoomAdded { room_id, seq } => {
                self.cursors.update_value(|c| {
                    c.insert(room_id, seq);
                });
                self.reload_rooms();
                self.friends.reload_conversations();
            }
            ServerFrame::RoomRemoved { room_id } => {
                self.cursors.update_value(|c| {
                    c.remove(&room_id);
                });
                self.rooms.update(|r| r.retain(|r| r.room.id != room_id));
                self.friends
                    .conversations
                    .update(|c| c.retain(|c| c.room_id != room_id));
                if self.open_room.get_untracked() == Some(room_id) {
                    self.open_room.set(None);
                    self.open_post.set(None);
                }
            }
            ServerFrame::Presence { users } => {
                self.presence.update(|p| {
                    for user in users {
                        p.insert(user.user_id, user);
                    }
                });
            }
            ServerFrame::Friends { event } => self.friends.apply(self.me(), event),
            ServerFrame::Typing {
                room_id,
                post_id,
                user,
            } => {
                let until = js_sys_now() + TYPING_SHOWN_MS;
                self.typing.update(|t| {
                    t.retain(|(_, p, u, _)| !(*p == post_id && u.id == user.id));
                    t.push((room_id, post_id, user, until));
                });
            }
            ServerFrame::Unread {
                room_id,
                post_id,
                post_unread,
                ..
            } => self.apply_unread(room_id, post_id, post_unread),
            ServerFrame::Muted { room_id, muted } => self.show_muted(room_id, muted),
            ServerFrame::SessionEnded { reason } => self.session.ended_by_server(Some(reason)),
            ServerFrame::Pong | ServerFrame::Error { .. } => {}
        }
    }

    fn apply_event(self, room_id: RoomId, event: RoomEvent) {
        match event {
            RoomEvent::MessageCreated { message } => {
                self.typing.update(|t| {
                    t.retain(|(_, p, u, _)| !(*p == message.post_id && u.id == message.author.id))
                });
                if let Some(client_id) = &message.client_id {
                    self.pending
                        .update(|p| p.retain(|x| &x.client_id != client_id));
                }
                let from_other = self.me().is_some_and(|me| message.is_unread_for(me));
                let viewing = self.open_post.get_untracked() == Some(message.post_id);
                let looking = self.attention.looking.get_untracked();
                let at_bottom = self.view.at_bottom.get_untracked();
                // Read at once only when it lands in front of someone looking.
                let seen = viewing && looking && at_bottom;
                let post_id = message.post_id;
                let message_id = message.id;
                self.friends.message(&message, true, from_other && !seen);
                if from_other && !(viewing && looking) {
                    self.alert(room_id, &message);
                }
                if viewing {
                    let id = message.id;
                    self.add_to_timeline(message);
                    if from_other && seen {
                        self.seen(id);
                    } else if from_other {
                        if !at_bottom {
                            self.view.new_below.update(|n| *n += 1);
                        }
                        if !looking && self.view.divider.get_untracked().is_none() {
                            self.view.divider.set(Some(id));
                        }
                    }
                }
                if from_other && !seen {
                    self.unread.arrived(room_id, post_id, message_id);
                }
                self.bump_room(room_id);
            }
            RoomEvent::MessageRecalled { message } => {
                let viewing = self.open_post.get_untracked() == Some(message.post_id);
                let from_other = Some(message.author.id) != self.me();
                self.friends
                    .message(&message, false, from_other && !viewing);
                self.add_to_timeline(message);
                if !viewing {
                    // It may have been unread: take the server's counts.
                    self.friends.reload_conversations();
                }
            }
            RoomEvent::PostCreated { .. }
            | RoomEvent::PostEdited { .. }
            | RoomEvent::PostDeleted { .. } => {
                self.friends.reload_conversations();
                if self.open_room.get_untracked() == Some(room_id) {
                    self.reload_posts();
                }
                if let RoomEvent::PostDeleted { post_id } = event
                    && self.open_post.get_untracked() == Some(post_id)
                {
                    self.open_post.set(None);
                }
            }
            RoomEvent::MemberJoined { .. }
            | RoomEvent::MemberLeft { .. }
            | RoomEvent::MemberRoleChanged { .. } => {
                if self.open_room.get_untracked() == Some(room_id) {
                    self.reload_members();
                }
                self.reload_rooms();
            }
            RoomEvent::RoomEdited { room } => {
                self.rooms.update(|rooms| {
                    if let Some(r) = rooms.iter_mut().find(|r| r.room.id == room_id) {
                        r.room = room;
                    }
                });
                self.friends.reload_conversations();
            }
        }
    }

    /// A notification and sound for a message the person cannot see, unless its room or
    /// chat is muted.
    fn alert(self, room_id: RoomId, message: &Message) {
        let direct = self.friends.direct(room_id);
        let (title, muted) = match &direct {
            Some(chat) => (message.author.name().to_owned(), chat.muted),
            None => self.rooms.with_untracked(|rooms| {
                let room = rooms.iter().find(|r| r.room.id == room_id);
                (
                    format!(
                        "{} · {}",
                        message.author.name(),
                        room.map(|r| r.room.name.as_str()).unwrap_or_default()
                    ),
                    room.is_some_and(|r| r.muted),
                )
            }),
        };
        if muted {
            return;
        }
        let mut body: String = message
            .body
            .as_deref()
            .unwrap_or_default()
            .chars()
            .take(140)
            .collect();
        for file in &message.attachments {
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(&format!("📎 {}", file.name));
        }
        let page = crate::app::Page::Conversation(room_id, message.post_id);
        self.attention
            .alert(&title, &body, &format!("post-{}", message.post_id), page);
    }

    /// Mutes a room or private chat on every device of mine (or unmutes it); the server
    /// tells my other sockets with a `muted` frame.
    pub fn set_muted(self, room: RoomId, muted: bool) {
        self.show_muted(room, muted);
        spawn_local(async move {
            if rooms::set_muted(self.session, room, muted).await.is_err() {
                self.show_muted(room, !muted);
            }
        });
    }

    fn show_muted(self, room: RoomId, muted: bool) {
        self.mutes.heard(room, muted);
        self.rooms.update(|r| {
            if let Some(r) = r.iter_mut().find(|r| r.room.id == room) {
                r.muted = muted;
            }
        });
        self.friends.conversations.update(|c| {
            for c in c.iter_mut().filter(|c| c.room_id == room) {
                c.muted = muted;
            }
        });
    }

    /// Moves a room with news to the top of the list.
    fn bump_room(self, room_id: RoomId) {
        self.rooms.update(|rooms| {
            if let Some(i) = rooms.iter().position(|r| r.room.id == room_id) {
                let room = rooms.remove(i);
                rooms.insert(0, room);
            }
        });
    }
}

pub fn use_chat() -> Chat {
    expect_context::<Chat>()
}

pub fn js_sys_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// A random (version 4) UUID from the browser's CSPRNG; works on plain-HTTP origins too,
/// where `crypto.randomUUID` does not exist.
fn new_client_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
