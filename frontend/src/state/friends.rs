//! Friends, friend requests and the contact list (every conversation with its unread
//! count and last message), kept live from the socket.

use crate::{
    client::friends,
    state::{mutes::Mutes, session::Session, unread::Unread},
};
use api::{
    RoomId, UserId,
    conversations::{Conversation, LastMessage, excerpt},
    friends::{Friend, FriendEvent, PendingRequests, RequestState, UserPresence},
    messages::Message,
};
use leptos::{prelude::*, task::spawn_local};
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub struct Friends {
    session: Session,
    /// The one presence map (owned by the chat state): the friend list seeds it with what
    /// the server said of friends who are offline (their last seen), frames keep it.
    presence: RwSignal<HashMap<UserId, UserPresence>>,
    /// The unread counts (owned by the chat state): the contact list's answer sets them.
    unread: Unread,
    /// Mute changes heard since a contact list was asked for win over its answer.
    mutes: Mutes,
    pub friends: RwSignal<Vec<Friend>>,
    pub requests: RwSignal<PendingRequests>,
    pub conversations: RwSignal<Vec<Conversation>>,
    /// "Later" on the incoming-requests prompt: hidden until the next login.
    pub prompt_dismissed: RwSignal<bool>,
}

impl Friends {
    pub fn new(
        session: Session,
        presence: RwSignal<HashMap<UserId, UserPresence>>,
        unread: Unread,
        mutes: Mutes,
    ) -> Self {
        Self {
            session,
            presence,
            unread,
            mutes,
            friends: RwSignal::new(Vec::new()),
            requests: RwSignal::new(PendingRequests::default()),
            conversations: RwSignal::new(Vec::new()),
            prompt_dismissed: RwSignal::new(false),
        }
    }

    /// Everything, after a login or a reconnect.
    pub fn reload(self) {
        self.reload_friends();
        self.reload_requests();
        self.reload_conversations();
    }

    pub fn clear(self) {
        self.friends.set(Vec::new());
        self.requests.set(PendingRequests::default());
        self.conversations.set(Vec::new());
        self.prompt_dismissed.set(false);
    }

    pub fn reload_friends(self) {
        let issued = next_generation(&FRIENDS_GEN);
        spawn_local(async move {
            if let Ok(friends) = friends::list(self.session).await
                && is_latest(&FRIENDS_GEN, issued)
            {
                // A frame already heard is newer than this answer: it wins.
                self.presence.update(|p| {
                    for f in &friends {
                        p.entry(f.user.id).or_insert_with(|| f.presence.clone());
                    }
                });
                self.friends.set(friends);
            }
        });
    }

    pub fn reload_requests(self) {
        let issued = next_generation(&REQUESTS_GEN);
        spawn_local(async move {
            if let Ok(requests) = friends::requests(self.session).await
                // An older load answering late (the one at login, after the socket's
                // reload) must not replace a newer list.
                && is_latest(&REQUESTS_GEN, issued)
            {
                self.requests.set(requests);
            }
        });
    }

    pub fn reload_conversations(self) {
        let issued = next_generation(&CONVERSATIONS_GEN);
        let asked = self.mutes.now();
        spawn_local(async move {
            if let Ok(mut list) = friends::conversations(self.session).await
                && is_latest(&CONVERSATIONS_GEN, issued)
            {
                for c in &mut list {
                    if let Some(muted) = self.mutes.since(c.room_id, asked) {
                        c.muted = muted;
                    }
                }
                let stale = self.unread.replace_all(list.iter().map(|c| {
                    (
                        c.room_id,
                        c.post_id,
                        c.unread,
                        c.mentioned,
                        c.last_message.as_ref().map(|m| m.id),
                    )
                }));
                self.conversations.set(list);
                // Older than messages already counted: ask again once things are quiet.
                if stale {
                    set_timeout(
                        move || self.reload_conversations(),
                        std::time::Duration::from_millis(300),
                    );
                }
            }
        });
    }

    /// The private chat in this room, if it is one.
    pub fn direct(&self, room: RoomId) -> Option<Conversation> {
        self.conversations.with(|c| {
            c.iter()
                .find(|c| c.room_id == room && c.peer.is_some())
                .cloned()
        })
    }

    pub fn incoming_count(&self) -> usize {
        self.requests.with(|r| r.incoming.len())
    }

    /// A `friends` frame.
    pub fn apply(self, me: Option<UserId>, event: FriendEvent) {
        match event {
            FriendEvent::Request { request } => self.requests.update(|r| {
                let (list, other) = if Some(request.to.id) == me {
                    (&mut r.incoming, request.from.id)
                } else {
                    (&mut r.outgoing, request.to.id)
                };
                list.retain(|x| x.from.id != other && x.to.id != other);
                if request.state == RequestState::Pending {
                    list.insert(0, request);
                }
            }),
            FriendEvent::Added { friend } => {
                self.presence.update(|p| {
                    p.entry(friend.user.id)
                        .or_insert_with(|| friend.presence.clone());
                });
                self.friends.update(|f| {
                    f.retain(|x| x.user.id != friend.user.id);
                    f.push(friend);
                });
                sort_friends(self.friends);
            }
            FriendEvent::Removed { user_id } => {
                self.friends.update(|f| f.retain(|x| x.user.id != user_id))
            }
        }
    }

    /// A message was created or recalled: its conversation moves to the top with the new
    /// preview (counts are `Unread`'s). `unread`: it was from someone else and not seen.
    pub fn message(self, message: &Message, created: bool, unread: bool) {
        let mut known = false;
        self.conversations.update(|list| {
            let Some(i) = list.iter().position(|c| c.post_id == message.post_id) else {
                return;
            };
            known = true;
            let c = &mut list[i];
            let newest = c.last_message.as_ref().is_none_or(|l| l.id <= message.id);
            if newest {
                c.last_message = Some(LastMessage {
                    id: message.id,
                    author: message.author.clone(),
                    kind: message.kind,
                    recalled: message.recall.is_some(),
                    excerpt: message.text().as_deref().map(excerpt),
                    attachment: message.attachments.first().map(Into::into),
                    created_at: message.created_at,
                });
            }
            if created {
                c.last_activity_at = message.created_at;
                let c = list.remove(i);
                list.insert(0, c);
            }
        });
        if !known || (!created && unread) {
            // A new post or chat, or a recalled message that may have been unread.
            self.reload_conversations();
        }
    }
}

fn sort_friends(friends: RwSignal<Vec<Friend>>) {
    friends.update(|f| api::friends::sort_friends(f));
}

thread_local! {
    // Reload generations: only the newest load of a list may replace it, since answers
    // can arrive out of order.
    static FRIENDS_GEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static REQUESTS_GEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static CONVERSATIONS_GEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn next_generation(key: &'static std::thread::LocalKey<std::cell::Cell<u64>>) -> u64 {
    key.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

fn is_latest(key: &'static std::thread::LocalKey<std::cell::Cell<u64>>, issued: u64) -> bool {
    key.with(|g| g.get() == issued)
}
