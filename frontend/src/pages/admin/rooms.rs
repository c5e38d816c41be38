//! Rooms: find a group room, see its members, set its slow mode and word policy, hand it
//! to another member, delete it.

use super::{my_role, when};
use crate::{
    client::{ApiError, admin},
    i18n::*,
    state::session::use_session,
    text::{error_text, wire_name},
};
use api::{
    RoomId, UserId,
    admin::{AdminRoom, EditAdminRoom},
    moderation::{SetWordPolicy, WordPolicy},
    rooms::Member,
};
use leptos::{prelude::*, task::spawn_local};

pub fn policy_text(i18n: leptos_i18n::I18nContext<Locale>, p: WordPolicy) -> String {
    match p {
        WordPolicy::Off => t_string!(i18n, admin.policy_off),
        WordPolicy::Warn => t_string!(i18n, admin.policy_warn),
        WordPolicy::Mask => t_string!(i18n, admin.policy_mask),
        WordPolicy::Block => t_string!(i18n, admin.policy_block),
    }
    .to_string()
}

#[component]
pub fn Rooms() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let q = RwSignal::new(String::new());
    let list = super::Paged::<AdminRoom, RoomId>::new();
    let (rooms, next, error) = (list.items, list.next, list.error);
    let open = RwSignal::new(None::<AdminRoom>);
    let load = move |more: bool| {
        let query = admin::query(&[
            ("q", q.get_untracked()),
            (
                "before",
                list.cursor(more)
                    .map(|n| n.0.to_string())
                    .unwrap_or_default(),
            ),
        ]);
        list.load(more, async move {
            admin::rooms(session, &query)
                .await
                .map(|p| (p.rooms, p.next))
        });
    };
    load(false);
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.rooms)}</h2>
            <form class="filters" role="search" on:submit=move |ev| { ev.prevent_default(); load(false); }>
                <label class="visually-hidden" for="rooms-q">{t!(i18n, admin.search_rooms)}</label>
                <input id="rooms-q" type="search" prop:value=move || q.get()
                    placeholder=move || t_string!(i18n, admin.search_rooms)
                    on:input=move |ev| q.set(event_target_value(&ev))/>
                <button type="submit" class="small">{t!(i18n, admin.search)}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <div class="table-wrap">
                <table class="admin-table">
                    <thead><tr>
                        <th>{t!(i18n, admin.room)}</th>
                        <th>{t!(i18n, admin.owner)}</th>
                        <th>{t!(i18n, admin.members)}</th>
                        <th class="wide-only">{t!(i18n, admin.created)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rooms.get() key=|r| (r.id, r.owner.id, r.slow_mode_secs, r.word_policy) let:r>
                            <tr>
                                <td>
                                    <button type="button" class="link" on:click={
                                        let r = r.clone();
                                        move |_| open.set(Some(r.clone()))
                                    }><bdi>{r.name.clone()}</bdi></button>
                                    <span class="muted small-text">" #"{r.number}</span>
                                </td>
                                <td><bdi>{r.owner.name().to_owned()}</bdi></td>
                                <td>{r.members}</td>
                                <td class="small-text wide-only">{when(r.created_at)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || next.get().is_some()>
                <button type="button" class="small" on:click=move |_| load(true)>{t!(i18n, admin.load_more)}</button>
            </Show>
        </section>
        {move || open.get().map(|room| view! {
            <RoomDetail room close=Callback::new(move |()| open.set(None)) changed=Callback::new(move |()| load(false))/>
        })}
    }
}

