//! The server's settings (admins): registration, the recall and edit windows, upload
//! limits, message and upload rates, the default language. Saved in the database and in
//! force at once.

use crate::{
    client::{ApiError, admin},
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text, from_wire_name, wire_name},
};
use api::{
    admin::{EditServerSettings, Language, ServerSettings},
    users::{RateLimit, RegistrationMode},
};
use leptos::{prelude::*, task::spawn_local};

const MB: u64 = 1024 * 1024;

#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let settings = RwSignal::new(None::<ServerSettings>);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    // The form's fields, as typed (minutes, megabytes, messages per minute).
    let registration = RwSignal::new(String::new());
    let recall_min = RwSignal::new(String::new());
    let edit_min = RwSignal::new(String::new());
    let upload_mb = RwSignal::new(String::new());
    let quota_mb = RwSignal::new(String::new());
    let msg_burst = RwSignal::new(String::new());
    let msg_per_min = RwSignal::new(String::new());
    let language = RwSignal::new(String::new());
    let verify_email = RwSignal::new(false);
    let fill = move |s: &ServerSettings| {
        verify_email.set(s.require_email_verification);
        registration.set(wire_name(&s.registration));
        recall_min.set((s.recall_window_secs / 60).to_string());
        edit_min.set((s.edit_window_secs / 60).to_string());
        upload_mb.set((s.max_upload_bytes / MB).to_string());
        quota_mb.set((s.quota_bytes / MB).to_string());
        msg_burst.set(s.message_rate.burst.to_string());
        msg_per_min.set(
            (60_000 / s.message_rate.refill_ms.max(1))
                .max(1)
                .to_string(),
        );
        language.set(wire_name(&s.default_language));
    };
    spawn_local(async move {
        match admin::settings(session).await {
            Ok(s) => {
                fill(&s);
                settings.set(Some(s));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u64>().ok();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let body = EditServerSettings {
            registration: Some(
                from_wire_name::<RegistrationModeWire>(&registration.get_untracked()).0,
            ),
            recall_window_secs: number(recall_min).map(|m| m * 60),
            edit_window_secs: number(edit_min).map(|m| m * 60),
            max_upload_bytes: number(upload_mb).map(|m| m * MB),
            quota_bytes: number(quota_mb).map(|m| m * MB),
            message_rate: number(msg_burst)
                .zip(number(msg_per_min))
                .map(|(burst, per_min)| RateLimit {
                    burst: burst.min(u64::from(u32::MAX)) as u32,
                    refill_ms: 60_000 / per_min.max(1),
                }),
            upload_rate: None,
            default_language: Some(from_wire_name::<Language>(&language.get_untracked())),
            // Only sent when it can be on (a server without mail refuses `true`).
            require_email_verification: settings
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.mail))
                .then(|| verify_email.get_untracked()),
        };
        spawn_local(async move {
            match admin::edit_settings(session, &body).await {
                Ok(s) => {
                    fill(&s);
                    settings.set(Some(s));
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let rotate = move |_| {
        spawn_local(async move {
            match admin::new_invite_code(session).await {
                Ok(s) => settings.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let problem = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.field(field))
                    .map(|c| field_text(i18n, c))
            })
        }
    };
    let invite_link = move || {
        settings.with(|s| {
            s.as_ref().map(|s| {
                let origin = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                format!("{origin}/register?invite={}", s.invite_code)
            })
        })
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.settings)}</h2>
            <p class="muted small-text">{t!(i18n, admin.settings_intro)}</p>
            <Show when=move || settings.with(Option::is_some) fallback=move || view! {
                {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            }>
                <form class="settings-form" on:submit=save>
                    <fieldset>
                        <legend>{t!(i18n, admin.registration)}</legend>
                        {[RegistrationMode::Open, RegistrationMode::Invite, RegistrationMode::Closed].into_iter().map(|m| {
                            let value = wire_name(&m);
                            let checked = value.clone();
                            view! {
                                <label class="check">
                                    <input type="radio" name="registration" prop:checked=move || registration.get() == checked
                                        on:change=move |_| registration.set(value.clone())/>
                                    " "{move || match m {
                                        RegistrationMode::Open => t_string!(i18n, admin.registration_open),
                                        RegistrationMode::Invite => t_string!(i18n, admin.registration_invite),
                                        RegistrationMode::Closed => t_string!(i18n, admin.registration_closed),
                                    }}
                                </label>
                            }
                        }).collect_view()}
                        <Show when=move || settings.with(|s| s.as_ref().is_some_and(|s| s.registration == RegistrationMode::Invite))>
                            <p class="small-text">{t!(i18n, admin.invite_code)}" "<code class="invite-code">{move || settings.with(|s| s.as_ref().map(|s| s.invite_code.clone()))}</code></p>
                            <p class="small-text">{t!(i18n, admin.invite_link)}" "<code class="invite-link">{invite_link}</code></p>
                            <button type="button" class="small" on:click=rotate>{t!(i18n, admin.new_invite_code)}</button>
                        </Show>
                        <label class="check">
                            <input type="checkbox" id="require-email-verification" prop:checked=move || verify_email.get()
                                disabled=move || !settings.with(|s| s.as_ref().is_some_and(|s| s.mail))
                                on:change=move |ev| verify_email.set(event_target_checked(&ev))/>
                            {t!(i18n, admin.require_email_verification)}
                        </label>
                        <Show when=move || !settings.with(|s| s.as_ref().is_some_and(|s| s.mail))>
                            <p class="muted small-text">{t!(i18n, admin.no_mail)}</p>
                        </Show>
                    </fieldset>
                    <NumberRow id="recall" label=crate::text::tr(move || t_string!(i18n, admin.recall_window).to_string()) unit=crate::text::tr(move || t_string!(i18n, admin.minutes).to_string()) value=recall_min error=Signal::derive(problem("recall_window_secs"))/>
                    <NumberRow id="edit" label=crate::text::tr(move || t_string!(i18n, admin.edit_window).to_string()) unit=crate::text::tr(move || t_string!(i18n, admin.minutes).to_string()) value=edit_min error=Signal::derive(problem("edit_window_secs"))/>
                    <NumberRow id="upload" label=crate::text::tr(move || t_string!(i18n, admin.max_upload).to_string()) unit=crate::text::tr(|| "MB".to_string()) value=upload_mb error=Signal::derive(problem("max_upload_bytes"))/>
                    <NumberRow id="quota" label=crate::text::tr(move || t_string!(i18n, admin.quota).to_string()) unit=crate::text::tr(|| "MB".to_string()) value=quota_mb error=Signal::derive(problem("quota_bytes"))/>
                    <NumberRow id="burst" label=crate::text::tr(move || t_string!(i18n, admin.message_burst).to_string()) unit=crate::text::tr(move || t_string!(i18n, admin.messages_unit).to_string()) value=msg_burst error=Signal::derive(problem("message_rate"))/>
                    <NumberRow id="per-min" label=crate::text::tr(move || t_string!(i18n, admin.message_rate).to_string()) unit=crate::text::tr(move || t_string!(i18n, admin.per_minute).to_string()) value=msg_per_min error=Signal::derive(|| None::<String>)/>
                    <div class="setting-row">
                        <label for="default-language">{t!(i18n, admin.default_language)}</label>
                        <select id="default-language" on:change=move |ev| language.set(event_target_value(&ev))>
                            <option value="browser" selected=move || language.get() == "browser">{t!(i18n, admin.language_browser)}</option>
                            <option value="zh-CN" selected=move || language.get() == "zh-CN">"简体中文"</option>
                            <option value="en" selected=move || language.get() == "en">"English"</option>
                        </select>
                    </div>
                    {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
                    {move || saved.get().then(|| view! { <p class="notice" role="status">{t!(i18n, admin.saved)}</p> })}
                    <button type="submit" class="primary">{t!(i18n, admin.save)}</button>
                </form>
            </Show>
        </section>
    }
}

/// `RegistrationMode` has no default; this reads it with `open` as the fallback.
struct RegistrationModeWire(RegistrationMode);

impl Default for RegistrationModeWire {
    fn default() -> Self {
        Self(RegistrationMode::Open)
    }
}

impl<'de> serde::Deserialize<'de> for RegistrationModeWire {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RegistrationMode::deserialize(d).map(Self)
    }
}

#[component]
fn NumberRow(
    id: &'static str,
    label: Signal<String>,
    unit: Signal<String>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let input_id = format!("setting-{id}");
    view! {
        <div class="setting-row">
            <label for=input_id.clone()>{move || label.get()}</label>
            <span class="inline-field">
                <input id=input_id type="number" min="0" inputmode="numeric" class="number"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                " "<span class="muted small-text">{move || unit.get()}</span>
            </span>
        </div>
        {move || error.get().map(|e| view! { <p class="error-text">{e}</p> })}
    }
}
