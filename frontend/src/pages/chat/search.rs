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
use api::search::{FileHit, SearchHit};
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

/// What a search found: messages or files (one of the two), and where the next page
/// starts.
#[derive(Clone, Default)]
struct Found {
    hits: Vec<SearchHit>,
    files: Vec<FileHit>,
    next: Option<api::MessageId>,
}

impl Found {
    fn len(&self) -> usize {
        self.hits.len() + self.files.len()
    }

    /// Where the `i`th result lives: (room, post, message).
    fn target(&self, i: usize) -> Option<(api::RoomId, api::PostId, api::MessageId)> {
        match self.hits.get(i) {
            Some(hit) => Some((hit.message.room_id, hit.message.post_id, hit.message.id)),
            None => self
                .files
                .get(i)
                .map(|f| (f.room_id, f.post_id, f.message_id)),
        }
    }
}

/// One question to the server: messages or files, the words, the room, the filter.
#[derive(Clone, PartialEq)]
struct Ask {
    files: bool,
    q: String,
    room: Option<api::RoomId>,
    /// `has` for messages, `kind` for files; empty for none.
    filter: String,
}

async fn ask(
    session: crate::state::session::Session,
    ask: &Ask,
    before: Option<api::MessageId>,
) -> Result<Found, crate::client::ApiError> {
    let filter = (!ask.filter.is_empty()).then_some(ask.filter.as_str());
    if ask.files {
        let page = crate::client::search::files(session, &ask.q, ask.room, filter, before).await?;
        Ok(Found {
            files: page.files,
            next: page.next_before,
            ..Found::default()
        })
    } else {
        let page =
            crate::client::search::messages(session, &ask.q, ask.room, filter, before).await?;
        Ok(Found {
            hits: page.hits,
            next: page.next_before,
            ..Found::default()
        })
    }
}

