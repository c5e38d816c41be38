//! The audit log: every staff action and every filter hit, newest first, filtered by
//! action, actor or room; what is loaded can be saved as CSV.

use crate::{
    client::admin, components::form::Notice, i18n::*, state::session::use_session, text::error_text,
};
use api::moderation::AuditEntry;
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_i18n::I18nContext;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// The actions the server records (`backend/src/moderation/audit.rs`, `action`).
const ACTIONS: [&str; 27] = [
    "filter_hit",
    "filter_warned",
    "word_list_created",
    "word_list_edited",
    "word_list_deleted",
    "words_added",
    "word_removed",
    "word_policies_set",
    "room_word_policy_set",
    "role_set",
    "account_deactivated",
    "account_reactivated",
    "forced_logout",
    "password_reset",
    "account_created",
    "member_silenced",
    "member_unsilenced",
    "member_banned",
    "member_unbanned",
    "settings_changed",
    "invite_code_changed",
    "messages_removed",
    "message_removed",
    "room_deleted",
    "room_edited",
    "room_transferred",
    "report_resolved",
];

/// An action as staff read it; one this app does not know yet, as the server names it.
fn action_name(i18n: I18nContext<Locale>, action: &str) -> String {
    let text = match action {
        "filter_hit" => t_string!(i18n, admin.audit_action_filter_hit),
        "filter_warned" => t_string!(i18n, admin.audit_action_filter_warned),
        "word_list_created" => t_string!(i18n, admin.audit_action_word_list_created),
        "word_list_edited" => t_string!(i18n, admin.audit_action_word_list_edited),
        "word_list_deleted" => t_string!(i18n, admin.audit_action_word_list_deleted),
        "words_added" => t_string!(i18n, admin.audit_action_words_added),
        "word_removed" => t_string!(i18n, admin.audit_action_word_removed),
        "word_policies_set" => t_string!(i18n, admin.audit_action_word_policies_set),
        "room_word_policy_set" => t_string!(i18n, admin.audit_action_room_word_policy_set),
        "role_set" => t_string!(i18n, admin.audit_action_role_set),
        "account_deactivated" => t_string!(i18n, admin.audit_action_account_deactivated),
        "account_reactivated" => t_string!(i18n, admin.audit_action_account_reactivated),
        "forced_logout" => t_string!(i18n, admin.audit_action_forced_logout),
        "password_reset" => t_string!(i18n, admin.audit_action_password_reset),
        "account_created" => t_string!(i18n, admin.audit_action_account_created),
        "member_silenced" => t_string!(i18n, admin.audit_action_member_silenced),
        "member_unsilenced" => t_string!(i18n, admin.audit_action_member_unsilenced),
        "member_banned" => t_string!(i18n, admin.audit_action_member_banned),
        "member_unbanned" => t_string!(i18n, admin.audit_action_member_unbanned),
        "settings_changed" => t_string!(i18n, admin.audit_action_settings_changed),
        "invite_code_changed" => t_string!(i18n, admin.audit_action_invite_code_changed),
        "messages_removed" => t_string!(i18n, admin.audit_action_messages_removed),
        "message_removed" => t_string!(i18n, admin.audit_action_message_removed),
        "room_deleted" => t_string!(i18n, admin.audit_action_room_deleted),
        "room_edited" => t_string!(i18n, admin.audit_action_room_edited),
        "room_transferred" => t_string!(i18n, admin.audit_action_room_transferred),
        "report_resolved" => t_string!(i18n, admin.audit_action_report_resolved),
        other => return other.to_owned(),
    };
    text.to_string()
}

/// A detail's value on one line: `[a, b]` for lists, `{k: v, …}` for objects.
fn compact(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}: {}", compact(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The details as `key: value` pairs (an object's), or the one value.
fn detail_pairs(details: &Value) -> Vec<(String, String)> {
    match details {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), compact(v))).collect(),
        Value::Null => Vec::new(),
        other => vec![(String::new(), compact(other))],
    }
}

