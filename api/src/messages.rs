use crate::{
    MessageId, PostId, RoomId, UserId, files::FileId, files::FileInfo, rooms::UserSummary,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `POST /posts/{id}/messages`. Sending the same `client_id` again returns the message the
/// first send created and creates nothing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// A UUID the client makes once per message and reuses on every retry.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub client_id: String,
    /// Up to 4000 characters of Markdown (the chat subset: see `Message.html`); line breaks
    /// are kept; HTML in it is shown as text, never interpreted. May be empty when the
    /// message carries attachments.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub body: String,
    /// Up to 5 files I uploaded (`POST /files`) and have not sent yet, in the order to
    /// show them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub attachments: Vec<FileId>,
    /// The message this one answers: a text message, not recalled, in the same post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    /// Members of the room this message calls (`@name` in the text is for people; these
    /// ids are what counts): each is highlighted for them, counted apart in their unread
    /// and notified even where they muted the room. Up to `rules::MENTIONS_PER_MESSAGE`;
    /// someone not in the room is `mentions: not_member`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<UserId>,
    /// Calls everyone in the room (`@all`): owners and admins, and members where the
    /// room allows it (`Room.members_mention_all`); otherwise 403 `mention_all_forbidden`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mention_all: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Written by a person.
    Text,
    /// "X joined the room": `author` is X.
    Joined,
    /// "X left the room": `author` is X.
    Left,
}

/// A message. A recalled one keeps its place with `body` gone and `recall` set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: MessageId,
    pub room_id: RoomId,
    pub post_id: PostId,
    pub kind: MessageKind,
    pub author: UserSummary,
    /// What the author wrote (Markdown source, for clients that want text). `None` once
    /// recalled; empty for a message of attachments only.
    pub body: Option<String>,
    /// `body` rendered once by the server and sanitised: only `p`, `br`, `em`, `strong`,
    /// `del`, `code`, `pre`, `blockquote`, `ul`, `ol` (`start`), `li` and `a` (`href` with
    /// http, https or mailto only; `rel` and `target` set by the server). Safe to insert as
    /// HTML. Absent for notices, recalled messages and messages of attachments only
    /// (messages sent before formatting existed are rendered as the plain text they were;
    /// events recorded before then may lack it: show `body` as plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Its files, in order; empty once recalled (the files stop downloading then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<FileInfo>,
    /// The sender's idempotency key, so a client can match its pending copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When its author last edited it; absent if never. Earlier versions:
    /// `GET /messages/{id}/edits`.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub edited_at: Option<OffsetDateTime>,
    /// The message this one answers, quoted as it is now (absent if it answers none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Box<ReplyQuote>>,
    /// Emoji reactions, in the order each was first given; absent if none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<Reaction>,
    /// The members it mentions (see `SendMessage.mentions`); absent if none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<UserId>,
    /// It mentions everyone in the room (`@all`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mention_all: bool,
    pub recall: Option<Recall>,
}

/// One emoji on a message and who gave it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reaction {
    /// One Unicode emoji, fully qualified.
    pub emoji: String,
    /// How many people gave it.
    pub count: u32,
    /// Who, in the order they reacted: the first `rules::REACTION_USERS_LISTED`.
    pub users: Vec<UserId>,
}

impl Reaction {
    /// Adds (`added`) or removes one person's reaction in `list`: what a client does with
    /// `reaction_added` / `reaction_removed`. Adding twice or removing what is not there
    /// changes nothing.
    pub fn apply(list: &mut Vec<Reaction>, emoji: &str, user: UserId, added: bool) {
        let at = list.iter().position(|r| r.emoji == emoji);
        match (at, added) {
            (Some(i), true) => {
                let r = &mut list[i];
                if !r.users.contains(&user) {
                    r.count += 1;
                    if r.users.len() < crate::rules::REACTION_USERS_LISTED {
                        r.users.push(user);
                    }
                }
            }
            (None, true) => list.push(Reaction {
                emoji: emoji.to_owned(),
                count: 1,
                users: vec![user],
            }),
            (Some(i), false) => {
                let r = &mut list[i];
                if let Some(at) = r.users.iter().position(|u| *u == user) {
                    r.users.remove(at);
                    r.count = r.count.saturating_sub(1);
                }
                if r.count == 0 {
                    list.remove(i);
                }
            }
            (None, false) => {}
        }
    }
}

/// `PUT` / `DELETE /messages/{id}/reactions/{emoji}`: the message's reactions now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageReactions {
    pub message_id: MessageId,
    pub reactions: Vec<Reaction>,
}

/// `GET /emoji`: the emoji a picker offers (up to Emoji 15.0; any emoji may be sent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmojiInfo {
    pub emoji: String,
    /// The CLDR short name, in English ("smiling face with sunglasses").
    pub name: String,
    /// Its group, snake_case: `smileys_and_emotion`, `people_and_body`,
    /// `animals_and_nature`, `food_and_drink`, `travel_and_places`, `activities`,
    /// `objects`, `symbols`, `flags`.
    pub group: String,
    /// GitHub-style short codes ("sunglasses"), for search.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shortcodes: Vec<String>,
}

/// The compact quote of the message a reply answers. It follows the original: an edit
/// changes the excerpt, a recall takes excerpt and attachment away and sets `recall`.
/// `GET /posts/{id}/messages?around={id}` opens the original in context.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyQuote {
    pub id: MessageId,
    pub author: UserSummary,
    /// Its text, formatting removed, line breaks folded, at most 80 characters; `None`
    /// when recalled or without text.
    pub excerpt: Option<String>,
    /// Its first attachment, if any (not when recalled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<crate::conversations::AttachmentPreview>,
    /// Set once the original was recalled (or removed by an admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<Recall>,
}

