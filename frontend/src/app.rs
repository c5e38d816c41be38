//! The shell: contexts, the top bar, and the route table.

use crate::{
    components::header::Header,
    i18n::*,
    pages::{
        GuestOnly, Home, NotFound, RequireLogin,
        chat::ChatPage,
        friends::{FriendsPage, RequestPrompt},
        login::LoginPage,
        register::RegisterPage,
        settings::SettingsPage,
    },
    state::{
        attention::{self, Attention},
        chat::Chat,
        session::Session,
        theme,
    },
    ws,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path,
};
use std::time::Duration;

#[component]
pub fn App() -> impl IntoView {
    // The language choice is remembered for the whole site for a year (the library's
    // default cookie is scoped to the page's path and ends with the browser session).
    let cookie = leptos_i18n::context::CookieOptions::<Locale>::default()
        .path("/")
        .max_age(365 * 24 * 60 * 60 * 1000_i64);
    view! {
        <I18nContextProvider cookie_options=cookie>
            <Shell/>
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let session = Session::provide();
    theme::provide();
    let attention = Attention::provide();
    crate::components::profile_card::ProfileCards::provide();
    let chat = Chat::provide(session, attention);
    // The unread total in the tab title and on the favicon.
    Effect::new(move |_| attention::show_unread(chat.unread_total()));
    // The socket lives exactly as long as a login (this effect talks to the network).
    let logged_in = session.logged_in();
    Effect::new(move |_| {
        if logged_in.get() {
            ws::start(chat);
            chat.reload_rooms();
        } else {
            ws::stop();
            chat.friends.clear();
            chat.unread.clear();
            chat.rooms.set(Vec::new());
            chat.conversation.pending.set(Vec::new());
            chat.cursors.set_value(Default::default());
        }
    });
    // Expiring "is typing" lines and recall buttons need a clock; unsent messages are
    // retried on it too (same client id, so never twice).
    let _ = set_interval_with_handle(
        move || {
            chat.tick.update(|t| *t += 1);
            if chat.tick.get_untracked().is_multiple_of(5) && logged_in.get_untracked() {
                chat.conversation.retry_pending();
                ws::check_idle();
            }
        },
        Duration::from_secs(1),
    );
    // Any input means the person is here (for presence: away after 5 minutes without).
    ws::active();
    for event in ["keydown", "pointerdown", "pointermove", "wheel", "focus"] {
        let _ = window_event_listener_untyped(event, |_| ws::active());
    }
    view! {
        <Router>
            <Navigation/>
            <Header/>
            <crate::components::profile_card::ProfileCardHost/>
            <RequestPrompt/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=|| view! { <GuestOnly><LoginPage/></GuestOnly> }/>
                    <Route path=path!("/register") view=|| view! { <GuestOnly><RegisterPage/></GuestOnly> }/>
                    <Route path=path!("/forgot-password") view=|| view! { <GuestOnly><crate::pages::email::ForgotPage/></GuestOnly> }/>
                    <Route path=path!("/reset-password") view=crate::pages::email::ResetPage/>
                    <Route path=path!("/rooms") view=|| view! { <RequireLogin><ChatPage/></RequireLogin> }/>
                    <Route path=path!("/rooms/:room_id/:post_id") view=|| view! { <RequireLogin><ChatPage/></RequireLogin> }/>
                    <Route path=path!("/friends") view=|| view! { <RequireLogin><FriendsPage/></RequireLogin> }/>
                    <Route path=path!("/settings") view=|| view! { <RequireLogin><SettingsPage/></RequireLogin> }/>
                    <Route path=path!("/settings/:section") view=|| view! { <RequireLogin><SettingsPage/></RequireLogin> }/>
                    <Route path=path!("/admin") view=|| view! { <RequireLogin><AdminConsole/></RequireLogin> }/>
                    <Route path=path!("/admin/:section") view=|| view! { <RequireLogin><AdminConsole/></RequireLogin> }/>
                    <Route path=path!("/me") view=|| view! { <Redirect path="/settings"/> }/>
                    <Route path=path!("/me/password") view=|| view! { <Redirect path="/settings/password"/> }/>
                </Routes>
            </main>
        </Router>
    }
}

/// Goes to a path inside the app.
type Navigate = Box<dyn Fn(&str)>;

thread_local! {
    /// The router's navigation, for what happens outside any page (a notification click).
    static NAVIGATE: std::cell::RefCell<Option<Navigate>> = const { std::cell::RefCell::new(None) };
}

/// Every screen of the app: links and navigation name a `Page`, and its address is made
/// here only (the route table above matches the same addresses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    Register,
    /// The chat screen with no conversation open.
    Chats,
    /// A room's topic, or a private chat.
    Conversation(api::RoomId, api::PostId),
    Friends,
    /// The settings, at a section (`profile`, `password`, `notifications`, `appearance`).
    Settings(Option<&'static str>),
    /// The admin console, at a section (`dashboard`, `reports`, `people`, …).
    Admin(Option<&'static str>),
}

impl Page {
    pub fn path(self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Login => "/login".into(),
            Page::Register => "/register".into(),
            Page::Chats => "/rooms".into(),
            Page::Conversation(room, post) => format!("/rooms/{room}/{post}"),
            Page::Friends => "/friends".into(),
            Page::Settings(None) => "/settings".into(),
            Page::Settings(Some(section)) => format!("/settings/{section}"),
            Page::Admin(None) => "/admin".into(),
            Page::Admin(Some(section)) => format!("/admin/{section}"),
        }
    }
}

/// Goes to `page` inside the app (no page load).
pub fn go(page: Page) {
    let path = page.path();
    NAVIGATE.with(|n| {
        if let Some(navigate) = n.borrow().as_ref() {
            navigate(&path);
        }
    });
}

/// Lends the router's navigation to `go`.
#[component]
fn Navigation() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    NAVIGATE.with(|n| {
        *n.borrow_mut() = Some(Box::new(move |path: &str| {
            navigate(path, Default::default())
        }))
    });
}

/// The admin console, in the build that has it (`--features admin`, served under
/// `/admin`).
#[cfg(feature = "admin")]
#[component]
fn AdminConsole() -> impl IntoView {
    view! { <crate::pages::admin::AdminPage/> }
}

/// In the app most people load, `/admin` reached without a page load (history, a link
/// inside the app) loads the page again: the server answers it with the console's build.
#[cfg(not(feature = "admin"))]
#[component]
fn AdminConsole() -> impl IntoView {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
    view! { <p class="muted">{t!(use_i18n(), app.loading)}</p> }
}
