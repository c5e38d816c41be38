//! The chat screen: my rooms on the left, the open room's topics, the timeline with its
//! composer, and the member list.

use crate::{
    client::ApiError,
    components::{
        files::{
            Attachments, Avatar, AvatarPicker, Upload, UploadLine, UploadState, input_files,
            start_upload, transfer_files,
        },
        form::{Notice, TextField},
    },
    i18n::*,
    state::{
        chat::{Chat, Connection, Pending, js_sys_now, use_chat},
        session::use_session,
    },
    text::{error_text, tr},
    ws,
};
use api::{
    PostId, RoomId, UserId,
    conversations::{Conversation, PreviewWords},
    files::ATTACHMENTS_MAX,
    friends::{DirectChat, OpenChat, Presence, RequestResult, SendFriendRequest},
    messages::{Message, MessageKind},
    posts::{CreatePost, Post},
    rooms::{
        CreateRoom, JoinResult, JoinRoom, Member, MyRoom, Room, RoomRole, SetRole, UserSummary,
        Visibility,
    },
};
use leptos::{ev, html, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};

/// `/rooms` and `/rooms/:room_id/:post_id`.
#[component]
pub fn ChatPage() -> impl IntoView {
    let chat = use_chat();
    let params = use_params_map();
    let navigate = use_navigate();
    let selected = Memo::new(move |_| {
        let p = params.read();
        let room = p.get("room_id").and_then(|r| r.parse().ok()).map(RoomId);
        let post = p.get("post_id").and_then(|r| r.parse().ok()).map(PostId);
        room.zip(post)
    });
    // Loading what the address names is the page talking to the server.
    Effect::new(move |_| {
        if let Some((room, post)) = selected.get() {
            chat.open(room, post);
        } else {
            chat.open_room.set(None);
            chat.open_post.set(None);
        }
    });
    // A room that went away (left, removed, deleted) takes its page with it.
    Effect::new(move |_| {
        if selected.get().is_some() && chat.open_room.get().is_none() {
            navigate("/rooms", Default::default());
        }
    });
    // The other person, when the open room is a private chat. A memo, so that the view is
    // rebuilt only when this changes, not on every change to the contact list.
    let peer = Memo::new(move |_| {
        selected
            .get()
            .and_then(|(room, _)| chat.friends.direct(room))
            .and_then(|c| c.peer)
    });
    let show_rooms = RwSignal::new(false);
    view! {
        <div class="chat" class:show-rooms=move || show_rooms.get()>
            <ConnectionBanner/>
            <RoomsSidebar on_pick=Callback::new(move |_| show_rooms.set(false))/>
            <section class="chat-main">
                <button type="button" class="rooms-toggle" on:click=move |_| show_rooms.update(|s| *s = !*s)>
                    {move || t_string!(use_i18n(), chat.show_rooms)}
                </button>
                {move || match (selected.get(), peer.get()) {
                    (Some((_, post)), Some(peer)) => view! { <DirectView post peer/> }.into_any(),
                    (Some((room, post)), None) => view! { <RoomView room post/> }.into_any(),
                    (None, _) => view! { <EmptyState/> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn ConnectionBanner() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    move || match chat.connection.get() {
        Connection::Online => None,
        Connection::Connecting => {
            Some(view! { <p class="banner" role="status">{t_string!(i18n, chat.connecting)}</p> })
        }
        Connection::Reconnecting => Some(
            view! { <p class="banner warn" role="status">{t_string!(i18n, chat.reconnecting)}</p> },
        ),
    }
}

#[component]
fn EmptyState() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    view! {
        <div class="empty">
            {move || if chat.rooms_loaded.get()
                && chat.rooms.with(Vec::is_empty)
                && chat.friends.conversations.with(Vec::is_empty)
            {
                t_string!(i18n, chat.no_rooms)
            } else {
                t_string!(i18n, chat.pick_room)
            }}
        </div>
    }
}

#[component]
fn RoomsSidebar(on_pick: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let dialog = RwSignal::new(None::<&'static str>);
    let show_chats = Signal::derive(move || !chat.rooms_tab.get());
    let chats_unread = move || {
        chat.friends
            .conversations
            .with(|c| c.iter().map(|c| c.unread).sum::<i64>())
    };
    view! {
        <nav class="rooms" aria-label=move || t_string!(i18n, chat.rooms)>
            <div class="tabs" role="tablist">
                <button type="button" role="tab" id="tab-chats" aria-selected=move || show_chats.get().to_string()
                    on:click=move |_| chat.rooms_tab.set(false)>
                    {t!(i18n, contacts.chats)}
                    {move || (chats_unread() > 0).then(|| view! { <span class="badge">{badge(chats_unread())}</span> })}
                </button>
                <button type="button" role="tab" id="tab-rooms" aria-selected=move || (!show_chats.get()).to_string()
                    on:click=move |_| chat.rooms_tab.set(true)>{t!(i18n, chat.rooms)}</button>
            </div>
            <Show when=move || show_chats.get() fallback=move || view! {
                <div class="rooms-head">
                    <button type="button" class="small" on:click=move |_| dialog.set(Some("create"))>{t!(i18n, chat.new_room)}</button>
                    <button type="button" class="small" on:click=move |_| dialog.set(Some("join"))>{t!(i18n, chat.join_room)}</button>
                </div>
                <ul>
                    <For each=move || chat.rooms.get() key=|r| (r.room.id, r.unread, r.room.name.clone()) let:room>
                        <RoomLink room on_pick/>
                    </For>
                </ul>
            }>
                <ul class="conversations" aria-labelledby="tab-chats">
                    <For each=move || chat.friends.conversations.get() key=|c| (c.post_id, c.unread, c.last_message.as_ref().map(|m| (m.id, m.recalled)), c.last_activity_at) let:conversation>
                        <ConversationLink conversation on_pick/>
                    </For>
                </ul>
                <Show when=move || chat.friends.conversations.with(Vec::is_empty)>
                    <p class="muted small-text pad">{t!(i18n, contacts.no_chats)}</p>
                </Show>
            </Show>
        </nav>
        {move || match dialog.get() {
            Some("create") => Some(view! { <CreateRoomDialog close=Callback::new(move |_| dialog.set(None))/> }.into_any()),
            Some(_) => Some(view! { <JoinRoomDialog close=Callback::new(move |_| dialog.set(None))/> }.into_any()),
            None => None,
        }}
    }
}

#[component]
fn RoomLink(room: MyRoom, on_pick: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let id = room.room.id;
    let href = format!("/rooms/{}/{}", id, room.default_post_id);
    let active = move || chat.open_room.get() == Some(id);
    let unread = room.unread;
    view! {
        <li>
            <A href=href attr:class=move || if active() { "room active" } else { "room" } on:click=move |_| on_pick.run(())>
                <span class="room-name">{room.room.name.clone()}</span>
                {(unread > 0).then(|| view! {
                    <span class="badge" aria-label=format!("{unread} unread")>{badge(unread)}</span>
                })}
            </A>
        </li>
    }
}

fn badge(n: i64) -> String {
    if n > 99 {
        "99+".to_string()
    } else {
        n.to_string()
    }
}

/// One line of the contact list: who or where, the last message, unread count.
#[component]
fn ConversationLink(conversation: Conversation, on_pick: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let Conversation {
        room_id,
        post_id,
        unread,
        ..
    } = conversation;
    let href = format!("/rooms/{room_id}/{post_id}");
    let active = move || chat.open_post.get() == Some(post_id);
    let group = conversation.peer.is_none();
    let peer = conversation.peer.as_ref().map(|p| p.id);
    let title = match (
        &conversation.peer,
        &conversation.room_name,
        &conversation.post_title,
    ) {
        (Some(peer), _, _) => peer.name().to_owned(),
        (None, Some(room), Some(post)) => format!("{room} · {post}"),
        (None, Some(room), None) => room.clone(),
        _ => String::new(),
    };
    let last = conversation.last_message.clone();
    let preview = move || {
        last.as_ref()
            .map(|m| {
                let words = PreviewWords {
                    recalled: t_string!(i18n, contacts.recalled),
                    joined: t_string!(i18n, contacts.joined),
                    left: t_string!(i18n, contacts.left),
                    image: t_string!(i18n, files.image_tag),
                    file: t_string!(i18n, files.file_tag),
                };
                m.preview(group, &words)
            })
            .unwrap_or_default()
    };
    let status = move || {
        peer.map(|p| {
            chat.presence
                .with(|s| s.get(&p).copied().unwrap_or_default())
        })
    };
    view! {
        <li>
            <A href=href attr:class=move || if active() { "conversation active" } else { "conversation" } on:click=move |_| on_pick.run(())>
                <span class="conversation-title">
                    {move || status().map(|s| view! { <PresenceDot status=s/> })}
                    <span class="room-name">{title}</span>
                </span>
                <span class="preview muted">{preview}</span>
                {(unread > 0).then(|| view! {
                    <span class="badge" aria-label=format!("{unread} unread")>{badge(unread)}</span>
                })}
            </A>
        </li>
    }
}

/// "online" / "away" / "offline" in the reader's language.
pub fn presence_label(i18n: leptos_i18n::I18nContext<Locale>, status: Presence) -> &'static str {
    match status {
        Presence::Online => t_string!(i18n, chat.online),
        Presence::Away => t_string!(i18n, chat.away),
        Presence::Offline => t_string!(i18n, chat.offline),
    }
}

#[component]
pub fn PresenceDot(status: Presence) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="dot" class:on=status == Presence::Online class:away=status == Presence::Away
            role="img" aria-label=move || presence_label(i18n, status)></span>
    }
}

/// A private chat: the other person, their presence, the timeline and the composer.
#[component]
fn DirectView(post: PostId, peer: UserSummary) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let peer_id = peer.id;
    let status = move || {
        chat.presence
            .with(|s| s.get(&peer_id).copied().unwrap_or_default())
    };
    view! {
        <div class="room-view direct">
            <header class="room-head">
                <div class="direct-head">
                    {move || view! { <PresenceDot status=status()/> }}
                    <h1>{peer.name().to_owned()}</h1>
                    <span class="muted small-text">{move || presence_label(i18n, status())}</span>
                </div>
            </header>
            <section class="post-view">
                <Timeline post my_role=Signal::derive(|| RoomRole::Member)/>
                <TypingLine post/>
                <Composer post/>
            </section>
        </div>
    }
}

