//! People: find an account, see its profile and live sessions, and act on it (role,
//! deactivate / reactivate, log out everywhere, reset the password, remove what it sent
//! in a time range).

use super::{bytes, my_role, when};
use crate::{
    client::{ApiError, admin},
    i18n::*,
    state::session::use_session,
    text::{error_text, from_wire_name, wire_name},
};
use api::{
    UserId,
    admin::{AdminUser, AdminUserDetail, RemoveMessages},
    users::Role,
};
use leptos::{prelude::*, task::spawn_local};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

pub fn role_text(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Member => t_string!(i18n, admin.role_member),
        Role::Moderator => t_string!(i18n, admin.role_moderator),
        Role::Admin => t_string!(i18n, admin.role_admin),
    }
    .to_string()
}

#[component]
pub fn People() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let q = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let list = super::Paged::<AdminUser, UserId>::new();
    let (people, next, error) = (list.items, list.next, list.error);
    let open = RwSignal::new(None::<UserId>);
    let load = move |more: bool| {
        let query = admin::query(&[
            ("q", q.get_untracked()),
            ("role", role.get_untracked()),
            ("deactivated", state.get_untracked()),
            (
                "before",
                list.cursor(more)
                    .map(|n| n.0.to_string())
                    .unwrap_or_default(),
            ),
        ]);
        list.load(more, async move {
            admin::users(session, &query)
                .await
                .map(|p| (p.users, p.next))
        });
    };
    load(false);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load(false);
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.people)}</h2>
            <form class="filters" role="search" on:submit=search>
                <label class="visually-hidden" for="people-q">{t!(i18n, admin.search_people)}</label>
                <input id="people-q" type="search" prop:value=move || q.get()
                    placeholder=move || t_string!(i18n, admin.search_people)
                    on:input=move |ev| q.set(event_target_value(&ev))/>
                <label class="visually-hidden" for="people-role">{t!(i18n, admin.role)}</label>
                <select id="people-role" on:change=move |ev| { role.set(event_target_value(&ev)); load(false); }>
                    <option value="">{t!(i18n, admin.all_roles)}</option>
                    {Role::ALL.into_iter().map(|r| view! { <option value=wire_name(&r)>{move || role_text(i18n, r)}</option> }).collect_view()}
                </select>
                <label class="visually-hidden" for="people-state">{t!(i18n, admin.account_state)}</label>
                <select id="people-state" on:change=move |ev| { state.set(event_target_value(&ev)); load(false); }>
                    <option value="">{t!(i18n, admin.all_accounts)}</option>
                    <option value="false">{t!(i18n, admin.active_accounts)}</option>
                    <option value="true">{t!(i18n, admin.deactivated_accounts)}</option>
                </select>
                <button type="submit" class="small">{t!(i18n, admin.search)}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <div class="table-wrap">
                <table class="admin-table">
                    <thead><tr>
                        <th>{t!(i18n, admin.person)}</th>
                        <th class="wide-only">{t!(i18n, admin.email)}</th>
                        <th>{t!(i18n, admin.role)}</th>
                        <th class="wide-only">{t!(i18n, admin.last_seen)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || people.get() key=|u| (u.id, u.role, u.deactivated_at.is_some()) let:u>
                            <tr class:deactivated=u.deactivated_at.is_some()>
                                <td>
                                    <button type="button" class="link" on:click=move |_| open.set(Some(u.id))>
                                        <bdi>{u.display_name.clone().unwrap_or_else(|| u.username.clone())}</bdi>
                                    </button>
                                    <span class="muted small-text">" @"{u.username.clone()}" #"{u.id.0}</span>
                                    {u.deactivated_at.map(|_| view! { <span class="tag">{t!(i18n, admin.deactivated)}</span> })}
                                </td>
                                <td class="small-text wide-only">{u.email.clone()}</td>
                                <td>{role_text(i18n, u.role)}</td>
                                <td class="small-text wide-only">{u.last_seen_at.map(when).unwrap_or_default()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || next.get().is_some()>
                <button type="button" class="small" on:click=move |_| load(true)>{t!(i18n, admin.load_more)}</button>
            </Show>
        </section>
        {move || open.get().map(|id| view! {
            <PersonDetail id close=Callback::new(move |()| open.set(None)) changed=Callback::new(move |()| load(false))/>
        })}
    }
}

