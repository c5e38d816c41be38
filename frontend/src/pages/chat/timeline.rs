//! The open conversation: messages under day separators, one person's consecutive
//! messages grouped under one name, the "new messages" line, a pill down to the newest,
//! the messages still being sent, and who is typing.
//!
//! Following: while the reader is at the newest message, the view stays there under any
//! burst and as images load (a `ResizeObserver` on the list); scrolling up stops it and a
//! pill counts what arrived below. Only scrolls the reader made change that: a scroll
//! event at the position this code set is its own.
//!
//! Reading: messages are marked read only as they are on screen while the tab is visible
//! and focused (`Chat::seen`).

use super::{
    composer::put_back,
    edits::{EditForm, EditHistory},
    reactions::{EmojiPicker, ReactionChips},
};
use crate::{
    client::ApiError,
    components::{
        files::{Attachments, Avatar},
        profile_card::PersonButton,
    },
    i18n::*,
    state::chat::use_chat,
    state::conversation::use_conversation,
    state::conversation::{Pending, Typing, now_ms},
    text::error_text,
};
use api::{
    MessageId, PostId,
    messages::{Message, MessageKind},
    rooms::RoomRole,
};
use leptos::{ev, html, prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast as _, closure::Closure};

/// Closer than this to the bottom counts as at the bottom.
const BOTTOM_SLACK: i32 = 48;
/// Messages from one person this close together share one name and avatar.
const GROUP_SECS: i64 = 5 * 60;

/// One row of the timeline.
#[derive(Clone, PartialEq)]
enum Row {
    /// The first message of a day (local time), as `yyyymmdd`, and the day's start.
    Day(i64, f64),
    /// "New messages" above the first unread one.
    Divider,
    Message {
        message: Box<Message>,
        continued: bool,
    },
}

impl Row {
    /// A row is drawn again when this changes: a recall, an edit, its grouping, or a
    /// change of the message it quotes.
    fn key(&self) -> (u8, i64, bool, bool, u64) {
        match self {
            Row::Day(day, _) => (0, *day, false, false, 0),
            Row::Divider => (1, 0, false, false, 0),
            Row::Message { message, continued } => {
                use std::hash::{Hash as _, Hasher as _};
                let mut version = std::hash::DefaultHasher::new();
                message
                    .edited_at
                    .map(|t| t.unix_timestamp_nanos())
                    .hash(&mut version);
                if let Some(quote) = &message.reply_to {
                    quote.excerpt.hash(&mut version);
                    quote.recall.is_some().hash(&mut version);
                }
                message.reactions.hash(&mut version);
                (
                    2,
                    message.id.0,
                    message.recall.is_some(),
                    *continued,
                    version.finish(),
                )
            }
        }
    }
}

/// The local day of a moment: `yyyymmdd` and the milliseconds at its midnight.
fn local_day(at: time::OffsetDateTime) -> (i64, f64) {
    let date = js_date(at);
    let key = i64::from(date.get_full_year()) * 10_000
        + i64::from(date.get_month() + 1) * 100
        + i64::from(date.get_date());
    date.set_hours(0);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    (key, date.get_time())
}

fn js_date(at: time::OffsetDateTime) -> js_sys::Date {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
}

fn rows(messages: &[Message], divider: Option<MessageId>) -> Vec<Row> {
    let mut rows = Vec::with_capacity(messages.len() + 4);
    let mut previous: Option<(&Message, i64)> = None;
    for message in messages {
        let (day, midnight) = local_day(message.created_at);
        if previous.is_none_or(|(_, d)| d != day) {
            rows.push(Row::Day(day, midnight));
        }
        let divided = divider == Some(message.id);
        if divided {
            rows.push(Row::Divider);
        }
        let continued = !divided
            && previous.is_some_and(|(p, d)| {
                d == day
                    && groupable(p)
                    && groupable(message)
                    && p.author.id == message.author.id
                    && (message.created_at - p.created_at).whole_seconds() < GROUP_SECS
            });
        rows.push(Row::Message {
            message: Box::new(message.clone()),
            continued,
        });
        previous = Some((message, day));
    }
    rows
}

fn groupable(m: &Message) -> bool {
    m.kind == MessageKind::Text && m.recall.is_none()
}

