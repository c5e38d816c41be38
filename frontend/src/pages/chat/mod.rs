//! The chat screen: my rooms on the left, the open room's topics, the timeline with its
//! composer, and the member list.

mod composer;
mod dialogs;
mod edits;
mod members;
mod pins;
mod reactions;
mod search;
mod sidebar;
mod switcher;
mod timeline;
mod topics;

pub use crate::components::presence::{PresenceDot, presence_label};
use crate::{
    app::Page,
    client::ApiError,
    i18n::*,
    state::chat::{Chat, Connection, use_chat},
    state::conversation::use_conversation,
};
use api::{
    PostId, RoomId, UserId,
    friends::Presence,
    rooms::{RoomRole, UserSummary},
};
use composer::Composer;
use dialogs::{CreatePostDialog, EditPostDialog};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};
use members::MembersPanel;
use pins::{AnnouncementBanner, AnnouncementDialog, PinsPanel};
use sidebar::RoomsSidebar;
use timeline::{Timeline, TypingLine};
use topics::{PostLink, TagButton, post_title};

thread_local! {
    /// Chat pages mounted so far (see `ChatPage`'s cleanup).
    static CHAT_PAGES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// `/rooms` and `/rooms/:room_id/:post_id`.
#[component]
pub fn ChatPage() -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
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
            convo.open(room, post);
        } else {
            convo.close();
        }
    });
    // Leaving the chat screen (settings, friends, logout) closes the conversation: nothing
    // arriving there counts as seen any more. Going from `/rooms` to a conversation mounts
    // a new chat page before this one goes: only the newest one's leaving closes anything.
    let mounted = CHAT_PAGES.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    on_cleanup(move || {
        if CHAT_PAGES.with(|n| n.get()) == mounted {
            convo.close();
        }
    });
    // A room that went away (left, removed, deleted) takes its page with it.
    Effect::new(move |_| {
        if selected.get().is_some() && convo.open_room.get().is_none() {
            navigate(&Page::Chats.path(), Default::default());
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
    // "create" or "join": the room dialogs, opened from the sidebar or the empty state.
    let dialog = RwSignal::new(None::<&'static str>);
    close_on_escape(show_rooms);
    let close_rooms = Callback::new(move |_| show_rooms.set(false));
    let switcher = RwSignal::new(false);
    let searching = RwSignal::new(false);
    switcher::install(switcher, searching);
    view! {
        <div class="chat" class:show-rooms=move || show_rooms.get()>
            <ConnectionBanner/>
            <ReportOutcomes/>
            <RoomsSidebar dialog switcher searching on_pick=close_rooms close=close_rooms/>
            <Show when=move || switcher.get()>
                <switcher::QuickSwitcher close=Callback::new(move |_| switcher.set(false))/>
            </Show>
            <Show when=move || searching.get()>
                <search::MessageSearch close=Callback::new(move |_| searching.set(false))/>
            </Show>
            <Show when=move || show_rooms.get()>
                <div class="scrim rooms-scrim" on:click=move |_| show_rooms.set(false)></div>
            </Show>
            <section class="chat-main">
                <button type="button" class="rooms-toggle" aria-expanded=move || show_rooms.get().to_string()
                    aria-label=move || t_string!(use_i18n(), chat.show_rooms)
                    on:click=move |_| show_rooms.update(|s| *s = !*s)>
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                        <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>
                    </svg>
                    <crate::components::badge::UnreadBadge count=Signal::derive(move || chat.unread_total())/>
                </button>
                {move || match (selected.get(), peer.get()) {
                    (Some((room_id, post)), Some(peer)) => view! { <DirectView room_id post peer/> }.into_any(),
                    (Some((room, post)), None) => view! { <RoomView room post/> }.into_any(),
                    (None, _) => view! { <EmptyState dialog/> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
pub fn ConnectionBanner() -> impl IntoView {
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

/// What moderators made of my reports, as they decide (each closes on its own).
#[component]
fn ReportOutcomes() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    move || {
        chat.report_outcomes
            .get()
            .into_iter()
            .map(|r| {
                let id = r.id;
                let outcome = match r.status {
                    api::admin::ReportStatus::Open => t_string!(i18n, reports.outcome_open),
                    api::admin::ReportStatus::Dismissed => t_string!(i18n, reports.outcome_dismissed),
                    api::admin::ReportStatus::Removed => t_string!(i18n, reports.outcome_removed),
                    api::admin::ReportStatus::Silenced => t_string!(i18n, reports.outcome_silenced),
                    api::admin::ReportStatus::Deactivated => t_string!(i18n, reports.outcome_deactivated),
                };
                view! {
                    <p class="banner report-outcome" role="status">
                        <span>{outcome}</span>
                        <button type="button" class="link tiny"
                            on:click=move |_| chat.report_outcomes.update(|all| all.retain(|x| x.id != id))>
                            {t!(i18n, app.close)}
                        </button>
                    </p>
                }
            })
            .collect_view()
    }
}

#[component]
pub fn EmptyState(dialog: RwSignal<Option<&'static str>>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let new_here = move || {
        chat.rooms_loaded.get()
            && chat.rooms.with(Vec::is_empty)
            && chat.friends.conversations.with(Vec::is_empty)
    };
    view! {
        <div class="empty">
            <h1>{move || if new_here() { t_string!(i18n, chat.welcome) } else { t_string!(i18n, chat.pick_title) }}</h1>
            <p>{move || if new_here() { t_string!(i18n, chat.no_rooms) } else { t_string!(i18n, chat.pick_room) }}</p>
            <div class="empty-actions">
                <button type="button" class="primary" on:click=move |_| dialog.set(Some("create"))>{t!(i18n, chat.create_room)}</button>
                <button type="button" class="small" on:click=move |_| dialog.set(Some("join"))>{t!(i18n, chat.join_by_number)}</button>
                <A href=Page::Friends.path() attr:class="button small">{t!(i18n, chat.find_friends)}</A>
            </div>
        </div>
    }
}

/// A private chat: the other person, their presence, the timeline and the composer.
#[component]
pub fn DirectView(room_id: RoomId, post: PostId, peer: UserSummary) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let peer_id = peer.id;
    let status = move || chat.status(peer_id);
    view! {
        <div class="room-view direct">
            <header class="room-head">
                <div class="direct-head">
                    {move || view! { <PresenceDot status=status()/> }}
                    <h1><bdi>{peer.name().to_owned()}</bdi></h1>
                    <span class="muted small-text">{move || presence_label(i18n, status())}</span>
                </div>
                <MuteButton room=room_id/>
            </header>
            <section class="post-view">
                <Timeline post my_role=Signal::derive(|| RoomRole::Member)/>
                <TypingLine post/>
                <Composer post/>
            </section>
        </div>
    }
}

/// Opens (or creates) the private chat with someone and goes there.
pub async fn open_private_chat(chat: Chat, user: UserId) -> Result<(), ApiError> {
    let direct = crate::client::friends::open_chat(chat.session, user).await?;
    chat.friends.reload_conversations();
    crate::app::go(Page::Conversation(direct.room_id, direct.post_id));
    Ok(())
}

/// `open_private_chat` from a button: a refusal goes to `error`.
pub fn message_person(chat: Chat, user: UserId, error: RwSignal<Option<ApiError>>) {
    spawn_local(async move {
        if let Err(e) = open_private_chat(chat, user).await {
            error.set(Some(e));
        }
    });
}

#[component]
pub fn RoomView(room: RoomId, post: PostId) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let show_members = RwSignal::new(false);
    close_on_escape(show_members);
    let show_pins = RwSignal::new(false);
    close_on_escape(show_pins);
    // The announcement dialog: Some(true) opens its editor.
    let announcement = RwSignal::new(None::<bool>);
    let new_post = RwSignal::new(false);
    let edit_post = RwSignal::new(false);
    let tag_filter = RwSignal::new(None::<String>);
    let tags = Memo::new(move |_| {
        let mut all: Vec<String> = convo
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
        convo
            .posts
            .with(|p| p.iter().find(|p| p.post.id == post).map(|p| p.post.clone()))
    });
    let my_role = Signal::derive(move || my_room.get().map(|r| r.role).unwrap_or(RoomRole::Member));
    // A changed announcement shows once, by itself, to each member.
    Effect::new(move |_| {
        if my_room.with(|r| r.as_ref().is_some_and(|r| r.announcement_unseen))
            && announcement.get_untracked().is_none()
        {
            announcement.set(Some(false));
        }
    });
    let online_count = move || {
        convo.members.with(|m| {
            m.iter()
                .filter(|m| chat.status(m.user.id) != Presence::Offline)
                .count()
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
                <MuteButton room/>
                <button type="button" class="small pins-toggle" aria-expanded=move || show_pins.get().to_string()
                    aria-label=move || format!("{} · {}", t_string!(i18n, chat.pinned), convo.pins.with(Vec::len))
                    title=move || t_string!(i18n, chat.pinned)
                    on:click=move |_| { show_members.set(false); show_pins.update(|s| *s = !*s); }>
                    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
                            d="M9 3h6l-1 6 4 4H6l4-4zM12 13v8"/>
                    </svg>
                    <span class="count">{move || convo.pins.with(Vec::len)}</span>
                </button>
                <button type="button" class="small members-toggle" aria-expanded=move || show_members.get().to_string()
                    aria-label=move || format!("{} · {} {}", t_string!(i18n, chat.members), online_count(), t_string!(i18n, chat.online))
                    on:click=move |_| { show_pins.set(false); show_members.update(|s| *s = !*s); }>
                    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
                            d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6"/>
                    </svg>
                    <span class="label">{t!(i18n, chat.members)}" · "</span>{online_count}<span class="label">" "{t!(i18n, chat.online)}</span>
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
                                convo.posts.get().into_iter().filter(|p| tag.as_ref().is_none_or(|t| p.post.tags.contains(t))).collect::<Vec<_>>()
                            }
                            key=|p| (p.post.id, p.post.title.clone())
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
                    <AnnouncementBanner room open=announcement/>
                    <Timeline post my_role/>
                    <TypingLine post/>
                    <Composer post/>
                </section>
                <Show when=move || show_members.get()>
                    <div class="scrim members-scrim" on:click=move |_| show_members.set(false)></div>
                    <MembersPanel room my_role close=Callback::new(move |_| show_members.set(false))/>
                </Show>
                <Show when=move || show_pins.get()>
                    <div class="scrim members-scrim" on:click=move |_| show_pins.set(false)></div>
                    <PinsPanel room my_role announcement close=Callback::new(move |_| show_pins.set(false))/>
                </Show>
            </div>
        </div>
        {move || announcement.get().map(|editing| view! {
            <AnnouncementDialog room my_role editing close=Callback::new(move |()| announcement.set(None))/>
        })}
        <Show when=move || new_post.get()>
            <CreatePostDialog room close=Callback::new(move |_| new_post.set(false))/>
        </Show>
        {move || (edit_post.get()).then(|| current_post.get_untracked()).flatten().map(|p| view! {
            <EditPostDialog room post=p close=Callback::new(move |_| edit_post.set(false))/>
        })}
    }
}

/// Mutes or unmutes a room or private chat on every device of mine.
#[component]
fn MuteButton(room: RoomId) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let muted = Memo::new(move |_| {
        chat.rooms
            .with(|r| r.iter().find(|r| r.room.id == room).map(|r| r.muted))
            .or_else(|| chat.friends.direct(room).map(|c| c.muted))
            .unwrap_or(false)
    });
    let label = move || {
        if muted.get() {
            t_string!(i18n, chat.unmute)
        } else {
            t_string!(i18n, chat.mute)
        }
    };
    view! {
        <button type="button" class="small mute" aria-pressed=move || muted.get().to_string()
            aria-label=label title=label
            on:click=move |_| chat.set_muted(room, !muted.get_untracked())>
            <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
                    d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0"/>
                <Show when=move || muted.get()>
                    <path d="M3 3l18 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </Show>
            </svg>
            <span class="label">{label}</span>
        </button>
    }
}

/// Escape closes the drawer that `open` shows (unless a dialog above it takes the key).
pub fn close_on_escape(open: RwSignal<bool>) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && !ev.default_prevented() && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
}
