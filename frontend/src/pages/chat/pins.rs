//! What a room holds up: its announcement (群公告), shown at the top of the room and once
//! to every member after each change, and its pinned messages.

use super::timeline::full_time;
use crate::components::dialog::{Dialog, DialogActions};
use crate::{
    app::Page,
    client::{ApiError, rooms},
    components::form::Notice,
    i18n::*,
    state::chat::{Chat, use_chat},
    state::conversation::use_conversation,
    text::{error_text, tr},
};
use api::{
    RoomId,
    messages::{Pin, ReplyQuote},
    rooms::{Announcement, RoomRole},
};
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

/// The room's announcement as I have it (`GET /rooms`, kept by `announcement_changed`).
fn announcement_of(chat: Chat, room: RoomId) -> Option<Announcement> {
    chat.rooms.with(|r| {
        r.iter()
            .find(|r| r.room.id == room)
            .and_then(|r| r.announcement.clone())
    })
}

/// The rendered announcement for one line: its line breaks become spaces (taking a tag
/// out of sanitised HTML keeps it safe).
fn one_line(html: &str) -> String {
    html.replace("<br />", " ")
        .replace("<br/>", " ")
        .replace("<br>", " ")
}

/// One line at the top of the room: the announcement's first words; it opens in full.
#[component]
pub fn AnnouncementBanner(room: RoomId, open: RwSignal<Option<bool>>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    move || {
        announcement_of(chat, room).map(|a| {
            // The rendered text on one line (CSS makes its blocks inline and clips it).
            view! {
                <button type="button" class="announcement-banner" on:click=move |_| open.set(Some(false))>
                    <span class="announcement-label">{t!(i18n, chat.announcement)}</span>
                    <span class="announcement-line" dir="auto" inner_html=one_line(&a.html)></span>
                </button>
            }
        })
    }
}

/// The announcement in full, and (for owners and admins, `editing`) its editor. Closing it
/// acknowledges it: the prompt shows once per change.
#[component]
pub fn AnnouncementDialog(
    room: RoomId,
    my_role: Signal<RoomRole>,
    editing: bool,
    close: Callback<()>,
) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let editing = RwSignal::new(editing);
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let acknowledge_and_close = Callback::new(move |()| {
        chat.announcement_seen(room);
        close.run(());
    });
    let edit = move |_| {
        body.set(
            announcement_of(chat, room)
                .map(|a| a.body)
                .unwrap_or_default(),
        );
        editing.set(true);
    };
    if editing.get_untracked() {
        body.set(
            announcement_of(chat, room)
                .map(|a| a.body)
                .unwrap_or_default(),
        );
    }
    let save = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        spawn_local(async move {
            match rooms::set_announcement(chat.session, room, text).await {
                Ok(announcement) => {
                    chat.announcement_changed(room, announcement);
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title=tr(move || t_string!(i18n, chat.announcement).to_string()) close=acknowledge_and_close class="announcement-dialog">
            <Show when=move || editing.get() fallback=move || {
                view! {
                    {move || match announcement_of(chat, room) {
                        Some(a) => {
                            let at = a.at;
                            let name = a.by.name().to_owned();
                            view! {
                                <div class="rich announcement-body" dir="auto" inner_html=a.html.clone()></div>
                                <p class="muted small-text">
                                    {move || t_string!(i18n, chat.announcement_by, name = name.clone()).to_string()}
                                    " · "<time datetime=at.to_string()>{full_time(i18n, at)}</time>
                                </p>
                            }.into_any()
                        }
                        None => view! { <p class="muted">{t!(i18n, chat.no_announcement)}</p> }.into_any(),
                    }}
                    <div class="actions">
                        <Show when=move || my_role.get().can_pin()>
                            <button type="button" class="small" on:click=edit>{t!(i18n, chat.edit)}</button>
                        </Show>
                        <button type="button" class="primary" autofocus on:click=move |_| acknowledge_and_close.run(())>{t!(i18n, chat.got_it)}</button>
                    </div>
                }
            }>
                <form on:submit=save>
                    <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                    <label for="announcement-body">{t!(i18n, chat.announcement_label)}</label>
                    <textarea id="announcement-body" rows="6" maxlength=api::rules::ANNOUNCEMENT_MAX
                        prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <p class="muted small-text">{t!(i18n, chat.announcement_hint)}</p>
                    <DialogActions close=acknowledge_and_close submit=tr(move || t_string!(i18n, chat.save).to_string())/>
                </form>
            </Show>
        </Dialog>
    }
}

/// The drawer with the announcement and the pinned messages; a pin opens its message
/// in context.
#[component]
pub fn PinsPanel(
    room: RoomId,
    my_role: Signal<RoomRole>,
    announcement: RwSignal<Option<bool>>,
    close: Callback<()>,
) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<ApiError>);
    let open_pin = move |pin: &Pin| {
        let (post, id) = (pin.message.post_id, pin.message.id);
        convo.show_message(post, id);
        if !convo.shows(post) {
            navigate(&Page::Conversation(room, post).path(), Default::default());
        }
        close.run(());
    };
    let open_pin = StoredValue::new(open_pin);
    view! {
        <aside class="members pins drawer" aria-label=move || t_string!(i18n, chat.pinned)>
            <div class="drawer-head">
                <h2>{t!(i18n, chat.announcement)}</h2>
                <button type="button" class="icon-button drawer-close" aria-label=move || t_string!(i18n, chat.close)
                    on:click=move |_| close.run(())>"✕"</button>
            </div>
            {move || match announcement_of(chat, room) {
                Some(a) => view! {
                    <button type="button" class="pin-line" on:click=move |_| announcement.set(Some(false))>
                        <span class="pin-text announcement-line" dir="auto" inner_html=one_line(&a.html)></span>
                    </button>
                }.into_any(),
                None => view! { <p class="muted small-text">{t!(i18n, chat.no_announcement)}</p> }.into_any(),
            }}
            <Show when=move || my_role.get().can_pin()>
                <button type="button" class="small" on:click=move |_| announcement.set(Some(true))>{t!(i18n, chat.edit_announcement)}</button>
            </Show>
            <h2 class="pins-title">{t!(i18n, chat.pinned)}" "<span class="muted">{move || convo.pins.with(Vec::len)}</span></h2>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <Show when=move || !convo.pins.with(Vec::is_empty) fallback=move || view! {
                <p class="muted small-text">{t!(i18n, chat.no_pins)}</p>
            }>
                <ul class="pin-list">
                    <For each=move || convo.pins.get() key=|p| (p.message.id, p.message.edited_at) let:pin>
                        {
                            let id = pin.message.id;
                            let author = pin.message.author.name().to_owned();
                            let by = pin.pinned_by.name().to_owned();
                            let text = ReplyQuote::of(&pin.message).preview(&crate::text::preview_words(i18n));
                            let pin = StoredValue::new(pin);
                            view! {
                                <li class="pin">
                                    <button type="button" class="pin-line" on:click=move |_| pin.with_value(|p| open_pin.with_value(|open| open(p)))>
                                        <bdi class="author">{author}</bdi>
                                        <bdi class="pin-text">{text}</bdi>
                                    </button>
                                    <span class="muted small-text">{move || t_string!(i18n, chat.pinned_by, name = by.clone()).to_string()}</span>
                                    <Show when=move || my_role.get().can_pin()>
                                        <button type="button" class="link tiny" on:click=move |_| {
                                            spawn_local(async move {
                                                if let Err(e) = convo.set_pinned(id, false).await {
                                                    error.set(Some(e));
                                                }
                                            });
                                        }>{t!(i18n, chat.unpin)}</button>
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </aside>
    }
}
