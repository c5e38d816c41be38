//! The reports queue: open reports newest first (or closed ones), each with the message,
//! who reported it and why; open it in context, then dismiss, remove the message, silence
//! the author in the room, or deactivate the author.

use super::when;
use crate::{
    client::{ApiError, admin},
    i18n::*,
    state::session::use_session,
    text::error_text,
};
use api::admin::{Report, ReportReason, ReportStatus, ResolveReport};
use leptos::{prelude::*, task::spawn_local};

pub fn reason_text(i18n: leptos_i18n::I18nContext<Locale>, r: ReportReason) -> String {
    match r {
        ReportReason::Spam => t_string!(i18n, reports.reason_spam),
        ReportReason::Abuse => t_string!(i18n, reports.reason_abuse),
        ReportReason::Inappropriate => t_string!(i18n, reports.reason_inappropriate),
        ReportReason::Other => t_string!(i18n, reports.reason_other),
    }
    .to_string()
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, s: ReportStatus) -> String {
    match s {
        ReportStatus::Open => t_string!(i18n, admin.status_open),
        ReportStatus::Dismissed => t_string!(i18n, admin.status_dismissed),
        ReportStatus::Removed => t_string!(i18n, admin.status_removed),
        ReportStatus::Silenced => t_string!(i18n, admin.status_silenced),
        ReportStatus::Deactivated => t_string!(i18n, admin.status_deactivated),
    }
    .to_string()
}

#[component]
pub fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let closed = RwSignal::new(false);
    let list = super::Paged::<Report, i64>::new();
    let (reports, next, loaded, error) = (list.items, list.next, list.loaded, list.error);
    let load = move |more: bool| {
        let q = admin::query(&[
            (
                "status",
                if closed.get_untracked() {
                    "closed"
                } else {
                    "open"
                }
                .to_owned(),
            ),
            (
                "before",
                list.cursor(more).map(|n| n.to_string()).unwrap_or_default(),
            ),
        ]);
        list.load(more, async move {
            admin::reports(session, &q)
                .await
                .map(|p| (p.reports, p.next))
        });
    };
    Effect::new(move |_| {
        closed.track();
        load(false);
    });
    view! {
        <section class="card">
            <div class="section-head">
                <h2>{t!(i18n, admin.reports)}</h2>
                <div class="segmented" role="group">
                    <button type="button" aria-pressed=move || (!closed.get()).to_string() on:click=move |_| closed.set(false)>{t!(i18n, admin.reports_open)}</button>
                    <button type="button" aria-pressed=move || closed.get().to_string() on:click=move |_| closed.set(true)>{t!(i18n, admin.reports_closed)}</button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            <Show when=move || loaded.get() && reports.with(Vec::is_empty)>
                <p class="muted">{move || if closed.get() { t_string!(i18n, admin.reports_none_closed) } else { t_string!(i18n, admin.reports_none) }}</p>
            </Show>
            <ul class="report-list">
                <For each=move || reports.get() key=|r| (r.id, r.status) let:report>
                    <ReportRow report on_done=Callback::new(move |r: Report| {
                        reports.update(|all| {
                            if let Some(slot) = all.iter_mut().find(|x| x.id == r.id) {
                                *slot = r;
                            }
                        })
                    })/>
                </For>
            </ul>
            <Show when=move || next.get().is_some()>
                <button type="button" class="small" on:click=move |_| load(true)>{t!(i18n, admin.load_more)}</button>
            </Show>
        </section>
    }
}