/// Goes to a path; a `Copy` handle, so list items and event handlers can share it.
pub type Navigator = StoredValue<Box<dyn Fn(&str)>, LocalStorage>;

/// A `Navigator` for this component's router.
pub fn navigator() -> Navigator {
    let navigate = use_navigate();
    StoredValue::new_local(Box::new(move |path: &str| {
        navigate(path, Default::default())
    }))
}

/// Opens (or creates) the private chat with someone and goes there.
pub fn open_private_chat(
    chat: Chat,
    navigate: Navigator,
    user: UserId,
    error: RwSignal<Option<ApiError>>,
) {
    spawn_local(async move {
        match chat
            .session
            .post_json::<DirectChat>("/chats", &OpenChat { user_id: user })
            .await
        {
            Ok(direct) => {
                chat.friends.reload_conversations();
                let path = format!("/rooms/{}/{}", direct.room_id, direct.post_id);
                navigate.with_value(|go| go(&path));
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
fn RoomView(room: RoomId, post: PostId) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let show_members = RwSignal::new(false);
    let new_post = RwSignal::new(false);
    let edit_post = RwSignal::new(false);
    let tag_filter = RwSignal::new(None::<String>);
    let tags = Memo::new(move |_| {
        let mut all: Vec<String> = chat
            .posts
            .with(|p| p.iter().flat_map(|p| p.post.tags.clone()).collect());
        all.sort();
        all.dedup();
        all
    });
    let my_room = Memo::new(move |_| {
        chat.rooms
            .with(|r| r.iter().find(|r| r.room.id == room).cloned())
    });
    let current_post = Memo::new(move |_| {
        chat.posts
            .with(|p| p.iter().find(|p| p.post.id == post).map(|p| p.post.clone()))
    });
    let online_count = move || {
        let me = chat.me();
        chat.presence.with(|p| {
            chat.members.with(|m| {
                m.iter()
                    .filter(|m| {
                        Some(m.user.id) == me
                            || p.get(&m.user.id).is_some_and(|s| *s != Presence::Offline)
                    })
                    .count()
            })
        })
    };
    view! {
        <div class="room-view">
            <header class="room-head">
                <div>
                    <h1>{move || my_room.get().map(|r| r.room.name).unwrap_or_default()}</h1>
                    <p class="muted small-text">
                        {move || t_string!(i18n, chat.number_label)}" "
                        {move || my_room.get().map(|r| r.room.number.to_string()).unwrap_or_default()}
                    </p>
                </div>
                <button type="button" class="small" aria-expanded=move || show_members.get().to_string()
                    on:click=move |_| show_members.update(|s| *s = !*s)>
                    {t!(i18n, chat.members)}" · "{online_count}" "{t!(i18n, chat.online)}
                </button>
            </header>
            <div class="room-body">
                <aside class="posts" aria-label=move || t_string!(i18n, chat.posts)>
                    <div class="posts-head">
                        <h2>{t!(i18n, chat.posts)}</h2>
                        <button type="button" class="small" on:click=move |_| new_post.set(true)>{t!(i18n, chat.new_post)}</button>
                    </div>
                    <Show when=move || !tags.with(Vec::is_empty)>
                        <div class="tags" role="group" aria-label=move || t_string!(i18n, chat.filter_by)>
                            <button type="button" class="tag" aria-pressed=move || tag_filter.with(Option::is_none).to_string()
                                on:click=move |_| tag_filter.set(None)>{t!(i18n, chat.all_topics)}</button>
                            <For each=move || tags.get() key=|t| t.clone() let:tag>
                                <TagButton tag filter=tag_filter/>
                            </For>
                        </div>
                    </Show>
                    <ul>
                        <For
                            each=move || {
                                let tag = tag_filter.get();
                                chat.posts.get().into_iter().filter(|p| tag.as_ref().is_none_or(|t| p.post.tags.contains(t))).collect::<Vec<_>>()
                            }
                            key=|p| (p.post.id, p.unread, p.post.title.clone())
                            let:item
                        >
                            <PostLink room item/>
                        </For>
                    </ul>
                </aside>
                <section class="post-view">
                    <div class="post-head">
                        <h2 class="post-title">{move || current_post.get().map(|p| post_title(i18n, &p)).unwrap_or_default()}</h2>
                        {move || current_post.get().map(|p| p.tags.into_iter().map(|t| view! { <span class="tag static">"#"{t}</span> }).collect_view())}
                        <Show when=move || {
                            let me = chat.me();
                            let role = my_room.get().map(|r| r.role).unwrap_or(RoomRole::Member);
                            current_post.get().is_some_and(|p| !p.is_default && role.can_edit_post(p.author_id == me))
                        }>
                            <button type="button" class="link tiny" on:click=move |_| edit_post.set(true)>{t!(i18n, chat.edit_post)}</button>
                        </Show>
                    </div>
                    {move || current_post.get().and_then(|p| p.description).map(|d| view! { <p class="post-description">{d}</p> })}
                    <Timeline post my_role=Signal::derive(move || my_room.get().map(|r| r.role).unwrap_or(RoomRole::Member))/>
                    <TypingLine post/>
                    <Composer post/>
                </section>
                <Show when=move || show_members.get()>
                    <MembersPanel room my_role=Signal::derive(move || my_room.get().map(|r| r.role).unwrap_or(RoomRole::Member))/>
                </Show>
            </div>
        </div>
        <Show when=move || new_post.get()>
            <CreatePostDialog room close=Callback::new(move |_| new_post.set(false))/>
        </Show>
        {move || (edit_post.get()).then(|| current_post.get_untracked()).flatten().map(|p| view! {
            <EditPostDialog room post=p close=Callback::new(move |_| edit_post.set(false))/>
        })}
    }
}

#[component]
fn TagButton(tag: String, filter: RwSignal<Option<String>>) -> impl IntoView {
    let label = format!("#{tag}");
    let pressed = {
        let tag = tag.clone();
        move || (filter.get().as_deref() == Some(tag.as_str())).to_string()
    };
    view! {
        <button type="button" class="tag" aria-pressed=pressed on:click=move |_| filter.set(Some(tag.clone()))>{label}</button>
    }
}

#[component]
fn PostLink(room: RoomId, item: api::posts::PostListItem) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let id = item.post.id;
    let title = move || post_title(i18n, &item.post);
    let unread = item.unread;
    view! {
        <li>
            <A href=format!("/rooms/{room}/{id}")
                attr:class=move || if chat.open_post.get() == Some(id) { "post active" } else { "post" }>
                <span>{title}</span>
                {(unread > 0).then(|| view! { <span class="badge">{unread}</span> })}
            </A>
        </li>
    }
}

fn post_title(i18n: leptos_i18n::I18nContext<Locale>, post: &Post) -> String {
    if post.is_default {
        t_string!(i18n, chat.default_post).to_string()
    } else {
        post.title.clone()
    }
}

#[component]
fn Timeline(post: PostId, my_role: Signal<RoomRole>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let scroller = NodeRef::<html::Div>::new();
    // Follow new messages only while the reader is at the bottom.
    let at_bottom = StoredValue::new(true);
    let loading_older = StoredValue::new(false);
    Effect::new(move |_| {
        chat.timeline.track();
        chat.pending.track();
        if at_bottom.get_value()
            && let Some(el) = scroller.get()
        {
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });
    let on_scroll = move |_: ev::Event| {
        let Some(el) = scroller.get() else { return };
        at_bottom.set_value(el.scroll_height() - el.scroll_top() - el.client_height() < 40);
        if el.scroll_top() < 40 && chat.has_older.get_untracked() && !loading_older.get_value() {
            loading_older.set_value(true);
            let before = el.scroll_height();
            spawn_local(async move {
                if chat.load_older().await > 0 {
                    request_animation_frame(move || {
                        el.set_scroll_top(el.scroll_height() - before + el.scroll_top())
                    });
                }
                loading_older.set_value(false);
            });
        }
    };
    let pending = move || {
        chat.pending.with(|p| {
            p.iter()
                .filter(|x| x.post_id == post)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="timeline" node_ref=scroller on:scroll=on_scroll role="log" aria-live="polite">
            <Show when=move || !chat.has_older.get()>
                <p class="beginning">{t!(i18n, chat.beginning)}</p>
            </Show>
            <ol class="messages">
                <For each=move || chat.timeline.get() key=|m| (m.id, m.recall.is_some()) let:message>
                    <MessageItem message my_role/>
                </For>
                <For each=pending key=|p| (p.client_id.clone(), p.failed.is_some()) let:item>
                    <PendingItem item/>
                </For>
            </ol>
        </div>
    }
}

/// The time of day in the reader's own time zone.
fn clock(at: time::OffsetDateTime) -> String {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

#[component]
fn MessageItem(message: Message, my_role: Signal<RoomRole>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let name = message.author.name().to_owned();
    match message.kind {
        MessageKind::Joined | MessageKind::Left => {
            let joined = message.kind == MessageKind::Joined;
            return view! {
                <li class="notice-line">
                    {move || if joined {
                        t_string!(i18n, chat.joined, name = name.clone()).to_string()
                    } else {
                        t_string!(i18n, chat.left, name = name.clone()).to_string()
                    }}
                </li>
            }
            .into_any();
        }
        MessageKind::Text => {}
    }
    if let Some(recall) = message.recall.clone() {
        return view! {
            <li class="notice-line recalled">
                {move || if recall.by_admin {
                    t_string!(i18n, chat.removed_by_admin).to_string()
                } else {
                    t_string!(i18n, chat.recalled_by_author, name = name.clone()).to_string()
                }}
            </li>
        }
        .into_any();
    }
    let mine = chat.me() == Some(message.author.id);
    let id = message.id;
    let sent_at = message.created_at;
    let can_recall = move || {
        chat.tick.track();
        let age = time::OffsetDateTime::now_utc() - sent_at;
        my_role
            .get()
            .can_recall(mine, age.whole_seconds(), chat.recall_window_secs())
    };
    let error = RwSignal::new(None::<ApiError>);
    let recall = move |_| {
        spawn_local(async move {
            match chat.recall(id).await {
                Ok(Some(text)) => put_back(text),
                Ok(None) => {}
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let label = if mine {
        t_string!(i18n, chat.recall)
    } else {
        t_string!(i18n, chat.remove)
    };
    let body = message.body.unwrap_or_default();
    let attachments = message.attachments;
    let author = message.author;
    view! {
        <li class="message" class:mine=mine>
            <div class="meta">
                <Avatar id=author.id.0 name=name.clone() key=author.avatar.clone() size=20/>
                <span class="author">{name}</span>
                <time datetime=sent_at.to_string()>{clock(sent_at)}</time>
                <Show when=can_recall>
                    <button type="button" class="link tiny" on:click=recall>{label}</button>
                </Show>
            </div>
            <Show when={let empty = body.is_empty(); move || !empty}>
                <div class="body">{linkified(body.clone())}</div>
            </Show>
            {(!attachments.is_empty()).then(|| view! { <Attachments files=attachments.clone()/> })}
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
        </li>
    }
    .into_any()
}

/// Text with its links made clickable. Never HTML: every piece is a text node.
fn linkified(text: String) -> Vec<AnyView> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    finder
        .spans(&text)
        .map(|span| {
            let piece = span.as_str().to_owned();
            let is_web = span.kind().is_some() && (piece.starts_with("https://") || piece.starts_with("http://"));
            if is_web {
                let href = piece.clone();
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{piece}</a> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect()
}

#[component]
fn PendingItem(item: Pending) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let failed = item.failed.clone();
    let client_id = item.client_id.clone();
    view! {
        <li class="message mine pending" class:failed=failed.is_some()>
            <div class="meta">
                {match &failed {
                    None => view! { <span>{move || t_string!(i18n, chat.sending)}</span> }.into_any(),
                    Some(err) => {
                        let err = err.clone();
                        view! {
                            <span class="error-text">{move || t_string!(i18n, chat.not_sent)}": "{move || error_text(i18n, &err)}</span>
                            <button type="button" class="link tiny" on:click=move |_| chat.discard_pending(&client_id)>
                                {move || t_string!(i18n, chat.discard)}
                            </button>
                        }.into_any()
                    }
                }}
            </div>
            <div class="body">{item.body.clone()}</div>
            <ul class="pending-files">
                {item.attachments.iter().map(|f| view! { <li class="file-name">{f.name.clone()}</li> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn TypingLine(post: PostId) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let text = move || {
        chat.tick.track();
        let now = js_sys_now();
        let names: Vec<String> = chat.typing.with(|t| {
            t.iter()
                .filter(|(_, p, _, until)| *p == post && *until > now)
                .map(|(_, _, u, _)| u.name().to_owned())
                .collect()
        });
        match names.as_slice() {
            [] => String::new(),
            [one] => t_string!(i18n, chat.typing_one, name = one.clone()).to_string(),
            _ => t_string!(i18n, chat.typing_many).to_string(),
        }
    };
    view! { <p class="typing" aria-live="polite">{text}</p> }
}

thread_local! {
    /// Recalled text waiting to go back into the composer.
    static PUT_BACK: std::cell::RefCell<Option<RwSignal<String>>> = const { std::cell::RefCell::new(None) };
}

fn put_back(text: String) {
    PUT_BACK.with(|p| {
        if let Some(draft) = *p.borrow()
            && draft.get_untracked().trim().is_empty()
        {
            draft.set(text);
        }
    });
}

#[component]
fn Composer(post: PostId) -> impl IntoView {
    let chat = use_chat();
    let session = use_session();
    let i18n = use_i18n();
    let draft = RwSignal::new(String::new());
    PUT_BACK.with(|p| *p.borrow_mut() = Some(draft));
    let last_typing = StoredValue::new(0.0f64);
    let uploads = RwSignal::new_local(Vec::<Upload>::new());
    let dragging = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let add_files = move |files: Vec<web_sys::File>| {
        for file in files {
            if uploads.with_untracked(Vec::len) >= ATTACHMENTS_MAX {
                break;
            }
            let upload = start_upload(session, i18n, "POST", "/files".into(), file);
            uploads.update(|u| u.push(upload));
        }
    };
    let remove = Callback::new(move |key: u32| uploads.update(|u| u.retain(|x| x.key != key)));
    let send = move || {
        let text = draft.get_untracked();
        let all = uploads.get_untracked();
        if all
            .iter()
            .any(|u| matches!(u.state.get_untracked(), UploadState::Sending(_)))
        {
            notice.set(Some(t_string!(i18n, files.wait_uploads).to_string()));
            return;
        }
        let files: Vec<_> = all
            .iter()
            .filter_map(|u| u.state.get_untracked().file())
            .collect();
        if text.trim().is_empty() && files.is_empty() {
            return;
        }
        chat.send(post, text, files);
        draft.set(String::new());
        uploads.set(Vec::new());
        notice.set(None);
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        // Enter sends; Shift+Enter is a new line; Enter while an IME is composing (pinyin)
        // belongs to the IME.
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };
    let on_input = move |_| {
        let now = js_sys_now();
        if now - last_typing.get_value() > 3000.0 {
            last_typing.set_value(now);
            ws::typing(post);
        }
    };
    // A pasted screenshot or file is attached; pasted text stays text.
    let on_paste = move |ev: ev::ClipboardEvent| {
        let files = transfer_files(ev.clipboard_data());
        if !files.is_empty() {
            ev.prevent_default();
            add_files(files);
        }
    };
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        add_files(transfer_files(ev.data_transfer()));
    };
    view! {
        <form class="composer" class:dragging=dragging
            on:submit=move |ev: ev::SubmitEvent| { ev.prevent_default(); send(); }
            on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <Show when=move || !uploads.with(Vec::is_empty)>
                <ul class="uploads">
                    <For each=move || uploads.get() key=|u| u.key let:upload>
                        <UploadLine upload remove/>
                    </For>
                </ul>
            </Show>
            {move || notice.get().map(|n| view! { <p class="error-text">{n}</p> })}
            <div class="composer-row">
                <label class="button attach" title=move || t_string!(i18n, files.attach)>
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                        <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
                            d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"/>
                    </svg>
                    <span class="visually-hidden">{t!(i18n, files.attach)}</span>
                    <input type="file" multiple class="visually-hidden" on:change=move |ev| add_files(input_files(&ev))/>
                </label>
                <label for="composer" class="visually-hidden">{t!(i18n, chat.composer)}</label>
                <textarea id="composer" rows="2" maxlength=api::rules::MESSAGE_MAX bind:value=draft on:keydown=on_keydown on:input=on_input
                    on:paste=on_paste placeholder=move || t_string!(i18n, chat.composer_hint)></textarea>
                <button type="submit" class="primary">{t!(i18n, chat.send)}</button>
            </div>
            <Show when=move || dragging.get()>
                <p class="drop-hint">{t!(i18n, files.drop_here)}</p>
            </Show>
        </form>
    }
}

#[component]
fn MembersPanel(room: RoomId, my_role: Signal<RoomRole>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(false);
    let sent = RwSignal::new(Vec::<UserId>::new());
    let to_chat = navigator();
    let navigate = use_navigate();
    let members = move || {
        let me = chat.me();
        let mut list: Vec<(Member, Presence)> = chat.presence.with(|presence| {
            chat.members
                .get()
                .into_iter()
                .map(|m| {
                    let status = if Some(m.user.id) == me {
                        Presence::Online
                    } else {
                        presence.get(&m.user.id).copied().unwrap_or_default()
                    };
                    (m, status)
                })
                .collect()
        });
        list.sort_by(|(a, a_on), (b, b_on)| api::rooms::member_order(a, *a_on, b, *b_on));
        list
    };
    let act = move |path: String, role: Option<RoomRole>| {
        spawn_local(async move {
            let result = match role {
                Some(role) => chat.session.put_empty(&path, &SetRole { role }).await,
                None => chat.session.delete(&path).await,
            };
            match result {
                Ok(()) => chat.reload_members(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let leave = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let path = format!("/rooms/{room}/leave");
            match chat.session.post_empty(&path, &serde_json::json!({})).await {
                Ok(()) => {
                    chat.reload_rooms();
                    navigate("/rooms", Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete_room = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, chat.confirm_delete))
                    .ok()
            })
            .unwrap_or(false);
        if confirmed {
            act(format!("/rooms/{room}"), None);
        }
    };
    view! {
        <aside class="members" aria-label=move || t_string!(i18n, chat.members)>
            <h2>{t!(i18n, chat.members)}</h2>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <ul>
                {move || members().into_iter().map(|(m, status)| {
                    let user = m.user.id;
                    let role = m.role;
                    let base = format!("/rooms/{room}/members/{user}");
                    let (b1, b2) = (base.clone(), base.clone());
                    let is_me = chat.me() == Some(user);
                    view! {
                        <li class="member">
                            <PresenceDot status/>
                            <span class="member-name">{m.user.name().to_owned()}</span>
                            <Show when=move || !is_me>
                                <button type="button" class="link tiny" title=move || t_string!(i18n, contacts.message)
                                    on:click=move |_| open_private_chat(chat, to_chat, user, error)>{t!(i18n, contacts.message)}</button>
                                <Show when=move || !chat.friends.friends.with(|f| f.iter().any(|f| f.user.id == user))>
                                    <button type="button" class="link tiny" on:click=move |_| {
                                        spawn_local(async move {
                                            let body = SendFriendRequest { user_id: user, greeting: None };
                                            match chat.session.post_json::<RequestResult>("/friends/requests", &body).await {
                                                Ok(_) => { chat.friends.reload_requests(); chat.friends.reload_friends(); sent.update(|s| s.push(user)); }
                                                Err(e) => error.set(Some(e)),
                                            }
                                        });
                                    }>{move || if sent.with(|s| s.contains(&user)) { t_string!(i18n, contacts.request_sent) } else { t_string!(i18n, contacts.add_friend) }}</button>
                                </Show>
                            </Show>
                            <span class="role">{move || match role {
                                RoomRole::Owner => t_string!(i18n, chat.role_owner),
                                RoomRole::Admin => t_string!(i18n, chat.role_admin),
                                RoomRole::Member => "",
                            }}</span>
                            <Show when=move || !is_me && my_role.get().can_set_role_of(role)>
                                <button type="button" class="link tiny" on:click={ let b = b1.clone(); move |_| act(format!("{b}/role"), Some(if role == RoomRole::Admin { RoomRole::Member } else { RoomRole::Admin })) }>
                                    {move || if role == RoomRole::Admin { t_string!(i18n, chat.make_member) } else { t_string!(i18n, chat.make_admin) }}
                                </button>
                            </Show>
                            <Show when=move || !is_me && my_role.get().can_remove(role)>
                                <button type="button" class="link tiny" on:click={
                                    let name = m.user.name().to_owned();
                                    move |_| {
                                        let question = t_string!(i18n, chat.confirm_transfer, name = name.clone()).to_string();
                                        let yes = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
                                        if yes {
                                            spawn_local(async move {
                                                let body = api::rooms::TransferRoom { user_id: user };
                                                match chat.session.post_empty(&format!("/rooms/{room}/transfer"), &body).await {
                                                    Ok(()) => { chat.reload_rooms(); chat.reload_members(); }
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            });
                                        }
                                    }
                                }>
                                    {move || t_string!(i18n, chat.make_owner)}
                                </button>
                            </Show>
                            <Show when={ move || !is_me && (my_role.get() > role) }>
                                <button type="button" class="link tiny danger" on:click={ let b = b2.clone(); move |_| act(b.clone(), None) }>
                                    {move || t_string!(i18n, chat.remove_member)}
                                </button>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when={ move || my_role.get().can_moderate() }>
                <JoinRequests room/>
            </Show>
            <div class="members-foot">
                <Show when={ move || my_role.get().can_moderate() }>
                    <button type="button" class="small" on:click=move |_| editing.set(true)>{t!(i18n, chat.edit_room)}</button>
                </Show>
                <Show when=move || !my_role.get().is_owner() fallback=move || view! {
                    <button type="button" class="small danger" on:click=delete_room>{t!(i18n, chat.delete_room)}</button>
                }>
                    <button type="button" class="small" on:click=leave.clone()>{t!(i18n, chat.leave_room)}</button>
                </Show>
            </div>
        </aside>
        {move || editing.get().then(|| chat.rooms.with_untracked(|r| r.iter().find(|r| r.room.id == room).map(|r| r.room.clone()))).flatten().map(|r| view! {
            <EditRoomDialog room=r close=Callback::new(move |_| editing.set(false))/>
        })}
    }
}

#[component]
fn EditRoomDialog(room: Room, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let id = room.id;
    let name = RwSignal::new(room.name.clone());
    let description = RwSignal::new(room.description.clone().unwrap_or_default());
    let private = RwSignal::new(room.visibility == Visibility::Private);
    let error = RwSignal::new(None::<ApiError>);
    let avatar_key = RwSignal::new(room.avatar.clone());
    let room_name = room.name.clone();
    // The answer is the room's card with its new avatar.
    let avatar_done = Callback::new(move |json: String| {
        if let Ok(card) = serde_json::from_str::<Room>(&json) {
            avatar_key.set(card.avatar);
            chat.reload_rooms();
        }
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::rooms::EditRoom {
            name: Some(name.get_untracked()),
            description: Some(description.get_untracked()),
            visibility: Some(if private.get_untracked() {
                Visibility::Private
            } else {
                Visibility::Public
            }),
        };
        spawn_local(async move {
            match chat
                .session
                .patch::<Room>(&format!("/rooms/{id}"), &body)
                .await
            {
                Ok(_) => {
                    chat.reload_rooms();
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.edit_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <div class="avatar-row">
                    {move || view! { <Avatar id=id.0 name=room_name.clone() key=avatar_key.get() size=64/> }}
                    <AvatarPicker path=format!("/rooms/{id}/avatar") done=avatar_done/>
                </div>
                <RoomFields name description private/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.save).to_string())/>
            </form>
        </Dialog>
    }
}

#[component]
fn EditPostDialog(room: RoomId, post: Post, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = post.id;
    let title = RwSignal::new(post.title.clone());
    let description = RwSignal::new(post.description.clone().unwrap_or_default());
    let tags = RwSignal::new(post.tags.join(", "));
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::posts::EditPost {
            title: Some(title.get_untracked()),
            description: Some(description.get_untracked()),
            tags: Some(split_tags(&tags.get_untracked())),
        };
        spawn_local(async move {
            match chat
                .session
                .patch::<Post>(&format!("/posts/{id}"), &body)
                .await
            {
                Ok(_) => {
                    chat.reload_posts();
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete = move |_| {
        let yes = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, chat.confirm_delete_post))
                    .ok()
            })
            .unwrap_or(false);
        if !yes {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match chat.session.delete(&format!("/posts/{id}")).await {
                Ok(()) => {
                    chat.reload_posts();
                    close.run(());
                    let default = chat.rooms.with_untracked(|r| {
                        r.iter()
                            .find(|r| r.room.id == room)
                            .map(|r| r.default_post_id)
                    });
                    if let Some(default) = default {
                        navigate(&format!("/rooms/{room}/{default}"), Default::default());
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.edit_post).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <PostFields title description tags error/>
                <div class="actions">
                    <button type="button" class="small danger" on:click=delete.clone()>{t!(i18n, chat.delete_post)}</button>
                    <button type="button" class="small" on:click=move |_| close.run(())>{t!(i18n, chat.cancel)}</button>
                    <button type="submit" class="primary">{t!(i18n, chat.save)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Tags as typed: separated by ASCII or full-width commas.
fn split_tags(raw: &str) -> Vec<String> {
    raw.split([',', '，'])
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

#[component]
fn JoinRequests(room: RoomId) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let requests = LocalResource::new(move || async move {
        chat.members.track();
        chat.session
            .get::<Vec<api::rooms::JoinRequest>>(&format!("/rooms/{room}/requests"))
            .await
            .unwrap_or_default()
    });
    let answer = move |user: api::UserId, approve: bool| {
        spawn_local(async move {
            let verb = if approve { "approve" } else { "decline" };
            let _ = chat
                .session
                .post_empty(
                    &format!("/rooms/{room}/requests/{user}/{verb}"),
                    &serde_json::json!({}),
                )
                .await;
            requests.refetch();
        });
    };
    view! {
        {move || requests.get().filter(|r| !r.is_empty()).map(|list| view! {
            <h3>{t!(i18n, chat.requests)}</h3>
            <ul>
                {list.into_iter().map(|r| {
                    let user = r.user.id;
                    view! {
                        <li class="member">
                            <span class="member-name">{r.user.name().to_owned()}</span>
                            <span class="muted small-text">{r.message.unwrap_or_default()}</span>
                            <button type="button" class="link tiny" on:click=move |_| answer(user, true)>{t!(i18n, chat.approve)}</button>
                            <button type="button" class="link tiny danger" on:click=move |_| answer(user, false)>{t!(i18n, chat.decline)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn Dialog(
    #[prop(into)] title: Signal<String>,
    close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let on_key = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close.run(());
        }
    };
    view! {
        <div class="overlay" on:keydown=on_key>
            <div class="dialog card" role="dialog" aria-modal="true" aria-label=move || title.get()>
                <h2>{move || title.get()}</h2>
                {children()}
            </div>
        </div>
    }
}

/// Name, description and privacy: the same fields to create a room and to edit one.
#[component]
fn RoomFields(
    name: RwSignal<String>,
    description: RwSignal<String>,
    private: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField id="room_name" label=tr(move || t_string!(i18n, chat.room_name).to_string()) value=name required=true/>
        <TextField id="room_description" label=tr(move || t_string!(i18n, chat.room_description).to_string()) value=description/>
        <label class="check"><input type="checkbox" bind:checked=private/>" "{t!(i18n, chat.private_room)}</label>
    }
}

/// Cancel and the dialog's submit button.
#[component]
fn DialogActions(close: Callback<()>, #[prop(into)] submit: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="actions">
            <button type="button" class="small" on:click=move |_| close.run(())>{t!(i18n, chat.cancel)}</button>
            <button type="submit" class="primary">{move || submit.get()}</button>
        </div>
    }
}

#[component]
fn CreateRoomDialog(close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateRoom {
            name: name.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
            visibility: if private.get_untracked() {
                Visibility::Private
            } else {
                Visibility::Public
            },
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match chat.session.post_json::<MyRoom>("/rooms", &body).await {
                Ok(room) => {
                    chat.rooms.update(|r| r.insert(0, room.clone()));
                    close.run(());
                    navigate(
                        &format!("/rooms/{}/{}", room.room.id, room.default_post_id),
                        Default::default(),
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.new_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <RoomFields name description private/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.create).to_string())/>
            </form>
        </Dialog>
    }
}

#[component]
fn JoinRoomDialog(close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let number = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let requested = RwSignal::new(false);
    let public_rooms = LocalResource::new(move || async move {
        chat.session
            .get::<Vec<Room>>("/rooms/discover")
            .await
            .unwrap_or_default()
    });
    let join = move |n: i64| {
        let navigate = navigate.clone();
        let body = JoinRoom {
            number: n,
            message: Some(message.get_untracked()).filter(|m| !m.trim().is_empty()),
        };
        spawn_local(async move {
            match chat
                .session
                .post_json::<JoinResult>("/rooms/join", &body)
                .await
            {
                Ok(JoinResult::Joined { room }) => {
                    chat.reload_rooms();
                    close.run(());
                    navigate(
                        &format!("/rooms/{}/{}", room.room.id, room.default_post_id),
                        Default::default(),
                    );
                }
                Ok(JoinResult::Requested) => requested.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let join_typed = join.clone();
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        match number.get_untracked().trim().parse::<i64>() {
            Ok(n) => join_typed(n),
            Err(_) => error.set(Some(ApiError {
                status: 404,
                body: api::ErrorBody {
                    code: api::ErrorCode::NotFound,
                    message: String::new(),
                    details: None,
                },
            })),
        }
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.join_room).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <Notice success=true text=Signal::derive(move || requested.get().then(|| t_string!(i18n, chat.request_sent).to_string()))/>
                <TextField id="room_number" kind="text" label=tr(move || t_string!(i18n, chat.room_number).to_string()) value=number required=true/>
                <TextField id="join_message" label=tr(move || t_string!(i18n, chat.join_message).to_string()) value=message/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.join).to_string())/>
            </form>
            <h3>{t!(i18n, chat.public_rooms)}</h3>
            <ul class="discover">
                {move || public_rooms.get().unwrap_or_default().into_iter().map(|r| {
                    let join = join.clone();
                    let n = r.number;
                    let name = r.name.clone();
                    let label = move || format!("{} {}", t_string!(i18n, chat.join), name);
                    view! {
                        <li>
                            <span class="room-name">{r.name.clone()}</span>
                            <span class="muted small-text">{t!(i18n, chat.number_label)}" "{r.number}" · "{r.member_count}" "{t!(i18n, chat.members_count)}</span>
                            <button type="button" class="link tiny" aria-label=label on:click=move |_| join(n)>{t!(i18n, chat.join)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Dialog>
    }
}

/// Title, description and tags: the same fields to open a topic and to edit one, with the
/// server's verdict on each.
#[component]
fn PostFields(
    title: RwSignal<String>,
    description: RwSignal<String>,
    tags: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_error = move |name: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .and_then(|e| e.field(name))
                .map(|c| crate::text::field_text(i18n, c))
        })
    };
    view! {
        <TextField id="post_title" label=tr(move || t_string!(i18n, chat.post_title).to_string()) value=title required=true error=field_error("title")/>
        <TextField id="post_description" label=tr(move || t_string!(i18n, chat.post_description).to_string()) value=description/>
        <TextField id="post_tags" label=tr(move || t_string!(i18n, chat.post_tags).to_string()) value=tags error=field_error("tags")/>
    }
}

#[component]
fn CreatePostDialog(room: RoomId, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreatePost {
            title: title.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
            tags: split_tags(&tags.get_untracked()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match chat
                .session
                .post_json::<Post>(&format!("/rooms/{room}/posts"), &body)
                .await
            {
                Ok(post) => {
                    chat.reload_posts();
                    close.run(());
                    navigate(&format!("/rooms/{room}/{}", post.id), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.new_post).to_string()) close>
            <form on:submit=submit>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <PostFields title description tags error/>
                <DialogActions close submit=tr(move || t_string!(i18n, chat.create).to_string())/>
            </form>
        </Dialog>
    }
}
