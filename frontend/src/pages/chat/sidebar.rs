//! The left column: the contact list and my rooms, with their unread counts.

use super::dialogs::{CreateRoomDialog, JoinRoomDialog};
use crate::components::{files::Avatar, presence::PresenceDot};
use crate::{
    app::Page,
    components::badge::{MentionBadge, UnreadBadge},
    i18n::*,
    state::chat::use_chat,
    state::conversation::use_conversation,
};
use api::{conversations::Conversation, rooms::MyRoom};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn RoomsSidebar(
    dialog: RwSignal<Option<&'static str>>,
    switcher: RwSignal<bool>,
    searching: RwSignal<bool>,
    on_pick: Callback<()>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let show_chats = Signal::derive(move || !chat.rooms_tab.get());
    let chats_unread = move || {
        chat.friends
            .conversations
            .with(|c| c.iter().map(|c| chat.unread.post(c.post_id)).sum::<i64>())
    };
    view! {
        <nav class="rooms drawer" aria-label=move || t_string!(i18n, chat.rooms)>
            <div class="drawer-head phone-only">
                <h2>{t!(i18n, chat.conversations)}</h2>
                <button type="button" class="icon-button drawer-close" aria-label=move || t_string!(i18n, chat.close)
                    on:click=move |_| close.run(())>"✕"</button>
            </div>
            <button type="button" class="jump" on:click=move |_| switcher.set(true)>
                <span>{t!(i18n, chat.jump)}</span>
                <kbd>"Ctrl K"</kbd>
            </button>
            <button type="button" class="jump" on:click=move |_| { close.run(()); searching.set(true) }>
                <span>{t!(i18n, search.open)}</span>
                <kbd>"Ctrl ⇧ F"</kbd>
            </button>
            <div class="tabs" role="tablist">
                <button type="button" role="tab" id="tab-chats" aria-selected=move || show_chats.get().to_string()
                    on:click=move |_| chat.rooms_tab.set(false)>
                    {t!(i18n, contacts.chats)}
                    <UnreadBadge count=Signal::derive(chats_unread)/>
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
                    <For each=move || chat.rooms.get() key=|r| (r.room.id, r.muted, r.room.name.clone(), r.room.avatar.clone()) let:room>
                        <RoomLink room on_pick/>
                    </For>
                </ul>
            }>
                <ul class="conversations" aria-labelledby="tab-chats">
                    <For each=move || chat.friends.conversations.get() key=|c| (c.post_id, c.muted, c.last_message.as_ref().map(|m| (m.id, m.recalled)), c.last_activity_at) let:conversation>
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
pub fn RoomLink(room: MyRoom, on_pick: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let id = room.room.id;
    let href = Page::Conversation(id, room.default_post_id).path();
    let active = move || convo.open_room.get() == Some(id);
    let unread = move || chat.unread.room(id);
    let mentioned = move || chat.unread.room_mentioned(id);
    view! {
        <li>
            <A href=href attr:class=move || if active() { "room active" } else { "room" } on:click=move |_| on_pick.run(())>
                <Avatar id=id.0 name=room.room.name.clone() key=room.room.avatar.clone() size=28/>
                <bdi class="room-name">{room.room.name.clone()}</bdi>
                {room.muted.then(|| view! { <span class="muted-mark" title=move || t_string!(i18n, chat.muted)>"🔕"</span> })}
                <MentionBadge count=Signal::derive(mentioned)/>
                <UnreadBadge count=Signal::derive(unread)/>
            </A>
        </li>
    }
}

/// One line of the contact list: who or where, the last message, unread count.
#[component]
pub fn ConversationLink(conversation: Conversation, on_pick: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let Conversation {
        room_id, post_id, ..
    } = conversation;
    let unread = move || chat.unread.post(post_id);
    let mentioned = move || chat.unread.mentioned(post_id) > 0;
    let href = Page::Conversation(room_id, post_id).path();
    let active = move || convo.open_post.get() == Some(post_id);
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
            .map(|m| m.preview(group, &crate::text::preview_words(i18n)))
            .unwrap_or_default()
    };
    // The peer's avatar in a private chat, the room's in a group.
    let avatar = match &conversation.peer {
        Some(peer) => (peer.id.0, peer.name().to_owned(), peer.avatar.clone()),
        None => (
            room_id.0,
            conversation.room_name.clone().unwrap_or_default(),
            chat.rooms.with_untracked(|r| {
                r.iter()
                    .find(|r| r.room.id == room_id)
                    .and_then(|r| r.room.avatar.clone())
            }),
        ),
    };
    let muted = conversation.muted;
    let status = move || peer.map(|p| chat.status(p));
    view! {
        <li>
            <A href=href attr:class=move || if active() { "conversation active" } else { "conversation" } on:click=move |_| on_pick.run(())>
                <span class="conversation-avatar">
                    <Avatar id=avatar.0 name=avatar.1 key=avatar.2 size=36/>
                    {move || status().map(|s| view! { <PresenceDot status=s/> })}
                </span>
                <span class="conversation-title">
                    <bdi class="room-name">{title}</bdi>
                    {muted.then(|| view! { <span class="muted-mark" title=move || t_string!(i18n, chat.muted)>"🔕"</span> })}
                </span>
                <span class="preview muted">
                    // QQ's "[有人@我]": unread messages here mention me.
                    <Show when=mentioned>
                        <span class="mentioned-tag">{t!(i18n, chat.mentioned_tag)}</span>
                    </Show>
                    <bdi>{preview}</bdi>
                </span>
                <UnreadBadge count=Signal::derive(unread)/>
            </A>
        </li>
    }
}
