//! The emoji I reacted with lately, newest first (kept in this browser).

const KEY: &str = "teahouse.recent_emoji";
const KEEP: usize = 16;

pub fn load() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

/// `emoji` was just used: first in the list.
pub fn used(emoji: &str) {
    let mut recent = load();
    recent.retain(|e| e != emoji);
    recent.insert(0, emoji.to_owned());
    recent.truncate(KEEP);
    if let (Some(storage), Ok(raw)) = (
        web_sys::window().and_then(|w| w.local_storage().ok().flatten()),
        serde_json::to_string(&recent),
    ) {
        let _ = storage.set_item(KEY, &raw);
    }
}
