//! The open conversation: its room's topics and members, the open topic's timeline, what
//! the reader has seen of it, messages waiting to be sent, and who is typing. The chat
//! state (`state::chat`) routes socket frames here; the chat page's views derive from it.

use crate::{
    client::{ApiError, messages, rooms},
    state::{session::Session, unread::Unread},
};
use api::{
    MessageId, PostId, RoomId, UserId,
    messages::{EditMessage, Message, SendMessage},
    posts::PostListItem,
    rooms::{Member, UserSummary},
};
use leptos::{prelude::*, task::spawn_local};

/// How long a typing notice shows without a repeat.
pub const TYPING_SHOWN_MS: f64 = 5000.0;
/// How many messages a conversation opens with (enough to reach most first unreads).
const OPEN_PAGE: u32 = 100;

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
    /// The message it answers.
    pub reply_to: Option<MessageId>,
    /// Whom it mentions.
    pub mentions: Vec<UserId>,
    pub mention_all: bool,
}

/// Someone typing in a topic, shown until `until` (`now_ms` clock).
#[derive(Clone, Debug, PartialEq)]
pub struct Typing {
    pub room_id: RoomId,
    pub post_id: PostId,
    pub user: UserSummary,
    pub until: f64,
}

#[derive(Clone, Copy)]
pub struct Conversation {
    session: Session,
    /// Where read marks land (the one source of unread counts).
    unread: Unread,
    pub open_room: RwSignal<Option<RoomId>>,
    pub open_post: RwSignal<Option<PostId>>,
    /// The open room's topics.
    pub posts: RwSignal<Vec<PostListItem>>,
    /// The open topic's messages, oldest first.
    pub timeline: RwSignal<Vec<Message>>,
    pub has_older: RwSignal<bool>,
    /// The timeline shows an earlier part of the topic (a quote opened in context): newer
    /// messages exist after it and live ones are not added below.
    pub has_newer: RwSignal<bool>,
    /// The message being answered (the composer shows it).
    pub replying: RwSignal<Option<Message>>,
    /// A message to bring into view and highlight.
    pub focus: RwSignal<Option<MessageId>>,
    /// A message of another topic to bring into view once that topic opens (a pin).
    jump_after_open: StoredValue<Option<(PostId, MessageId)>>,
    /// In a private chat where both send read receipts: how far the other has read.
    pub peer_read: RwSignal<Option<MessageId>>,
    /// Messages waiting for the server, in every topic (sent again on reconnect).
    pub pending: RwSignal<Vec<Pending>>,
    pub typing: RwSignal<Vec<Typing>>,
    /// The open room's members.
    pub members: RwSignal<Vec<Member>>,
    /// The open room's pinned messages, most recently pinned first.
    pub pins: RwSignal<Vec<api::messages::Pin>>,
    /// The message of mine being edited in place (one at a time).
    pub editing: RwSignal<Option<MessageId>>,
    /// Where the open topic is read to, its "new messages" line, and whether the reader
    /// follows the newest message.
    pub view: TimelineView,
    /// Reloads issued so far (posts, members): responses can arrive out of order, and
    /// only the newest request's answer may replace the list.
    reloads: StoredValue<[u64; 3]>,
    /// A message sent before the room's word policy was known, held back because the
    /// policy turned out to be `warn` and the text holds listed words: the composer takes
    /// it back and warns (`send_when_policy_known`).
    pub held: RwSignal<Option<Held>>,
    /// The person looks at this tab (`Attention::looking`).
    looking: RwSignal<bool>,
    /// Sockets that became ready so far. A page asked for before the socket that now
    /// delivers was ready may lack what was sent in between (the socket starts from its
    /// own moment): it is caught up from the server (`catch_up`).
    socket_epoch: StoredValue<u64>,
    /// The open page's first page arrived (`None`: still on its way), and under which
    /// socket epoch it was asked for.
    page_epoch: StoredValue<Option<u64>>,
}

/// See `Conversation::held`.
#[derive(Clone, Debug)]
pub struct Held {
    pub post: PostId,
    pub body: String,
    pub matches: Vec<api::moderation::WordMatch>,
    pub replying: Option<Message>,
}

