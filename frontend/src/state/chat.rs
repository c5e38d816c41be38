//! Everything live about chat that is not the open conversation: my rooms, the
//! connection, who is online, cursors for resuming, and the server's rules. The socket
//! (`crate::ws`) hands every frame to `Chat::apply`, the one place frames are dispatched;
//! the open conversation (`state::conversation`), friends, unread counts and mutes each
//! keep their own facts.

use crate::{
    client::rooms,
    state::{
        attention::Attention, conversation::Conversation, friends::Friends, mutes::Mutes,
        session::Session, unread::Unread,
    },
};
use api::{
    RoomId, UserId,
    friends::{Presence, UserPresence},
    messages::Message,
    rooms::MyRoom,
    ws::{RoomEvent, ServerFrame},
};
use leptos::{prelude::*, task::spawn_local};
use std::collections::HashMap;

/// The author's recall window until the server said its own (`GET /server`).
const DEFAULT_RECALL_WINDOW_SECS: u64 = 120;
/// Until the server says otherwise.
const DEFAULT_EDIT_WINDOW_SECS: u64 = 24 * 60 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    Reconnecting,
}

#[derive(Clone, Copy)]
pub struct Chat {
    pub session: Session,
    /// Friends, requests and the contact list, fed by the same socket.
    pub friends: Friends,
    /// The open room and topic (also its own context: `use_conversation`).
    pub conversation: Conversation,
    pub rooms: RwSignal<Vec<MyRoom>>,
    pub rooms_loaded: RwSignal<bool>,
    pub connection: RwSignal<Connection>,
    /// Presence of friends and co-members: the one source for every view (missing:
    /// offline, never seen). Frames keep it; the friend list seeds it.
    pub presence: RwSignal<HashMap<UserId, UserPresence>>,
    /// The sidebar shows my rooms rather than the contact list (kept while logged in).
    pub rooms_tab: RwSignal<bool>,
    /// The last `seq` processed per room: sent as cursors when the socket reconnects.
    pub cursors: StoredValue<HashMap<RoomId, i64>>,
    /// Bumped every second, so "is typing" and recall buttons expire without events.
    pub tick: RwSignal<u64>,
    /// The server's rules (recall window, limits), loaded once.
    pub server: RwSignal<Option<api::users::ServerInfo>>,
    /// Is the person looking (tab visible and focused)?
    pub attention: Attention,
    /// Unread counts, one per post: the one source for every badge and the title.
    pub unread: Unread,
    /// Mute changes heard, so that an older list cannot undo one.
    mutes: Mutes,
    /// What moderators made of my reports, heard while I was here (shown until closed).
    pub report_outcomes: RwSignal<Vec<api::admin::MyReport>>,
    /// Room list reloads issued so far: responses can arrive out of order, and only the
    /// newest request's answer may replace the list.
    room_reloads: StoredValue<u64>,
}