/// One CSV field, always quoted (RFC 4180). A leading `=`, `+`, `-` or `@` gets a `'`:
/// spreadsheets would run it as a formula, and names are anyone's to choose.
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// The loaded rows as CSV: UTF-8 with a BOM (so spreadsheets read Chinese names), CRLF
/// lines; people by username, the time in RFC 3339, the details as JSON.
fn to_csv(entries: &[AuditEntry]) -> String {
    let mut csv = String::from("\u{feff}time,actor,action,room,target,details\r\n");
    for e in entries {
        let time =
            e.at.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
        let fields = [
            time,
            e.actor
                .as_ref()
                .map(|u| u.username.clone())
                .unwrap_or_default(),
            e.action.clone(),
            e.room_id.map(|r| r.to_string()).unwrap_or_default(),
            e.target
                .as_ref()
                .map(|u| u.username.clone())
                .unwrap_or_default(),
            e.details.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    csv
}

/// Saves `text` as a file through a temporary `<a download>`.
fn download(text: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // Some browsers start the download after this task: revoke the URL a little later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[component]
pub fn Audit() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let room = RwSignal::new(String::new());
    // Each load's number: an answer to an older filter is dropped.
    let generation = StoredValue::new(0u32);
    // The newest page (`before` None) for the filters, or the one after `before`.
    let load = move |before: Option<i64>| {
        let digits = |s: RwSignal<String>| {
            let s = s.get_untracked().trim().to_owned();
            if s.parse::<i64>().is_ok() {
                s
            } else {
                String::new()
            }
        };
        let q = admin::query(&[
            ("action", action.get_untracked()),
            ("actor", digits(actor)),
            ("room", digits(room)),
            ("before", before.map(|b| b.to_string()).unwrap_or_default()),
        ]);
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let page = admin::audit(session, &q).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            busy.set(false);
            match page {
                Ok(page) => {
                    entries.update(|all| {
                        if before.is_none() {
                            all.clear();
                        }
                        all.extend(page.entries);
                    });
                    next.set(page.next);
                    loaded.set(true);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    load(None);
    let filter = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        load(None);
    };
    let clear = move |_| {
        action.set(String::new());
        actor.set(String::new());
        room.set(String::new());
        load(None);
    };
    let export = move |_| {
        let csv = entries.with(|all| to_csv(all));
        if download(&csv, "audit.csv").is_err() {
            error.set(Some(t_string!(i18n, admin.audit_export_failed).to_string()));
        }
    };
    let rows = move || {
        entries
            .get()
            .into_iter()
            .map(|e| {
                let actor_cell = match &e.actor {
                    Some(u) => {
                        let id = u.id.0;
                        let who = format!("@{} · #{id}", u.username);
                        view! {
                            <button type="button" class="link" title=who
                                on:click=move |_| { actor.set(id.to_string()); load(None); }>
                                <bdi>{u.name().to_owned()}</bdi>
                            </button>
                        }
                        .into_any()
                    }
                    None => view! { <span class="muted">{t!(i18n, admin.audit_server)}</span> }.into_any(),
                };
                let room_cell = e.room_id.map(|r| {
                    let id = r.0;
                    view! {
                        <button type="button" class="link" title=move || t_string!(i18n, admin.audit_only_room)
                            on:click=move |_| { room.set(id.to_string()); load(None); }>
                            {id}
                        </button>
                    }
                });
                let target_cell = e.target.as_ref().map(|u| {
                    let who = format!("@{} · #{}", u.username, u.id);
                    view! { <bdi title=who>{u.name().to_owned()}</bdi> }
                });
                let code = e.action.clone();
                let raw = e.action.clone();
                view! {
                    <tr>
                        <td class="nowrap">{super::when(e.at)}</td>
                        <td>{actor_cell}</td>
                        <td title=raw>{move || action_name(i18n, &code)}</td>
                        <td>{room_cell}</td>
                        <td>{target_cell}</td>
                        <td class="audit-details">
                            {detail_pairs(&e.details).into_iter().map(|(k, v)| view! {
                                <span class="audit-pair">
                                    {(!k.is_empty()).then(|| view! { <span class="muted">{k}": "</span> })}
                                    <bdi>{v}</bdi>
                                </span>
                            }).collect_view()}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.audit)}</h2>
            <p class="muted small-text">{t!(i18n, admin.audit_intro)}</p>
            <form class="audit-filters" on:submit=filter>
                <div class="field">
                    <label for="audit-action">{t!(i18n, admin.audit_filter_action)}</label>
                    <select id="audit-action" on:change=move |ev| { action.set(event_target_value(&ev)); load(None); }>
                        <option value="" prop:selected=move || action.with(String::is_empty)>{t!(i18n, admin.audit_all_actions)}</option>
                        {ACTIONS.into_iter().map(|a| view! {
                            <option value=a prop:selected=move || action.with(|v| v == a)>{move || action_name(i18n, a)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-actor">{t!(i18n, admin.audit_filter_actor)}</label>
                    <input id="audit-actor" type="number" min="1" step="1" inputmode="numeric" bind:value=actor/>
                </div>
                <div class="field">
                    <label for="audit-room">{t!(i18n, admin.audit_filter_room)}</label>
                    <input id="audit-room" type="number" min="1" step="1" inputmode="numeric" bind:value=room/>
                </div>
                <div class="actions">
                    <button type="submit" class="small">{t!(i18n, admin.audit_apply)}</button>
                    <button type="button" class="link tiny" on:click=clear>{t!(i18n, admin.audit_clear)}</button>
                </div>
            </form>
            <Notice text=Signal::derive(move || error.get())/>
            {move || if !loaded.get() {
                view! { <p class="muted">{t!(i18n, app.loading)}</p> }.into_any()
            } else if entries.with(Vec::is_empty) {
                view! { <p class="muted">{t!(i18n, admin.audit_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="admin-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, admin.audit_col_time)}</th>
                                    <th scope="col">{t!(i18n, admin.audit_col_actor)}</th>
                                    <th scope="col">{t!(i18n, admin.audit_col_action)}</th>
                                    <th scope="col">{t!(i18n, admin.audit_col_room)}</th>
                                    <th scope="col">{t!(i18n, admin.audit_col_target)}</th>
                                    <th scope="col">{t!(i18n, admin.audit_col_details)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <div class="actions">
                <Show when=move || next.get().is_some()>
                    <button type="button" class="small" disabled=move || busy.get()
                        on:click=move |_| load(next.get_untracked())>{t!(i18n, admin.load_more)}</button>
                </Show>
                <button type="button" class="small" disabled=move || entries.with(Vec::is_empty) on:click=export>
                    {t!(i18n, admin.audit_export)}
                </button>
                <span class="muted small-text">{move || t_string!(i18n, admin.audit_loaded, n = entries.with(Vec::len)).to_string()}</span>
            </div>
        </section>
    }
}
