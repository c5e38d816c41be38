//! The sensitive-word filter as clients see it: the policies, the check the composer makes
//! before sending, and the word lists site staff manage.

use crate::RoomId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What happens to text that holds a listed word. Ordered from mildest to strictest.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WordPolicy {
    /// Not checked.
    #[default]
    Off,
    /// Sent as written; the composer warns first (`POST /filter/check`) and the hit is
    /// recorded.
    Warn,
    /// Sent with each character of the word replaced by `*`.
    Mask,
    /// Refused: 422 `content_blocked`, naming the words.
    Block,
}

impl WordPolicy {
    pub const ALL: [Self; 4] = [Self::Off, Self::Warn, Self::Mask, Self::Block];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Warn => "warn",
            Self::Mask => "mask",
            Self::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The server's policy: what rooms get unless their owner chose, and the least a room may
/// choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordPolicies {
    /// Rooms without a choice of their own, private chats, names and bios.
    pub default: WordPolicy,
    /// A room owner may choose this or stricter, never milder.
    pub minimum: WordPolicy,
}

impl WordPolicies {
    /// The policy in force for a room that chose `room` (`None`: the default).
    pub fn effective(self, room: Option<WordPolicy>) -> WordPolicy {
        room.unwrap_or(self.default).max(self.minimum)
    }
}

/// A listed word found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordMatch {
    /// The characters as written (separators typed inside the word included).
    pub text: String,
    /// Byte offsets (UTF-8) of `text` in what was checked.
    pub start: usize,
    pub end: usize,
}

/// `POST /filter/check`: would this text be warned about, masked or refused here?
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckText {
    /// Up to 4000 characters.
    pub text: String,
    /// The room it is for (a member's); absent: the server's default (profiles, names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
}

/// What the filter makes of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextCheck {
    /// The policy in force there.
    pub policy: WordPolicy,
    /// The words found; empty when the policy is `off` or nothing matched.
    pub matches: Vec<WordMatch>,
}

/// `PUT /rooms/{id}/word-policy` (the owner): `null` follows the server's default.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetWordPolicy {
    pub policy: Option<WordPolicy>,
}

/// A word list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordCategory {
    pub id: i64,
    pub name: String,
    /// Its words count only while it is enabled; new lists start disabled.
    pub enabled: bool,
    /// An allow-list: its words are never hits, and hits inside them do not count.
    pub allow: bool,
    pub words: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `POST /admin/filter/categories`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWordCategory {
    /// 1–64 characters, unique.
    pub name: String,
    #[serde(default)]
    pub allow: bool,
}

/// `PATCH /admin/filter/categories/{id}`: fields left out stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditWordCategory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// One word of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListedWord {
    pub id: i64,
    pub category_id: i64,
    /// As entered.
    pub word: String,
    /// As matched (`POST /admin/filter/test` explains the folding).
    pub normalised: String,
}

/// A page of a list's words, alphabetical.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordPage {
    pub words: Vec<ListedWord>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}

/// `POST /admin/filter/categories/{id}/words`: words to add, one per entry.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddWords {
    pub words: Vec<String>,
}

/// What an import or an addition did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordsAdded {
    /// New words.
    pub added: u64,
    /// Already in the list (after normalising), or repeated in the input.
    pub duplicates: u64,
    /// Lines with nothing left to match (blank, punctuation only, `#` comments).
    pub skipped: u64,
}

/// `POST /admin/filter/test`: the admin's test box.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestText {
    pub text: String,
}

/// A hit in the admin's test box: where, and which list entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestHit {
    #[serde(flatten)]
    pub at: WordMatch,
    pub word: String,
    pub category: String,
}

/// What the admin's test box shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextTest {
    /// The text as the filter sees it.
    pub normalised: String,
    pub hits: Vec<TestHit>,
    /// The text as `mask` would send it.
    pub masked: String,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it (absent: the server itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<crate::rooms::UserSummary>,
    /// What: `filter_hit`, `filter_warned`, `role_set`, `word_list_created`, … (stable).
    pub action: String,
    /// The room it happened in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<RoomId>,
    /// The person it was done to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<crate::rooms::UserSummary>,
    /// The rest, by action: for filter hits `field`, `policy` and `words` (each `word`,
    /// `category`, `matched`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

/// A page of the audit log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}