#[component]
pub fn Timeline(post: PostId, my_role: Signal<RoomRole>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let view_state = convo.view;
    let scroller = NodeRef::<html::Div>::new();
    let list = NodeRef::<html::Ol>::new();
    // The scrollTop this code last set: a scroll event there is not the reader's.
    let auto_top = StoredValue::new(i32::MIN);
    let loading_older = StoredValue::new(false);
    let loading_newer = StoredValue::new(false);
    // Following stopped at the "new messages" line while nobody looks: if the line moves
    // (an earlier unseen message came late), following goes to it again.
    let parked = StoredValue::new(false);
    let to_bottom = move || {
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            auto_top.set_value(el.scroll_top());
        }
        parked.set_value(false);
    };
    // Following while nobody looks stops with the "new messages" line at the top, so the
    // first unseen message is still on screen when the reader comes back.
    let follow = move || {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let bottom = el.scroll_height() - el.client_height();
        let line = (!chat.attention.looking.get_untracked())
            .then(|| el.query_selector(".unread-divider").ok().flatten())
            .flatten()
            .and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|d| d.offset_top() - 8);
        match line {
            Some(line) if line < bottom => {
                el.set_scroll_top(line);
                auto_top.set_value(el.scroll_top());
                view_state.at_bottom.set(false);
                parked.set_value(true);
            }
            _ => {
                to_bottom();
                // Parked at a line that has since moved to the newest: following again.
                if !view_state.at_bottom.get_untracked() {
                    view_state.at_bottom.set(true);
                }
            }
        }
    };
    // What the reader has on screen, marked read while they are looking.
    let check_seen = move || {
        if !chat.attention.looking.get_untracked() {
            return;
        }
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        if let Some(id) = last_visible(&el) {
            convo.seen(id);
        }
    };
    let rows = Memo::new(move |_| {
        let divider = view_state.divider.get();
        convo.timeline.with(|t| rows(t, divider))
    });
    // New rows while following: stay at the newest.
    Effect::new(move |_| {
        rows.track();
        convo.pending.track();
        let parked = parked.get_value() && !chat.attention.looking.get_untracked();
        if view_state.at_bottom.get_untracked() || parked {
            request_animation_frame(follow);
        }
    });
    // Content that grows by itself (an image loading) while following.
    Effect::new(move |_| {
        let Some(list) = list.get() else { return };
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            if view_state.at_bottom.get_untracked() {
                follow();
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&list);
            // The closure lives exactly as long as the observer that calls it.
            let kept = StoredValue::new_local((observer, on_resize));
            on_cleanup(move || kept.with_value(|(o, _)| o.disconnect()));
        }
    });
    // A conversation just opened: at its first unread message, or at the newest.
    Effect::new(move |_| {
        if view_state.opened.get() == 0 {
            return;
        }
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            let divider = el
                .query_selector(".unread-divider")
                .ok()
                .flatten()
                .and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok());
            match divider {
                Some(divider) => {
                    el.set_scroll_top(divider.offset_top() - 8);
                    auto_top.set_value(el.scroll_top());
                    view_state
                        .at_bottom
                        .set(distance_to_bottom(&el) < BOTTOM_SLACK);
                    parked.set_value(!chat.attention.looking.get_untracked());
                }
                None => {
                    to_bottom();
                    view_state.at_bottom.set(true);
                }
            }
            check_seen();
        });
    });
    // A message asked for (a quote's original): brought to the middle and highlighted.
    Effect::new(move |_| {
        let Some(id) = convo.focus.get() else {
            return;
        };
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            let Some(item) = el
                .query_selector(&format!("li[data-id=\"{}\"]", id.0))
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            let top = item.offset_top() - (el.client_height() - item.offset_height()) / 2;
            el.set_scroll_top(top.max(0));
            auto_top.set_value(el.scroll_top());
            parked.set_value(false);
            view_state
                .at_bottom
                .set(!convo.has_newer.get_untracked() && distance_to_bottom(&el) < BOTTOM_SLACK);
            let _ = item.class_list().add_1("flash");
            set_timeout(
                move || {
                    let _ = item.class_list().remove_1("flash");
                },
                std::time::Duration::from_millis(2000),
            );
            convo.focus.set(None);
            check_seen();
        });
    });
    // Coming back to the tab reads what is on screen, and the view is the reader's again:
    // no more parking at the line until following brings it there.
    Effect::new(move |_| {
        if chat.attention.looking.get() {
            parked.set_value(false);
            check_seen();
        }
    });
    let on_scroll = move |_: ev::Event| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let top = el.scroll_top();
        if (top - auto_top.get_value()).abs() > 1 {
            parked.set_value(false);
            let at_bottom = distance_to_bottom(&el) < BOTTOM_SLACK;
            if view_state.at_bottom.get_untracked() != at_bottom {
                view_state.at_bottom.set(at_bottom);
            }
        }
        if view_state.at_bottom.get_untracked() && view_state.new_below.get_untracked() > 0 {
            view_state.new_below.set(0);
        }
        check_seen();
        if convo.has_newer.get_untracked()
            && distance_to_bottom(&el) < 200
            && !loading_newer.get_value()
        {
            loading_newer.set_value(true);
            spawn_local(async move {
                convo.load_newer().await;
                loading_newer.set_value(false);
            });
        }
        if top < 200 && convo.has_older.get_untracked() && !loading_older.get_value() {
            loading_older.set_value(true);
            let before = el.scroll_height();
            spawn_local(async move {
                if convo.load_older().await > 0 {
                    request_animation_frame(move || {
                        el.set_scroll_top(el.scroll_height() - before + el.scroll_top());
                        auto_top.set_value(el.scroll_top());
                    });
                }
                loading_older.set_value(false);
            });
        }
    };
    let jump = move |_| {
        if convo.has_newer.get_untracked() {
            convo.latest();
            return;
        }
        view_state.at_bottom.set(true);
        view_state.new_below.set(0);
        to_bottom();
        check_seen();
    };
    let pending = move || {
        convo.pending.with(|p| {
            p.iter()
                .filter(|x| x.post_id == post)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let pill = move || {
        let n = view_state.new_below.get();
        if n > 0 {
            t_string!(i18n, chat.new_messages_below, count = n).to_string()
        } else {
            t_string!(i18n, chat.jump_to_latest).to_string()
        }
    };
    view! {
        <div class="timeline-wrap">
            <div class="timeline" node_ref=scroller on:scroll=on_scroll role="log" aria-live="polite"
                aria-label=move || t_string!(i18n, chat.messages_label)>
                <Show when=move || !convo.has_older.get()>
                    <p class="beginning">{t!(i18n, chat.beginning)}</p>
                </Show>
                <ol class="messages" node_ref=list>
                    <For each=move || rows.get() key=Row::key let:row>
                        {match row {
                            Row::Day(_, midnight) => view! { <DaySeparator midnight/> }.into_any(),
                            Row::Divider => view! {
                                <li class="unread-divider"><span>{t!(i18n, chat.new_messages)}</span></li>
                            }.into_any(),
                            Row::Message { message, continued } => view! { <MessageItem message=*message continued my_role/> }.into_any(),
                        }}
                    </For>
                    <For each=pending key=|p| (p.client_id.clone(), p.failed.is_some()) let:item>
                        <PendingItem item/>
                    </For>
                </ol>
            </div>
            <Show when=move || !view_state.at_bottom.get()>
                <button type="button" class="new-pill" class=("has-new", move || view_state.new_below.get() > 0) on:click=jump>
                    {pill}" ↓"
                </button>
            </Show>
        </div>
    }
}

fn distance_to_bottom(el: &web_sys::HtmlElement) -> i32 {
    el.scroll_height() - el.scroll_top() - el.client_height()
}

/// The newest message wholly inside the scroller's view (or, for one taller than the view,
/// a view's height of it).
fn last_visible(el: &web_sys::HtmlElement) -> Option<MessageId> {
    let height = el.client_height();
    let view_bottom = el.scroll_top() + height + 1;
    let items = el.query_selector_all("li[data-id]").ok()?;
    (0..items.length()).rev().find_map(|i| {
        let item = items.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()?;
        (item.offset_top() + item.offset_height().min(height) <= view_bottom)
            .then(|| item.get_attribute("data-id")?.parse().ok().map(MessageId))
            .flatten()
    })
}

/// 今天 / 昨天 / a weekday within the week / the date, in the reader's language.
#[component]
fn DaySeparator(midnight: f64) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let label = move || {
        // Re-read every minute or so, so "today" turns into "yesterday" at midnight.
        let _ = chat.tick.get() / 60;
        let today = {
            let now = js_sys::Date::new_0();
            now.set_hours(0);
            now.set_minutes(0);
            now.set_seconds(0);
            now.set_milliseconds(0);
            now.get_time()
        };
        let days = ((today - midnight) / 86_400_000.0).round() as i64;
        match days {
            0 => t_string!(i18n, chat.today).to_string(),
            1 => t_string!(i18n, chat.yesterday).to_string(),
            2..=6 => local_date(i18n, midnight, &[("weekday", "long")]),
            _ => {
                let this_year = js_sys::Date::new_0().get_full_year();
                let date = js_sys::Date::new(&midnight.into());
                if date.get_full_year() == this_year {
                    local_date(
                        i18n,
                        midnight,
                        &[("month", "long"), ("day", "numeric"), ("weekday", "short")],
                    )
                } else {
                    local_date(
                        i18n,
                        midnight,
                        &[("year", "numeric"), ("month", "long"), ("day", "numeric")],
                    )
                }
            }
        }
    };
    view! {
        <li class="day-separator"><span>{label}</span></li>
    }
}

/// The BCP 47 tag of the reader's language.
pub fn locale_tag(i18n: leptos_i18n::I18nContext<Locale>) -> &'static str {
    match i18n.get_locale() {
        Locale::zh_CN => "zh-CN",
        Locale::en => "en",
    }
}

