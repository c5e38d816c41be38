//! Message search: a dialog over the chat screen. Type (results come a moment after
//! typing stops), narrow to this conversation or to messages with files or images, move
//! with ↑/↓, Enter or a click opens the conversation at the message.

use crate::{
    app::Page,
    components::dialog::Dialog,
    i18n::*,
    state::{conversation::use_conversation, session::use_session},
    text::{error_text, tr},
};
use api::search::SearchHit;
use leptos::{ev, prelude::*, task::spawn_local};

/// The text with what matched marked (`highlights` are byte ranges into it).
fn marked(text: &str, highlights: &[[u32; 2]]) -> Vec<AnyView> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for &[start, end] in highlights {
        let (start, end) = (start as usize, end as usize);
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push(text[at..start].to_owned().into_any());
        out.push(view! { <mark>{text[start..end].to_owned()}</mark> }.into_any());
        at = end;
    }
    out.push(text[at..].to_owned().into_any());
    out
}

/// Hits with their place in the list.
type Numbered = Vec<(usize, SearchHit)>;

/// Hits grouped by conversation, in the order each conversation first appears.
fn grouped(hits: &[SearchHit], default_post: &str) -> Vec<(String, Numbered)> {
    let mut groups: Vec<(api::PostId, String, Numbered)> = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        let post = hit.message.post_id;
        match groups.iter_mut().find(|g| g.0 == post) {
            Some(group) => group.2.push((i, hit.clone())),
            None => groups.push((
                post,
                format!(
                    "{} · {}",
                    hit.room_name,
                    if hit.post_title.is_empty() {
                        default_post
                    } else {
                        &hit.post_title
                    }
                ),
                vec![(i, hit.clone())],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, label, hits)| (label, hits))
        .collect()
}

#[component]
pub fn MessageSearch(close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let convo = use_conversation();
    let query = RwSignal::new(String::new());
    let here = RwSignal::new(false);
    let has = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<SearchHit>::new());
    let searched = RwSignal::new(false);
    let failure = RwSignal::new(None::<crate::client::ApiError>);
    let selected = RwSignal::new(0usize);
    let asked = StoredValue::new(0u32);
    let open_room = convo.open_room.get_untracked();
    Effect::new(move |_| {
        let q = query.get();
        let room = here.get().then_some(open_room).flatten();
        let has = has.get();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        if q.trim().is_empty() {
            hits.set(Vec::new());
            searched.set(false);
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != this {
                    return;
                }
                spawn_local(async move {
                    let has = (!has.is_empty()).then_some(has.as_str());
                    let answer = crate::client::search::messages(session, &q, room, has).await;
                    if asked.get_value() != this {
                        return;
                    }
                    match answer {
                        Ok(found) => {
                            hits.set(found.hits);
                            failure.set(None);
                        }
                        Err(e) => failure.set(Some(e)),
                    }
                    selected.set(0);
                    searched.set(true);
                });
            },
            std::time::Duration::from_millis(250),
        );
    });
    let open = move |hit: &SearchHit| {
        close.run(());
        let (room, post, id) = (hit.message.room_id, hit.message.post_id, hit.message.id);
        convo.show_message(post, id);
        crate::app::go(Page::Conversation(room, post));
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let n = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = s.checked_sub(1).unwrap_or(n - 1));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(hit) = hits.with_untracked(|h| h.get(selected.get_untracked()).cloned())
                {
                    open(&hit);
                }
            }
            _ => {}
        }
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, search.title).to_string()) close class="search-dialog">
            <input type="search" class="switcher-input" role="combobox" aria-expanded="true"
                aria-controls="search-results" aria-autocomplete="list"
                aria-activedescendant=move || hits.with(|h| (!h.is_empty()).then(|| format!("search-hit-{}", selected.get())))
                aria-label=move || t_string!(i18n, search.title)
                placeholder=move || t_string!(i18n, search.hint)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=on_key/>
            <div class="search-filters">
                <Show when=move || open_room.is_some()>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || here.get()
                            on:change=move |ev| here.set(event_target_checked(&ev))/>
                        {t!(i18n, search.here)}
                    </label>
                </Show>
                <select aria-label=move || t_string!(i18n, search.has) on:change=move |ev| has.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, search.any)}</option>
                    <option value="file">{t!(i18n, search.with_files)}</option>
                    <option value="image">{t!(i18n, search.with_images)}</option>
                </select>
            </div>
            {move || failure.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <ul id="search-results" class="switcher-list search-results" role="listbox">
                {move || grouped(&hits.get(), t_string!(i18n, chat.default_post)).into_iter().map(|(label, group)| view! {
                    <li class="search-group" role="presentation"><bdi>{label}</bdi></li>
                    {group.into_iter().map(|(i, hit)| {
                        let target = hit.clone();
                        let body = hit.message.body.clone().unwrap_or_default();
                        let author = hit.message.author.name().to_owned();
                        view! {
                            <li role="option" id=format!("search-hit-{i}") aria-selected=move || (selected.get() == i).to_string()
                                class="search-hit" class:selected=move || selected.get() == i
                                on:mousemove=move |_| selected.set(i)
                                on:click=move |_| open(&target)>
                                <span class="search-author"><bdi>{author}</bdi></span>
                                <span class="search-text">{marked(&body, &hit.highlights)}</span>
                            </li>
                        }
                    }).collect_view()}
                }).collect_view()}
            </ul>
            <Show when=move || searched.get() && hits.with(Vec::is_empty) && failure.with(Option::is_none)>
                <p class="muted">{t!(i18n, search.none)}</p>
            </Show>
        </Dialog>
    }
}
