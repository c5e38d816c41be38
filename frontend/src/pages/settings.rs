//! Settings in one place: profile and privacy, password, notifications, language and
//! theme. `/settings/:section`.

use crate::{
    components::header::{LanguageSwitch, ThemeToggle},
    i18n::*,
    pages::{password::PasswordPage, profile::ProfilePage},
    state::attention::use_attention,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Profile,
    Password,
    Notifications,
    Appearance,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::Profile,
        Section::Password,
        Section::Notifications,
        Section::Appearance,
    ];

    fn slug(self) -> &'static str {
        match self {
            Section::Profile => "profile",
            Section::Password => "password",
            Section::Notifications => "notifications",
            Section::Appearance => "appearance",
        }
    }

    fn from_slug(slug: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| Some(s.slug()) == slug)
            .unwrap_or(Section::Profile)
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let section = Memo::new(move |_| Section::from_slug(params.read().get("section").as_deref()));
    let name = move |s: Section| match s {
        Section::Profile => t_string!(i18n, settings.profile),
        Section::Password => t_string!(i18n, settings.password),
        Section::Notifications => t_string!(i18n, settings.notifications),
        Section::Appearance => t_string!(i18n, settings.appearance),
    };
    view! {
        <div class="settings">
            <nav class="settings-nav" aria-label=move || t_string!(i18n, settings.title)>
                <h1>{t!(i18n, settings.title)}</h1>
                <ul>
                    {Section::ALL.into_iter().map(|s| view! {
                        <li>
                            <A href=crate::app::Page::Settings(Some(s.slug())).path()
                                attr:aria-current=move || (section.get() == s).then_some("page")>
                                {move || name(s)}
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="settings-body">
                {move || match section.get() {
                    Section::Profile => view! { <ProfilePage/> }.into_any(),
                    Section::Password => view! { <PasswordPage/> }.into_any(),
                    Section::Notifications => view! { <Notifications/> }.into_any(),
                    Section::Appearance => view! { <Appearance/> }.into_any(),
                }}
            </div>
        </div>
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let attention = use_attention();
    view! {
        <section class="card">
            <h2>{t!(i18n, settings.notifications)}</h2>
            <p class="muted">{t!(i18n, settings.notifications_intro)}</p>
            <label class="check">
                <input type="checkbox" id="notify-desktop" prop:checked=move || attention.notify.get()
                    on:change=move |ev| attention.set_notify(event_target_checked(&ev))/>
                " "{t!(i18n, settings.desktop_notifications)}
            </label>
            <Show when=move || { attention.notify.track(); attention.notify_denied() }>
                <p class="error-text">{t!(i18n, settings.notifications_denied)}</p>
            </Show>
            <label class="check">
                <input type="checkbox" id="notify-sound" prop:checked=move || attention.sound.get()
                    on:change=move |ev| attention.sound.set(event_target_checked(&ev))/>
                " "{t!(i18n, settings.sound)}
            </label>
            <p class="muted small-text">{t!(i18n, settings.mute_hint)}</p>
        </section>
    }
}

#[component]
fn Appearance() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{t!(i18n, settings.appearance)}</h2>
            <div class="setting-row">
                <span>{t!(i18n, app.language)}</span>
                <LanguageSwitch/>
            </div>
            <div class="setting-row">
                <span>{t!(i18n, settings.theme)}</span>
                <ThemeToggle/>
            </div>
        </section>
    }
}
