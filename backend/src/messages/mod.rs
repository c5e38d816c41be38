//! Messages: sending (idempotent by `client_id`), history pages, recall, read markers and
//! unread counts.

pub mod markdown;
pub mod mentions;
pub mod pins;
pub mod reactions;
pub mod routes;
pub mod service;
pub mod unread;
pub mod writer;

use crate::{entities::message, rooms::summary};
use api::{
    MessageId, PostId, RoomId, UserId,
    messages::{Message, MessageKind, Recall},
};

pub fn kind_from_str(s: &str) -> MessageKind {
    match s {
        "joined" => MessageKind::Joined,
        "left" => MessageKind::Left,
        _ => MessageKind::Text,
    }
}

pub fn kind_to_str(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Text => "text",
        MessageKind::Joined => "joined",
        MessageKind::Left => "left",
    }
}

/// The wire form, without attachments (the caller adds them: they are another table). A
/// recalled message never carries its body (it is also gone from the database; this is a
/// second guard).
pub fn to_message(m: &message::Model, author: &crate::entities::user::Model) -> Message {
    let recall = m.recalled_at.map(|at| {
        let by = m.recalled_by.unwrap_or(m.author_id);
        Recall {
            by: UserId(by),
            by_admin: by != m.author_id,
            at,
        }
    });
    Message {
        id: MessageId(m.id),
        room_id: RoomId(m.room_id),
        post_id: PostId(m.post_id),
        kind: kind_from_str(&m.kind),
        author: summary(author),
        body: if recall.is_some() {
            None
        } else {
            m.body.clone()
        },
        html: match (&recall, &m.body_html, &m.body) {
            (Some(_), _, _) => None,
            (None, Some(html), _) => Some(html.clone()),
            // Sent before formatting existed: plain text, shown as such.
            (None, None, Some(body)) if !body.is_empty() => Some(markdown::render_plain(body)),
            (None, None, _) => None,
        },
        attachments: Vec::new(),
        client_id: m.client_id.map(|c| c.to_string()),
        created_at: m.created_at,
        edited_at: m.edited_at,
        reply_to: None,
        reactions: Vec::new(),
        mentions: if recall.is_some() {
            Vec::new()
        } else {
            mentions_from_column(m.mentions.as_deref())
        },
        mention_all: recall.is_none() && m.mention_all,
        recall,
    }
}

/// `messages.mentions` (`,12,45,`) as ids.
pub fn mentions_from_column(stored: Option<&str>) -> Vec<UserId> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.parse().ok().map(UserId))
        .collect()
}

/// Ids as `messages.mentions` stores them: `,12,45,` (`None` for nobody), so
/// `LIKE '%,<id>,%'` finds one exactly.
pub fn mentions_to_column(ids: &[UserId]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let mut out = String::from(",");
    for id in ids {
        out.push_str(&id.0.to_string());
        out.push(',');
    }
    Some(out)
}
