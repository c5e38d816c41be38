//! The emoji I reacted with lately, newest first (kept in this browser).

const KEY: &str = "teahouse.recent_emoji";
const KEEP: usize = 16;

pub fn load() -> Vec<String> {
    super::storage::get_json(KEY).unwrap_or_default()
}

/// `emoji` was just used: first in the list.
pub fn used(emoji: &str) {
    let mut recent = load();
    recent.retain(|e| e != emoji);
    recent.insert(0, emoji.to_owned());
    recent.truncate(KEEP);
    super::storage::set_json(KEY, &recent);
}
