//! Unsent text per conversation, in this browser's local storage, per account.

use super::storage;
use api::{PostId, UserId};

const PREFIX: &str = "teahouse.draft.";

pub fn key(me: UserId, post: PostId) -> String {
    format!("{PREFIX}{me}.{post}")
}

pub fn load(key: &str) -> String {
    storage::get(key).unwrap_or_default()
}

pub fn save(key: &str, text: &str) {
    if text.trim().is_empty() {
        storage::remove(key);
    } else {
        storage::set(key, text);
    }
}

/// Forgets every draft (at logout, so the next person on this browser sees none).
pub fn clear_all() {
    storage::remove_prefixed(PREFIX);
}
