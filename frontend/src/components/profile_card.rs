//! Anyone's profile card, opened by clicking a name or an avatar anywhere: avatar, name,
//! bio, location, gender, zodiac, presence and last seen, with message, add friend and
//! block.

use crate::{
    app::Page,
    client::{ApiError, friends, users},
    components::{
        dialog::Dialog,
        files::Avatar,
        presence::{PresenceDot, last_seen_text, presence_label},
    },
    i18n::*,
    pages::profile::{gender_label, zodiac_label},
    state::chat::use_chat,
    text::error_text,
};
use api::{
    UserId,
    friends::{Presence, SendFriendRequest},
    users::{Gender, Zodiac},
};
use leptos::{prelude::*, task::spawn_local};

/// Whose card is open.
#[derive(Clone, Copy)]
pub struct ProfileCards(RwSignal<Option<UserId>>);

impl ProfileCards {
    pub fn provide() -> Self {
        let cards = Self(RwSignal::new(None));
        provide_context(cards);
        cards
    }
}

/// Where the open card is drawn (once, in the shell).
#[component]
pub fn ProfileCardHost() -> impl IntoView {
    let cards = expect_context::<ProfileCards>();
    move || {
        cards.0.get().map(|id| {
            view! { <ProfileCard id close=Callback::new(move |_| cards.0.set(None))/> }
        })
    }
}

/// A name or avatar that opens its person's card.
#[component]
pub fn PersonButton(id: UserId, children: Children) -> impl IntoView {
    let cards = use_context::<ProfileCards>();
    view! {
        <button type="button" class="person-button" on:click=move |_| {
            if let Some(cards) = cards { cards.0.set(Some(id)); }
        }>{children()}</button>
    }
}

#[component]
fn ProfileCard(id: UserId, close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let asked = RwSignal::new(false);
    let user = LocalResource::new(move || async move { users::profile(chat.session, id).await });
    let me = chat.me() == Some(id);
    let status = move || chat.status(id);
    let friend = move || {
        chat.friends
            .friends
            .with(|f| f.iter().find(|f| f.user.id == id).cloned())
    };
    let title = Signal::derive(move || {
        user.get()
            .and_then(|u| u.ok())
            .map(|u| u.profile.display_name.clone().unwrap_or(u.username))
            .unwrap_or_default()
    });
    let message = move |_| {
        spawn_local(async move {
            match crate::pages::chat::open_private_chat(chat, id).await {
                Ok(()) => close.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add = move |_| {
        spawn_local(async move {
            let body = SendFriendRequest {
                user_id: id,
                greeting: None,
            };
            match friends::ask(chat.session, &body).await {
                Ok(_) => {
                    asked.set(true);
                    chat.friends.reload_requests();
                    chat.friends.reload_friends();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let block = move |_| {
        let question =
            t_string!(i18n, contacts.confirm_block, name = title.get_untracked()).to_string();
        let yes = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(false);
        if !yes {
            return;
        }
        spawn_local(async move {
            match friends::block(chat.session, id).await {
                Ok(()) => {
                    chat.friends.reload();
                    close.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Dialog title close class="profile-dialog">
            {move || match user.get() {
                None => view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error-text">{error_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(u)) => {
                    let name = u.profile.display_name.clone().unwrap_or_else(|| u.username.clone());
                    let gender = u.profile.gender;
                    let zodiac = u.profile.zodiac;
                    view! {
                        <div class="person-card">
                            <Avatar id=u.id.0 name=name.clone() key=u.profile.avatar.clone() size=96/>
                            <div class="person-card-text">
                                <p class="muted">"@"<bdi>{u.username.clone()}</bdi></p>
                                <p class="presence-line">
                                    {move || view! { <PresenceDot status=status()/> }}
                                    <span>{move || presence_label(i18n, status())}</span>
                                    {move || (status() == Presence::Offline).then(|| chat.last_seen(id)).flatten().map(|at| view! { <span class="muted small-text">" · "{last_seen_text(i18n, at)}</span> })}
                                </p>
                            </div>
                        </div>
                        {u.profile.bio.clone().map(|bio| view! { <p class="bio" dir="auto">{bio}</p> })}
                        <dl class="facts">
                            {u.profile.location.clone().map(|l| view! { <dt>{t!(i18n, profile.location)}</dt><dd dir="auto">{l}</dd> })}
                            {(gender != Gender::Unspecified).then(|| view! { <dt>{t!(i18n, profile.gender)}</dt><dd>{gender_label(i18n, gender)}</dd> })}
                            {(zodiac != Zodiac::Unspecified).then(|| view! { <dt>{t!(i18n, profile.zodiac)}</dt><dd>{zodiac_label(i18n, zodiac)}</dd> })}
                        </dl>
                    }.into_any()
                }
            }}
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                {if me {
                    view! {
                        <a class="button small" href=Page::Settings(None).path() on:click=move |_| close.run(())>{t!(i18n, profile.edit_title)}</a>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="small danger" on:click=block>{t!(i18n, contacts.block)}</button>
                        <Show when=move || friend().is_none()>
                            <button type="button" class="small" disabled=move || asked.get() on:click=add>
                                {move || if asked.get() { t_string!(i18n, contacts.request_sent) } else { t_string!(i18n, contacts.add_friend) }}
                            </button>
                        </Show>
                        <button type="button" class="primary" autofocus on:click=message>{t!(i18n, contacts.message)}</button>
                    }.into_any()
                }}
            </div>
        </Dialog>
    }
}
