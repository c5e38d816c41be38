//! Unsent text per conversation, in this browser's local storage, per account.

use api::{PostId, UserId};

const PREFIX: &str = "teahouse.draft.";

pub fn key(me: UserId, post: PostId) -> String {
    format!("{PREFIX}{me}.{post}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> String {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .unwrap_or_default()
}

pub fn save(key: &str, text: &str) {
    if let Some(s) = storage() {
        let _ = if text.trim().is_empty() {
            s.remove_item(key)
        } else {
            s.set_item(key, text)
        };
    }
}

/// Forgets every draft (at logout, so the next person on this browser sees none).
pub fn clear_all() {
    let Some(s) = storage() else { return };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
