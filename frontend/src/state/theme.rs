//! Light or dark: the system's preference until the user picks one, then remembered.

use leptos::prelude::*;

const THEME_KEY: &str = "teahouse.theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

#[derive(Clone, Copy)]
pub struct ThemeContext(pub RwSignal<Theme>);

pub fn provide() -> ThemeContext {
    let theme = RwSignal::new(initial());
    // The one effect here talks to the outside world: the <html> attribute and storage.
    Effect::new(move |previous: Option<Theme>| {
        let current = theme.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", current.as_str());
        }
        if previous.is_some() {
            super::storage::set(THEME_KEY, current.as_str());
        }
        current
    });
    let context = ThemeContext(theme);
    provide_context(context);
    context
}

pub fn use_theme() -> ThemeContext {
    expect_context::<ThemeContext>()
}

fn initial() -> Theme {
    let window = web_sys::window();
    let stored = super::storage::get(THEME_KEY);
    match stored.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let prefers_dark = window
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if prefers_dark {
                Theme::Dark
            } else {
                Theme::Light
            }
        }
    }
}