impl Conversation {
    pub fn provide(session: Session, unread: Unread, looking: RwSignal<bool>) -> Self {
        let conversation = Self {
            session,
            unread,
            open_room: RwSignal::new(None),
            open_post: RwSignal::new(None),
            posts: RwSignal::new(Vec::new()),
            timeline: RwSignal::new(Vec::new()),
            has_older: RwSignal::new(false),
            has_newer: RwSignal::new(false),
            replying: RwSignal::new(None),
            focus: RwSignal::new(None),
            jump_after_open: StoredValue::new(None),
            peer_read: RwSignal::new(None),
            pending: RwSignal::new(Vec::new()),
            typing: RwSignal::new(Vec::new()),
            members: RwSignal::new(Vec::new()),
            pins: RwSignal::new(Vec::new()),
            editing: RwSignal::new(None),
            view: TimelineView::new(),
            reloads: StoredValue::new([0; 3]),
            held: RwSignal::new(None),
            looking,
            socket_epoch: StoredValue::new(0),
            page_epoch: StoredValue::new(None),
        };
        provide_context(conversation);
        conversation
    }

    fn me(self) -> Option<UserId> {
        self.session
            .user
            .with_untracked(|u| u.as_ref().map(|u| u.id))
    }

    /// Is this topic the one open?
    pub fn shows(self, post: PostId) -> bool {
        self.open_post.get_untracked() == Some(post)
    }

    /// Is this room the one open?
    pub fn in_room(self, room: RoomId) -> bool {
        self.open_room.get_untracked() == Some(room)
    }

    /// Starts a reload of list `which` (0 posts, 1 members, 2 pins); the returned number is
    /// checked by `is_latest`.
    fn next_reload(self, which: usize) -> u64 {
        let mut issued = 0;
        self.reloads.update_value(|r| {
            r[which] += 1;
            issued = r[which];
        });
        issued
    }

    fn is_latest(self, which: usize, issued: u64) -> bool {
        self.reloads.with_value(|r| r[which] == issued)
    }

    pub fn reload_posts(self) {
        let Some(room) = self.open_room.get_untracked() else {
            return;
        };
        let issued = self.next_reload(0);
        spawn_local(async move {
            if let Ok(posts) = rooms::posts(self.session, room).await
                && self.in_room(room)
                && self.is_latest(0, issued)
            {
                self.posts.set(posts);
            }
        });
    }

    pub fn reload_members(self) {
        let Some(room) = self.open_room.get_untracked() else {
            return;
        };
        let issued = self.next_reload(1);
        spawn_local(async move {
            if let Ok(members) = rooms::members(self.session, room).await
                && self.in_room(room)
                && self.is_latest(1, issued)
            {
                self.members.set(members);
            }
        });
    }

    pub fn reload_pins(self) {
        let Some(room) = self.open_room.get_untracked() else {
            return;
        };
        let issued = self.next_reload(2);
        spawn_local(async move {
            if let Ok(pins) = messages::pins(self.session, room).await
                && self.in_room(room)
                && self.is_latest(2, issued)
            {
                self.pins.set(pins);
            }
        });
    }

    /// A message in `room` was pinned or unpinned.
    pub fn pins_changed(self, room: RoomId) {
        if self.in_room(room) {
            self.reload_pins();
        }
    }

    /// Pins or unpins a message (owners and admins); the list follows at once, and the
    /// event tells everyone else.
    pub async fn set_pinned(self, id: MessageId, pin: bool) -> Result<(), ApiError> {
        if pin {
            messages::pin(self.session, id).await?;
        } else {
            messages::unpin(self.session, id).await?;
        }
        self.reload_pins();
        Ok(())
    }

