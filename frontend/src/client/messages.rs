//! A post's messages: history, sending, reading, editing, recalling.

use super::{ApiError, empty};
use crate::state::session::Session;
use api::{
    MessageId, PostId,
    messages::{
        EditMessage, EmojiInfo, MarkRead, Message, MessageEdits, MessagePage, MessageReactions,
        SendMessage, Unread,
    },
};

/// A page of history: the newest (`before: None`), or the one ending before a message.
pub async fn history(
    s: Session,
    post: PostId,
    before: Option<MessageId>,
    limit: u32,
) -> Result<MessagePage, ApiError> {
    let path = match before {
        Some(before) => format!("/posts/{post}/messages?before={before}&limit={limit}"),
        None => format!("/posts/{post}/messages?limit={limit}"),
    };
    s.get(&path).await
}

pub async fn send(s: Session, post: PostId, body: &SendMessage) -> Result<Message, ApiError> {
    s.post_json(&format!("/posts/{post}/messages"), body).await
}

/// Read up to and including `upto`.
pub async fn mark_read(s: Session, post: PostId, upto: MessageId) -> Result<Unread, ApiError> {
    let body = MarkRead {
        message_id: Some(upto),
    };
    s.post_json(&format!("/posts/{post}/read"), &body).await
}

pub async fn recall(s: Session, id: MessageId) -> Result<Message, ApiError> {
    s.post_json(&format!("/messages/{id}/recall"), &empty())
        .await
}

pub async fn edit(s: Session, id: MessageId, body: &EditMessage) -> Result<Message, ApiError> {
    s.patch(&format!("/messages/{id}"), body).await
}

/// What a message said before its edits, oldest first.
pub async fn edits(s: Session, id: MessageId) -> Result<MessageEdits, ApiError> {
    s.get(&format!("/messages/{id}/edits")).await
}

/// The page after a message (newer ones).
pub async fn after(
    s: Session,
    post: PostId,
    after: MessageId,
    limit: u32,
) -> Result<MessagePage, ApiError> {
    s.get(&format!(
        "/posts/{post}/messages?after={after}&limit={limit}"
    ))
    .await
}

/// The page with a message in its middle.
pub async fn around(
    s: Session,
    post: PostId,
    around: MessageId,
    limit: u32,
) -> Result<MessagePage, ApiError> {
    s.get(&format!(
        "/posts/{post}/messages?around={around}&limit={limit}"
    ))
    .await
}

fn reaction_path(id: MessageId, emoji: &str) -> String {
    format!(
        "/messages/{id}/reactions/{}",
        String::from(js_sys::encode_uri_component(emoji))
    )
}

/// Adds my reaction (again: no change).
pub async fn react(s: Session, id: MessageId, emoji: &str) -> Result<MessageReactions, ApiError> {
    s.put_json(&reaction_path(id, emoji), &super::empty()).await
}

/// Takes my reaction back.
pub async fn unreact(s: Session, id: MessageId, emoji: &str) -> Result<MessageReactions, ApiError> {
    s.delete_json(&reaction_path(id, emoji)).await
}

/// Every emoji a reaction may be (the picker's list).
pub async fn emoji_catalog(s: Session) -> Result<Vec<EmojiInfo>, ApiError> {
    s.get("/emoji").await
}

/// The room's pinned messages, most recently pinned first.
pub async fn pins(s: Session, room: api::RoomId) -> Result<Vec<api::messages::Pin>, ApiError> {
    s.get(&format!("/rooms/{room}/pins")).await
}

/// Pins a message (owners and admins).
pub async fn pin(s: Session, id: MessageId) -> Result<api::messages::Pin, ApiError> {
    s.put_json(&format!("/messages/{id}/pin"), &super::empty())
        .await
}

pub async fn unpin(s: Session, id: MessageId) -> Result<(), ApiError> {
    s.delete(&format!("/messages/{id}/pin")).await
}

/// Would the word filter warn about, mask or refuse this text in that room?
pub async fn filter_check(
    s: Session,
    room: api::RoomId,
    text: String,
) -> Result<api::moderation::TextCheck, ApiError> {
    let body = api::moderation::CheckText {
        text,
        room_id: Some(room),
    };
    s.post_json("/filter/check", &body).await
}

/// Reports a message to the site's moderators.
pub async fn report(
    s: Session,
    id: api::MessageId,
    body: &api::admin::ReportMessage,
) -> Result<api::admin::MyReport, ApiError> {
    s.post_json(&format!("/messages/{id}/report"), body).await
}