/// A date with the browser's own formatting for the reader's language.
fn local_date(i18n: leptos_i18n::I18nContext<Locale>, ms: f64, parts: &[(&str, &str)]) -> String {
    let options = js_sys::Object::new();
    for (key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    js_sys::Date::new(&ms.into())
        .to_locale_date_string(locale_tag(i18n), &options)
        .into()
}

/// The time of day in the reader's own time zone.
fn clock(at: time::OffsetDateTime) -> String {
    let date = js_date(at);
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// A short date ("Dec 5", "12月5日") in the reader's own time zone and language.
pub(super) fn short_date(
    i18n: leptos_i18n::I18nContext<Locale>,
    at: time::OffsetDateTime,
) -> String {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    local_date(i18n, ms, &[("month", "short"), ("day", "numeric")])
}

/// Date and time in full, for hovering or long-pressing a time.
pub(super) fn full_time(
    i18n: leptos_i18n::I18nContext<Locale>,
    at: time::OffsetDateTime,
) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("year", "numeric"),
        ("month", "long"),
        ("day", "numeric"),
        ("weekday", "long"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_date(at)
        .to_locale_string(locale_tag(i18n), &options)
        .into()
}

#[component]
fn MessageItem(message: Message, continued: bool, my_role: Signal<RoomRole>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let name = message.author.name().to_owned();
    let id = message.id;
    match message.kind {
        MessageKind::Joined | MessageKind::Left => {
            let joined = message.kind == MessageKind::Joined;
            return view! {
                <li class="notice-line" data-id=id.0>
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
            <li class="notice-line recalled" data-id=id.0>
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
    // It calls me by name or with @all: it stands out.
    let calls_me = chat.me().is_some_and(|me| message.mentions_me(me));
    let post_id = message.post_id;
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
        // Taking away someone else's words asks first; recalling my own does not.
        if !mine {
            let yes = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t_string!(i18n, chat.confirm_remove))
                        .ok()
                })
                .unwrap_or(false);
            if !yes {
                return;
            }
        }
        spawn_local(async move {
            match convo.recall(id).await {
                Ok(Some(text)) => put_back(post_id, text),
                Ok(None) => {}
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let label = move || {
        if mine {
            t_string!(i18n, chat.recall)
        } else {
            t_string!(i18n, chat.remove)
        }
    };
    // Editing is the author's, within the server's window.
    let can_edit = move || {
        chat.tick.track();
        let age = time::OffsetDateTime::now_utc() - sent_at;
        my_role
            .get()
            .can_edit(mine, age.whole_seconds(), chat.edit_window_secs())
    };
    let editing = Memo::new(move |_| convo.editing.get() == Some(id));
    let pinned = Memo::new(move |_| convo.pins.with(|p| p.iter().any(|p| p.message.id == id)));
    let toggle_pin = move |_| {
        let pin = !pinned.get_untracked();
        spawn_local(async move {
            if let Err(e) = convo.set_pinned(id, pin).await {
                error.set(Some(e));
            }
        });
    };
    let history_open = RwSignal::new(false);
    let reporting = RwSignal::new(false);
    let edited = message.edited_at.is_some();
    let quote = message.reply_to.clone();
    let reactions = message.reactions.clone();
    let picking = RwSignal::new(false);
    let to_answer = message.clone();
    let reply = move |_| {
        convo.replying.set(Some(to_answer.clone()));
        if let Some(composer) = document().get_element_by_id("composer")
            && let Ok(composer) = composer.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = composer.focus();
        }
    };
    let source = message.body.clone().unwrap_or_default();
    let body = message.body.unwrap_or_default();
    // The server's rendering (sanitised with an allow-list there); messages from before
    // formatting existed are plain text.
    let html = message.html;
    let attachments = message.attachments;
    let author = message.author;
    let short = clock(sent_at);
    let full = move || full_time(i18n, sent_at);
    view! {
        // Focusable, so that a tap on a touch screen shows its tools (CSS).
        <li class="message" class:mine=mine class:continued=continued class:mentioned=calls_me data-id=id.0 tabindex="-1">
            {(!continued).then(|| view! {
                <div class="meta">
                    <PersonButton id=author.id>
                        <Avatar id=author.id.0 name=name.clone() key=author.avatar.clone() size=24/>
                        <bdi class="author">{name.clone()}</bdi>
                    </PersonButton>
                    <time datetime=sent_at.to_string() title=full tabindex="0">{short.clone()}</time>
                </div>
            })}
            <Show when=move || pinned.get()>
                <span class="pinned-mark">{t!(i18n, chat.pinned_mark)}</span>
            </Show>
            {quote.map(|q| view! { <Quote quote=*q/> })}
            {move || if editing.get() {
                let done = Callback::new(move |()| convo.editing.set(None));
                view! { <EditForm id source=source.clone() done error/> }.into_any()
            } else {
                match html.clone() {
                    Some(html) => view! { <div class="body rich" dir="auto" inner_html=html></div> }.into_any(),
                    None if body.is_empty() => ().into_any(),
                    None => view! { <div class="body" dir="auto">{body.clone()}</div> }.into_any(),
                }
            }}
            {edited.then(|| view! {
                <button type="button" class="edited-mark" on:click=move |_| history_open.set(true)
                    title=move || t_string!(i18n, chat.edit_history)>
                    {move || t_string!(i18n, chat.edited)}
                </button>
            })}
            <Show when=move || history_open.get()>
                <EditHistory id close=Callback::new(move |()| history_open.set(false))/>
            </Show>
            {(!attachments.is_empty()).then(|| view! { <Attachments files=attachments.clone()/> })}
            {(!reactions.is_empty()).then(|| view! { <ReactionChips id reactions=reactions.clone() error/> })}
            {mine.then(|| view! {
                // In a private chat where both send receipts: has the other read it?
                {move || convo.peer_read.get().map(|upto| {
                    let read = id <= upto;
                    view! {
                        <span class="receipt" class:read=read>
                            {move || if read { t_string!(i18n, chat.read) } else { t_string!(i18n, chat.unread_receipt) }}
                        </span>
                    }
                })}
            })}
            <Show when=move || picking.get()>
                <EmojiPicker id close=Callback::new(move |()| picking.set(false)) error/>
            </Show>
            <div class="message-tools">
                {continued.then(|| view! {
                    <time class="hover-time" datetime=sent_at.to_string() title=full tabindex="0">{short.clone()}</time>
                })}
                <button type="button" class="link tiny" on:click=move |_| picking.set(true)>{move || t_string!(i18n, chat.react)}</button>
                <button type="button" class="link tiny" on:click=reply>{move || t_string!(i18n, chat.reply)}</button>
                <Show when=move || can_edit() && !editing.get()>
                    <button type="button" class="link tiny" on:click=move |_| convo.editing.set(Some(id))>{move || t_string!(i18n, chat.edit)}</button>
                </Show>
                <Show when=move || my_role.get().can_pin()>
                    <button type="button" class="link tiny" on:click=toggle_pin>
                        {move || if pinned.get() { t_string!(i18n, chat.unpin) } else { t_string!(i18n, chat.pin) }}
                    </button>
                </Show>
                <Show when=can_recall>
                    <button type="button" class="link tiny" class:danger=!mine on:click=recall>{label}</button>
                </Show>
                {(!mine).then(|| view! {
                    <button type="button" class="link tiny" on:click=move |_| reporting.set(true)>{move || t_string!(i18n, reports.report)}</button>
                })}
            </div>
            <Show when=move || reporting.get()>
                <ReportDialog id close=Callback::new(move |()| reporting.set(false))/>
            </Show>
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
        </li>
    }
    .into_any()
}

/// The compact quote of the message a reply answers; it opens the original in context.
#[component]
fn Quote(quote: api::messages::ReplyQuote) -> impl IntoView {
    let convo = use_conversation();
    let i18n = use_i18n();
    let name = quote.author.name().to_owned();
    let id = quote.id;
    let text = move || match &quote.recall {
        Some(recall) if recall.by_admin => t_string!(i18n, chat.quote_removed).to_string(),
        Some(_) => t_string!(i18n, chat.quote_recalled).to_string(),
        None => quote.preview(&crate::text::preview_words(i18n)),
    };
    view! {
        <button type="button" class="reply-quote" title=move || t_string!(i18n, chat.show_original)
            on:click=move |_| spawn_local(convo.jump_to(id))>
            <bdi class="quote-author">{name}</bdi>
            <span class="quote-text" dir="auto">{text}</span>
        </button>
    }
}

#[component]
fn PendingItem(item: Pending) -> impl IntoView {
    let convo = use_conversation();
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
                            <button type="button" class="link tiny" on:click=move |_| convo.discard_pending(&client_id)>
                                {move || t_string!(i18n, chat.discard)}
                            </button>
                        }.into_any()
                    }
                }}
            </div>
            <div class="body" dir="auto">{item.body.clone()}</div>
            <ul class="pending-files">
                {item.attachments.iter().map(|f| view! { <li class="file-name"><bdi>{f.name.clone()}</bdi></li> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
pub fn TypingLine(post: PostId) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let text = move || {
        chat.tick.track();
        let now = now_ms();
        // The name as the room shows it now (the frame's copy dates from when the typist
        // connected, before any change to their display name).
        let names: Vec<String> = convo.typing.with(|t| {
            t.iter()
                .filter(|t| t.post_id == post && t.until > now)
                .map(
                    |Typing {
                         room_id: room,
                         user: u,
                         ..
                     }| {
                        convo
                            .members
                            .with(|m| {
                                m.iter()
                                    .find(|m| m.user.id == u.id)
                                    .map(|m| m.user.name().to_owned())
                            })
                            .or_else(|| {
                                chat.friends
                                    .direct(*room)
                                    .and_then(|c| c.peer)
                                    .filter(|p| p.id == u.id)
                                    .map(|p| p.name().to_owned())
                            })
                            .unwrap_or_else(|| u.name().to_owned())
                    },
                )
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

/// Reports a message to the site's moderators: a reason and an optional note.
#[component]
fn ReportDialog(id: api::MessageId, close: Callback<()>) -> impl IntoView {
    use api::admin::{ReportMessage, ReportReason};
    let i18n = use_i18n();
    let chat = use_chat();
    let reason = RwSignal::new(ReportReason::Spam);
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let name = move |r: ReportReason| match r {
        ReportReason::Spam => t_string!(i18n, reports.reason_spam),
        ReportReason::Abuse => t_string!(i18n, reports.reason_abuse),
        ReportReason::Inappropriate => t_string!(i18n, reports.reason_inappropriate),
        ReportReason::Other => t_string!(i18n, reports.reason_other),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let body = ReportMessage {
            reason: reason.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        spawn_local(async move {
            match crate::client::messages::report(chat.session, id, &body).await {
                Ok(_) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <crate::components::dialog::Dialog title=crate::text::tr(move || t_string!(i18n, reports.title).to_string()) close class="report-dialog">
            <Show when=move || !done.get() fallback=move || view! {
                <p role="status">{t!(i18n, reports.thanks)}</p>
                <div class="actions"><button type="button" class="primary" on:click=move |_| close.run(())>{t!(i18n, app.close)}</button></div>
            }>
                <form on:submit=submit>
                    <fieldset class="choices">
                        <legend>{t!(i18n, reports.reason)}</legend>
                        {ReportReason::ALL.into_iter().map(|r| view! {
                            <label class="check">
                                <input type="radio" name="report-reason" prop:checked=move || reason.get() == r
                                    on:change=move |_| reason.set(r)/>
                                " "{move || name(r)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label for="report-note">{t!(i18n, reports.note)}</label>
                    <textarea id="report-note" maxlength="500" rows="3" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
                    <div class="actions">
                        <button type="button" on:click=move |_| close.run(())>{t!(i18n, app.cancel)}</button>
                        <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, reports.send)}</button>
                    </div>
                </form>
            </Show>
        </crate::components::dialog::Dialog>
    }
}