/// `datetime-local` value (UTC) ↔ time.
fn local_value(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

fn parse_local(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(value, &format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

#[component]
fn PersonDetail(id: UserId, close: Callback<()>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = my_role();
    let detail = RwSignal::new(None::<AdminUserDetail>);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            match admin::user(session, id).await {
                Ok(d) => detail.set(Some(d)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    reload();
    let after = move |result: Result<String, ApiError>| match result {
        Ok(text) => {
            error.set(None);
            done.set(Some(text));
            reload();
            changed.run(());
        }
        Err(e) => error.set(Some(e)),
    };
    let confirm = move |text: String| {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(&text).ok())
            .unwrap_or(false)
    };
    let act = move |action: &'static str| {
        spawn_local(async move {
            let r = admin::act(session, id, action)
                .await
                .map(|()| t_string!(i18n, admin.done).to_string());
            after(r);
        });
    };
    let set_role = move |ev: leptos::ev::Event| {
        let role: Role = from_wire_name(&event_target_value(&ev));
        spawn_local(async move {
            let r = admin::set_role(session, id, role)
                .await
                .map(|_| t_string!(i18n, admin.done).to_string());
            after(r);
        });
    };
    let reset = move |_| {
        if !confirm(t_string!(i18n, admin.confirm_reset).to_string()) {
            return;
        }
        spawn_local(async move {
            let r = admin::reset_password(session, id).await.map(|p| {
                t_string!(i18n, admin.temporary_password, password = p.password).to_string()
            });
            after(r);
        });
    };
    let now = OffsetDateTime::now_utc();
    let from = RwSignal::new(local_value(now - Duration::days(1)));
    let to = RwSignal::new(local_value(now + Duration::minutes(1)));
    let remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(f), Some(t)) = (
            parse_local(&from.get_untracked()),
            parse_local(&to.get_untracked()),
        ) else {
            return;
        };
        if !confirm(t_string!(i18n, admin.confirm_remove_messages).to_string()) {
            return;
        }
        spawn_local(async move {
            let r = admin::remove_messages(session, id, &RemoveMessages { from: f, to: t })
                .await
                .map(|n| t_string!(i18n, admin.messages_removed, count = n.removed).to_string());
            after(r);
        });
    };
    view! {
        <crate::components::dialog::Dialog title=crate::text::tr(move || t_string!(i18n, admin.person).to_string()) close class="wide person-detail">
            {move || detail.get().map(|d| {
                let u = d.user.clone();
                let active = u.deactivated_at.is_none();
                let target_role = u.role;
                let can_act = Signal::derive(move || me.get().can_act_on(target_role));
                view! {
                    <div class="person-head">
                        <crate::components::files::Avatar id=u.id.0 name=u.display_name.clone().unwrap_or_else(|| u.username.clone()) key=u.avatar.clone() size=48/>
                        <div>
                            <strong><bdi>{u.display_name.clone().unwrap_or_else(|| u.username.clone())}</bdi></strong>
                            <div class="muted small-text">"@"{u.username.clone()}" #"{u.id.0}" · "{u.email.clone()}</div>
                            {(!active).then(|| view! { <span class="tag">{t!(i18n, admin.deactivated)}</span> })}
                        </div>
                    </div>
                    <dl class="facts">
                        <dt>{t!(i18n, admin.joined)}</dt><dd>{when(u.created_at)}</dd>
                        <dt>{t!(i18n, admin.last_seen)}</dt><dd>{u.last_seen_at.map(when).unwrap_or_else(|| "—".into())}</dd>
                        <dt>{t!(i18n, admin.stat_rooms)}</dt><dd>{d.rooms}</dd>
                        <dt>{t!(i18n, admin.stat_messages)}</dt><dd>{d.messages}</dd>
                        <dt>{t!(i18n, admin.reports_against)}</dt><dd>{d.reports_against}</dd>
                        <dt>{t!(i18n, admin.stat_storage)}</dt><dd>{bytes(u.storage_used.max(0) as u64)}</dd>
                        {d.bio.clone().map(|b| view! { <dt>{t!(i18n, admin.bio)}</dt><dd dir="auto">{b}</dd> })}
                    </dl>
                    <h3>{t!(i18n, admin.sessions)}</h3>
                    {d.sessions.is_empty().then(|| view! { <p class="muted small-text">{t!(i18n, admin.no_sessions)}</p> })}
                    <ul class="sessions">
                        {d.sessions.iter().map(|s| view! {
                            <li class="small-text">
                                <span>{s.user_agent.clone().unwrap_or_default()}</span>
                                <span class="muted">" · "{when(s.last_used_at)}</span>
                                {(s.sockets > 0).then(|| view! { <span class="tag">{t!(i18n, admin.online)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    <Show when=move || can_act.get()>
                        <div class="person-actions">
                            <Show when=move || me.get().is_admin()>
                                <label class="inline-field">{t!(i18n, admin.role)}" "
                                    <select on:change=set_role>
                                        {Role::ALL.into_iter().map(|r| view! {
                                            <option value=wire_name(&r) selected=r == target_role>{move || role_text(i18n, r)}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                            </Show>
                            {if active {
                                view! { <button type="button" class="small danger" on:click=move |_| {
                                    if confirm(t_string!(i18n, admin.confirm_deactivate_plain).to_string()) { act("deactivate") }
                                }>{t!(i18n, admin.deactivate)}</button> }.into_any()
                            } else {
                                view! { <button type="button" class="small" on:click=move |_| act("reactivate")>{t!(i18n, admin.reactivate)}</button> }.into_any()
                            }}
                            <button type="button" class="small" on:click=move |_| act("logout")>{t!(i18n, admin.force_logout)}</button>
                            <Show when=move || me.get().is_admin()>
                                <button type="button" class="small" on:click=reset>{t!(i18n, admin.reset_password)}</button>
                            </Show>
                        </div>
                        <form class="remove-range" on:submit=remove>
                            <h3>{t!(i18n, admin.remove_range)}</h3>
                            <label>{t!(i18n, admin.from_utc)}" "
                                <input type="datetime-local" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                            </label>
                            <label>{t!(i18n, admin.to_utc)}" "
                                <input type="datetime-local" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                            </label>
                            <button type="submit" class="small danger">{t!(i18n, admin.remove_messages)}</button>
                        </form>
                    </Show>
                }
            })}
            {move || done.get().map(|t| view! { <p class="notice" role="status">{t}</p> })}
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button type="button" on:click=move |_| close.run(())>{t!(i18n, app.close)}</button>
            </div>
        </crate::components::dialog::Dialog>
    }
}