impl Chat {
    pub fn provide(session: Session, attention: Attention) -> Self {
        let presence = RwSignal::new(HashMap::new());
        let unread = Unread::new();
        let mutes = Mutes::new();
        let chat = Self {
            unread,
            mutes,
            attention,
            session,
            friends: Friends::new(session, presence, unread, mutes),
            conversation: Conversation::provide(session, unread, attention.looking),
            rooms: RwSignal::new(Vec::new()),
            rooms_loaded: RwSignal::new(false),
            connection: RwSignal::new(Connection::Connecting),
            presence,
            rooms_tab: RwSignal::new(false),
            cursors: StoredValue::new(HashMap::new()),
            tick: RwSignal::new(0),
            server: RwSignal::new(None),
            room_reloads: StoredValue::new(0),
            report_outcomes: RwSignal::new(Vec::new()),
        };
        provide_context(chat);
        let i18n = crate::i18n::use_i18n();
        spawn_local(async move {
            if let Ok(info) = crate::client::server_info().await {
                // Someone who never chose a language gets the server's default (the
                // choice, once made, is kept in a cookie and wins).
                let forced = match info.default_language {
                    api::admin::Language::Browser => None,
                    api::admin::Language::ZhCn => Some(crate::i18n::Locale::zh_CN),
                    api::admin::Language::En => Some(crate::i18n::Locale::en),
                };
                if let Some(locale) = forced
                    && !chose_language()
                {
                    i18n.set_locale(locale);
                }
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

    /// How long an author may edit a message, as this server says.
    pub fn edit_window_secs(&self) -> u64 {
        self.server
            .with(|s| s.as_ref().map(|s| s.edit_window_secs))
            .unwrap_or(DEFAULT_EDIT_WINDOW_SECS)
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

    pub fn reload_rooms(self) {
        self.room_reloads.update_value(|r| *r += 1);
        let issued = self.room_reloads.get_value();
        let asked = self.mutes.now();
        spawn_local(async move {
            if let Ok(mut rooms) = rooms::mine(self.session).await
                && self.room_reloads.get_value() == issued
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

    /// The room's announcement is now `announcement`: to be shown once, unless I wrote it.
    pub fn announcement_changed(
        self,
        room: RoomId,
        announcement: Option<api::rooms::Announcement>,
    ) {
        let mine = announcement
            .as_ref()
            .is_some_and(|a| Some(a.by.id) == self.me());
        self.rooms.update(|rooms| {
            if let Some(r) = rooms.iter_mut().find(|r| r.room.id == room) {
                r.announcement_unseen = announcement.is_some() && !mine;
                r.announcement = announcement;
            }
        });
    }

    /// I have read the room's announcement as it is: the prompt does not show again here
    /// or on my other devices (after their next `GET /rooms`).
    pub fn announcement_seen(self, room: RoomId) {
        let unseen = self
            .rooms
            .with_untracked(|r| r.iter().any(|r| r.room.id == room && r.announcement_unseen));
        if !unseen {
            return;
        }
        self.rooms.update(|r| {
            if let Some(r) = r.iter_mut().find(|r| r.room.id == room) {
                r.announcement_unseen = false;
            }
        });
        spawn_local(async move {
            let _ = rooms::announcement_seen(self.session, room).await;
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
                self.conversation.retry_pending();
                self.conversation.socket_ready();
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
                self.conversation.resync(room_id);
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
                if self.conversation.in_room(room_id) {
                    self.conversation.close();
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
            } => self.conversation.heard_typing(room_id, post_id, user),
            ServerFrame::Unread {
                room_id,
                post_id,
                post_unread,
                post_mentioned,
                ..
            } => self
                .unread
                .set(room_id, post_id, post_unread, post_mentioned),
            ServerFrame::Muted { room_id, muted } => self.show_muted(room_id, muted),
            ServerFrame::ReadReceipt { post_id, up_to, .. } => {
                self.conversation.receipt(post_id, up_to);
            }
            ServerFrame::SessionEnded { reason } => self.session.ended_by_server(Some(reason)),
            ServerFrame::ReportResolved { report } => {
                self.report_outcomes.update(|r| r.push(report));
            }
            ServerFrame::Pong | ServerFrame::Error { .. } => {}
        }
    }

    fn apply_event(self, room_id: RoomId, event: RoomEvent) {
        match event {
            RoomEvent::MessageCreated { message } => {
                let from_other = self.me().is_some_and(|me| message.is_unread_for(me));
                let mentions_me = self.me().is_some_and(|me| message.mentions_me(me));
                let viewing = self.conversation.shows(message.post_id);
                let looking = self.attention.looking.get_untracked();
                // Read at once only when it lands in front of someone looking.
                let seen = viewing && looking && self.conversation.view.at_bottom.get_untracked();
                let (post_id, message_id) = (message.post_id, message.id);
                self.friends.message(&message, true, from_other && !seen);
                if from_other && !(viewing && looking) {
                    self.alert(room_id, &message);
                }
                self.conversation.arrived(message, from_other, looking);
                if from_other && !seen {
                    self.unread
                        .arrived(room_id, post_id, message_id, mentions_me);
                }
                self.bump_room(room_id);
            }
            RoomEvent::MessageRecalled { message } => {
                let viewing = self.conversation.shows(message.post_id);
                let from_other = Some(message.author.id) != self.me();
                self.friends
                    .message(&message, false, from_other && !viewing);
                self.conversation.recalled(message);
                if !viewing {
                    // It may have been unread: take the server's counts.
                    self.friends.reload_conversations();
                }
            }
            RoomEvent::ReactionAdded {
                message_id,
                emoji,
                user,
                ..
            } => self.conversation.reacted(message_id, &emoji, user.id, true),
            RoomEvent::ReactionRemoved {
                message_id,
                emoji,
                user_id,
                ..
            } => self
                .conversation
                .reacted(message_id, &emoji, user_id, false),
            RoomEvent::MessageEdited { message } => {
                self.friends.message(&message, false, false);
                self.conversation.edited(message);
            }
            RoomEvent::PostCreated { .. }
            | RoomEvent::PostEdited { .. }
            | RoomEvent::PostDeleted { .. } => {
                self.friends.reload_conversations();
                let deleted = match event {
                    RoomEvent::PostDeleted { post_id } => Some(post_id),
                    _ => None,
                };
                self.conversation.post_changed(room_id, deleted);
            }
            RoomEvent::MemberJoined { .. }
            | RoomEvent::MemberLeft { .. }
            | RoomEvent::MemberRoleChanged { .. }
            | RoomEvent::MemberSilenced { .. } => {
                self.conversation.members_changed(room_id);
                self.reload_rooms();
            }
            RoomEvent::MessagePinned { .. } | RoomEvent::MessageUnpinned { .. } => {
                self.conversation.pins_changed(room_id);
            }
            RoomEvent::AnnouncementChanged { announcement } => {
                self.announcement_changed(room_id, announcement);
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
        // A mention gets through a mute, as in QQ and WeChat.
        if muted && !self.me().is_some_and(|me| message.mentions_me(me)) {
            return;
        }
        let mut body: String = message
            .text()
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

/// Has this browser chosen a language (leptos_i18n's cookie)?
fn chose_language() -> bool {
    use wasm_bindgen::JsCast as _;
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.cookie().ok())
        .is_some_and(|c| {
            c.split(';')
                .any(|p| p.trim_start().starts_with("i18n_pref_locale="))
        })
}
