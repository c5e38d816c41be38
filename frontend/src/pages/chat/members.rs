//! The member panel: who is here, roles, join requests, leaving and deleting the room.

use super::{dialogs::EditRoomDialog, message_person};
use crate::components::{presence::PresenceDot, profile_card::PersonButton};
use crate::{
    app::Page,
    client::ApiError,
    client::rooms,
    components::{files::Avatar, form::Notice},
    i18n::*,
    state::chat::use_chat,
    state::conversation::use_conversation,
    text::error_text,
};
use api::{
    RoomId, UserId,
    friends::{Presence, SendFriendRequest},
    rooms::{Member, RoomRole},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

#[component]
pub fn MembersPanel(room: RoomId, my_role: Signal<RoomRole>, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(false);
    let sent = RwSignal::new(Vec::<UserId>::new());
    let navigate = use_navigate();
    let members = move || {
        let mut list: Vec<(Member, Presence)> = convo
            .members
            .get()
            .into_iter()
            .map(|m| {
                let status = chat.status(m.user.id);
                (m, status)
            })
            .collect();
        list.sort_by(|(a, a_on), (b, b_on)| api::rooms::member_order(a, *a_on, b, *b_on));
        list
    };
    // A new role for a member, or (None) their removal.
    let act = move |user: UserId, role: Option<RoomRole>| {
        spawn_local(async move {
            let result = match role {
                Some(role) => rooms::set_role(chat.session, room, user, role).await,
                None => rooms::remove_member(chat.session, room, user).await,
            };
            match result {
                Ok(()) => convo.reload_members(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let leave = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match rooms::leave(chat.session, room).await {
                Ok(()) => {
                    chat.reload_rooms();
                    navigate(&Page::Chats.path(), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete_room = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, chat.confirm_delete))
                    .ok()
            })
            .unwrap_or(false);
        if confirmed {
            spawn_local(async move {
                if let Err(e) = rooms::delete(chat.session, room).await {
                    error.set(Some(e));
                }
            });
        }
    };
    view! {
        <aside class="members drawer" aria-label=move || t_string!(i18n, chat.members)>
            <div class="drawer-head">
                <h2>{t!(i18n, chat.members)}</h2>
                <button type="button" class="icon-button drawer-close" aria-label=move || t_string!(i18n, chat.close)
                    on:click=move |_| close.run(())>"✕"</button>
            </div>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <ul>
                {move || members().into_iter().map(|(m, status)| {
                    let user = m.user.id;
                    let role = m.role;
                    let is_me = chat.me() == Some(user);
                    let member_name = StoredValue::new(m.user.name().to_owned());
                    let silenced = m
                        .silenced_until
                        .is_some_and(|until| until > time::OffsetDateTime::now_utc());
                    view! {
                        <li class="member">
                            <div class="member-line">
                                <PresenceDot status/>
                                <PersonButton id=user>
                                    <Avatar id=user.0 name=m.user.name().to_owned() key=m.user.avatar.clone() size=24/>
                                    <bdi class="member-name" title=m.user.name().to_owned()>{m.user.name().to_owned()}</bdi>
                                </PersonButton>
                                <span class="role">{move || match role {
                                    RoomRole::Owner => t_string!(i18n, chat.role_owner),
                                    RoomRole::Admin => t_string!(i18n, chat.role_admin),
                                    RoomRole::Member => "",
                                }}</span>
                                {silenced.then(|| view! { <span class="silenced-mark" title=move || t_string!(i18n, chat.silenced)>{move || t_string!(i18n, chat.silenced)}</span> })}
                            </div>
                            <div class="member-actions">
                            <Show when=move || !is_me>
                                <button type="button" class="link tiny" title=move || t_string!(i18n, contacts.message)
                                    on:click=move |_| message_person(chat, user, error)>{t!(i18n, contacts.message)}</button>
                                <Show when=move || !chat.friends.friends.with(|f| f.iter().any(|f| f.user.id == user))>
                                    <button type="button" class="link tiny" on:click=move |_| {
                                        spawn_local(async move {
                                            let body = SendFriendRequest { user_id: user, greeting: None };
                                            match crate::client::friends::ask(chat.session, &body).await {
                                                Ok(_) => { chat.friends.reload_requests(); chat.friends.reload_friends(); sent.update(|s| s.push(user)); }
                                                Err(e) => error.set(Some(e)),
                                            }
                                        });
                                    }>{move || if sent.with(|s| s.contains(&user)) { t_string!(i18n, contacts.request_sent) } else { t_string!(i18n, contacts.add_friend) }}</button>
                                </Show>
                            </Show>
                            <Show when=move || !is_me && my_role.get().can_set_role_of(role)>
                                <button type="button" class="link tiny" on:click=move |_| act(user, Some(if role == RoomRole::Admin { RoomRole::Member } else { RoomRole::Admin }))>
                                    {move || if role == RoomRole::Admin { t_string!(i18n, chat.make_member) } else { t_string!(i18n, chat.make_admin) }}
                                </button>
                            </Show>
                            <Show when=move || !is_me && my_role.get().can_remove(role)>
                                <button type="button" class="link tiny" on:click={
                                    let name = member_name.get_value();
                                    move |_| {
                                        let question = t_string!(i18n, chat.confirm_transfer, name = name.clone()).to_string();
                                        let yes = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
                                        if yes {
                                            spawn_local(async move {
                                                let _body = api::rooms::TransferRoom { user_id: user };
                                                match rooms::transfer(chat.session, room, user).await {
                                                    Ok(()) => { chat.reload_rooms(); convo.reload_members(); }
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            });
                                        }
                                    }
                                }>
                                    {move || t_string!(i18n, chat.make_owner)}
                                </button>
                            </Show>
                            <Show when={ move || !is_me && (my_role.get() > role) }>
                                {if silenced {
                                    view! {
                                        <button type="button" class="link tiny" on:click=move |_| {
                                            spawn_local(async move {
                                                match rooms::unsilence(chat.session, room, user).await {
                                                    Ok(()) => convo.reload_members(),
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            });
                                        }>{move || t_string!(i18n, chat.unsilence)}</button>
                                    }.into_any()
                                } else {
                                    view! {
                                        <select class="silence" aria-label=move || t_string!(i18n, chat.silence_for) on:change=move |ev| {
                                            let seconds: u64 = event_target_value(&ev).parse().unwrap_or(0);
                                            if seconds > 0 {
                                                spawn_local(async move {
                                                    match rooms::silence(chat.session, room, user, seconds).await {
                                                        Ok(()) => convo.reload_members(),
                                                        Err(e) => error.set(Some(e)),
                                                    }
                                                });
                                            }
                                        }>
                                            <option value="0" selected>{move || t_string!(i18n, chat.silence_for)}</option>
                                            <option value="600">{move || t_string!(i18n, chat.silence_10_min)}</option>
                                            <option value="3600">{move || t_string!(i18n, chat.silence_1_hour)}</option>
                                            <option value="86400">{move || t_string!(i18n, chat.silence_1_day)}</option>
                                        </select>
                                    }.into_any()
                                }}
                                <button type="button" class="link tiny danger" on:click={
                                    let name = member_name.get_value();
                                    move |_| {
                                        let question = t_string!(i18n, chat.confirm_ban, name = name.clone()).to_string();
                                        if web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false) {
                                            spawn_local(async move {
                                                match rooms::ban(chat.session, room, user).await {
                                                    Ok(()) => convo.reload_members(),
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            });
                                        }
                                    }
                                }>{move || t_string!(i18n, chat.ban)}</button>
                                <button type="button" class="link tiny danger" on:click={
                                    let name = member_name.get_value();
                                    move |_| {
                                        let question = t_string!(i18n, chat.confirm_remove_member, name = name.clone()).to_string();
                                        if web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false) {
                                            act(user, None);
                                        }
                                    }
                                }>
                                    {move || t_string!(i18n, chat.remove_member)}
                                </button>
                            </Show>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when={ move || my_role.get().can_moderate() }>
                <JoinRequests room/>
            </Show>
            <div class="members-foot">
                <Show when={ move || my_role.get().can_moderate() }>
                    <button type="button" class="small" on:click=move |_| editing.set(true)>{t!(i18n, chat.edit_room)}</button>
                </Show>
                <Show when=move || !my_role.get().is_owner() fallback=move || view! {
                    <button type="button" class="small danger" on:click=delete_room>{t!(i18n, chat.delete_room)}</button>
                }>
                    <button type="button" class="small" on:click=leave.clone()>{t!(i18n, chat.leave_room)}</button>
                </Show>
            </div>
        </aside>
        {move || editing.get().then(|| chat.rooms.with_untracked(|r| r.iter().find(|r| r.room.id == room).map(|r| r.room.clone()))).flatten().map(|r| view! {
            <EditRoomDialog room=r close=Callback::new(move |_| editing.set(false))/>
        })}
    }
}

#[component]
pub fn JoinRequests(room: RoomId) -> impl IntoView {
    let chat = use_chat();
    let convo = use_conversation();
    let i18n = use_i18n();
    let requests = LocalResource::new(move || async move {
        convo.members.track();
        rooms::join_requests(chat.session, room)
            .await
            .unwrap_or_default()
    });
    let answer = move |user: api::UserId, approve: bool| {
        spawn_local(async move {
            let _ = rooms::answer_request(chat.session, room, user, approve).await;
            requests.refetch();
        });
    };
    view! {
        {move || requests.get().filter(|r| !r.is_empty()).map(|list| view! {
            <h3>{t!(i18n, chat.requests)}</h3>
            <ul>
                {list.into_iter().map(|r| {
                    let user = r.user.id;
                    view! {
                        <li class="member">
                            <span class="member-name">{r.user.name().to_owned()}</span>
                            <span class="muted small-text">{r.message.unwrap_or_default()}</span>
                            <button type="button" class="link tiny" on:click=move |_| answer(user, true)>{t!(i18n, chat.approve)}</button>
                            <button type="button" class="link tiny danger" on:click=move |_| answer(user, false)>{t!(i18n, chat.decline)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
