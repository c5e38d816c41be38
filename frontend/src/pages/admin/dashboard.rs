//! The server at a glance: people, activity, rooms, messages per day, storage, sockets,
//! reports waiting.

use super::bytes;
use crate::{client::admin, i18n::*, state::session::use_session, text::error_text};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let board = RwSignal::new(None::<api::admin::Dashboard>);
    let error = RwSignal::new(None::<crate::client::ApiError>);
    spawn_local(async move {
        match admin::dashboard(session).await {
            Ok(b) => board.set(Some(b)),
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <section class="card">
            <h2>{t!(i18n, admin.dashboard)}</h2>
            {move || error.get().map(|e| view! { <p class="error-text">{error_text(i18n, &e)}</p> })}
            {move || board.get().map(|b| {
                let peak = b.messages_per_day.iter().map(|d| d.count).max().unwrap_or(0).max(1);
                let tiles = vec![
                    (t_string!(i18n, admin.stat_people).to_string(), b.people.to_string()),
                    (t_string!(i18n, admin.stat_active_day).to_string(), b.active_day.to_string()),
                    (t_string!(i18n, admin.stat_active_week).to_string(), b.active_week.to_string()),
                    (t_string!(i18n, admin.stat_rooms).to_string(), b.rooms.to_string()),
                    (t_string!(i18n, admin.stat_private_chats).to_string(), b.private_chats.to_string()),
                    (t_string!(i18n, admin.stat_messages).to_string(), b.messages.to_string()),
                    (t_string!(i18n, admin.stat_storage).to_string(), bytes(b.storage_bytes)),
                    (t_string!(i18n, admin.stat_sockets).to_string(), b.sockets_open.to_string()),
                    (t_string!(i18n, admin.stat_deactivated).to_string(), b.deactivated.to_string()),
                    (t_string!(i18n, admin.stat_open_reports).to_string(), b.open_reports.to_string()),
                ];
                let days = b.messages_per_day.clone();
                let chart_label = t_string!(i18n, admin.chart_label).to_string();
                view! {
                    <dl class="stats">
                        {tiles.into_iter().map(|(label, value)| view! {
                            <div class="stat"><dt>{label}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                    <h3>{t!(i18n, admin.messages_per_day)}</h3>
                    <figure class="chart" role="img" aria-label=chart_label>
                        <div class="bars">
                            {days.into_iter().map(|d| {
                                // The tallest bar takes 75 % of the slot: its number and day fit around it.
                                let height = format!("height: {}%", (d.count * 75 / peak).max(1));
                                let label = format!("{}: {}", d.day, d.count);
                                let short = d.day.get(5..).unwrap_or(&d.day).to_owned();
                                view! {
                                    <div class="bar-slot" title=label.clone()>
                                        <span class="bar-value">{d.count}</span>
                                        <span class="bar" style=height></span>
                                        <span class="bar-day">{short}</span>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </figure>
                }
            })}
        </section>
    }
}
