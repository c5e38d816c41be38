//! Is the person looking, and how to reach them when they are not: whether the tab is
//! visible and focused, the unread total in the tab title and on the favicon, desktop
//! notifications and a sound (both off until the person turns them on in the settings).

use leptos::prelude::*;
use wasm_bindgen::{JsCast as _, closure::Closure};

const NOTIFY_KEY: &str = "teahouse.notify";
const SOUND_KEY: &str = "teahouse.sound";
/// The favicon without a count (frontend/assets/favicon.svg).
const FAVICON: &str = include_str!("../../assets/favicon.svg");

#[derive(Clone, Copy)]
pub struct Attention {
    /// The tab is visible and its window has the focus: what arrives can be seen.
    pub looking: RwSignal<bool>,
    /// Desktop notifications wanted (the browser's permission is asked when turned on).
    pub notify: RwSignal<bool>,
    /// A short sound for what would notify.
    pub sound: RwSignal<bool>,
}

impl Attention {
    pub fn provide() -> Self {
        let attention = Self {
            looking: RwSignal::new(looking_now()),
            notify: RwSignal::new(stored(NOTIFY_KEY)),
            sound: RwSignal::new(stored(SOUND_KEY)),
        };
        let update = move || attention.looking.set(looking_now());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let on_change = Closure::<dyn FnMut()>::new(update);
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_change.as_ref().unchecked_ref(),
            );
            on_change.forget();
        }
        for event in ["focus", "blur"] {
            let _ = window_event_listener_untyped(event, move |_| update());
        }
        Effect::new(move |previous: Option<(bool, bool)>| {
            let now = (attention.notify.get(), attention.sound.get());
            if previous.is_some() {
                store(NOTIFY_KEY, now.0);
                store(SOUND_KEY, now.1);
            }
            now
        });
        provide_context(attention);
        attention
    }

    /// Turns desktop notifications on (asking the browser first) or off. Returns at once;
    /// `notify` follows the browser's answer.
    pub fn set_notify(self, on: bool) {
        if !on {
            self.notify.set(false);
            return;
        }
        match permission() {
            Some(web_sys::NotificationPermission::Granted) => self.notify.set(true),
            Some(web_sys::NotificationPermission::Default) => {
                let Ok(promise) = web_sys::Notification::request_permission() else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                    self.notify
                        .set(permission() == Some(web_sys::NotificationPermission::Granted));
                });
            }
            _ => self.notify.set(false),
        }
    }

    /// Whether the browser refused notifications for this site (the setting explains).
    pub fn notify_denied(&self) -> bool {
        permission() == Some(web_sys::NotificationPermission::Denied)
    }

    /// Tells the person about a message they cannot see: a notification (clicking it
    /// brings the tab back and opens `page`) and a sound, each if turned on.
    pub fn alert(self, title: &str, body: &str, tag: &str, page: crate::app::Page) {
        if self.notify.get_untracked()
            && permission() == Some(web_sys::NotificationPermission::Granted)
        {
            let options = web_sys::NotificationOptions::new();
            options.set_body(body);
            options.set_tag(tag);
            if let Ok(note) = web_sys::Notification::new_with_options(title, &options) {
                // Freed by the browser after its one call (or with the notification).
                let on_click = Closure::once_into_js(move || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.focus();
                    }
                    crate::app::go(page);
                });
                note.set_onclick(Some(on_click.unchecked_ref()));
            }
        }
        if self.sound.get_untracked() {
            chime();
        }
    }
}

pub fn use_attention() -> Attention {
    expect_context::<Attention>()
}

/// Keeps the tab title and the favicon showing `unread` (nothing at 0).
pub fn show_unread(unread: i64) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let base = "Teahouse · 茶馆";
    document.set_title(&if unread > 0 {
        format!("({}) {base}", crate::text::badge(unread))
    } else {
        base.to_owned()
    });
    let svg = if unread > 0 {
        let label = crate::text::badge(unread);
        let size = if label.len() > 2 { 22 } else { 28 };
        FAVICON.replace(
            "</svg>",
            &format!(
                "<circle cx=\"46\" cy=\"18\" r=\"18\" fill=\"#c62828\"/><text x=\"46\" y=\"18\" \
                 dy=\".35em\" text-anchor=\"middle\" font-family=\"sans-serif\" font-weight=\"700\" \
                 font-size=\"{size}\" fill=\"#fff\">{label}</text></svg>"
            ),
        )
    } else {
        FAVICON.to_owned()
    };
    let href = format!(
        "data:image/svg+xml,{}",
        String::from(js_sys::encode_uri_component(&svg))
    );
    if let Ok(Some(link)) = document.query_selector("link[rel~='icon']") {
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("data-unread", &unread.to_string());
    }
}

fn looking_now() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| {
            d.visibility_state() == web_sys::VisibilityState::Visible
                && d.has_focus().unwrap_or(false)
        })
}

fn permission() -> Option<web_sys::NotificationPermission> {
    // Not every browser has notifications (iOS Safari outside a home-screen app).
    let window = web_sys::window()?;
    js_sys::Reflect::has(&window, &"Notification".into())
        .ok()
        .filter(|has| *has)?;
    Some(web_sys::Notification::permission())
}

thread_local! {
    /// One audio context for every chime (each one holds an audio thread while open).
    static AUDIO: std::cell::RefCell<Option<web_sys::AudioContext>> = const { std::cell::RefCell::new(None) };
}

/// A soft two-note chime made on the spot (no audio file to fetch).
fn chime() {
    let Some(context) = AUDIO.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_none() {
            *a = web_sys::AudioContext::new().ok();
        }
        a.clone()
    }) else {
        return;
    };
    let _ = context.resume();
    let now = context.current_time();
    for (i, frequency) in [880.0f32, 1320.0].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
            return;
        };
        let start = now + i as f64 * 0.12;
        tone.frequency().set_value(frequency);
        let level = gain.gain();
        let _ = level.set_value_at_time(0.0001, start);
        let _ = level.exponential_ramp_to_value_at_time(0.15, start + 0.02);
        let _ = level.exponential_ramp_to_value_at_time(0.0001, start + 0.3);
        let _ = tone
            .connect_with_audio_node(&gain)
            .and_then(|_| gain.connect_with_audio_node(&context.destination()));
        let _ = tone.start_with_when(start);
        let _ = tone.stop_with_when(start + 0.32);
    }
}

fn stored(key: &str) -> bool {
    super::storage::get(key).is_some_and(|v| v == "on")
}

fn store(key: &str, on: bool) {
    super::storage::set(key, if on { "on" } else { "off" });
}
