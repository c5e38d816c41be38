//! The admin console (`/admin` in the app) as clients see it: the dashboard, people,
//! rooms, the server's settings, and the reports queue. Every endpoint is for site staff
//! (moderators and admins) and checks the caller's role on each call; settings and roles
//! are for admins only.

use crate::{
    MessageId, RoomId, UserId,
    messages::Message,
    moderation::WordPolicy,
    rooms::{UserSummary, Visibility},
    users::{RateLimit, RegistrationMode, Role},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `GET /admin/dashboard`: the server at a glance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// Accounts, deactivated ones included.
    pub people: u64,
    pub deactivated: u64,
    /// People seen (a request or a socket) in the last 24 hours.
    pub active_day: u64,
    /// … in the last 7 days.
    pub active_week: u64,
    /// Group rooms (private chats are not counted).
    pub rooms: u64,
    pub private_chats: u64,
    /// Messages ever sent (recalled ones included).
    pub messages: u64,
    /// Messages per day for the last 14 days (UTC), oldest first, days without any
    /// included as 0.
    pub messages_per_day: Vec<DayCount>,
    /// Bytes of uploads kept, all people together.
    pub storage_bytes: u64,
    /// Sockets open on this server now.
    pub sockets_open: u64,
    /// Reports waiting for a moderator.
    pub open_reports: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub count: u64,
}

/// Someone as staff see them: the account, not only the public profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    pub id: UserId,
    pub username: String,
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    pub email: String,
    pub role: Role,
    /// Set while the account is deactivated.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub deactivated_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Bytes of uploads kept.
    pub storage_used: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `GET /admin/users`: newest first; `next` is the `before` of the next page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserPage {
    pub users: Vec<AdminUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<UserId>,
}

/// `GET /admin/users/{id}`: the account, its sessions and what it has done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserDetail {
    pub user: AdminUser,
    pub bio: Option<String>,
    pub location: Option<String>,
    /// Sessions not ended, most recently used first.
    pub sessions: Vec<AdminSession>,
    /// Group rooms they are in.
    pub rooms: u64,
    /// Messages they sent, recalled ones included.
    pub messages: u64,
    /// Reports on their messages, and how many are still open.
    pub reports_against: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminSession {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_used_at: OffsetDateTime,
    /// Sockets open on this session now.
    pub sockets: u32,
}

/// `POST /admin/users/{id}/password`: a new password the admin hands over; every session
/// of the account ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemporaryPassword {
    pub password: String,
}

/// `POST /admin/users/{id}/messages/remove`: removes (as a recall would) every message
/// the person sent in `[from, to]`, in every room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoveMessages {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagesRemoved {
    pub removed: u64,
}

/// A group room as staff see it (private chats are not listed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminRoom {
    pub id: RoomId,
    pub number: i64,
    pub name: String,
    pub visibility: Visibility,
    pub owner: UserSummary,
    pub members: u64,
    /// The room's own word policy; `None` follows the server's default.
    pub word_policy: Option<WordPolicy>,
    pub slow_mode_secs: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `GET /admin/rooms`: newest first; `next` is the `before` of the next page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminRoomPage {
    pub rooms: Vec<AdminRoom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<RoomId>,
}

/// `PATCH /admin/rooms/{id}`: fields left out stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditAdminRoom {
    /// 0 (off) to 3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow_mode_secs: Option<u32>,
    /// Hands the room to this member (the old owner becomes an admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
}

/// The interface language the app starts in for someone who has not chosen one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Language {
    /// The browser's preferred language.
    #[default]
    #[serde(rename = "browser")]
    Browser,
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

