//! A modal dialog and its action row.
//!
//! The dialog takes the focus (its first control), keeps Tab inside itself, closes on
//! Escape or a click on the backdrop, and gives the focus back to where it was.

use crate::i18n::*;
use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast as _;

/// What can take the focus inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

#[component]
pub fn Dialog(
    #[prop(into)] title: Signal<String>,
    close: Callback<()>,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    trap_focus(panel);
    let on_key = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            // Only this dialog closes, not a drawer under it.
            ev.prevent_default();
            ev.stop_propagation();
            close.run(());
        } else if ev.key() == "Tab" {
            keep_tab_inside(panel, &ev);
        }
    };
    let on_backdrop = move |ev: ev::MouseEvent| {
        if ev.target() == ev.current_target() {
            close.run(());
        }
    };
    view! {
        <div class="overlay" on:keydown=on_key on:click=on_backdrop>
            <div class=format!("dialog card {class}") role="dialog" aria-modal="true" aria-label=move || title.get() node_ref=panel>
                <h2>{move || title.get()}</h2>
                {children()}
            </div>
        </div>
    }
}

/// Focuses the first control of `panel` once it is on the page, and gives the focus back
/// to what had it when `panel` goes away.
pub fn trap_focus(panel: NodeRef<html::Div>) {
    let before = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let before = StoredValue::new_local(before);
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            // At once: this runs in the microtask after the key or click that opened the
            // dialog, before the browser handles the next key, so what is typed straight
            // after Ctrl+K lands in the dialog rather than in whatever had the focus. A
            // panel not yet on the page gets one more try in the next frame.
            if !focus_first(&panel) {
                request_animation_frame(move || {
                    focus_first(&panel);
                });
            }
        }
    });
    on_cleanup(move || {
        before.with_value(|b| {
            if let Some(b) = b
                && b.is_connected()
            {
                let _ = b.focus();
            }
        })
    });
}

/// Focuses `panel`'s control marked `autofocus` (a dialog's main action), else its first
/// control, else the panel itself; whether the focus is now inside `panel`.
fn focus_first(panel: &web_sys::HtmlDivElement) -> bool {
    let first = panel
        .query_selector("[autofocus]")
        .ok()
        .flatten()
        .or_else(|| panel.query_selector(FOCUSABLE).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match first {
        Some(first) => {
            let _ = first.focus();
        }
        None => {
            let _ = panel.set_attribute("tabindex", "-1");
            let _ = panel.focus();
        }
    }
    document()
        .active_element()
        .is_some_and(|a| panel.contains(Some(a.unchecked_ref())))
}

/// Tab from the last control goes to the first, Shift+Tab from the first to the last.
pub fn keep_tab_inside(panel: NodeRef<html::Div>, ev: &ev::KeyboardEvent) {
    let Some(panel) = panel.get_untracked() else {
        return;
    };
    let Ok(all) = panel.query_selector_all(FOCUSABLE) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let on =
        |e: &web_sys::HtmlElement| active.as_ref() == Some(e.unchecked_ref::<web_sys::Element>());
    let inside = active
        .as_ref()
        .is_some_and(|a| panel.contains(Some(a.unchecked_ref())));
    if ev.shift_key() && (on(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (on(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// Cancel and the dialog's submit button.
#[component]
pub fn DialogActions(close: Callback<()>, #[prop(into)] submit: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="actions">
            <button type="button" class="small" on:click=move |_| close.run(())>{t!(i18n, chat.cancel)}</button>
            <button type="submit" class="primary">{move || submit.get()}</button>
        </div>
    }
}
