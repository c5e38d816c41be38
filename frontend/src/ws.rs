//! The one WebSocket: opened when someone logs in, closed when they log out. It sends
//! `auth` with the cursors of every room seen so far, hands every frame to the chat state,
//! and reconnects with backoff, so a dropped connection loses nothing.

use crate::state::chat::{Chat, Connection};
use api::{
    PostId,
    ws::{Activity, ClientFrame, RoomCursor, ServerFrame, close},
};
use leptos::{prelude::*, task::spawn_local};
use std::{cell::RefCell, time::Duration};
use wasm_bindgen::{JsCast as _, closure::Closure};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// The longest wait between reconnection attempts.
const MAX_BACKOFF_MS: u64 = 15_000;

struct Live {
    socket: WebSocket,
    // Kept alive as long as the socket; dropped with it.
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

thread_local! {
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
    /// False after logout: a closing socket must not come back.
    static WANTED: RefCell<bool> = const { RefCell::new(false) };
}

/// Opens the socket (if not open) and keeps it open until `stop`.
pub fn start(chat: Chat) {
    WANTED.with(|w| *w.borrow_mut() = true);
    if LIVE.with(|l| l.borrow().is_none()) {
        open(chat, 0);
    }
}

pub fn stop() {
    WANTED.with(|w| *w.borrow_mut() = false);
    if let Some(live) = LIVE.with(|l| l.borrow_mut().take()) {
        let _ = live.socket.close();
    }
}

/// Sends a typing notice (ignored when offline).
pub fn typing(post_id: PostId) {
    send(&ClientFrame::Typing { post_id });
}

/// No input for this long makes the person away.
const AWAY_AFTER_MS: f64 = 5.0 * 60.0 * 1000.0;

thread_local! {
    /// When the person last did something here, and whether the server was told "away".
    static ACTIVITY: RefCell<(f64, bool)> = const { RefCell::new((0.0, false)) };
}

/// Input happened (a key, the pointer, the tab shown): active again if away.
pub fn active() {
    let now = crate::state::conversation::now_ms();
    let was_away = ACTIVITY.with(|a| {
        let mut a = a.borrow_mut();
        a.0 = now;
        std::mem::replace(&mut a.1, false)
    });
    if was_away {
        send(&ClientFrame::Presence {
            status: Activity::Active,
        });
    }
}

/// Called on a timer: reports "away" once after `AWAY_AFTER_MS` without input.
pub fn check_idle() {
    let now = crate::state::conversation::now_ms();
    let turn_away = ACTIVITY.with(|a| {
        let mut a = a.borrow_mut();
        if !a.1 && now - a.0 > AWAY_AFTER_MS {
            a.1 = true;
            true
        } else {
            false
        }
    });
    if turn_away {
        send(&ClientFrame::Presence {
            status: Activity::Away,
        });
    }
}

fn send(frame: &ClientFrame) {
    let Ok(json) = serde_json::to_string(frame) else {
        return;
    };
    LIVE.with(|l| {
        if let Some(live) = l.borrow().as_ref()
            && live.socket.ready_state() == WebSocket::OPEN
        {
            let _ = live.socket.send_with_str(&json);
        }
    });
}

fn url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!(
        "{scheme}://{}{}/ws",
        location.host().ok()?,
        api::API_PREFIX
    ))
}

fn open(chat: Chat, attempt: u32) {
    if !WANTED.with(|w| *w.borrow()) {
        return;
    }
    let (Some(url), Some(token)) = (url(), chat.session.access_token()) else {
        return;
    };
    let Ok(socket) = WebSocket::new(&url) else {
        reconnect_later(chat, attempt);
        return;
    };
    chat.connection.set(if attempt == 0 {
        Connection::Connecting
    } else {
        Connection::Reconnecting
    });

    let auth_socket = socket.clone();
    let on_open = Closure::<dyn FnMut()>::new(move || {
        let cursors = chat.cursors.with_value(|c| {
            c.iter()
                .map(|(room_id, seq)| RoomCursor {
                    room_id: *room_id,
                    seq: *seq,
                })
                .collect()
        });
        if let Ok(json) = serde_json::to_string(&ClientFrame::Auth {
            token: token.clone(),
            cursors,
        }) {
            let _ = auth_socket.send_with_str(&json);
        }
        // A new socket starts active; say so again if the person is away.
        let away = ACTIVITY.with(|a| a.borrow().1);
        if away
            && let Ok(json) = serde_json::to_string(&ClientFrame::Presence {
                status: Activity::Away,
            })
        {
            let _ = auth_socket.send_with_str(&json);
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
            chat.apply(frame);
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        LIVE.with(|l| l.borrow_mut().take());
        if !WANTED.with(|w| *w.borrow()) {
            return;
        }
        chat.connection.set(Connection::Reconnecting);
        match event.code() {
            close::SESSION_ENDED => chat.session.ended_by_server(None),
            close::AUTH_FAILED => {
                // Most likely an expired access token: any authenticated call refreshes it.
                spawn_local(async move {
                    if crate::client::users::me(chat.session).await.is_ok() {
                        open(chat, attempt + 1);
                    }
                });
            }
            // Too many tabs open: wait longer before trying again.
            close::TOO_MANY_SOCKETS => reconnect_later(chat, attempt.max(4) + 1),
            _ => reconnect_later(chat, attempt + 1),
        }
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    LIVE.with(|l| {
        *l.borrow_mut() = Some(Live {
            socket,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
    });
}

/// Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 15 s.
fn reconnect_later(chat: Chat, attempt: u32) {
    let base = 500u64
        .saturating_mul(1 << attempt.min(5))
        .min(MAX_BACKOFF_MS);
    let jitter = (crate::state::conversation::now_ms() as u64) % 250;
    set_timeout(
        move || open(chat, attempt),
        Duration::from_millis(base + jitter),
    );
}