/// `GET/PATCH /admin/settings`: what admins change while the server runs (kept in the
/// database, in force at once). `teahouse.toml` gives the values a new server starts with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerSettings {
    pub registration: RegistrationMode,
    /// What `POST /auth/register` needs in `invite_code` when registration is by invite
    /// (admins only; `POST /admin/settings/invite-code` makes a new one).
    pub invite_code: String,
    /// Seconds after sending an author may recall a message (0: never).
    pub recall_window_secs: u64,
    /// Seconds after sending an author may edit a message (0: never).
    pub edit_window_secs: u64,
    /// The largest file one upload may carry, in bytes.
    pub max_upload_bytes: u64,
    /// Bytes of uploads one person may keep in all.
    pub quota_bytes: u64,
    /// Messages (sends, edits, recalls) one person may make.
    pub message_rate: RateLimit,
    /// Uploads one person may make.
    pub upload_rate: RateLimit,
    pub default_language: Language,
    /// New accounts confirm their e-mail address with a code before they can log in.
    /// Needs `mail`.
    pub require_email_verification: bool,
    /// The server can send e-mail (`[mail] smtp_url` in `teahouse.toml`); read-only.
    pub mail: bool,
}

/// `PATCH /admin/settings`: fields left out stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditServerSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<RegistrationMode>,
    /// 0 to 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_window_secs: Option<u64>,
    /// 0 to 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_window_secs: Option<u64>,
    /// 1 KiB to 4 GiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_upload_bytes: Option<u64>,
    /// At least the upload limit, at most 1 TiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_bytes: Option<u64>,
    /// `burst` 1–10000, `refill_ms` 1–3600000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_rate: Option<RateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_rate: Option<RateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_language: Option<Language>,
    /// Turning it on needs a mail server: 403 `mail_disabled` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_email_verification: Option<bool>,
}

/// Why someone reports a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    /// Harassment, insults, threats.
    Abuse,
    /// Content that is not allowed here (sensitive, illegal, adult).
    Inappropriate,
    Other,
}

impl ReportReason {
    pub const ALL: [Self; 4] = [Self::Spam, Self::Abuse, Self::Inappropriate, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Abuse => "abuse",
            Self::Inappropriate => "inappropriate",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// `POST /messages/{id}/report`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportMessage {
    pub reason: ReportReason,
    /// Up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What became of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Waiting for a moderator.
    Open,
    /// Looked at; nothing was done.
    Dismissed,
    /// The message was removed.
    Removed,
    /// The author was silenced in the room.
    Silenced,
    /// The author's account was deactivated.
    Deactivated,
}

impl ReportStatus {
    pub const ALL: [Self; 5] = [
        Self::Open,
        Self::Dismissed,
        Self::Removed,
        Self::Silenced,
        Self::Deactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Dismissed => "dismissed",
            Self::Removed => "removed",
            Self::Silenced => "silenced",
            Self::Deactivated => "deactivated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A report as its reporter sees it (`GET /reports`, and the `report_resolved` frame).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyReport {
    pub id: i64,
    pub message_id: MessageId,
    pub room_id: RoomId,
    pub reason: ReportReason,
    pub status: ReportStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
}

/// A report in the moderators' queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub status: ReportStatus,
    pub reporter: UserSummary,
    pub author: UserSummary,
    pub room_id: RoomId,
    /// The room's name; for a private chat, `None`.
    pub room_name: Option<String>,
    /// The message as it is now (recalled: the placeholder).
    pub message: Message,
    /// Other reports on the same message.
    pub others: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<UserSummary>,
}

/// `GET /admin/reports`: newest first; `next` is the `before` of the next page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPage {
    pub reports: Vec<Report>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}

/// `GET /admin/reports/{id}/context`: the reported message with the messages around it
/// in its topic, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportContext {
    pub messages: Vec<Message>,
}

/// What a moderator does with a report; every open report on the same message gets the
/// same outcome and each reporter is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ResolveReport {
    /// Nothing to do.
    Dismiss,
    /// Remove the message (as a recall: a placeholder stays).
    Remove,
    /// Silence the author in the room for `seconds` (1 s to 30 days); the message is
    /// removed too when `remove` is set.
    Silence {
        seconds: u64,
        #[serde(default)]
        remove: bool,
    },
    /// Deactivate the author's account (moderators: members only); the message is
    /// removed too when `remove` is set.
    Deactivate {
        #[serde(default)]
        remove: bool,
    },
}
