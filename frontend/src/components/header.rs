//! The top bar: the name, navigation, language and theme.

use crate::{
    app::Page,
    i18n::*,
    state::{
        chat::use_chat,
        session::use_session,
        theme::{Theme, use_theme},
    },
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let logged_in = session.logged_in();
    let friends = use_chat().friends;
    let waiting = move || friends.incoming_count();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session.logout().await;
            navigate(&Page::Login.path(), Default::default());
        });
    };
    // On a phone the links and tools fold into a menu; it closes on a pick, Escape, or a
    // tap anywhere else.
    let menu_open = RwSignal::new(false);
    let header = NodeRef::<leptos::html::Header>::new();
    let _ = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let inside = header
            .get_untracked()
            .zip(ev.target())
            .is_some_and(|(h, t)| {
                use wasm_bindgen::JsCast as _;
                t.dyn_ref::<web_sys::Node>()
                    .is_some_and(|n| h.contains(Some(n)))
            });
        if !inside && menu_open.get_untracked() {
            menu_open.set(false);
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && !ev.default_prevented() && menu_open.get_untracked() {
            ev.prevent_default();
            menu_open.set(false);
        }
    });
    view! {
        <header class="topbar" node_ref=header>
            <A href=Page::Home.path() attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"茶"</span>
                <span>{t!(i18n, app.name)}</span>
            </A>
            <button type="button" class="icon-button menu-toggle" aria-controls="main-menu"
                aria-expanded=move || menu_open.get().to_string()
                aria-label=move || t_string!(i18n, app.menu)
                on:click=move |_| menu_open.update(|o| *o = !*o)>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path d="M4 7h16M4 12h16M4 17h16" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </svg>
                {move || (waiting() > 0).then(|| view! { <span class="menu-dot" aria-hidden="true"></span> })}
            </button>
            <div id="main-menu" class="menu" class:open=move || menu_open.get()
                on:click=move |ev| {
                    use wasm_bindgen::JsCast as _;
                    let picked = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| e.closest("a, button.link").ok().flatten().is_some());
                    if picked { menu_open.set(false); }
                }>
            <nav aria-label=move || t_string!(i18n, app.main_nav)>
                <Show
                    when=move || logged_in.get()
                    fallback=move || view! {
                        <A href=Page::Login.path()>{t!(i18n, nav.login)}</A>
                        <A href=Page::Register.path()>{t!(i18n, nav.register)}</A>
                    }
                >
                    <A href=Page::Chats.path()>{t!(i18n, nav.rooms)}</A>
                    <A href=Page::Friends.path()>
                        {t!(i18n, nav.friends)}
                        {move || (waiting() > 0).then(|| view! {
                            <span class="badge" aria-label=move || t_string!(i18n, contacts.prompt_title, count = waiting())>{waiting()}</span>
                        })}
                    </A>
                    <A href=Page::Settings(None).path()>{t!(i18n, nav.settings)}</A>
                    // The console is a bundle of its own (`/admin`): a full page load.
                    <Show when=move || session.role().get().is_staff()>
                        <a href=Page::Admin(None).path() rel="external">{t!(i18n, nav.admin)}</a>
                    </Show>
                    <button type="button" class="link" on:click=logout.clone()>{t!(i18n, nav.logout)}</button>
                </Show>
            </nav>
            <div class="tools">
                <LanguageSwitch/>
                <ThemeToggle/>
            </div>
            </div>
        </header>
    }
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        let locale = match event_target_value(&ev).as_str() {
            "zh-CN" => Locale::zh_CN,
            _ => Locale::en,
        };
        i18n.set_locale(locale);
    };
    view! {
        <select class="lang" aria-label=move || t_string!(i18n, app.language) on:change=on_change>
            <option value="en" selected=move || i18n.get_locale() == Locale::en>"English"</option>
            <option value="zh-CN" selected=move || i18n.get_locale() == Locale::zh_CN>"中文"</option>
        </select>
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let i18n = use_i18n();
    let theme = use_theme().0;
    let label = move || match theme.get() {
        Theme::Light => t_string!(i18n, app.to_dark),
        Theme::Dark => t_string!(i18n, app.to_light),
    };
    view! {
        <button
            type="button"
            class="icon-button"
            aria-label=label
            title=label
            on:click=move |_| theme.update(|t| *t = t.toggled())
        >
            <Show when=move || theme.get() == Theme::Light fallback=|| view! { <SunIcon/> }>
                <MoonIcon/>
            </Show>
        </button>
    }
}

#[component]
fn MoonIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path fill="currentColor" d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/>
        </svg>
    }
}

#[component]
fn SunIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="12" cy="12" r="4.5" fill="currentColor"/>
            <g stroke="currentColor" stroke-width="2" stroke-linecap="round">
                <path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1"/>
            </g>
        </svg>
    }
}
