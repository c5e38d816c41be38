//! What goes by e-mail: the code that confirms a new account's address (after
//! registering, or when logging in before it was entered), "forgot password" and the page
//! its link opens, and changing the address in the settings. Offered only where the
//! server sends mail (`ServerInfo.mail`).

use crate::{
    app::Page,
    client::{self, ApiError},
    components::form::{Notice, TextField},
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text, tr},
};
use api::ErrorCode;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

/// Whether this server sends mail; `None` until it said.
pub fn mail_offered() -> RwSignal<Option<bool>> {
    let offered = RwSignal::new(None);
    spawn_local(async move {
        if let Ok(info) = client::server_info().await {
            offered.set(Some(info.mail));
        }
    });
    offered
}

/// A failed code, in words: how many tries are left when the server said.
fn code_error(i18n: leptos_i18n::I18nContext<Locale>, err: &ApiError) -> String {
    let text = error_text(i18n, err);
    match err.body.details.as_ref().and_then(|d| d.attempts_left) {
        Some(count) if err.code() == ErrorCode::CodeInvalid => format!(
            "{text} {}",
            t_string!(i18n, verify.attempts_left, count = count.to_string())
        ),
        _ => text,
    }
}

/// Enter the code mailed at registration; the right one logs in. `email` is where it went
/// (empty when not known, as after a login that was refused for it).
#[component]
pub fn CodeStep(#[prop(into)] login: String, #[prop(into)] email: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let resent = RwSignal::new(false);
    // Seconds before another code may be asked for (the server says how long).
    let wait = RwSignal::new(if email.is_empty() { 0u64 } else { 60 });
    let ticker = leptos::prelude::set_interval_with_handle(
        move || wait.update(|w| *w = w.saturating_sub(1)),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });
    let login = StoredValue::new(login);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || code.get_untracked().trim().is_empty() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let body = api::auth::VerifyEmail {
            login: login.get_value(),
            code: code.get_untracked(),
        };
        spawn_local(async move {
            match client::verify_email(&body).await {
                Ok(auth) => session.signed_in(auth),
                Err(err) => failure.set(Some(err)),
            }
            pending.set(false);
        });
    };
    let resend = move |_| {
        resent.set(false);
        failure.set(None);
        spawn_local(async move {
            match client::resend_code(&login.get_value()).await {
                Ok(sent) => {
                    wait.set(sent.resend_in);
                    resent.set(true);
                }
                Err(err) => {
                    if let Some(after) = err.body.details.as_ref().and_then(|d| d.retry_after) {
                        wait.set(after);
                    }
                    failure.set(Some(err));
                }
            }
        });
    };
    let waiting = move || wait.get() > 0;
    let intro = {
        let email = email.clone();
        move || {
            if email.is_empty() {
                t_string!(i18n, verify.sent_somewhere).to_string()
            } else {
                t_string!(i18n, verify.sent, email = email.clone()).to_string()
            }
        }
    };
    view! {
        <section class="card narrow" data-testid="code-step">
            <h1>{t!(i18n, verify.title)}</h1>
            <p>{intro}</p>
            <form on:submit=submit novalidate>
                <Notice text=Signal::derive(move || failure.with(|f| f.as_ref().map(|e| code_error(i18n, e))))/>
                <Notice success=true text=Signal::derive(move || resent.get().then(|| t_string!(i18n, verify.resent).to_string()))/>
                <TextField id="code" label=tr(move || t_string!(i18n, verify.code).to_string()) value=code
                    autocomplete="one-time-code" required=true/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, verify.submit)}</button>
                    <button type="button" class="secondary" on:click=resend disabled=waiting>
                        {move || if wait.get() > 0 {
                            t_string!(i18n, verify.resend_in, seconds = wait.get().to_string()).to_string()
                        } else {
                            t_string!(i18n, verify.resend).to_string()
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// `/forgot-password`: a link to set a new password goes to the address.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || email.get_untracked().trim().is_empty() {
            return;
        }
        pending.set(true);
        result.set(None);
        let address = email.get_untracked();
        spawn_local(async move {
            result.set(Some(client::password_reset(&address).await));
            pending.set(false);
        });
    };
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, forgot.title)}</h1>
            <p class="muted">{t!(i18n, forgot.intro)}</p>
            <form on:submit=submit novalidate>
                <Notice text=Signal::derive(move || result.with(|r| match r {
                    Some(Err(e)) => Some(error_text(i18n, e)),
                    _ => None,
                }))/>
                <Notice success=true text=Signal::derive(move || {
                    matches!(result.get(), Some(Ok(()))).then(|| t_string!(i18n, forgot.sent).to_string())
                })/>
                <TextField id="email" kind="email" label=tr(move || t_string!(i18n, forgot.email).to_string())
                    value=email autocomplete="email" required=true/>
                <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, forgot.submit)}</button>
            </form>
            <p class="aside"><A href=Page::Login.path()>{t!(i18n, forgot.back)}</A></p>
        </section>
    }
}

