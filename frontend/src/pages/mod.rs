//! Route-level screens.

#[cfg(feature = "admin")]
pub mod admin;
pub mod chat;
pub mod email;
pub mod friends;
pub mod login;
pub mod password;
pub mod profile;
pub mod register;
pub mod settings;

use crate::{app::Page, i18n::*, state::session::use_session};
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

/// `/`: where a person belongs right now.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    move || {
        if !session.ready.get() {
            view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any()
        } else if session.logged_in().get() {
            view! { <Redirect path=Page::Chats.path()/> }.into_any()
        } else {
            view! { <Redirect path=Page::Login.path()/> }.into_any()
        }
    }
}

/// Shows `children` to a logged-in person; sends everyone else to the login page.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let logged_in = session.logged_in();
    // A password staff handed over is replaced first (the settings' password page asks).
    // What to show is a memo, so the page is built again only when that changes (not
    // when the flag clears on the password page itself).
    let location = leptos_router::hooks::use_location();
    let password_page = Page::Settings(Some("password")).path();
    let gate = Memo::new(move |_| {
        let temporary = session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.password_temporary));
        if logged_in.get() && temporary && location.pathname.get() != password_page {
            Gate::NewPassword
        } else if logged_in.get() {
            Gate::Open
        } else if session.ready.get() {
            Gate::Login
        } else {
            Gate::Loading
        }
    });
    move || match gate.get() {
        Gate::NewPassword => {
            view! { <Redirect path=Page::Settings(Some("password")).path()/> }.into_any()
        }
        Gate::Open => children().into_any(),
        Gate::Login => view! { <Redirect path=Page::Login.path()/> }.into_any(),
        Gate::Loading => view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    Loading,
    Login,
    NewPassword,
    Open,
}

/// Sends a logged-in person away from the login and registration pages.
#[component]
pub fn GuestOnly(children: ChildrenFn) -> impl IntoView {
    let logged_in = use_session().logged_in();
    move || {
        if logged_in.get() {
            view! { <Redirect path=Page::Chats.path()/> }.into_any()
        } else {
            children().into_any()
        }
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <h1>"404"</h1>
            <p>{t!(i18n, app.not_found)}</p>
            <A href=Page::Home.path()>{t!(i18n, app.go_home)}</A>
        </section>
    }
}
