//! Writing a message: text with a formatting toolbar and shortcuts (Markdown, rendered by
//! the server), pasted or dropped files, Enter to send.

use crate::state::drafts;
use crate::{
    components::files::{
        Upload, UploadLine, UploadState, input_files, start_upload, transfer_files,
    },
    i18n::*,
    state::{
        chat::use_chat,
        conversation::{now_ms, use_conversation},
        session::use_session,
    },
    ws,
};
use api::{PostId, UserId, files::ATTACHMENTS_MAX, rooms::Member};
use leptos::{ev, prelude::*};

thread_local! {
    /// A composer that had the keyboard when it was replaced (a private chat opened before
    /// the contact list loaded shows as a room first, then as the chat, and the composer is
    /// made again): the new one takes the focus, so what is typed next is not lost.
    static REFOCUS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The open composer's post and text, for recalled text to go back into.
    static PUT_BACK: std::cell::RefCell<Option<(PostId, RwSignal<String>)>> = const { std::cell::RefCell::new(None) };
}

/// Offers recalled text back to the composer of its post, if that one is open and empty.
pub fn put_back(post: PostId, text: String) {
    PUT_BACK.with(|p| {
        if let Some((open, draft)) = *p.borrow()
            && open == post
            && draft
                .try_get_untracked()
                .is_some_and(|d| d.trim().is_empty())
        {
            draft.set(text);
        }
    });
}

