//! Editing my message in place, and what an edited message said before.

use super::timeline::full_time;
use crate::{
    client::ApiError, components::dialog::Dialog, i18n::*, state::conversation::use_conversation,
    text::error_text,
};
use api::MessageId;
use leptos::{ev, html, prelude::*, task::spawn_local};

/// The text of my message, being changed in place: Enter saves, Shift+Enter is a new
/// line, Escape (or Cancel) leaves it as it was.
#[component]
pub fn EditForm(
    id: MessageId,
    source: String,
    done: Callback<()>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let convo = use_conversation();
    let i18n = use_i18n();
    let text = RwSignal::new(source);
    let saving = RwSignal::new(false);
    let field = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
            let end = field.value().encode_utf16().count() as u32;
            let _ = field.set_selection_range(end, end);
        }
    });
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        error.set(None);
        let body = text.get_untracked();
        spawn_local(async move {
            // Saved, the conversation closes the editor itself.
            if let Err(err) = convo.edit(id, body).await {
                saving.set(false);
                error.set(Some(err));
            }
        });
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            save();
        } else if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            error.set(None);
            done.run(());
        }
    };
    view! {
        <form class="edit-form" on:submit=move |ev: ev::SubmitEvent| { ev.prevent_default(); save(); }>
            <textarea node_ref=field rows="3" maxlength=api::rules::MESSAGE_MAX bind:value=text
                aria-label=move || t_string!(i18n, chat.edit_label) on:keydown=on_keydown></textarea>
            <div class="edit-actions">
                <span class="hint">{move || t_string!(i18n, chat.edit_hint)}</span>
                <button type="button" class="link tiny" on:click=move |_| { error.set(None); done.run(()); }>
                    {move || t_string!(i18n, chat.cancel)}
                </button>
                <button type="submit" class="primary tiny" disabled=move || saving.get()>{move || t_string!(i18n, chat.save)}</button>
            </div>
        </form>
    }
}

/// What an edited message said before, oldest first, and what it says now.
#[component]
pub fn EditHistory(id: MessageId, close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = crate::state::session::use_session();
    let versions = LocalResource::new(move || crate::client::messages::edits(session, id));
    let title = crate::text::tr(move || t_string!(i18n, chat.edit_history).to_string());
    view! {
        <Dialog title close class="edit-history">
                {move || match versions.get() {
                    None => view! { <p class="muted">{move || t_string!(i18n, app.loading)}</p> }.into_any(),
                    Some(answer) => match answer {
                    Ok(edits) => view! {
                        <ol class="versions">
                            {edits.versions.into_iter().map(|v| {
                                let at = full_time(i18n, v.written_at);
                                view! {
                                    <li class="version">
                                        <time datetime=v.written_at.to_string()>{at}</time>
                                        {match v.html {
                                            Some(html) => view! { <div class="body rich" dir="auto" inner_html=html></div> }.into_any(),
                                            None => view! { <div class="body" dir="auto">{v.body}</div> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(err) => view! { <p class="error-text">{error_text(i18n, &err)}</p> }.into_any(),
                },
                }}
        </Dialog>
    }
}