#[component]
fn ReportRow(report: Report, on_done: Callback<Report>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = report.id;
    let open = report.status == ReportStatus::Open;
    let context = RwSignal::new(None::<Vec<api::messages::Message>>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let silence_secs = RwSignal::new(3600u64);
    let also_remove = RwSignal::new(true);
    let show_context = move |_| {
        spawn_local(async move {
            match admin::report_context(session, id).await {
                Ok(c) => context.set(Some(c.messages)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let act = move |action: ResolveReport| {
        pending.set(true);
        spawn_local(async move {
            match admin::resolve(session, id, &action).await {
                Ok(r) => on_done.run(r),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let confirm = move |text: String| {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(&text).ok())
            .unwrap_or(false)
    };
    let message = report.message.clone();
    let reported_id = message.id;
    let body = match (&message.recall, &message.body) {
        (Some(_), _) => t_string!(i18n, admin.message_removed).to_string(),
        (None, Some(b)) => b.clone(),
        (None, None) => String::new(),
    };
    let place = report
        .room_name
        .clone()
        .unwrap_or_else(|| t_string!(i18n, admin.private_chat).to_string());
    let author = report.author.name().to_owned();
    let reporter = report.reporter.name().to_owned();
    let author_for_confirm = author.clone();
    view! {
        <li class="report" class:closed=!open data-report=id>
            <div class="report-head">
                <span class="tag">{reason_text(i18n, report.reason)}</span>
                <span class="muted small-text">{when(report.created_at)}</span>
                <span class="muted small-text">{place}</span>
                {(report.others > 0).then(|| view! {
                    <span class="muted small-text">{t_string!(i18n, admin.report_others, count = report.others)}</span>
                })}
                {(!open).then(|| view! { <span class="tag">{status_text(i18n, report.status)}</span> })}
            </div>
            <blockquote class="reported">
                <bdi class="author">{author.clone()}</bdi>": "
                <span dir="auto">{body}</span>
            </blockquote>
            <p class="small-text">
                {t!(i18n, admin.reported_by)}" "<bdi>{reporter}</bdi>
                {report.note.clone().map(|n| view! { " — " <q dir="auto">{n}</q> })}
            </p>
            {report.resolved_by.clone().map(|by| view! {
                <p class="muted small-text">{t!(i18n, admin.resolved_by)}" "<bdi>{by.name().to_owned()}</bdi>
                    {report.resolved_at.map(|at| format!(" · {}", when(at)))}</p>
            })}
            <Show when=move || context.get().is_some() fallback=move || view! {
                <button type="button" class="link tiny" on:click=show_context>{t!(i18n, admin.show_context)}</button>
            }>
                <ol class="context">
                    {move || context.get().unwrap_or_default().into_iter().map(|m| {
                        let text = if m.recall.is_some() {
                            t_string!(i18n, admin.message_removed).to_string()
                        } else {
                            m.body.clone().unwrap_or_default()
                        };
                        view! {
                            <li class:reported-line=m.id == reported_id>
                                <span class="muted small-text">{when(m.created_at)}</span>" "
                                <bdi class="author">{m.author.name().to_owned()}</bdi>": "
                                <span dir="auto">{text}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </Show>
            {open.then(|| view! {
                <div class="report-actions">
                    <button type="button" class="small" disabled=move || pending.get()
                        on:click=move |_| act(ResolveReport::Dismiss)>{t!(i18n, admin.dismiss)}</button>
                    <button type="button" class="small danger" disabled=move || pending.get()
                        on:click=move |_| act(ResolveReport::Remove)>{t!(i18n, admin.remove_message)}</button>
                    <span class="inline-field">
                        <label class="visually-hidden" for=format!("silence-{id}")>{t!(i18n, admin.silence_for)}</label>
                        <select id=format!("silence-{id}") on:change=move |ev| silence_secs.set(event_target_value(&ev).parse().unwrap_or(3600))>
                            <option value="600">{t!(i18n, admin.ten_minutes)}</option>
                            <option value="3600" selected>{t!(i18n, admin.one_hour)}</option>
                            <option value="86400">{t!(i18n, admin.one_day)}</option>
                            <option value="604800">{t!(i18n, admin.one_week)}</option>
                        </select>
                        <button type="button" class="small" disabled=move || pending.get()
                            on:click=move |_| act(ResolveReport::Silence { seconds: silence_secs.get_untracked(), remove: also_remove.get_untracked() })>
                            {t!(i18n, admin.silence_author)}
                        </button>
                    </span>
                    <button type="button" class="small danger" disabled=move || pending.get()
                        on:click=move |_| {
                            if confirm(t_string!(i18n, admin.confirm_deactivate, name = author_for_confirm.clone()).to_string()) {
                                act(ResolveReport::Deactivate { remove: also_remove.get_untracked() });
                            }
                        }>{t!(i18n, admin.deactivate_author)}</button>
                    <label class="check small-text">
                        <input type="checkbox" prop:checked=move || also_remove.get()
                            on:change=move |ev| also_remove.set(event_target_checked(&ev))/>
                        " "{t!(i18n, admin.also_remove)}
                    </label>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
        </li>
    }
}