    /// Opens a post: its newest page, and marks it read.
    pub fn open(self, room: RoomId, post: PostId) {
        if !self.in_room(room) {
            self.open_room.set(Some(room));
            self.posts.set(Vec::new());
            self.members.set(Vec::new());
            self.pins.set(Vec::new());
            self.reload_posts();
            self.reload_members();
            self.reload_pins();
        }
        if self.shows(post) {
            return;
        }
        self.open_post.set(Some(post));
        self.editing.set(None);
        self.timeline.set(Vec::new());
        self.has_older.set(false);
        self.has_newer.set(false);
        self.focus.set(None);
        self.peer_read.set(None);
        if self
            .replying
            .with_untracked(|r| r.as_ref().is_some_and(|m| m.post_id != post))
        {
            self.replying.set(None);
        }
        self.view.divider.set(None);
        self.view.new_below.set(0);
        self.view.at_bottom.set(true);
        // Nothing is marked read until the page is here and the reader has seen it.
        self.view.marked.set_value((None, 0));
        self.page_epoch.set_value(None);
        let asked_in = self.socket_epoch.get_value();
        spawn_local(async move {
            if let Ok(page) = messages::history(self.session, post, None, OPEN_PAGE).await
                && self.shows(post)
            {
                let read_up_to = page.read_up_to.map_or(i64::MAX, |m| m.0);
                self.view.marked.set_value((Some(post), read_up_to));
                let first_unread = first_unread(&page.messages, read_up_to, self.me());
                self.has_older.set(page.has_more);
                self.peer_read.set(page.peer_read_up_to);
                // Messages that came over the socket while the page travelled, and that
                // the page (made before them) lacks, stay.
                let newest = page.messages.last().map(|m| m.id);
                // A line the live ones placed stays, unless the page has an earlier one.
                let live_divider = self
                    .view
                    .divider
                    .get_untracked()
                    .filter(|d| newest.is_none_or(|n| *d > n));
                self.timeline.update(|t| {
                    let live: Vec<Message> = t
                        .drain(..)
                        .filter(|m| newest.is_none_or(|n| m.id > n))
                        .collect();
                    *t = page.messages;
                    t.extend(live);
                });
                self.view.divider.set(first_unread.or(live_divider));
                self.view.opened.update(|o| *o += 1);
                self.page_epoch.set_value(Some(asked_in));
                if self.socket_epoch.get_value() != asked_in {
                    self.catch_up(post).await;
                }
                let jump = self.jump_after_open.get_value();
                self.jump_after_open.set_value(None);
                if let Some((jump_post, id)) = jump
                    && jump_post == post
                {
                    self.jump_to(id).await;
                }
            }
        });
    }

    /// A socket is ready. The open conversation's page, if it was asked for before, may
    /// lack what was sent before the socket started: that is read now (or when the page
    /// on its way arrives).
    pub fn socket_ready(self) {
        self.socket_epoch.update_value(|e| *e += 1);
        if let (Some(post), Some(_)) = (self.open_post.get_untracked(), self.page_epoch.get_value())
        {
            spawn_local(self.catch_up(post));
        }
    }

    /// Adds what came after the newest shown message of `post`, as if it had just
    /// arrived (the line, following, read marks). Not while an earlier part is shown.
    async fn catch_up(self, post: PostId) {
        let Some(newest) = self.timeline.with_untracked(|t| t.last().map(|m| m.id)) else {
            return;
        };
        if self.has_newer.get_untracked() {
            return;
        }
        let Ok(page) = messages::after(self.session, post, newest, OPEN_PAGE).await else {
            return;
        };
        if !self.shows(post) || self.has_newer.get_untracked() {
            return;
        }
        let me = self.me();
        let looking = self.looking.get_untracked();
        for message in page.messages {
            let from_other = me.is_some_and(|me| message.is_unread_for(me));
            self.arrived(message, from_other, looking);
        }
        if page.has_more {
            // More than a page was missed: it waits below, as after a jump.
            self.has_newer.set(true);
        }
    }

    /// Brings a message into view in its topic: here when that topic is open, else once
    /// the caller has opened it (navigated to it).
    pub fn show_message(self, post: PostId, id: MessageId) {
        if self.shows(post) {
            spawn_local(self.jump_to(id));
        } else {
            self.jump_after_open.set_value(Some((post, id)));
        }
    }

    /// Closes whatever is open.
    pub fn close(self) {
        self.open_room.set(None);
        self.open_post.set(None);
    }

    /// The room's events were lost to this client: its topics and the open page again.
    pub fn resync(self, room: RoomId) {
        if !self.in_room(room) {
            return;
        }
        self.reload_posts();
        if let Some(post) = self.open_post.get_untracked() {
            self.open_post.set(None);
            self.open(room, post);
        }
    }

    /// A topic of `room` was created, edited or (`deleted`) removed.
    pub fn post_changed(self, room: RoomId, deleted: Option<PostId>) {
        if self.in_room(room) {
            self.reload_posts();
        }
        if let Some(post) = deleted
            && self.shows(post)
        {
            self.open_post.set(None);
        }
    }

