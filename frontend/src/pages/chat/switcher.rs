//! Keyboard ways around: Ctrl/⌘+K opens a quick switcher over every conversation (type
//! to filter, ↑/↓ to choose, Enter to open), Alt+↑/↓ goes to the previous or next
//! conversation in the contact list.

use crate::{
    app::Page,
    components::dialog::Dialog,
    i18n::*,
    state::chat::use_chat,
    state::conversation::use_conversation,
    text::{pinyin_initials, tr},
};
use api::{PostId, RoomId, conversations::Conversation};
use leptos::{ev, prelude::*};

/// One place to go.
#[derive(Clone, PartialEq)]
struct Target {
    room: RoomId,
    post: PostId,
    label: String,
    /// Pinyin initials of the label's Chinese characters ("张三" → "zs").
    initials: String,
    unread: i64,
}

fn targets(
    conversations: &[Conversation],
    chat_word: &str,
    unread: impl Fn(PostId) -> i64,
) -> Vec<Target> {
    conversations
        .iter()
        .map(|c| {
            let label = match (&c.peer, &c.room_name, &c.post_title) {
                (Some(peer), _, _) => peer.name().to_owned(),
                (None, Some(room), Some(post)) => format!("{room} · {post}"),
                (None, Some(room), None) => format!("{room} · {chat_word}"),
                _ => String::new(),
            };
            Target {
                room: c.room_id,
                post: c.post_id,
                initials: pinyin_initials(&label),
                label,
                unread: unread(c.post_id),
            }
        })
        .collect()
}

/// Lowercased, for matching what people type; Latin letters also match the pinyin
/// initials of Chinese names ("zs" finds 张三).
fn matches(target: &Target, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty()
        || target.label.to_lowercase().contains(&query)
        || (query.bytes().all(|b| b.is_ascii_lowercase()) && target.initials.contains(&query))
}

fn go(t: &Target) {
    crate::app::go(Page::Conversation(t.room, t.post));
}

/// Whether the keyboard is typing into something (a key there is text, not a shortcut).
fn typing(ev: &ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast as _;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}

/// Installs the shortcuts while the chat page is open: Ctrl/⌘ K the quick switcher
/// (`open`), Ctrl/⌘ Shift F or `/` (outside a text field) message search (`search`),
/// Alt ↑/↓ the conversation above or below.
pub fn install(open: RwSignal<bool>, search: RwSignal<bool>) {
    let chat = use_chat();
    let convo = use_conversation();
    let handle = window_event_listener(ev::keydown, move |ev| {
        let key = ev.key();
        if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && key.eq_ignore_ascii_case("k") {
            ev.prevent_default();
            open.update(|o| *o = !*o);
        } else if ((ev.ctrl_key() || ev.meta_key())
            && ev.shift_key()
            && !ev.alt_key()
            && key.eq_ignore_ascii_case("f"))
            || (key == "/" && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() && !typing(&ev))
        {
            ev.prevent_default();
            open.set(false);
            search.set(true);
        } else if ev.alt_key() && (key == "ArrowUp" || key == "ArrowDown") {
            ev.prevent_default();
            let list = chat.friends.conversations.get_untracked();
            if list.is_empty() {
                return;
            }
            let current = convo.open_post.get_untracked();
            let at = list.iter().position(|c| Some(c.post_id) == current);
            let next = match (at, key.as_str()) {
                (Some(i), "ArrowUp") => i.checked_sub(1).unwrap_or(list.len() - 1),
                (Some(i), _) => (i + 1) % list.len(),
                (None, _) => 0,
            };
            crate::app::go(Page::Conversation(list[next].room_id, list[next].post_id));
        }
    });
    on_cleanup(move || handle.remove());
}

#[component]
pub fn QuickSwitcher(close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let all = Memo::new(move |_| {
        let chat_word = t_string!(i18n, chat.default_post);
        chat.friends
            .conversations
            .with(|c| targets(c, chat_word, |p| chat.unread.post(p)))
    });
    let shown = Memo::new(move |_| {
        let q = query.get();
        all.with(|all| {
            all.iter()
                .filter(|t| matches(t, &q))
                .take(50)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let open_selected = move || {
        if let Some(t) = shown.with_untracked(|s| s.get(selected.get_untracked()).cloned()) {
            close.run(());
            go(&t);
        }
    };
    let on_key = move |ev: ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            let n = shown.with_untracked(Vec::len);
            if n > 0 {
                selected.update(|s| *s = (*s + 1) % n);
            }
        }
        "ArrowUp" => {
            ev.prevent_default();
            let n = shown.with_untracked(Vec::len);
            if n > 0 {
                selected.update(|s| *s = s.checked_sub(1).unwrap_or(n - 1));
            }
        }
        "Enter" => {
            ev.prevent_default();
            open_selected();
        }
        _ => {}
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.switcher_title).to_string()) close class="switcher">
            <input type="search" class="switcher-input" role="combobox" aria-expanded="true"
                aria-controls="switcher-list" aria-autocomplete="list"
                aria-activedescendant=move || shown.with(|s| (!s.is_empty()).then(|| format!("switcher-option-{}", selected.get())))
                aria-label=move || t_string!(i18n, chat.switcher_title)
                placeholder=move || t_string!(i18n, chat.switcher_hint)
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); selected.set(0); }
                on:keydown=on_key/>
            <ul id="switcher-list" class="switcher-list" role="listbox">
                {move || shown.get().into_iter().enumerate().map(|(i, t)| {
                    let target = t.clone();
                    view! {
                        <li role="option" id=format!("switcher-option-{i}") aria-selected=move || (selected.get() == i).to_string()
                            class:selected=move || selected.get() == i
                            on:mousemove=move |_| selected.set(i)
                            on:click=move |_| { close.run(()); go(&target); }>
                            <bdi>{t.label.clone()}</bdi>
                            <crate::components::badge::UnreadBadge count=t.unread/>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="muted">{t!(i18n, chat.switcher_none)}</p>
            </Show>
        </Dialog>
    }
}