#[component]
pub fn MessageSearch(close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let convo = use_conversation();
    let files = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let here = RwSignal::new(false);
    let has = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let found = RwSignal::new(Found::default());
    let searched = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<crate::client::ApiError>);
    let selected = RwSignal::new(0usize);
    let asked = StoredValue::new(0u32);
    let current = StoredValue::new(None::<Ask>);
    let open_room = convo.open_room.get_untracked();
    Effect::new(move |_| {
        let files = files.get();
        let question = Ask {
            files,
            q: query.get(),
            room: here.get().then_some(open_room).flatten(),
            filter: if files { kind.get() } else { has.get() },
        };
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        if question.q.trim().is_empty() {
            found.set(Found::default());
            searched.set(false);
            current.set_value(None);
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != this {
                    return;
                }
                spawn_local(async move {
                    let answer = ask(session, &question, None).await;
                    if asked.get_value() != this {
                        return;
                    }
                    match answer {
                        Ok(page) => {
                            found.set(page);
                            failure.set(None);
                            current.set_value(Some(question));
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
    // The next page, added below what is shown (unless the question changed meanwhile).
    let more = move || {
        let (Some(question), Some(before)) =
            (current.get_value(), found.with_untracked(|f| f.next))
        else {
            return;
        };
        let this = asked.get_value();
        loading.set(true);
        spawn_local(async move {
            let answer = ask(session, &question, Some(before)).await;
            loading.set(false);
            if asked.get_value() != this {
                return;
            }
            match answer {
                Ok(page) => found.update(|f| {
                    f.hits.extend(page.hits);
                    f.files.extend(page.files);
                    f.next = page.next;
                }),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let open = move |i: usize| {
        let Some((room, post, id)) = found.with_untracked(|f| f.target(i)) else {
            return;
        };
        close.run(());
        convo.show_message(post, id);
        crate::app::go(Page::Conversation(room, post));
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let n = found.with_untracked(Found::len);
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
                open(selected.get_untracked());
            }
            _ => {}
        }
    };
    let option = move |i: usize, body: AnyView| {
        view! {
            <li role="option" id=format!("search-hit-{i}") aria-selected=move || (selected.get() == i).to_string()
                class="search-hit" class:selected=move || selected.get() == i
                on:mousemove=move |_| selected.set(i)
                on:click=move |_| open(i)>
                {body}
            </li>
        }
    };
    let message_rows = move || {
        let hits = found.with(|f| f.hits.clone());
        grouped(&hits, t_string!(i18n, chat.default_post))
            .into_iter()
            .map(|(label, group)| {
                view! {
                    <li class="search-group" role="presentation"><bdi>{label}</bdi></li>
                    {group.into_iter().map(|(i, hit)| {
                        let body = hit.message.body.clone().unwrap_or_default();
                        let author = hit.message.author.name().to_owned();
                        option(i, view! {
                            <span class="search-author"><bdi>{author}</bdi></span>
                            <span class="search-text">{marked(&body, &hit.highlights)}</span>
                        }.into_any())
                    }).collect_view()}
                }
            })
            .collect_view()
    };
    let file_rows = move || {
        found.with(|f| f.files.clone()).into_iter().enumerate().map(|(i, hit)| {
            let meta = format!(
                "{} · {} · {} · {}",
                hit.room_name,
                hit.sender.name(),
                super::timeline::short_date(i18n, hit.sent_at),
                api::files::human_size(hit.file.size)
            );
            option(i, view! {
                <span class="search-file">
                    <svg class="file-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                        {if hit.file.is_image() {
                            view! { <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"
                                d="M3.5 5.5h17v13h-17zM3.5 15.5l5-5 4 4 3-3 5 5"/> }.into_any()
                        } else {
                            view! { <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"
                                d="M6 2.5h8l5 5v14H6zM14 2.5v5h5"/> }.into_any()
                        }}
                    </svg>
                    <bdi class="search-author">{hit.file.name.clone()}</bdi>
                </span>
                <span class="muted search-meta"><bdi>{meta}</bdi></span>
            }.into_any())
        }).collect_view()
    };
    let set_files = move |on: bool| {
        if files.get_untracked() != on {
            found.set(Found::default());
            files.set(on);
            selected.set(0);
        }
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, search.title).to_string()) close class="search-dialog">
            <div class="tabs search-tabs" role="tablist">
                <button type="button" role="tab" aria-selected=move || (!files.get()).to_string()
                    on:click=move |_| set_files(false)>{t!(i18n, search.messages)}</button>
                <button type="button" role="tab" aria-selected=move || files.get().to_string()
                    on:click=move |_| set_files(true)>{t!(i18n, search.files)}</button>
            </div>
            <input type="search" class="switcher-input" role="combobox" aria-expanded="true" autofocus
                aria-controls="search-results" aria-autocomplete="list"
                aria-activedescendant=move || found.with(|f| (f.len() > 0).then(|| format!("search-hit-{}", selected.get())))
                aria-label=move || t_string!(i18n, search.title)
                placeholder=move || if files.get() { t_string!(i18n, search.file_hint) } else { t_string!(i18n, search.hint) }
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
                <Show when=move || !files.get()
                    fallback=move || view! {
                        <select aria-label=move || t_string!(i18n, search.kind) prop:value=move || kind.get()
                            on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, search.any_file)}</option>
                            <option value="image">{t!(i18n, search.images)}</option>
                            <option value="file">{t!(i18n, search.other_files)}</option>
                        </select>
                    }>
                    <select aria-label=move || t_string!(i18n, search.has) prop:value=move || has.get()
                        on:change=move |ev| has.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, search.any)}</option>
                        <option value="file">{t!(i18n, search.with_files)}</option>
                        <option value="image">{t!(i18n, search.with_images)}</option>
                    </select>
                </Show>
            </div>
            {move || failure.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <ul id="search-results" class="switcher-list search-results" role="listbox">
                {move || if files.get() { file_rows().into_any() } else { message_rows().into_any() }}
                <Show when=move || found.with(|f| f.next.is_some())>
                    <li role="presentation" class="search-more">
                        <button type="button" class="link" disabled=move || loading.get() on:click=move |_| more()>
                            {t!(i18n, search.more)}
                        </button>
                    </li>
                </Show>
            </ul>
            <Show when=move || searched.get() && found.with(|f| f.len() == 0) && failure.with(Option::is_none)>
                <p class="muted">{t!(i18n, search.none)}</p>
            </Show>
        </Dialog>
    }
}
