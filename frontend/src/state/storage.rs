//! This browser's local storage, for what the app keeps between visits (tokens, theme,
//! drafts, notification choices, recently used emoji). Every call tolerates a browser
//! that has none (private windows, storage turned off): reads find nothing, writes do
//! nothing.

use serde::{Serialize, de::DeserializeOwned};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// The stored value, read as JSON.
pub fn get_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&get(key)?).ok()
}

/// Stores `value` as JSON.
pub fn set_json(key: &str, value: &impl Serialize) {
    if let Ok(raw) = serde_json::to_string(value) {
        set(key, &raw);
    }
}

/// Removes every key that starts with `prefix`.
pub fn remove_prefixed(prefix: &str) {
    let Some(storage) = storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}