    /// Someone joined or left `room`, or their role changed.
    pub fn members_changed(self, room: RoomId) {
        if self.in_room(room) {
            self.reload_members();
        }
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
                    Ok(u) => self
                        .unread
                        .set(u.room_id, u.post_id, u.post_unread, u.post_mentioned),
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

    /// Brings a message of the open topic into view: where it is, or its page loaded in
    /// place of the timeline (the newest come back with `latest`).
    pub async fn jump_to(self, id: MessageId) {
        let Some(post) = self.open_post.get_untracked() else {
            return;
        };
        if !self
            .timeline
            .with_untracked(|t| t.iter().any(|m| m.id == id))
        {
            let Ok(page) = messages::around(self.session, post, id, 50).await else {
                return;
            };
            if !self.shows(post) {
                return;
            }
            self.view.at_bottom.set(false);
            self.view.divider.set(None);
            self.has_older.set(page.has_more);
            self.has_newer.set(page.has_newer.unwrap_or(false));
            self.timeline.set(page.messages);
        }
        self.focus.set(Some(id));
    }

    /// Back to the newest page after looking at an earlier part of the topic.
    pub fn latest(self) {
        if let (Some(room), Some(post)) = (
            self.open_room.get_untracked(),
            self.open_post.get_untracked(),
        ) {
            self.open_post.set(None);
            self.open(room, post);
        }
    }

    /// Loads the page after the newest shown message (while `has_newer`). Returns how
    /// many came.
    pub async fn load_newer(self) -> usize {
        let (Some(post), Some(newest)) = (
            self.open_post.get_untracked(),
            self.timeline.with_untracked(|t| t.last().map(|m| m.id)),
        ) else {
            return 0;
        };
        match messages::after(self.session, post, newest, 50).await {
            Ok(page) if self.shows(post) => {
                let count = page.messages.len();
                self.has_newer.set(page.has_more);
                self.timeline.update(|t| t.extend(page.messages));
                count
            }
            _ => 0,
        }
    }

    /// The other person of the open private chat has read up to `up_to`.
    pub fn receipt(self, post: PostId, up_to: MessageId) {
        if self.shows(post) {
            self.peer_read.update(|r| {
                if r.is_none_or(|r| r < up_to) {
                    *r = Some(up_to);
                }
            });
        }
    }

    /// Someone's reaction came or went (a room event).
    pub fn reacted(self, message: MessageId, emoji: &str, user: UserId, added: bool) {
        self.timeline.update(|t| {
            if let Some(m) = t.iter_mut().find(|m| m.id == message && m.recall.is_none()) {
                api::messages::Reaction::apply(&mut m.reactions, emoji, user, added);
            }
        });
    }

    /// Adds or takes back my reaction; the answer is the message's reactions as they are.
    pub async fn toggle_reaction(self, message: MessageId, emoji: String) -> Result<(), ApiError> {
        let Some(me) = self.me() else {
            return Ok(());
        };
        let mine = self.timeline.with_untracked(|t| {
            t.iter().any(|m| {
                m.id == message
                    && m.reactions
                        .iter()
                        .any(|r| r.emoji == emoji && r.users.contains(&me))
            })
        });
        let answer = if mine {
            messages::unreact(self.session, message, &emoji).await?
        } else {
            crate::state::recent_emoji::used(&emoji);
            messages::react(self.session, message, &emoji).await?
        };
        self.timeline.update(|t| {
            if let Some(m) = t.iter_mut().find(|m| m.id == message) {
                m.reactions = answer.reactions;
            }
        });
        Ok(())
    }

    /// Quotes of `original` in the timeline follow it (an edit, a recall).
    fn requote(self, original: &Message) {
        let quoted = self.timeline.with_untracked(|t| {
            t.iter()
                .any(|m| m.reply_to.as_ref().is_some_and(|q| q.id == original.id))
        });
        if quoted {
            let quote = Box::new(api::messages::ReplyQuote::of(original));
            self.timeline.update(|t| {
                for m in t.iter_mut() {
                    if m.reply_to.as_ref().is_some_and(|q| q.id == original.id) {
                        m.reply_to = Some(quote.clone());
                    }
                }
            });
        }
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
            Ok(page) if self.shows(post) => {
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

    /// Queues a message and tries to send it. It stays pending (and is retried with the
    /// same id when the connection returns) until the server has it.
    pub fn send(
        self,
        post: PostId,
        body: String,
        attachments: Vec<api::files::FileInfo>,
        mentions: (Vec<UserId>, bool),
    ) {
        let pending = self.queue(post, body, attachments, mentions);
        spawn_local(async move { self.deliver(pending).await });
    }

    /// Like `send`, for a message written before the room list and the server's rules
    /// had loaded, so before the room's word policy was known. `warn_here` answers once
    /// it is (`Some(true)`: the policy is `warn`). The message shows as sending at once
    /// and lives here, not in the composer, which may be rebuilt while the lists load;
    /// where the policy is `warn` and the text holds listed words it is taken back
    /// (`held`) for the composer to warn about, as if the policy had been known. A message
    /// with files goes as it is (its files are not the composer's any more).
    pub fn send_when_policy_known(
        self,
        room: RoomId,
        post: PostId,
        body: String,
        attachments: Vec<api::files::FileInfo>,
        mentions: (Vec<UserId>, bool),
        warn_here: impl Fn() -> Option<bool> + 'static,
    ) {
        let replying = self.replying.get_untracked().filter(|m| m.post_id == post);
        let pending = self.queue(post, body, attachments, mentions);
        spawn_local(async move {
            // The lists load within a second or two; after 15 s without them the message
            // goes as the server's default says (the server records any hit anyway).
            let mut warn = false;
            for _ in 0..150 {
                if let Some(known) = warn_here() {
                    warn = known;
                    break;
                }
                sleep_ms(100).await;
            }
            if warn
                && pending.attachments.is_empty()
                && let Ok(check) =
                    messages::filter_check(self.session, room, pending.body.clone()).await
                && !check.matches.is_empty()
            {
                self.pending
                    .update(|p| p.retain(|m| m.client_id != pending.client_id));
                self.held.set(Some(Held {
                    post,
                    body: pending.body,
                    matches: check.matches,
                    replying,
                }));
                return;
            }
            self.deliver(pending).await
        });
    }

    /// A message added to the pending ones, to be delivered.
    fn queue(
        self,
        post: PostId,
        body: String,
        attachments: Vec<api::files::FileInfo>,
        (mentions, mention_all): (Vec<UserId>, bool),
    ) -> Pending {
        let reply_to = self
            .replying
            .get_untracked()
            .filter(|m| m.post_id == post)
            .map(|m| m.id);
        self.replying.set(None);
        // Writing from an earlier part of the topic goes back to the newest.
        if self.has_newer.get_untracked() {
            self.latest();
        }
        let pending = Pending {
            client_id: new_client_id(),
            post_id: post,
            body,
            attachments,
            failed: None,
            reply_to,
            mentions,
            mention_all,
        };
        self.pending.update(|p| p.push(pending.clone()));
        pending
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
            reply_to: pending.reply_to,
            mentions: pending.mentions.clone(),
            mention_all: pending.mention_all,
        };
        match messages::send(self.session, pending.post_id, &body).await {
            Ok(message) => {
                self.pending
                    .update(|p| p.retain(|x| x.client_id != pending.client_id));
                if !self.has_newer.get_untracked() {
                    self.add_to_timeline(message);
                }
            }
            // Not reached: keep it pending; it goes again when the socket is back.
            Err(err) if err.status == 0 || err.status >= 500 => {}
            // Sending too fast (or faster than the room's slow mode): it stays pending and
            // goes again when the server says.
            Err(err)
                if matches!(
                    err.code(),
                    api::ErrorCode::RateLimited | api::ErrorCode::SlowMode
                ) =>
            {
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

    /// Shows `message` in the open topic, in place of an earlier copy if there is one.
    /// True when it was not shown before.
    fn add_to_timeline(self, message: Message) -> bool {
        if !self.shows(message.post_id) {
            return false;
        }
        let mut new = false;
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
                    new = true;
                }
            });
        new
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

    /// A message heard on the socket: it ends its author's typing and, when it is one of
    /// mine, its pending copy; the open topic shows it. `looking`: the person looks at
    /// this tab; a message from someone else that lands in front of a reader looking at
    /// the newest is read at once.
    pub fn arrived(self, message: Message, from_other: bool, looking: bool) {
        self.typing.update(|t| {
            t.retain(|x| !(x.post_id == message.post_id && x.user.id == message.author.id))
        });
        if let Some(client_id) = &message.client_id {
            self.pending
                .update(|p| p.retain(|x| &x.client_id != client_id));
        }
        if !self.shows(message.post_id) {
            return;
        }
        // An earlier part of the topic is shown: what arrives waits below it.
        if self.has_newer.get_untracked() {
            if from_other {
                self.view.new_below.update(|n| *n += 1);
            }
            return;
        }
        let at_bottom = self.view.at_bottom.get_untracked();
        let seen = looking && at_bottom;
        let (id, message_post) = (message.id, message.post_id);
        // Heard twice (live, and again in a catch-up that overlapped it): counted once.
        let new = self.add_to_timeline(message);
        if from_other && seen {
            self.seen(id);
        } else if from_other && new {
            if !at_bottom {
                self.view.new_below.update(|n| *n += 1);
            }
            if !looking {
                self.place_divider(id, message_post);
            }
        }
    }

    /// `id` (someone else's) arrived unseen in `post`, the open topic: the "new messages"
    /// line goes before the first message the reader has not seen. A line the reader has
    /// seen past is replaced; an unseen message that comes late, before the line (a
    /// catch-up answered after newer ones arrived live), takes it.
    fn place_divider(self, id: MessageId, post: PostId) {
        let (marked_post, marked) = self.view.marked.get_value();
        let marked = (marked_post == Some(post)).then_some(marked);
        match self.view.divider.get_untracked() {
            Some(d) if marked.is_none_or(|m| m < d.0) => {
                if id < d {
                    self.view.divider.set(Some(id));
                }
            }
            _ => {
                // The first unseen after what the reader has seen: possibly earlier than
                // `id` (arrived while they looked elsewhere in the topic).
                let first = marked.and_then(|m| {
                    self.timeline
                        .with_untracked(|t| first_unread(t, m, self.me()))
                });
                self.view.divider.set(Some(first.unwrap_or(id)));
            }
        }
    }

    /// A recalled message: the open topic shows its placeholder.
    pub fn recalled(self, message: Message) {
        self.requote(&message);
        if self
            .replying
            .with_untracked(|r| r.as_ref().is_some_and(|m| m.id == message.id))
        {
            self.replying.set(None);
        }
        self.add_to_timeline(message);
    }

    /// Its author changed a message (live, or my own edit's answer).
    pub fn edited(self, message: Message) {
        self.requote(&message);
        self.add_to_timeline(message);
    }

    /// My newest message in the open topic that I may still edit, if any.
    pub fn last_editable(self, window_secs: u64) -> Option<MessageId> {
        let me = self.me()?;
        let now = time::OffsetDateTime::now_utc();
        self.timeline.with_untracked(|t| {
            t.iter()
                .rev()
                .find(|m| {
                    m.author.id == me
                        && m.kind == api::messages::MessageKind::Text
                        && m.recall.is_none()
                })
                .filter(|m| (now - m.created_at).whole_seconds() < window_secs as i64)
                .map(|m| m.id)
        })
    }

    /// Changes the text of my message.
    pub async fn edit(self, id: MessageId, body: String) -> Result<(), ApiError> {
        let message = messages::edit(
            self.session,
            id,
            &EditMessage {
                body,
                mentions: None,
                mention_all: None,
            },
        )
        .await?;
        // Closed first: the edited message is drawn anew, and its editor with it.
        if self.editing.get_untracked() == Some(id) {
            self.editing.set(None);
        }
        self.edited(message);
        Ok(())
    }

    /// Someone is typing in a topic (shown for `TYPING_SHOWN_MS` unless repeated).
    pub fn heard_typing(self, room_id: RoomId, post_id: PostId, user: UserSummary) {
        let until = now_ms() + TYPING_SHOWN_MS;
        self.typing.update(|t| {
            t.retain(|x| !(x.post_id == post_id && x.user.id == user.id));
            t.push(Typing {
                room_id,
                post_id,
                user,
                until,
            });
        });
    }
}

pub fn use_conversation() -> Conversation {
    expect_context::<Conversation>()
}

/// Milliseconds on the page's monotonic clock.
pub fn now_ms() -> f64 {
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

/// Waits `ms` milliseconds (a browser timer).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The first of `messages` after `read_up_to` that is unread for `me` (someone else's text).
fn first_unread(messages: &[Message], read_up_to: i64, me: Option<UserId>) -> Option<MessageId> {
    let me = me?;
    messages
        .iter()
        .find(|m| m.id.0 > read_up_to && m.is_unread_for(me))
        .map(|m| m.id)
}
