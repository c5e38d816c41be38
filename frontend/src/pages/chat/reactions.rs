//! Emoji reactions under a message, and the picker to add one: a few common ones, the
//! ones I used lately, and every emoji (the server's list, loaded once) with search.

use crate::{
    client::{ApiError, messages},
    components::dialog::Dialog,
    i18n::*,
    state::{conversation::use_conversation, recent_emoji, session::use_session},
    text::tr,
};
use api::{
    MessageId,
    messages::{EmojiInfo, Reaction},
};
use leptos::{prelude::*, task::spawn_local};
use std::rc::Rc;

/// Offered first, before any are used.
const QUICK: [&str; 6] = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];
/// The most search results shown at once.
const RESULTS_MAX: usize = 240;

thread_local! {
    /// The server's emoji list, once loaded.
    static CATALOG: std::cell::RefCell<Option<Rc<Vec<EmojiInfo>>>> = const { std::cell::RefCell::new(None) };
}

/// The chips of a message's reactions: emoji and count; mine stand out; a click adds or
/// takes back mine.
#[component]
pub fn ReactionChips(
    id: MessageId,
    reactions: Vec<Reaction>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let convo = use_conversation();
    let session = use_session();
    let i18n = use_i18n();
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    view! {
        <ul class="reactions">
            {reactions.into_iter().map(|r| {
                let mine = me.is_some_and(|me| r.users.contains(&me));
                let emoji = r.emoji.clone();
                let users = r.users.clone();
                let named = r.emoji.clone();
                let title = move || {
                    let names: Vec<String> = convo.members.with(|members| {
                        users.iter().map(|u| {
                            members.iter().find(|m| m.user.id == *u)
                                .map(|m| m.user.name().to_owned())
                                .unwrap_or_else(|| "…".to_owned())
                        }).collect()
                    });
                    t_string!(i18n, chat.reacted_with, names = names.join(", "), emoji = named.clone()).to_string()
                };
                view! {
                    <li>
                        <button type="button" class="reaction" class:mine=mine aria-pressed=mine.to_string() title=title.clone() aria-label=title
                            on:click=move |_| {
                                let emoji = emoji.clone();
                                spawn_local(async move {
                                    error.set(convo.toggle_reaction(id, emoji).await.err());
                                });
                            }>
                            <span class="emoji">{r.emoji.clone()}</span>
                            <span class="count">{r.count}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The picker, as a dialog: choosing an emoji reacts with it and closes.
#[component]
pub fn EmojiPicker(
    id: MessageId,
    close: Callback<()>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let convo = use_conversation();
    let session = use_session();
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let catalog = RwSignal::new_local(CATALOG.with(|c| c.borrow().clone()));
    if catalog.with_untracked(Option::is_none) {
        spawn_local(async move {
            if let Ok(list) = messages::emoji_catalog(session).await {
                let list = Rc::new(list);
                CATALOG.with(|c| *c.borrow_mut() = Some(list.clone()));
                catalog.set(Some(list));
            }
        });
    }
    let pick = move |emoji: String| {
        close.run(());
        spawn_local(async move {
            error.set(convo.toggle_reaction(id, emoji).await.err());
        });
    };
    let mut offered: Vec<String> = recent_emoji::load();
    for quick in QUICK {
        if offered.len() < 8 && !offered.iter().any(|e| e == quick) {
            offered.push(quick.to_owned());
        }
    }
    let results = move || {
        let q = query.get().trim().to_lowercase();
        catalog.with(|c| {
            let Some(list) = c else { return Vec::new() };
            list.iter()
                .filter(|e| {
                    q.is_empty()
                        || e.name.contains(&q)
                        || e.shortcodes.iter().any(|s| s.contains(&q))
                        || e.emoji == q
                })
                .take(if q.is_empty() {
                    usize::MAX
                } else {
                    RESULTS_MAX
                })
                .map(|e| (e.emoji.clone(), e.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let title = tr(move || t_string!(i18n, chat.react_title).to_string());
    view! {
        <Dialog title close class="emoji-picker">
            <input type="search" class="emoji-search" autocomplete="off"
                placeholder=move || t_string!(i18n, chat.emoji_search)
                aria-label=move || t_string!(i18n, chat.emoji_search)
                bind:value=query/>
            <Show when=move || query.with(String::is_empty)>
                <h3 class="emoji-heading">{move || t_string!(i18n, chat.recent_emoji)}</h3>
                <div class="emoji-grid recent">
                    {offered.iter().map(|e| {
                        let e = e.clone();
                        let chosen = e.clone();
                        view! { <button type="button" class="emoji-choice" on:click=move |_| pick(chosen.clone())>{e}</button> }
                    }).collect_view()}
                </div>
                <h3 class="emoji-heading">{move || t_string!(i18n, chat.all_emoji)}</h3>
            </Show>
            <div class="emoji-grid">
                {move || {
                    let found = results();
                    if found.is_empty() && catalog.with(Option::is_some) {
                        return view! { <p class="muted">{move || t_string!(i18n, chat.no_emoji)}</p> }.into_any();
                    }
                    found.into_iter().map(|(emoji, name)| {
                        let chosen = emoji.clone();
                        view! { <button type="button" class="emoji-choice" title=name.clone() aria-label=name on:click=move |_| pick(chosen.clone())>{emoji}</button> }
                    }).collect_view().into_any()
                }}
            </div>
        </Dialog>
    }
}
