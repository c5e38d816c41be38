//! Form fields with a visible label, an optional hint, and an error that screen readers hear.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id (also its name); the label points at it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    /// `text` (default), `password`, `email`, `tel`.
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: MaybeProp<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
    /// Called when the field loses focus (to show client-side problems only after).
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.get().is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                name=id.clone()
                type=kind.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                bind:value=value
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
            />
            {move || hint.get().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|e| view! { <p class="error-text" id=error_id.clone() role="alert">{e}</p> })}
        </div>
    }
}

/// A message above a form: what went wrong as a whole, or that it worked.
#[component]
pub fn Notice(
    #[prop(into)] text: MaybeProp<String>,
    #[prop(optional)] success: bool,
) -> impl IntoView {
    move || {
        text.get().map(|t| {
            let class = if success {
                "notice success"
            } else {
                "notice error"
            };
            view! { <p class=class role=if success { "status" } else { "alert" }>{t}</p> }
        })
    }
}
