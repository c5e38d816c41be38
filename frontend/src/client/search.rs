//! Search.

use super::ApiError;
use crate::state::session::Session;
use api::search::{FileResults, SearchResults};

/// The query string shared by both searches.
fn path(
    what: &str,
    q: &str,
    room: Option<api::RoomId>,
    filter: Option<(&str, &str)>,
    before: Option<api::MessageId>,
) -> String {
    let mut path = format!("/search/{what}?q={}", js_sys::encode_uri_component(q));
    if let Some(room) = room {
        path.push_str(&format!("&room_id={room}"));
    }
    if let Some((name, value)) = filter {
        path.push_str(&format!("&{name}={value}"));
    }
    if let Some(before) = before {
        path.push_str(&format!("&before={before}"));
    }
    path
}

/// Messages in my rooms and chats matching `q`; `room` limits it to one, `has` is
/// `file` or `image`; `before` is the previous page's `next_before`.
pub async fn messages(
    s: Session,
    q: &str,
    room: Option<api::RoomId>,
    has: Option<&str>,
    before: Option<api::MessageId>,
) -> Result<SearchResults, ApiError> {
    s.get(&path("messages", q, room, has.map(|h| ("has", h)), before))
        .await
}

/// Files in my rooms and chats whose names match `q`; `kind` is `image` or `file`.
pub async fn files(
    s: Session,
    q: &str,
    room: Option<api::RoomId>,
    kind: Option<&str>,
    before: Option<api::MessageId>,
) -> Result<FileResults, ApiError> {
    s.get(&path("files", q, room, kind.map(|k| ("kind", k)), before))
        .await
}
