//! The shell: contexts, the top bar, and the route table.

use crate::{
    components::header::Header,
    i18n::*,
    pages::{
        GuestOnly, Home, NotFound, RequireLogin,
        chat::ChatPage,
        friends::{FriendsPage, RequestPrompt},
        login::LoginPage,
        password::PasswordPage,
        profile::ProfilePage,
        register::RegisterPage,
    },
    state::{chat::Chat, session::Session, theme},
    ws,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};
use std::time::Duration;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell/>
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let session = Session::provide();
    theme::provide();
    let chat = Chat::provide(session);
    // The socket lives exactly as long as a login (this effect talks to the network).
    let logged_in = session.logged_in();
    Effect::new(move |_| {
        if logged_in.get() {
            ws::start(chat);
            chat.reload_rooms();
        } else {
            ws::stop();
            chat.friends.clear();
            chat.rooms.set(Vec::new());
            chat.pending.set(Vec::new());
            chat.cursors.set_value(Default::default());
        }
    });
    // Expiring "is typing" lines and recall buttons need a clock; unsent messages are
    // retried on it too (same client id, so never twice).
    let _ = set_interval_with_handle(
        move || {
            chat.tick.update(|t| *t += 1);
            if chat.tick.get_untracked().is_multiple_of(5) && logged_in.get_untracked() {
                chat.retry_pending();
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
            <Header/>
            <RequestPrompt/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=|| view! { <GuestOnly><LoginPage/></GuestOnly> }/>
                    <Route path=path!("/register") view=|| view! { <GuestOnly><RegisterPage/></GuestOnly> }/>
                    <Route path=path!("/rooms") view=|| view! { <RequireLogin><ChatPage/></RequireLogin> }/>
                    <Route path=path!("/rooms/:room_id/:post_id") view=|| view! { <RequireLogin><ChatPage/></RequireLogin> }/>
                    <Route path=path!("/friends") view=|| view! { <RequireLogin><FriendsPage/></RequireLogin> }/>
                    <Route path=path!("/me") view=|| view! { <RequireLogin><ProfilePage/></RequireLogin> }/>
                    <Route path=path!("/me/password") view=|| view! { <RequireLogin><PasswordPage/></RequireLogin> }/>
                </Routes>
            </main>
        </Router>
    }
}
