//! Search.

use super::ApiError;
use crate::state::session::Session;
use api::search::SearchResults;

/// Messages in my rooms and chats matching `q`; `room` limits it to one, `has` is
/// `file` or `image`.
pub async fn messages(
    s: Session,
    q: &str,
    room: Option<api::RoomId>,
    has: Option<&str>,
) -> Result<SearchResults, ApiError> {
    let mut path = format!("/search/messages?q={}", js_sys::encode_uri_component(q));
    if let Some(room) = room {
        path.push_str(&format!("&room_id={room}"));
    }
    if let Some(has) = has {
        path.push_str(&format!("&has={has}"));
    }
    s.get(&path).await
}
