//! A room's topics (posts) and their tags.

use crate::{i18n::*, state::chat::use_chat, state::conversation::use_conversation};
use api::{RoomId, posts::Post};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn TagButton(tag: String, filter: RwSignal<Option<String>>) -> impl IntoView {
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
pub fn PostLink(room: RoomId, item: api::posts::PostListItem) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let id = item.post.id;
    let title = move || post_title(i18n, &item.post);
    let unread = move || chat.unread.post(id);
    view! {
        <li>
            <A href=crate::app::Page::Conversation(room, id).path()
                attr:class=move || if convo.open_post.get() == Some(id) { "post active" } else { "post" }>
                <span>{title}</span>
                <crate::components::badge::UnreadBadge count=Signal::derive(unread)/>
            </A>
        </li>
    }
}

pub fn post_title(i18n: leptos_i18n::I18nContext<Locale>, post: &Post) -> String {
    if post.is_default {
        t_string!(i18n, chat.default_post).to_string()
    } else {
        post.title.clone()
    }
}