impl ReplyQuote {
    /// What the quote says (not recalled): the excerpt, or the attachment's tag.
    pub fn preview(&self, words: &crate::conversations::PreviewWords<'_>) -> String {
        crate::conversations::LastMessage {
            id: self.id,
            author: self.author.clone(),
            kind: MessageKind::Text,
            recalled: self.recall.is_some(),
            excerpt: self.excerpt.clone(),
            attachment: self.attachment.clone(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
        .preview(false, words)
    }

    /// The quote of `original` as it is now.
    pub fn of(original: &Message) -> Self {
        Self {
            id: original.id,
            author: original.author.clone(),
            excerpt: original
                .text()
                .filter(|t| !t.is_empty())
                .map(|t| crate::conversations::excerpt(&t)),
            attachment: original.attachments.first().map(Into::into),
            recall: original.recall.clone(),
        }
    }
}

impl Message {
    /// The message as plain text, formatting removed: for previews and notifications.
    pub fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match (&self.html, &self.body) {
            (Some(html), _) => Some(std::borrow::Cow::Owned(text_of_html(html))),
            (None, Some(body)) => Some(std::borrow::Cow::Borrowed(body)),
            (None, None) => None,
        }
    }

    /// The unread rule: a text message by someone else that is not recalled counts as
    /// unread for `me` until read ("X joined" notices and my own never count). The
    /// server's counts (`messages::unread`) apply the same rule in SQL.
    pub fn is_unread_for(&self, me: UserId) -> bool {
        self.author.id != me && self.kind == MessageKind::Text && self.recall.is_none()
    }

    /// It calls `me` (by name or with `@all`) and is someone else's: the mention rule the
    /// server's counts (`Unread.post_mentioned`) apply too.
    pub fn mentions_me(&self, me: UserId) -> bool {
        self.is_unread_for(me) && (self.mention_all || self.mentions.contains(&me))
    }
}

/// `PATCH /messages/{id}`: new text for my message (the same rules as sending).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditMessage {
    /// Markdown, up to 4000 characters; may be empty only if the message has attachments.
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub body: String,
    /// Whom it mentions now (as `SendMessage.mentions`); left out: as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<UserId>>,
    /// Whether it mentions everyone now; left out: as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_all: Option<bool>,
}

/// An earlier version of an edited message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageVersion {
    pub body: String,
    /// As `Message.html`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// When this version was written (sent, or an earlier edit).
    #[serde(with = "time::serde::rfc3339")]
    pub written_at: OffsetDateTime,
}

/// `GET /messages/{id}/edits`: what the message said before, oldest first (empty if it
/// was never edited; a recall erases them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageEdits {
    pub versions: Vec<MessageVersion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recall {
    pub by: UserId,
    /// Removed by a room owner or admin rather than recalled by its author.
    pub by_admin: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A page of history, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// More messages exist beyond this page in the direction asked (older ones for an
    /// `around` page).
    pub has_more: bool,
    /// On an `around` page only: newer messages exist after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_newer: Option<bool>,
    /// On the newest page only (neither `before` nor `after`): the reader has read every
    /// message up to and including this id (0: none), so a client can open the
    /// conversation at the first unread message. Absent on other pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<MessageId>,
    /// On the newest page of a private chat, when both send read receipts: the other
    /// person has read up to and including this id (0: nothing yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_read_up_to: Option<MessageId>,
}

/// `POST /posts/{id}/read`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    /// Read up to and including this message; the newest when left out.
    #[serde(default)]
    pub message_id: Option<MessageId>,
}

/// Unread counts after a change, for one post and its room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    pub room_id: RoomId,
    pub post_id: PostId,
    pub post_unread: i64,
    pub room_unread: i64,
    /// Of the post's unread, those that mention me.
    #[serde(default)]
    pub post_mentioned: i64,
}

/// A message pinned in its room by an owner or admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pin {
    pub message: Message,
    pub pinned_by: UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub pinned_at: OffsetDateTime,
}

/// The text of the server's sanitised HTML (`Message.html`): tags removed (a block or line
/// break becomes a line break) and the entities its serialiser writes decoded. Meant for
/// that HTML only, not for HTML in general.
pub fn text_of_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        decode_into(&rest[..open], &mut out);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if matches!(name, "br" | "p" | "li" | "pre" | "blockquote" | "ul" | "ol")
            && !out.ends_with('\n')
            && !out.is_empty()
        {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    decode_into(rest, &mut out);
    out.trim_end().to_owned()
}

/// Decodes `text` onto `out`; a line break right after another (the serialiser's own,
/// after a block) is left out.
fn decode_into(text: &str, out: &mut String) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        decode_line(first, out);
    }
    for line in lines {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        decode_line(line, out);
    }
}

fn decode_line(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let (decoded, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&nbsp;", '\u{a0}'),
        ]
        .iter()
        .find(|(entity, _)| after.starts_with(entity))
        .map_or(('&', 1), |(entity, c)| (*c, entity.len()));
        out.push(decoded);
        rest = &after[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::text_of_html;

    #[test]
    fn the_text_of_formatted_html() {
        assert_eq!(
            text_of_html(
                "<p><strong>bold</strong> &amp; <code>a&lt;b</code><br>\nnext</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
            ),
            "bold & a<b\nnext\none\ntwo"
        );
        assert_eq!(text_of_html("<p>plain</p>"), "plain");
        assert_eq!(
            text_of_html("<p>&amp;lt; stays &amp;lt;</p>"),
            "&lt; stays &lt;"
        );
    }
}
