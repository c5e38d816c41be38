use crate::{
    MessageId, PostId, RoomId,
    files::{FileInfo, FileKind},
    messages::MessageKind,
    rooms::UserSummary,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Longest excerpt of a last message, in characters.
pub const EXCERPT_MAX: usize = 80;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    /// A post (topic) in a group room.
    Post,
    /// A private chat with one person.
    Direct,
}

/// One line of the contact list (`GET /conversations`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub kind: ConversationKind,
    pub room_id: RoomId,
    pub post_id: PostId,
    /// The room's name (`post` only).
    pub room_name: Option<String>,
    /// The post's title (`post` only); `None` for the room's default chat post.
    pub post_title: Option<String>,
    /// The other person (`direct` only).
    pub peer: Option<UserSummary>,
    pub last_message: Option<LastMessage>,
    /// Messages from others I have not read.
    pub unread: i64,
    /// Of those, the ones that mention me (QQ's "[有人@我]").
    #[serde(default)]
    pub mentioned: i64,
    /// I silenced its room or private chat (`PUT /rooms/{id}/mute`).
    #[serde(default)]
    pub muted: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub last_activity_at: OffsetDateTime,
}

/// The newest message of a conversation, cut down for a preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastMessage {
    pub id: MessageId,
    pub author: UserSummary,
    pub kind: MessageKind,
    pub recalled: bool,
    /// The body's start with line breaks folded into spaces, at most 80
    /// characters (an ellipsis marks a cut); `None` when recalled or not text.
    pub excerpt: Option<String>,
    /// Its first attachment, if any (not when recalled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentPreview>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What a preview says about a message's files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentPreview {
    pub kind: FileKind,
    pub name: String,
}

impl From<&FileInfo> for AttachmentPreview {
    fn from(file: &FileInfo) -> Self {
        Self {
            kind: file.kind,
            name: file.name.clone(),
        }
    }
}

/// The words a preview needs, in the reader's language.
#[derive(Clone, Copy, Debug)]
pub struct PreviewWords<'a> {
    /// "消息已撤回" / "Message recalled".
    pub recalled: &'a str,
    /// "加入了" / "joined".
    pub joined: &'a str,
    /// "离开了" / "left".
    pub left: &'a str,
    /// "[图片]" / "[Image]".
    pub image: &'a str,
    /// "[文件]" / "[File]".
    pub file: &'a str,
}

impl LastMessage {
    /// The preview line: the sender's name first in groups (`group`), then the excerpt or
    /// a placeholder.
    pub fn preview(&self, group: bool, words: &PreviewWords<'_>) -> String {
        let name = self.author.name();
        let text = if self.recalled {
            words.recalled.to_owned()
        } else {
            match self.kind {
                MessageKind::Joined => return format!("{name} {}", words.joined),
                MessageKind::Left => return format!("{name} {}", words.left),
                MessageKind::Text => {
                    let excerpt = self.excerpt.as_deref().unwrap_or_default();
                    let tag = self.attachment.as_ref().map(|a| match a.kind {
                        FileKind::Image => words.image.to_owned(),
                        FileKind::File => format!("{} {}", words.file, a.name),
                    });
                    match tag {
                        Some(tag) if excerpt.is_empty() => tag,
                        Some(tag) => format!("{tag} {excerpt}"),
                        None => excerpt.to_owned(),
                    }
                }
            }
        };
        if group {
            format!("{name}: {text}")
        } else {
            text
        }
    }
}

/// Folds line breaks and runs of white space into single spaces and cuts to `EXCERPT_MAX`
/// characters, ending a cut with "…".
pub fn excerpt(body: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in body.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count == EXCERPT_MAX {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserId;

    const WORDS: PreviewWords<'static> = PreviewWords {
        recalled: "消息已撤回",
        joined: "加入了",
        left: "离开了",
        image: "[图片]",
        file: "[文件]",
    };

    fn last(kind: MessageKind, recalled: bool, excerpt: Option<&str>) -> LastMessage {
        LastMessage {
            id: MessageId(1),
            author: UserSummary {
                id: UserId(1),
                username: "li".into(),
                display_name: Some("小李".into()),
                avatar: None,
            },
            kind,
            recalled,
            excerpt: excerpt.map(str::to_owned),
            attachment: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn excerpts_fold_line_breaks_and_cut() {
        assert_eq!(excerpt("hello\n\n  world\r\n!"), "hello world !");
        let long = "字".repeat(100);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_MAX + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(&"字".repeat(EXCERPT_MAX)), "字".repeat(EXCERPT_MAX));
    }

    #[test]
    fn previews_name_the_sender_in_groups_only() {
        let text = last(MessageKind::Text, false, Some("你好"));
        assert_eq!(text.preview(true, &WORDS), "小李: 你好");
        assert_eq!(text.preview(false, &WORDS), "你好");
        let recalled = last(MessageKind::Text, true, None);
        assert_eq!(recalled.preview(true, &WORDS), "小李: 消息已撤回");
        assert_eq!(recalled.preview(false, &WORDS), "消息已撤回");
        let joined = last(MessageKind::Joined, false, None);
        assert_eq!(joined.preview(true, &WORDS), "小李 加入了");
    }

    #[test]
    fn previews_tag_images_and_files() {
        let mut image = last(MessageKind::Text, false, Some(""));
        image.attachment = Some(AttachmentPreview {
            kind: FileKind::Image,
            name: "IMG_1.jpg".into(),
        });
        assert_eq!(image.preview(false, &WORDS), "[图片]");
        assert_eq!(image.preview(true, &WORDS), "小李: [图片]");
        let mut file = last(MessageKind::Text, false, Some("see this"));
        file.attachment = Some(AttachmentPreview {
            kind: FileKind::File,
            name: "报告.pdf".into(),
        });
        assert_eq!(file.preview(false, &WORDS), "[文件] 报告.pdf see this");
    }
}