/// `/reset-password?token=…`: the page a reset link opens.
#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = leptos_router::hooks::use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let token = StoredValue::new(token);
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let submitted = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let server_problem = Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(e)) => e.field("new_password"),
            _ => None,
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if pending.get_untracked() || !super::password::new_password_ok(new, confirm, "") {
            return;
        }
        pending.set(true);
        result.set(None);
        let body = api::auth::PasswordResetConfirm {
            token: token.get_value(),
            new_password: new.get_untracked(),
        };
        spawn_local(async move {
            let outcome = client::password_reset_confirm(&body).await;
            if outcome.is_ok() {
                // Every session of the account ended, this browser's too.
                session.forget();
            }
            result.set(Some(outcome));
            pending.set(false);
        });
    };
    let done = move || matches!(result.get(), Some(Ok(())));
    let dead_link = move || {
        result.with(|r| matches!(r, Some(Err(e)) if e.code() == ErrorCode::ResetLinkInvalid))
    };
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, reset.title)}</h1>
            <Show when=move || token.with_value(|t| t.is_empty())>
                <p class="notice" role="status">{t!(i18n, reset.missing)}</p>
            </Show>
            <Show when=done>
                <p class="notice success" role="status">{t!(i18n, reset.done)}</p>
                <p><A href=Page::Login.path()>{t!(i18n, nav.login)}</A></p>
            </Show>
            <form on:submit=submit novalidate prop:hidden=move || done() || token.with_value(|t| t.is_empty())>
                <Notice text=Signal::derive(move || result.with(|r| match r {
                    Some(Err(e)) if e.field("new_password").is_none() => Some(error_text(i18n, e)),
                    _ => None,
                }))/>
                <super::password::NewPasswordFields new=new confirm=confirm submitted=submitted
                    server=server_problem username=Signal::derive(String::new)/>
                <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, reset.submit)}</button>
            </form>
            <Show when=dead_link>
                <p class="aside"><A href="/forgot-password">{t!(i18n, reset.ask_again)}</A></p>
            </Show>
        </section>
    }
}

/// The settings' e-mail card: my address, whether it is confirmed, and changing it with a
/// code sent to the new one (only where the server sends mail).
#[component]
pub fn EmailCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let offered = mail_offered();
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    // Where the code went, once sent.
    let sent_to = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let current = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| (u.email.clone(), u.email_verified)))
            .unwrap_or_default()
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        done.set(None);
        let body = api::auth::ChangeEmail {
            email: new_email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match client::users::change_email(session, &body).await {
                Ok(sent) => {
                    password.set(String::new());
                    sent_to.set(Some(sent.email));
                }
                Err(err) => failure.set(Some(err)),
            }
            pending.set(false);
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let body = api::auth::ConfirmEmail {
            code: code.get_untracked(),
        };
        spawn_local(async move {
            match client::users::confirm_email(session, &body).await {
                Ok(me) => {
                    done.set(Some(me.email.clone()));
                    session.user.set(Some(me));
                    sent_to.set(None);
                    new_email.set(String::new());
                    code.set(String::new());
                }
                Err(err) => failure.set(Some(err)),
            }
            pending.set(false);
        });
    };
    let field_error = move |name: &'static str| {
        Signal::derive(move || {
            failure.with(|f| {
                f.as_ref()
                    .and_then(|e| e.field(name))
                    .map(|c| field_text(i18n, c))
            })
        })
    };
    view! {
        <section class="card narrow email-card" data-testid="email-card">
            <h2>{t!(i18n, email.title)}</h2>
            <p>
                {move || t_string!(i18n, email.current, email = current().0).to_string()}" "
                <span class=move || if current().1 { "pill ok" } else { "pill" }>
                    {move || if current().1 { t_string!(i18n, email.verified) } else { t_string!(i18n, email.unverified) }}
                </span>
            </p>
            <Notice success=true text=Signal::derive(move || done.get().map(|e| t_string!(i18n, email.done, email = e).to_string()))/>
            <Notice text=Signal::derive(move || failure.with(|f| f.as_ref()
                .filter(|e| e.field("email").is_none())
                .map(|e| code_error(i18n, e))))/>
            <Show when=move || offered.get() == Some(false)>
                <p class="muted">{t!(i18n, email.no_mail)}</p>
            </Show>
            <Show when=move || offered.get() == Some(true) && sent_to.get().is_none()>
                <form on:submit=send novalidate>
                    <TextField id="new_email" kind="email" label=tr(move || t_string!(i18n, email.new_email).to_string())
                        value=new_email autocomplete="email" required=true error=field_error("email")/>
                    <TextField id="email_password" kind="password" label=tr(move || t_string!(i18n, email.password).to_string())
                        value=password autocomplete="current-password" required=true/>
                    <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, email.send_code)}</button>
                </form>
            </Show>
            <Show when=move || sent_to.get().is_some()>
                <form on:submit=confirm novalidate>
                    <p>{move || t_string!(i18n, email.code_sent, email = sent_to.get().unwrap_or_default()).to_string()}</p>
                    <TextField id="email_code" label=tr(move || t_string!(i18n, verify.code).to_string())
                        value=code autocomplete="one-time-code" required=true/>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, email.confirm)}</button>
                        <button type="button" class="secondary" on:click=move |_| { sent_to.set(None); failure.set(None); }>
                            {t!(i18n, email.cancel)}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
