//! An unread count as a badge: hidden at 0, "99+" above 99, read out in words.

use crate::{i18n::*, text::badge};
use leptos::prelude::*;

#[component]
pub fn UnreadBadge(#[prop(into)] count: Signal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let n = count.get();
        (n > 0).then(|| {
            view! {
                <span class="badge" aria-label=move || t_string!(i18n, chat.unread_count, count = n).to_string()>{badge(n)}</span>
            }
        })
    }
}

/// "@": unread messages here mention me (QQ's 有人@我); hidden at 0.
#[component]
pub fn MentionBadge(#[prop(into)] count: Signal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let n = count.get();
        (n > 0).then(|| {
            view! {
                <span class="badge mention-badge" title=move || t_string!(i18n, chat.mentioned_count, count = n).to_string()
                    aria-label=move || t_string!(i18n, chat.mentioned_count, count = n).to_string()>"@"</span>
            }
        })
    }
}
