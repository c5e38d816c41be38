//! A person's presence: a dot and its words.

use crate::i18n::*;
use api::friends::Presence;
use leptos::prelude::*;

/// "online" / "away" / "offline" in the reader's language.
pub fn presence_label(i18n: leptos_i18n::I18nContext<Locale>, status: Presence) -> &'static str {
    match status {
        Presence::Online => t_string!(i18n, chat.online),
        Presence::Away => t_string!(i18n, chat.away),
        Presence::Offline => t_string!(i18n, chat.offline),
    }
}

#[component]
pub fn PresenceDot(status: Presence) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="dot" class:on=status == Presence::Online class:away=status == Presence::Away
            role="img" aria-label=move || presence_label(i18n, status)></span>
    }
}

/// "last seen 2026-11-30" in the reader's language.
pub fn last_seen_text(i18n: leptos_i18n::I18nContext<Locale>, at: time::OffsetDateTime) -> String {
    let d = at.date();
    let when = format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    t_string!(i18n, contacts.last_seen, when).to_string()
}
