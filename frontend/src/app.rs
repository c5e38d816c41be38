//! The shell: contexts, the top bar, and the route table.

use crate::{
    components::header::Header,
    i18n::*,
    pages::{
        GuestOnly, Home, NotFound, RequireLogin, login::LoginPage, password::PasswordPage,
        profile::ProfilePage, register::RegisterPage,
    },
    state::{session::Session, theme},
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

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
    Session::provide();
    theme::provide();
    view! {
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=|| view! { <GuestOnly><LoginPage/></GuestOnly> }/>
                    <Route path=path!("/register") view=|| view! { <GuestOnly><RegisterPage/></GuestOnly> }/>
                    <Route path=path!("/me") view=|| view! { <RequireLogin><ProfilePage/></RequireLogin> }/>
                    <Route path=path!("/me/password") view=|| view! { <RequireLogin><PasswordPage/></RequireLogin> }/>
                </Routes>
            </main>
        </Router>
    }
}
