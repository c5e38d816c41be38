//! The admin console (`/admin/:section`), for site staff: the dashboard, reports, people,
//! rooms, word lists, the audit log and (admins) the server's settings. The server checks
//! every call; the app only hides what the person's role cannot do.

mod audit;
mod dashboard;
mod people;
mod reports;
mod rooms;
mod settings;
mod words;

use crate::{i18n::*, state::session::use_session};
use api::users::Role;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Reports,
    People,
    Rooms,
    Words,
    Audit,
    Settings,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Dashboard,
        Section::Reports,
        Section::People,
        Section::Rooms,
        Section::Words,
        Section::Audit,
        Section::Settings,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Section::Dashboard => "dashboard",
            Section::Reports => "reports",
            Section::People => "people",
            Section::Rooms => "rooms",
            Section::Words => "words",
            Section::Audit => "audit",
            Section::Settings => "settings",
        }
    }

    fn from_slug(slug: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| Some(s.slug()) == slug)
            .unwrap_or(Section::Dashboard)
    }

    /// Settings are the admins'; the rest is for every staff member.
    fn for_role(self, role: Role) -> bool {
        match self {
            Section::Settings => role.is_admin(),
            _ => role.is_staff(),
        }
    }
}

/// The logged-in person's site role.
pub fn my_role() -> Signal<Role> {
    use_session().role()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let role = my_role();
    let section = Memo::new(move |_| Section::from_slug(params.read().get("section").as_deref()));
    let name = move |s: Section| match s {
        Section::Dashboard => t_string!(i18n, admin.dashboard),
        Section::Reports => t_string!(i18n, admin.reports),
        Section::People => t_string!(i18n, admin.people),
        Section::Rooms => t_string!(i18n, admin.rooms),
        Section::Words => t_string!(i18n, admin.words),
        Section::Audit => t_string!(i18n, admin.audit),
        Section::Settings => t_string!(i18n, admin.settings),
    };
    view! {
        <Show when=move || role.get().is_staff() fallback=move || view! {
            <section class="card narrow"><h1>{t!(i18n, admin.title)}</h1><p>{t!(i18n, admin.staff_only)}</p></section>
        }>
            <div class="settings admin">
                <nav class="settings-nav" aria-label=move || t_string!(i18n, admin.title)>
                    <h1>{t!(i18n, admin.title)}</h1>
                    <ul>
                        {Section::ALL.into_iter().map(|s| view! {
                            <Show when=move || s.for_role(role.get())>
                                <li>
                                    <A href=crate::app::Page::Admin(Some(s.slug())).path()
                                        attr:aria-current=move || (section.get() == s).then_some("page")>
                                        {move || name(s)}
                                    </A>
                                </li>
                            </Show>
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="settings-body">
                    {move || match section.get() {
                        Section::Dashboard => view! { <dashboard::Dashboard/> }.into_any(),
                        Section::Reports => view! { <reports::Reports/> }.into_any(),
                        Section::People => view! { <people::People/> }.into_any(),
                        Section::Rooms => view! { <rooms::Rooms/> }.into_any(),
                        Section::Words => view! { <words::Words/> }.into_any(),
                        Section::Audit => view! { <audit::Audit/> }.into_any(),
                        Section::Settings => view! { <settings::Settings/> }.into_any(),
                    }}
                </div>
            </div>
        </Show>
    }
}

/// A date and time as staff read it in tables: `2026-12-04 22:37` (UTC).
pub fn when(at: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// Bytes as people read them.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A list the console pages through (people, rooms, reports): the rows loaded so far,
/// the cursor of the next page, and the last error. Only the newest request's answer is
/// kept, so a slow earlier search cannot replace a later one.
pub struct Paged<T: Send + Sync + 'static, C: Send + Sync + Clone + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<C>>,
    pub loaded: RwSignal<bool>,
    pub error: RwSignal<Option<crate::client::ApiError>>,
    asked: StoredValue<u64>,
}

impl<T: Send + Sync + 'static, C: Send + Sync + Clone + 'static> Clone for Paged<T, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static, C: Send + Sync + Clone + 'static> Copy for Paged<T, C> {}

impl<T: Send + Sync + 'static, C: Send + Sync + Clone + 'static> Paged<T, C> {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loaded: RwSignal::new(false),
            error: RwSignal::new(None),
            asked: StoredValue::new(0),
        }
    }

    /// The cursor to ask with: the next page's when `more`, else none (the first page).
    pub fn cursor(&self, more: bool) -> Option<C> {
        if more {
            self.next.get_untracked()
        } else {
            None
        }
    }

    /// Loads a page (`more`: appended; otherwise the list starts again).
    pub fn load<F>(&self, more: bool, fetch: F)
    where
        F: std::future::Future<Output = Result<(Vec<T>, Option<C>), crate::client::ApiError>>
            + 'static,
    {
        let this = *self;
        this.asked.update_value(|n| *n += 1);
        let mine = this.asked.get_value();
        leptos::task::spawn_local(async move {
            let page = fetch.await;
            if this.asked.try_get_value() != Some(mine) {
                return;
            }
            match page {
                Ok((rows, next)) => {
                    if more {
                        this.items.update(|all| all.extend(rows));
                    } else {
                        this.items.set(rows);
                    }
                    this.next.set(next);
                    this.error.set(None);
                    this.loaded.set(true);
                }
                Err(e) => this.error.set(Some(e)),
            }
        });
    }
}