#[component]
pub fn Composer(post: PostId) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let session = use_session();
    let i18n = use_i18n();
    // The half-written message of this conversation survives switching and reloads
    // (kept in this browser, per account; logging out forgets it).
    let draft_key = chat.me().map(|me| drafts::key(me, post));
    let draft = RwSignal::new(draft_key.as_deref().map(drafts::load).unwrap_or_default());
    let input_key = draft_key.clone();
    Effect::new(move |previous: Option<()>| {
        let text = draft.get();
        if previous.is_some()
            && let Some(key) = draft_key.as_deref()
        {
            drafts::save(key, &text);
        }
    });
    PUT_BACK.with(|p| *p.borrow_mut() = Some((post, draft)));
    on_cleanup(move || {
        PUT_BACK.with(|p| {
            let mut p = p.borrow_mut();
            if p.is_some_and(|(open, _)| open == post) {
                *p = None;
            }
        })
    });
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
    // @ completion: the `@…` being typed, the highlighted choice, and whom the text names.
    let mention = RwSignal::new(None::<(usize, String)>);
    let active = RwSignal::new(0usize);
    let picked = StoredValue::new(Vec::<(Option<UserId>, String)>::new());
    let all_label = move || t_string!(i18n, chat.mention_all).to_string();
    let candidates = Memo::new(move |_| {
        let Some((_, query)) = mention.get() else {
            return Vec::new();
        };
        let Some(room) = convo.open_room.get() else {
            return Vec::new();
        };
        if chat.friends.direct(room).is_some() {
            return Vec::new();
        }
        let me = chat.me();
        let may_all = chat.rooms.with(|r| {
            r.iter()
                .find(|r| r.room.id == room)
                .is_some_and(|r| r.role.can_mention_all(r.room.members_mention_all))
        });
        let query = query.to_lowercase();
        let mut out: Vec<Candidate> = Vec::new();
        let label = all_label();
        if may_all
            && (label.to_lowercase().starts_with(&query)
                || "all".starts_with(&query)
                || "everyone".starts_with(&query))
        {
            out.push(Candidate {
                id: None,
                name: label,
                hint: String::new(),
            });
        }
        convo.members.with(|members| {
            out.extend(
                members
                    .iter()
                    .filter(|m| Some(m.user.id) != me && finds(m, &query))
                    .take(8)
                    .map(|m| Candidate {
                        id: Some(m.user.id),
                        name: m.user.name().to_owned(),
                        hint: format!("@{}", m.user.username),
                    }),
            )
        });
        out
    });
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // Had the old composer the focus, this one takes it as soon as it is on the page.
    let element = StoredValue::new_local(None::<web_sys::HtmlTextAreaElement>);
    Effect::new(move |_| {
        let Some(ta) = textarea.get() else { return };
        element.set_value(Some(ta.clone()));
        if REFOCUS.with(|r| r.replace(false)) {
            let _ = ta.focus();
        }
    });
    let had_focus = move || {
        let active = document().active_element();
        element
            .try_get_value()
            .flatten()
            .is_some_and(|ta| active.is_some_and(|a| &a == AsRef::<web_sys::Element>::as_ref(&ta)))
    };
    on_cleanup(move || {
        if had_focus() {
            REFOCUS.with(|r| r.set(true));
        }
    });
    // Where the caret is, what is typed before it: is an @ being completed?
    let track_mention = move || {
        let Some(ta) = textarea.get_untracked() else {
            return;
        };
        let caret = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
        let found = mention_query(&ta.value(), caret);
        let same = mention
            .with_untracked(|m| m.as_ref().map(|(_, q)| q) == found.as_ref().map(|(_, q)| q));
        if !same {
            active.set(0);
        }
        mention.set(found);
    };
    let pick = move |c: Candidate| {
        let (Some(ta), Some((at, _))) = (textarea.get_untracked(), mention.get_untracked()) else {
            return;
        };
        let text = ta.value();
        let caret = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
        let inserted = format!("@{} ", c.name);
        let (from, to) = (byte_at(&text, at), byte_at(&text, caret));
        let next = format!("{}{inserted}{}", &text[..from], &text[to..]);
        let caret = (at + inserted.encode_utf16().count()) as u32;
        ta.set_value(&next);
        let _ = ta.set_selection_range(caret, caret);
        let _ = ta.focus();
        draft.set(next);
        picked.update_value(|p| p.push((c.id, c.name)));
        mention.set(None);
    };
    // The filter's warning: the text it is about and the words found in it.
    let warning = RwSignal::new(None::<(String, String)>);
    // Room moderation: am I silenced here (until when), and the room's slow mode for me
    // (owners and admins are exempt): its interval and when I may send next.
    let my_room = Memo::new(move |_| {
        let room = convo.open_room.get()?;
        chat.rooms
            .with(|rooms| rooms.iter().find(|r| r.room.id == room).cloned())
    });
    let silenced_until = move || {
        chat.tick.track();
        my_room
            .get()
            .and_then(|r| r.silenced_until)
            .filter(|until| *until > time::OffsetDateTime::now_utc())
    };
    let slow_secs = move || {
        my_room
            .get()
            .filter(|r| !r.role.can_moderate())
            .map(|r| r.room.slow_mode_secs)
            .unwrap_or(0)
    };
    let next_send_ms = RwSignal::new(0.0f64);
    let slow_wait = move || {
        chat.tick.track();
        let left = ((next_send_ms.get() - now_ms()) / 1000.0).ceil();
        (left > 0.0).then_some(left as u64)
    };
    // Whether the open room's word policy is `warn`; `None` until the room list and the
    // server's rules have loaded. Reads only state that outlives this composer (it is
    // also asked from the conversation's held send).
    let warn_here = move || -> Option<bool> {
        let room = convo.open_room.try_get_untracked()??;
        if !chat.rooms_loaded.try_get_untracked()? {
            return None;
        }
        let policies = chat
            .server
            .try_with_untracked(|s| s.as_ref().map(|s| s.word_policies))??;
        let own = chat.rooms.try_with_untracked(|rooms| {
            rooms
                .iter()
                .find(|r| r.room.id == room)
                .and_then(|r| r.room.word_policy)
        })?;
        Some(policies.effective(own) == api::moderation::WordPolicy::Warn)
    };
    // A message the conversation held back (sent before the policy was known) comes
    // back here with its warning.
    Effect::new(move |_| {
        let Some(held) = convo.held.get() else {
            return;
        };
        if held.post != post {
            return;
        }
        convo.held.set(None);
        let typed = draft.get_untracked();
        draft.set(if typed.trim().is_empty() {
            held.body.clone()
        } else {
            format!("{}\n{typed}", held.body)
        });
        if held.replying.is_some() {
            convo.replying.set(held.replying.clone());
        }
        warning.set(Some((
            held.body,
            crate::text::quoted_matches(&held.matches),
        )));
    });
    let deliver = move || {
        warning.set(None);
        if silenced_until().is_some() || slow_wait().is_some() {
            return;
        }
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
        // Whom the text still names, of those picked from the list.
        let mut mentions = Vec::new();
        let mut mention_all = false;
        picked.with_value(|p| {
            for (id, name) in p {
                if !text.contains(&format!("@{name}")) {
                    continue;
                }
                match id {
                    Some(id) if !mentions.contains(id) => mentions.push(*id),
                    Some(_) => {}
                    None => mention_all = true,
                }
            }
        });
        picked.set_value(Vec::new());
        mention.set(None);
        match convo.open_room.get_untracked() {
            // The room's word policy is not known yet (the room list or the server's rules
            // are still loading): the conversation holds the message until it is.
            Some(room) if warn_here().is_none() => convo.send_when_policy_known(
                room,
                post,
                text,
                files,
                (mentions, mention_all),
                warn_here,
            ),
            _ => convo.send(post, text, files, (mentions, mention_all)),
        }
        let slow = slow_secs();
        if slow > 0 {
            next_send_ms.set(now_ms() + f64::from(slow) * 1000.0);
        }
        draft.set(String::new());
        uploads.set(Vec::new());
        notice.set(None);
    };
    // Where the room's word policy is `warn`, the text is checked first: words found are
    // shown, and the person edits or sends anyway (the server records it either way).
    let send = move || {
        let text = draft.get_untracked();
        let room = convo.open_room.get_untracked();
        // Unknown yet: `deliver` hands the message to the conversation, which waits.
        let warn = warn_here().unwrap_or(false);
        let (Some(room), true, false) = (room, warn, text.trim().is_empty()) else {
            deliver();
            return;
        };
        leptos::task::spawn_local(async move {
            let checked = crate::client::messages::filter_check(session, room, text.clone()).await;
            // Typed on meanwhile: the new text is checked when it is sent.
            if draft.get_untracked() != text {
                return;
            }
            match checked {
                Ok(check) if !check.matches.is_empty() => {
                    warning.set(Some((text, crate::text::quoted_matches(&check.matches))));
                }
                _ => deliver(),
            }
        });
    };
    let format = move |what: Format| {
        let Some(ta) = textarea.get_untracked() else {
            return;
        };
        let text = ta.value();
        let start = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
        let end = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
        let (text, start, end) = apply_format(&text, start, end, what);
        // The element first, so the selection lands in the new text; the signal then
        // writes the same value, which leaves the selection alone.
        ta.set_value(&text);
        let _ = ta.set_selection_range(start as u32, end as u32);
        let _ = ta.focus();
        draft.set(text);
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        // The @ list takes the arrows, Enter, Tab and Escape while it shows.
        let choices = candidates.get_untracked();
        if !choices.is_empty() && !ev.is_composing() {
            let n = choices.len();
            match ev.key().as_str() {
                "ArrowDown" => active.update(|a| *a = (*a + 1) % n),
                "ArrowUp" => active.update(|a| *a = (*a + n - 1) % n),
                "Enter" | "Tab" => pick(choices[active.get_untracked().min(n - 1)].clone()),
                "Escape" => {
                    ev.stop_propagation();
                    mention.set(None);
                }
                _ => return,
            }
            ev.prevent_default();
            return;
        }
        // Enter sends; Shift+Enter is a new line; Enter while an IME is composing (pinyin)
        // belongs to the IME.
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
            return;
        }
        if ev.key() == "Escape" && convo.replying.with_untracked(Option::is_some) {
            ev.prevent_default();
            ev.stop_propagation();
            convo.replying.set(None);
            return;
        }
        // Up in an empty composer edits my last message, as in most chat apps.
        if ev.key() == "ArrowUp"
            && !(ev.shift_key() || ev.ctrl_key() || ev.meta_key() || ev.alt_key())
            && draft.with_untracked(String::is_empty)
            && let Some(id) = convo.last_editable(chat.edit_window_secs())
        {
            ev.prevent_default();
            convo.editing.set(Some(id));
            return;
        }
        if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && !ev.is_composing() {
            let what = match (ev.shift_key(), ev.code().as_str()) {
                (false, "KeyB") => Format::Bold,
                (false, "KeyI") => Format::Italic,
                (false, "KeyE") => Format::Code,
                (true, "KeyU") => Format::Link,
                (true, "Digit9") => Format::Quote,
                _ => return,
            };
            ev.prevent_default();
            format(what);
        }
    };
    let on_input = move |_| {
        // Kept at once, not only by the effect after the next render: a composer replaced
        // right after typing (a private chat opened before the contact list has loaded
        // shows as a room first) starts from what was typed.
        if let (Some(key), Some(ta)) = (input_key.as_deref(), textarea.get_untracked()) {
            drafts::save(key, &ta.value());
        }
        track_mention();
        if warning.with_untracked(Option::is_some) {
            warning.set(None);
        }
        let now = now_ms();
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
            {move || silenced_until().map(|until| {
                let at = super::timeline::full_time(i18n, until);
                view! { <p class="composer-notice" role="status">{move || t_string!(i18n, chat.silenced_until, time = at.clone()).to_string()}</p> }
            })}
            {move || (silenced_until().is_none() && slow_secs() > 0).then(|| {
                let seconds = slow_secs();
                view! {
                    <p class="composer-notice slow-mode" role="status">
                        {move || match slow_wait() {
                            Some(left) => t_string!(i18n, chat.slow_mode_wait, seconds = seconds, left = left).to_string(),
                            None => t_string!(i18n, chat.slow_mode, seconds = seconds).to_string(),
                        }}
                    </p>
                }
            })}
            {move || warning.get().map(|(_, words)| view! {
                <div class="filter-warning" role="alert">
                    <p>{move || t_string!(i18n, chat.filter_warning, words = words.clone()).to_string()}</p>
                    <div class="filter-warning-actions">
                        <button type="button" class="small" on:click=move |_| {
                            warning.set(None);
                            if let Some(ta) = textarea.get_untracked() {
                                let _ = ta.focus();
                            }
                        }>{move || t_string!(i18n, chat.filter_edit)}</button>
                        <button type="button" class="primary" on:click=move |_| deliver()>
                            {move || t_string!(i18n, chat.filter_send_anyway)}
                        </button>
                    </div>
                </div>
            })}
            {move || convo.replying.get().filter(|m| m.post_id == post).map(|m| {
                let name = m.author.name().to_owned();
                let quote = api::messages::ReplyQuote::of(&m);
                let text = move || quote.preview(&crate::text::preview_words(i18n));
                view! {
                    <div class="replying">
                        <span class="replying-to">{move || t_string!(i18n, chat.replying_to, name = name.clone()).to_string()}</span>
                        <span class="quote-text" dir="auto">{text}</span>
                        <button type="button" class="link tiny" aria-label=move || t_string!(i18n, chat.cancel_reply)
                            title=move || t_string!(i18n, chat.cancel_reply)
                            on:click=move |_| convo.replying.set(None)>"✕"</button>
                    </div>
                }
            })}
            <Show when=move || !candidates.with(Vec::is_empty)>
                <ul class="mention-list" role="listbox" id="mention-list" aria-label=move || t_string!(i18n, chat.mention_list)>
                    {move || candidates.get().into_iter().enumerate().map(|(i, c)| {
                        let chosen = move || active.get() == i;
                        let item = c.clone();
                        view! {
                            <li role="option" id=format!("mention-{i}") class:active=chosen aria-selected=move || chosen().to_string()
                                on:mousedown=|ev: ev::MouseEvent| ev.prevent_default()
                                on:click=move |_| pick(item.clone())>
                                <bdi class="mention-name">{c.name.clone()}</bdi>
                                <span class="muted small-text">{c.hint.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <div class="format-bar" role="toolbar" aria-label=move || t_string!(i18n, chat.format_toolbar) aria-controls="composer">
                {[
                    (Format::Bold, "B"),
                    (Format::Italic, "I"),
                    (Format::Code, "</>"),
                    (Format::Quote, "\u{275D}"),
                    (Format::Link, ""),
                ]
                .into_iter()
                .map(|(what, glyph)| {
                    let label = move || match what {
                        Format::Bold => t_string!(i18n, chat.format_bold),
                        Format::Italic => t_string!(i18n, chat.format_italic),
                        Format::Code => t_string!(i18n, chat.format_code),
                        Format::Quote => t_string!(i18n, chat.format_quote),
                        Format::Link => t_string!(i18n, chat.format_link),
                    };
                    view! {
                        // Pressing the button must not take the focus (and the selection)
                        // away from the text.
                        <button type="button" class=format!("format {}", what.class()) title=label aria-label=label
                            on:mousedown=|ev: ev::MouseEvent| ev.prevent_default()
                            on:click=move |_| format(what)>
                            {if what == Format::Link {
                                view! {
                                    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                                        <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
                                            d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>
                                    </svg>
                                }.into_any()
                            } else {
                                glyph.into_any()
                            }}
                        </button>
                    }
                })
                .collect_view()}
            </div>
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
                <textarea node_ref=textarea id="composer" rows="2" maxlength=api::rules::MESSAGE_MAX bind:value=draft
                    disabled=move || silenced_until().is_some() on:keydown=on_keydown on:input=on_input
                    on:click=move |_| track_mention() on:blur=move |_| mention.set(None)
                    aria-autocomplete="list" aria-controls=move || (!candidates.with(Vec::is_empty)).then_some("mention-list")
                    aria-activedescendant=move || (!candidates.with(Vec::is_empty)).then(|| format!("mention-{}", active.get()))
                    on:paste=on_paste placeholder=move || t_string!(i18n, chat.composer_placeholder)
                    title=move || t_string!(i18n, chat.composer_hint) aria-describedby="composer-hint"></textarea>
                <span id="composer-hint" class="visually-hidden">{t!(i18n, chat.composer_hint)}</span>
                <button type="submit" class="primary" disabled=move || silenced_until().is_some() || slow_wait().is_some()>{t!(i18n, chat.send)}</button>
            </div>
            <Show when=move || dragging.get()>
                <p class="drop-hint">{t!(i18n, files.drop_here)}</p>
            </Show>
        </form>
    }
}

/// One line of the @ list: a member, or everyone (`id: None`).
#[derive(Clone, Debug, PartialEq)]
struct Candidate {
    id: Option<UserId>,
    name: String,
    hint: String,
}

/// Does `query` (lower case) find this member: in the name, at the start of the username,
/// or of the name's pinyin or its initials ("zs" and "zhang" find 张三)?
fn finds(member: &Member, query: &str) -> bool {
    query.is_empty()
        || member.user.name().to_lowercase().contains(query)
        || member.user.username.to_lowercase().starts_with(query)
        || member
            .initials
            .as_deref()
            .is_some_and(|i| i.starts_with(query))
        || member
            .pinyin
            .as_deref()
            .is_some_and(|p| p.starts_with(query))
}

/// The byte index of a UTF-16 offset (the browser's count) in `text`.
fn byte_at(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The `@…` right before the caret, if one is being typed: where its `@` is (UTF-16) and
/// what follows it. An `@` inside a word (an e-mail address) is not one.
fn mention_query(text: &str, caret: usize) -> Option<(usize, String)> {
    let before = &text[..byte_at(text, caret)];
    let at = before.rfind('@')?;
    let query = &before[at + 1..];
    if query.chars().count() > 24 || query.chars().any(char::is_whitespace) {
        return None;
    }
    if before[..at]
        .chars()
        .last()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    Some((before[..at].encode_utf16().count(), query.to_owned()))
}

/// What a toolbar button or shortcut does to the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Bold,
    Italic,
    Code,
    Quote,
    Link,
}

impl Format {
    fn class(self) -> &'static str {
        match self {
            Self::Bold => "bold",
            Self::Italic => "italic",
            Self::Code => "code",
            Self::Quote => "quote",
            Self::Link => "link",
        }
    }
}

/// `text` with `format` applied to the selection `start..end` (UTF-16 offsets, as the
/// browser counts them), and the selection after: the formatted text, or where to type.
/// Bold, italic and inline code undo themselves when the selection is already wrapped.
fn apply_format(text: &str, start: usize, end: usize, format: Format) -> (String, usize, usize) {
    let byte = |utf16: usize| {
        let mut units = 0;
        for (i, c) in text.char_indices() {
            if units >= utf16 {
                return i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let units = |s: &str| s.encode_utf16().count();
    let (from, to) = (byte(start.min(end)), byte(start.max(end)));
    let (before, selected, after) = (&text[..from], &text[from..to], &text[to..]);
    let wrap = |open: &str, close: &str| {
        // Already wrapped: unwrap.
        if before.ends_with(open) && after.starts_with(close) {
            let before = &before[..before.len() - open.len()];
            let out = format!("{before}{selected}{}", &after[close.len()..]);
            let at = units(before);
            return (out, at, at + units(selected));
        }
        let out = format!("{before}{open}{selected}{close}{after}");
        let at = units(before) + units(open);
        (out, at, at + units(selected))
    };
    match format {
        Format::Bold => wrap("**", "**"),
        Format::Italic => wrap("_", "_"),
        Format::Code if selected.contains('\n') => {
            let open = if before.is_empty() || before.ends_with('\n') {
                "```\n"
            } else {
                "\n```\n"
            };
            wrap(open, "\n```\n")
        }
        Format::Code => wrap("`", "`"),
        Format::Quote => {
            // Every line the selection touches.
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let quoted: Vec<String> = text[line_start..to]
                .split('\n')
                .map(|line| format!("> {line}"))
                .collect();
            let quoted = quoted.join("\n");
            let out = format!("{}{quoted}{after}", &text[..line_start]);
            let at = units(&text[..line_start]);
            (out, at, at + units(&quoted))
        }
        Format::Link => {
            if selected.starts_with("https://") || selected.starts_with("http://") {
                // The address is there: type the text.
                let out = format!("{before}[]({selected}){after}");
                let at = units(before) + 1;
                (out, at, at)
            } else {
                // The text is there: the address placeholder is selected, to type over.
                let out = format!("{before}[{selected}](https://){after}");
                let at = units(before) + units(selected) + 3;
                (out, at, at + units("https://"))
            }
        }
    }
}