#[component]
fn RoomDetail(room: AdminRoom, close: Callback<()>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = my_role();
    let id = room.id;
    let current = RwSignal::new(room);
    let members = RwSignal::new(Vec::<Member>::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    spawn_local(async move {
        match admin::room_members(session, id).await {
            Ok(m) => members.set(m),
            Err(e) => error.set(Some(e)),
        }
    });
    let after = move |r: Result<AdminRoom, ApiError>| match r {
        Ok(room) => {
            current.set(room);
            error.set(None);
            done.set(true);
            changed.run(());
        }
        Err(e) => error.set(Some(e)),
    };
    let set_slow = move |ev: leptos::ev::Event| {
        let secs = event_target_value(&ev).parse().unwrap_or(0);
        spawn_local(async move {
            after(
                admin::edit_room(
                    session,
                    id,
                    &EditAdminRoom {
                        slow_mode_secs: Some(secs),
                        ..Default::default()
                    },
                )
                .await,
            );
        });
    };
    let set_policy = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let policy = WordPolicy::parse(&value);
        spawn_local(async move {
            after(admin::set_room_policy(session, id, &SetWordPolicy { policy }).await);
        });
    };
    let set_owner = move |ev: leptos::ev::Event| {
        let Ok(owner) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        spawn_local(async move {
            after(
                admin::edit_room(
                    session,
                    id,
                    &EditAdminRoom {
                        owner: Some(UserId(owner)),
                        ..Default::default()
                    },
                )
                .await,
            );
        });
    };
    let delete = move |_| {
        let name = current.with_untracked(|r| r.name.clone());
        let yes = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&t_string!(i18n, admin.confirm_delete_room, name = name))
                    .ok()
            })
            .unwrap_or(false);
        if !yes {
            return;
        }
        spawn_local(async move {
            match admin::delete_room(session, id).await {
                Ok(()) => {
                    changed.run(());
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let slow_choices = [0u32, 10, 30, 60, 300, 900, 3600];
    view! {
        <crate::components::dialog::Dialog title=Signal::derive(move || current.with(|r| r.name.clone())) close class="wide room-detail">
            {move || {
                let r = current.get();
                let owner = r.owner.id;
                view! {
                    <p class="muted small-text">"#"{r.number}" · "{t!(i18n, admin.owner)}" "<bdi>{r.owner.name().to_owned()}</bdi>" · "{when(r.created_at)}</p>
                    <div class="setting-row">
                        <label for="room-slow">{t!(i18n, admin.slow_mode)}</label>
                        <select id="room-slow" on:change=set_slow>
                            {slow_choices.into_iter().map(|s| view! {
                                <option value=s.to_string() selected=s == r.slow_mode_secs>
                                    {if s == 0 { t_string!(i18n, admin.off).to_string() } else { t_string!(i18n, admin.seconds, count = s).to_string() }}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="setting-row">
                        <label for="room-policy">{t!(i18n, admin.word_policy)}</label>
                        <select id="room-policy" on:change=set_policy>
                            <option value="" selected=r.word_policy.is_none()>{t!(i18n, admin.policy_default)}</option>
                            {WordPolicy::ALL.into_iter().map(|p| view! {
                                <option value=wire_name(&p) selected=r.word_policy == Some(p)>{policy_text(i18n, p)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="setting-row">
                        <label for="room-owner">{t!(i18n, admin.owner)}</label>
                        <select id="room-owner" on:change=set_owner>
                            {move || members.get().into_iter().map(|m| view! {
                                <option value=m.user.id.0.to_string() selected=m.user.id == owner>{m.user.name().to_owned()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            }}
            <h3>{t!(i18n, admin.members)}</h3>
            <ul class="member-names small-text">
                {move || members.get().into_iter().map(|m| view! { <li><bdi>{m.user.name().to_owned()}</bdi></li> }).collect_view()}
            </ul>
            {move || done.get().then(|| view! { <p class="notice" role="status">{t!(i18n, admin.done)}</p> })}
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <Show when=move || me.get().is_admin()>
                    <button type="button" class="danger" on:click=delete>{t!(i18n, admin.delete_room)}</button>
                </Show>
                <button type="button" on:click=move |_| close.run(())>{t!(i18n, app.close)}</button>
            </div>
        </crate::components::dialog::Dialog>
    }
}
