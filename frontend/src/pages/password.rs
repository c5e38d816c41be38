use crate::{
    client::ApiError,
    components::form::{Notice, TextField},
    i18n::*,
    state::session::use_session,
    text::{error_text, field_text, tr},
};
use api::{auth::ChangePassword, rules};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let submitted = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<(), ApiError>>);

    let username = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.username.clone()).unwrap_or_default())
    };
    let server_problem = Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(e)) => e.field("new_password"),
            _ => None,
        })
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if pending.get_untracked() || !new_password_ok(new, confirm, &username()) {
            return;
        }
        pending.set(true);
        result.set(None);
        let body = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        spawn_local(async move {
            let outcome = crate::client::users::change_password(session, &body).await;
            if outcome.is_ok() {
                session.user.update(|u| {
                    if let Some(u) = u {
                        u.password_temporary = false;
                    }
                });
                current.set(String::new());
                new.set(String::new());
                confirm.set(String::new());
                submitted.set(false);
            }
            result.set(Some(outcome));
            pending.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h2>{t!(i18n, password.title)}</h2>
            <Show when=move || session.user.with(|u| u.as_ref().is_some_and(|u| u.password_temporary))>
                <p class="notice info" role="status">{t!(i18n, password.temporary)}</p>
            </Show>
            <form on:submit=submit novalidate>
                <Notice text=Signal::derive(move || result.with(|r| match r {
                    Some(Err(e)) if e.field("new_password").is_none() => Some(error_text(i18n, e)),
                    _ => None,
                }))/>
                <Notice success=true text=Signal::derive(move || {
                    matches!(result.get(), Some(Ok(()))).then(|| t_string!(i18n, password.done).to_string())
                })/>
                <TextField id="current_password" kind="password" label=tr(move || t_string!(i18n, password.current).to_string())
                    value=current autocomplete="current-password" required=true/>
                <NewPasswordFields new=new confirm=confirm submitted=submitted server=server_problem
                    username=Signal::derive(username)/>
                <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, password.submit)}</button>
            </form>
        </section>
        <super::email::EmailCard/>
    }
}

/// A new password can be sent: it meets the policy and was typed the same twice.
pub fn new_password_ok(new: RwSignal<String>, confirm: RwSignal<String>, username: &str) -> bool {
    new.with_untracked(|n| rules::password_problem(n, username).is_none())
        && confirm.get_untracked() == new.get_untracked()
}

/// The new password, typed twice: the policy's problem and a mismatch show once the form
/// was submitted, the server's problem (`server`) at once.
#[component]
pub fn NewPasswordFields(
    new: RwSignal<String>,
    confirm: RwSignal<String>,
    submitted: RwSignal<bool>,
    #[prop(into)] server: Signal<Option<api::FieldCode>>,
    #[prop(into)] username: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let new_error = Signal::derive(move || {
        let local = || rules::password_problem(&new.get(), &username.get());
        server
            .get()
            .or(if submitted.get() { local() } else { None })
            .map(|c| field_text(i18n, c))
    });
    let confirm_error = Signal::derive(move || {
        (submitted.get() && confirm.get() != new.get())
            .then(|| t_string!(i18n, register.mismatch).to_string())
    });
    view! {
        <TextField id="new_password" kind="password" label=tr(move || t_string!(i18n, password.new_password).to_string())
            value=new autocomplete="new-password" required=true error=new_error
            hint=tr(move || t_string!(i18n, register.password_hint).to_string())/>
        <TextField id="confirm_password" kind="password" label=tr(move || t_string!(i18n, password.confirm).to_string())
            value=confirm autocomplete="new-password" required=true error=confirm_error/>
    }
}
