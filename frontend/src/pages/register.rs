use crate::{
    client::{self, ApiError},
    components::form::{Notice, TextField},
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text, tr},
};
use api::{FieldCode, auth::Register, rules};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    // The server mailed a code (who, where): the code step replaces the form.
    let code_sent = RwSignal::new(None::<(String, String)>);
    // How this server takes new people: open, by invite code (which a link may carry as
    // `?invite=`), or not at all.
    let query = leptos_router::hooks::use_query_map();
    let invite = RwSignal::new(
        query
            .with_untracked(|q| q.get("invite"))
            .unwrap_or_default(),
    );
    let mode = RwSignal::new(None::<api::users::RegistrationMode>);
    spawn_local(async move {
        if let Ok(info) = client::server_info().await {
            mode.set(Some(info.registration));
        }
    });
    let by_invite = move || mode.get() == Some(api::users::RegistrationMode::Invite);
    let closed = move || mode.get() == Some(api::users::RegistrationMode::Closed);
    // The server's answer, with what was sent: its field errors show while a field still
    // holds the value the server judged.
    let failure = RwSignal::new(None::<(Register, ApiError)>);
    // Client-side problems show once a field was left or the form submitted.
    let touched = RwSignal::new(std::collections::BTreeSet::<&'static str>::new());
    let touch = move |name: &'static str| {
        Callback::new(move |_| {
            touched.update(|t| {
                t.insert(name);
            })
        })
    };
    let shown = move |name: &'static str| touched.with(|t| t.contains(name) || t.contains("*"));

    let server_field = move |name: &str| {
        failure.with(|f| {
            let (sent, err) = f.as_ref()?;
            let unchanged = match name {
                "username" => sent.username == username.get(),
                "email" => sent.email == email.get(),
                "phone" => sent.phone.clone().unwrap_or_default() == phone.get(),
                _ => sent.password == password.get(),
            };
            if unchanged { err.field(name) } else { None }
        })
    };
    let local_username = move || rules::username_problem(username.get().trim());
    let local_password = move || rules::password_problem(&password.get(), username.get().trim());
    let field_error = move |name: &'static str, local: Option<FieldCode>| {
        let code = server_field(name).or(if shown(name) { local } else { None });
        code.map(|c| field_text(i18n, c))
    };

    let username_error = Signal::derive(move || field_error("username", local_username()));
    let email_error = Signal::derive(move || {
        let local = (email.get().trim().is_empty()).then_some(FieldCode::Required);
        field_error("email", local)
    });
    let phone_error = Signal::derive(move || field_error("phone", None));
    let password_error = Signal::derive(move || field_error("password", local_password()));
    let confirm_error = Signal::derive(move || {
        (shown("confirm") && confirm.get() != password.get())
            .then(|| t_string!(i18n, register.mismatch).to_string())
    });
    // The meter shows the server's own verdict (the rule registration applies, common
    // passwords included), asked for a moment after typing stops; until it answers, the
    // local estimate is shown, and never above "fair", so a password the server would
    // refuse is never called good.
    let verdict = RwSignal::new(None::<(api::auth::PasswordCheck, api::auth::PasswordVerdict)>);
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let typed = password.get();
        // The verdict depends on the username and address too (a password built on them
        // is weak): any of the three changing asks again.
        let check = api::auth::PasswordCheck {
            password: typed.clone(),
            username: username.get(),
            email: email.get(),
        };
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        if typed.chars().count() < rules::PASSWORD_MIN {
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != this {
                    return;
                }
                spawn_local(async move {
                    if let Ok(answer) = client::password_check(&check).await
                        && asked.get_value() == this
                    {
                        verdict.set(Some((check, answer)));
                    }
                });
            },
            std::time::Duration::from_millis(300),
        );
    });
    // The verdict counts only for exactly what is typed now.
    let current = move |checked: &api::auth::PasswordCheck| {
        checked.password == password.get()
            && checked.username == username.get()
            && checked.email == email.get()
    };
    let strength = move || {
        verdict.with(|v| match v {
            Some((checked, answer)) if current(checked) => answer.strength,
            _ => rules::strength_hint(&password.get()).min(2),
        })
    };
    let too_common = move || {
        verdict.with(|v| {
            matches!(v, Some((checked, answer)) if current(checked)
                && answer.problem == Some(FieldCode::PasswordTooCommon))
        })
    };
    let strength_label = move || match strength() {
        _ if too_common() => t_string!(i18n, register.strength_too_common),
        0 => t_string!(i18n, register.strength_too_short),
        1 => t_string!(i18n, register.strength_weak),
        2 => t_string!(i18n, register.strength_fair),
        3 => t_string!(i18n, register.strength_good),
        _ => t_string!(i18n, register.strength_strong),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.update(|t| {
            t.insert("*");
        });
        if pending.get_untracked()
            || local_username().is_some()
            || local_password().is_some()
            || email.get_untracked().trim().is_empty()
            || confirm.get_untracked() != password.get_untracked()
        {
            return;
        }
        pending.set(true);
        let body = Register {
            username: username.get_untracked(),
            email: email.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
            password: password.get_untracked(),
            invite_code: Some(invite.get_untracked())
                .filter(|c| by_invite() && !c.trim().is_empty()),
        };
        spawn_local(async move {
            match client::register(&body).await {
                Ok(client::Registered::Session(auth)) => session.signed_in(auth),
                Ok(client::Registered::Pending(sent)) => {
                    code_sent.set(Some((body.username.clone(), sent.email)))
                }
                Err(err) => failure.set(Some((body, err))),
            }
            pending.set(false);
        });
    };

    let form = move || {
        view! {
            <section class="card narrow">
                <h1>{t!(i18n, register.title)}</h1>
                <Show when=closed>
                    <p class="notice" role="status">{t!(i18n, register.closed)}</p>
                </Show>
                <form on:submit=submit novalidate prop:hidden=closed>
                    <Show when=by_invite>
                        <TextField id="invite" label=tr(move || t_string!(i18n, register.invite_code).to_string()) value=invite
                            required=true hint=tr(move || t_string!(i18n, register.invite_hint).to_string())/>
                    </Show>
                    <Notice text=Signal::derive(move || failure.with(|f| f.as_ref().map(|(_, e)| error_text(i18n, e))))/>
                    <TextField id="username" label=tr(move || t_string!(i18n, register.username).to_string()) value=username
                        autocomplete="username" required=true on_blur=touch("username")
                        hint=tr(move || t_string!(i18n, register.username_hint).to_string()) error=username_error/>
                    <TextField id="email" kind="email" label=tr(move || t_string!(i18n, register.email).to_string()) value=email
                        autocomplete="email" required=true on_blur=touch("email") error=email_error/>
                    <TextField id="phone" kind="tel" label=tr(move || t_string!(i18n, register.phone).to_string()) value=phone
                        autocomplete="tel" error=phone_error/>
                    <TextField id="password" kind="password" label=tr(move || t_string!(i18n, register.password).to_string())
                        value=password autocomplete="new-password" required=true on_blur=touch("password")
                        hint=tr(move || t_string!(i18n, register.password_hint).to_string()) error=password_error/>
                    <div class="strength" aria-live="polite">
                        <meter min="0" max="4" low="2" high="3" optimum="4" value=move || strength().to_string()></meter>
                        <span>{t!(i18n, register.strength)}": "{strength_label}</span>
                    </div>
                    <TextField id="confirm" kind="password" label=tr(move || t_string!(i18n, register.confirm).to_string())
                        value=confirm autocomplete="new-password" required=true on_blur=touch("confirm") error=confirm_error/>
                    <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, register.submit)}</button>
                </form>
                <p class="aside">{t!(i18n, register.have_account)}" "<A href=crate::app::Page::Login.path()>{t!(i18n, nav.login)}</A></p>
            </section>
        }
    };
    move || match code_sent.get() {
        Some((login, email)) => {
            view! { <super::email::CodeStep login=login email=email/> }.into_any()
        }
        None => form().into_any(),
    }
}
