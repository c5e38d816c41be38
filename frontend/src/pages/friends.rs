//! `/friends`: friend requests (accept, reject, later; cancel mine), my friends with their
//! presence, and finding people to add. Also the prompt that shows waiting requests at
//! every login until they are answered.

use crate::{
    client::ApiError,
    client::friends,
    components::form::Notice,
    components::presence::last_seen_text,
    i18n::*,
    pages::chat::{PresenceDot, message_person, presence_label},
    state::chat::{Chat, use_chat},
    text::error_text,
};
use api::{
    UserId,
    friends::{
        BlockedUser, Friend, FriendRequest, Presence, Relation, RequestResult, SendFriendRequest,
        UserCard,
    },
};
use leptos::{prelude::*, task::spawn_local};

/// Accepts or rejects a request from `from`, then refreshes what it changes.
fn answer(chat: Chat, from: UserId, accept: bool, error: RwSignal<Option<ApiError>>) {
    spawn_local(async move {
        match friends::answer(chat.session, from, accept).await {
            Ok(_) => {
                chat.friends.reload_requests();
                chat.friends.reload_friends();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// A request to me, with its greeting and the two answers.
#[component]
fn IncomingRequest(request: FriendRequest, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let from = request.from.id;
    view! {
        <li class="person request">
            <span class="person-name">{request.from.name().to_owned()}</span>
            {request.greeting.map(|g| view! { <q class="greeting">{g}</q> })}
            <span class="actions">
                <button type="button" class="primary small" on:click=move |_| answer(chat, from, true, error)>{t!(i18n, contacts.accept)}</button>
                <button type="button" class="small" on:click=move |_| answer(chat, from, false, error)>{t!(i18n, contacts.reject)}</button>
            </span>
        </li>
    }
}

#[component]
pub fn FriendsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="friends-page">
            <h1>{t!(i18n, contacts.friends_title)}</h1>
            <Requests/>
            <AddFriend/>
            <FriendList/>
            <BlockedList/>
        </div>
    }
}

#[component]
fn Requests() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let error = RwSignal::new(None::<ApiError>);
    let requests = chat.friends.requests;
    view! {
        <section class="card" aria-labelledby="requests-title">
            <h2 id="requests-title">{t!(i18n, contacts.requests)}</h2>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <Show when=move || requests.with(|r| r.incoming.is_empty() && r.outgoing.is_empty())>
                <p class="muted">{t!(i18n, contacts.no_requests)}</p>
            </Show>
            <ul class="people">
                <For each=move || requests.get().incoming key=|r| (r.from.id, r.updated_at) let:request>
                    <IncomingRequest request error/>
                </For>
                <For each=move || requests.get().outgoing key=|r| (r.to.id, r.updated_at) let:request>
                    <li class="person request">
                        <span class="person-name">{request.to.name().to_owned()}</span>
                        <span class="muted small-text">{t!(i18n, contacts.waiting)}</span>
                        <span class="actions">
                            <button type="button" class="small" on:click=move |_| {
                                let to = request.to.id;
                                spawn_local(async move {
                                    match friends::withdraw(chat.session, to).await {
                                        Ok(()) => chat.friends.reload_requests(),
                                        Err(e) => error.set(Some(e)),
                                    }
                                });
                            }>{t!(i18n, contacts.cancel)}</button>
                        </span>
                    </li>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn AddFriend() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let query = RwSignal::new(String::new());
    let greeting = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<UserCard>::new());
    let searched = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        error.set(None);
        spawn_local(async move {
            match friends::search(chat.session, &q).await {
                Ok(found) => {
                    results.set(found);
                    searched.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let ask = move |user_id: UserId| {
        let greeting = greeting.get_untracked();
        spawn_local(async move {
            let body = SendFriendRequest {
                user_id,
                greeting: (!greeting.trim().is_empty()).then_some(greeting),
            };
            match friends::ask(chat.session, &body).await {
                Ok(result) => {
                    let relation = match result {
                        RequestResult::Sent { .. } => Relation::RequestSent,
                        RequestResult::Accepted { .. } => Relation::Friend,
                    };
                    results.update(|r| {
                        if let Some(card) = r.iter_mut().find(|c| c.user.id == user_id) {
                            card.relation = relation;
                        }
                    });
                    chat.friends.reload_requests();
                    chat.friends.reload_friends();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="add-title">
            <h2 id="add-title">{t!(i18n, contacts.add_friend)}</h2>
            <form class="search" on:submit=search>
                <label for="people-query" class="visually-hidden">{t!(i18n, contacts.search_label)}</label>
                <input id="people-query" type="search" bind:value=query minlength="1"
                    placeholder=move || t_string!(i18n, contacts.search_label)/>
                <button type="submit" class="primary">{t!(i18n, contacts.search)}</button>
            </form>
            <div class="field">
                <label for="greeting">{t!(i18n, contacts.greeting)}</label>
                <input id="greeting" type="text" maxlength=api::rules::GREETING_MAX bind:value=greeting/>
            </div>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <Show when=move || searched.get() && results.with(Vec::is_empty)>
                <p class="muted">{t!(i18n, contacts.nobody_found)}</p>
            </Show>
            <ul class="people">
                <For each=move || results.get() key=|c| (c.user.id, c.relation) let:card>
                    <li class="person">
                        <span class="person-name">{card.user.name().to_owned()}</span>
                        <span class="muted small-text">"@"{card.user.username.clone()}" · "{move || t_string!(i18n, contacts.user_number)}" "{card.user.id.to_string()}</span>
                        <span class="actions">{move || match live_relation(chat, card.user.id, card.relation) {
                            Relation::None => view! {
                                <button type="button" class="primary small" on:click=move |_| ask(card.user.id)>{t!(i18n, contacts.add)}</button>
                            }.into_any(),
                            Relation::RequestReceived => view! {
                                <button type="button" class="primary small" on:click=move |_| ask(card.user.id)>{t!(i18n, contacts.accept)}</button>
                            }.into_any(),
                            Relation::RequestSent => view! { <span class="muted small-text">{t!(i18n, contacts.request_sent)}</span> }.into_any(),
                            Relation::Friend => view! { <span class="muted small-text">{t!(i18n, contacts.already_friend)}</span> }.into_any(),
                            Relation::Blocked => view! { <span class="muted small-text">{t!(i18n, contacts.blocked)}</span> }.into_any(),
                            Relation::Me => view! { <span class="muted small-text">{t!(i18n, contacts.you)}</span> }.into_any(),
                        }}</span>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// Where I stand with someone found by a search, following the changes since (an answer,
/// a withdrawn request, a removed or blocked friend).
fn live_relation(chat: Chat, user: UserId, found: Relation) -> Relation {
    if chat
        .friends
        .friends
        .with(|f| f.iter().any(|f| f.user.id == user))
    {
        return Relation::Friend;
    }
    let (sent, received) = chat.friends.requests.with(|r| {
        (
            r.outgoing.iter().any(|x| x.to.id == user),
            r.incoming.iter().any(|x| x.from.id == user),
        )
    });
    match found {
        _ if sent => Relation::RequestSent,
        _ if received => Relation::RequestReceived,
        // It was so when searched, and is no longer.
        Relation::Friend | Relation::RequestSent | Relation::RequestReceived => Relation::None,
        other => other,
    }
}

#[component]
fn FriendList() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let error = RwSignal::new(None::<ApiError>);
    // Presence from the one map the socket keeps; online first, then away, then offline.
    let friends = Memo::new(move |_| {
        let mut list = chat.friends.friends.get();
        chat.presence.with(|p| {
            for f in &mut list {
                if let Some(now) = p.get(&f.user.id) {
                    f.presence = now.clone();
                }
            }
        });
        api::friends::sort_friends(&mut list);
        list
    });
    view! {
        <section class="card" aria-labelledby="friends-title">
            <h2 id="friends-title">{t!(i18n, contacts.friends)}</h2>
            <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
            <Show when=move || friends.with(Vec::is_empty)>
                <p class="muted">{t!(i18n, contacts.no_friends)}</p>
            </Show>
            <ul class="people">
                <For each=move || friends.get() key=|f| (f.user.id, f.presence.status) let:friend>
                    <FriendItem friend error/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn FriendItem(friend: Friend, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let id = friend.user.id;
    let status = friend.presence.status;
    let remove = move |block: bool| {
        spawn_local(async move {
            let result = if block {
                friends::block(chat.session, id).await
            } else {
                friends::remove(chat.session, id).await
            };
            match result {
                Ok(()) => chat.friends.reload_friends(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let confirm = move |question: String| {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(false)
    };
    let name = friend.user.name().to_owned();
    let (name1, name2) = (name.clone(), name.clone());
    view! {
        <li class="person friend" data-presence=match status { Presence::Online => "online", Presence::Away => "away", Presence::Offline => "offline" }>
            <PresenceDot status/>
            <span class="person-name">{name}</span>
            <span class="muted small-text">{match status {
                Presence::Online | Presence::Away => presence_label(i18n, status).to_string(),
                Presence::Offline => friend.presence.last_seen_at.map(|at| last_seen_text(i18n, at))
                    .unwrap_or_else(|| t_string!(i18n, chat.offline).to_string()),
            }}</span>
            <span class="actions">
                <button type="button" class="primary small" on:click=move |_| message_person(chat, id, error)>{t!(i18n, contacts.message)}</button>
                <button type="button" class="small" on:click=move |_| {
                    if confirm(t_string!(i18n, contacts.confirm_remove, name = name1.clone()).to_string()) { remove(false) }
                }>{t!(i18n, contacts.remove)}</button>
                <button type="button" class="small danger" on:click=move |_| {
                    if confirm(t_string!(i18n, contacts.confirm_block, name = name2.clone()).to_string()) { remove(true) }
                }>{t!(i18n, contacts.block)}</button>
            </span>
        </li>
    }
}

/// The people I blocked, with a way back.
#[component]
fn BlockedList() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let error = RwSignal::new(None::<ApiError>);
    let blocked = RwSignal::new(Vec::<BlockedUser>::new());
    let reload = move || {
        spawn_local(async move {
            if let Ok(list) = friends::blocks(chat.session).await {
                blocked.set(list);
            }
        });
    };
    reload();
    // A block made in the list above shows here too.
    Effect::new(move |_| {
        chat.friends.friends.track();
        reload();
    });
    view! {
        <Show when=move || !blocked.with(Vec::is_empty)>
            <section class="card" aria-labelledby="blocked-title">
                <h2 id="blocked-title">{t!(i18n, contacts.blocked_title)}</h2>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <ul class="people">
                    <For each=move || blocked.get() key=|b| b.user.id let:item>
                        <li class="person">
                            <span class="person-name">{item.user.name().to_owned()}</span>
                            <span class="actions">
                                <button type="button" class="small" on:click=move |_| {
                                    let id = item.user.id;
                                    spawn_local(async move {
                                        match friends::unblock(chat.session, id).await {
                                            Ok(()) => reload(),
                                            Err(e) => error.set(Some(e)),
                                        }
                                    });
                                }>{t!(i18n, contacts.unblock)}</button>
                            </span>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// Friend requests nobody answered yet, shown after every login until they are answered;
/// "later" hides them until the next login.
#[component]
pub fn RequestPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let error = RwSignal::new(None::<ApiError>);
    let friends = chat.friends;
    let shown = move || friends.incoming_count() > 0 && !friends.prompt_dismissed.get();
    view! {
        <Show when=shown>
            <div class="request-prompt" role="dialog" aria-labelledby="prompt-title">
                <h2 id="prompt-title">{move || t_string!(i18n, contacts.prompt_title, count = friends.incoming_count())}</h2>
                <Notice text=Signal::derive(move || error.get().map(|e| error_text(i18n, &e)))/>
                <ul class="people">
                    <For each=move || friends.requests.get().incoming key=|r| (r.from.id, r.updated_at) let:request>
                        <IncomingRequest request error/>
                    </For>
                </ul>
                <button type="button" class="link" on:click=move |_| friends.prompt_dismissed.set(true)>{t!(i18n, contacts.later)}</button>
            </div>
        </Show>
    }
}
