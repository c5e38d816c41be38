use crate::{
    client::{self, ApiError},
    components::form::{Notice, TextField},
    i18n::*,
    state::session::{Ended, use_session},
    text::{error_text, tr},
};
use api::auth::Login;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    // The account waits for its e-mail code: the code step replaces the form.
    let needs_code = RwSignal::new(None::<String>);
    let mail = super::email::mail_offered();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let body = Login {
            login: login.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match client::login(&body).await {
                Ok(auth) => session.signed_in(auth),
                Err(err) if err.code() == api::ErrorCode::EmailUnverified => {
                    needs_code.set(Some(body.login))
                }
                Err(err) => failure.set(Some(err)),
            }
            pending.set(false);
        });
    };
    let message = move || {
        failure.get().map(|e| error_text(i18n, &e)).or_else(|| {
            session.ended.get().map(|why| {
                match why {
                    Ended::Elsewhere => t_string!(i18n, login.ended_elsewhere),
                    Ended::PasswordChanged => t_string!(i18n, login.ended_password),
                    Ended::Deactivated => t_string!(i18n, login.ended_deactivated),
                    Ended::Other => t_string!(i18n, login.ended),
                }
                .to_string()
            })
        })
    };

    // The first field has the focus, so people can type at once.
    Effect::new(move |_| {
        request_animation_frame(|| {
            use wasm_bindgen::JsCast as _;
            if let Some(input) = document()
                .get_element_by_id("login")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        });
    });
    let form = move || {
        view! {
            <section class="card narrow">
                <h1>{t!(i18n, login.title)}</h1>
                <p class="muted">{t!(i18n, app.tagline)}</p>
                <form on:submit=submit novalidate>
                    <Notice text=Signal::derive(message)/>
                    <TextField id="login" label=tr(move || t_string!(i18n, login.login).to_string()) value=login
                        autocomplete="username" required=true/>
                    <TextField id="password" kind="password" label=tr(move || t_string!(i18n, login.password).to_string())
                        value=password autocomplete="current-password" required=true/>
                    <button type="submit" class="primary" disabled=move || pending.get()>{t!(i18n, login.submit)}</button>
                </form>
                <Show when=move || mail.get() == Some(true)>
                    <p class="aside"><A href="/forgot-password">{t!(i18n, login.forgot)}</A></p>
                </Show>
                <p class="aside">{t!(i18n, login.no_account)}" "<A href=crate::app::Page::Register.path()>{t!(i18n, login.create)}</A></p>
            </section>
        }
    };
    move || match needs_code.get() {
        Some(login) => view! { <super::email::CodeStep login=login email=""/> }.into_any(),
        None => form().into_any(),
    }
}
