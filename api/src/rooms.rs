use crate::{PostId, RoomId, UserId, friends::Presence};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone may find it and join at once.
    #[default]
    Public,
    /// Hidden from people outside; joining by number asks the owner or an admin.
    Private,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomRole {
    Member,
    Admin,
    Owner,
}

/// Who may do what in a room: the one statement of these rules, used by the server to
/// decide and by clients to show only what will work.
impl RoomRole {
    /// Edit the room (name, description, visibility, avatar), answer join requests, edit
    /// or delete anyone's topic, recall anyone's message at any time.
    pub fn can_moderate(self) -> bool {
        self >= Self::Admin
    }

    /// Make members admins and admins members, hand the room over, delete it.
    pub fn is_owner(self) -> bool {
        self == Self::Owner
    }

    /// Remove someone with role `target` (never oneself): owners remove anyone else,
    /// admins only members.
    pub fn can_remove(self, target: RoomRole) -> bool {
        self.can_moderate() && target < self
    }

    /// Change `target`'s role between member and admin (never the owner's).
    pub fn can_set_role_of(self, target: RoomRole) -> bool {
        self.is_owner() && target != Self::Owner
    }

    /// Edit or delete a topic (the author, or a moderator).
    pub fn can_edit_post(self, is_author: bool) -> bool {
        is_author || self.can_moderate()
    }

    /// Recall a message: moderators always; its author within `window_secs` of sending
    /// (`ServerInfo::recall_window_secs`).
    pub fn can_recall(self, is_author: bool, age_secs: i64, window_secs: u64) -> bool {
        self.can_moderate() || (is_author && age_secs < window_secs as i64)
    }

    /// Editing is the author's alone, within the window (`ServerInfo::edit_window_secs`):
    /// owners and admins may remove others' words, never change them.
    pub fn can_edit(self, is_author: bool, age_secs: i64, window_secs: u64) -> bool {
        is_author && age_secs < window_secs as i64
    }

    /// Mention everyone (`@all`): owners and admins, and members where the room lets them
    /// (`Room.members_mention_all`).
    pub fn can_mention_all(self, members_may: bool) -> bool {
        self.can_moderate() || members_may
    }

    /// Pin and unpin messages, write the announcement.
    pub fn can_pin(self) -> bool {
        self.can_moderate()
    }
}

/// Someone as others see them in a room: enough to show a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub display_name: Option<String>,
    /// The avatar's key (the image is at `/api/v1/avatars/{key}/64` and `/256`); `None`: draw the generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

impl UserSummary {
    /// The name to show: the display name if set, else the username.
    pub fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.username)
    }
}

/// `POST /rooms`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRoom {
    /// 1–64 characters, at least one of them visible.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Visibility,
}

/// `PATCH /rooms/{id}`: fields left out stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditRoom {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Slow mode: members send at most one message per this many seconds (0 to 86,400;
    /// 0 turns it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow_mode_secs: Option<u32>,
    /// Let members (not only owners and admins) mention everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_mention_all: Option<bool>,
}

/// A room as anyone allowed to see it sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Room {
    pub id: RoomId,
    /// The number people join by.
    pub number: i64,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub owner_id: UserId,
    pub member_count: i64,
    /// The avatar's key (the image is at `/api/v1/avatars/{key}/64` and `/256`); `None`: draw the generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Members (not owners and admins) send at most one message per this many seconds;
    /// 0: no slow mode.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub slow_mode_secs: u32,
    /// Members may mention everyone (`@all`); otherwise only owners and admins may.
    #[serde(default)]
    pub members_mention_all: bool,
    /// The owner's choice of word-filter policy (`PUT /rooms/{id}/word-policy`); absent:
    /// the server's default (`ServerInfo.word_policies`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_policy: Option<crate::moderation::WordPolicy>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The room's announcement (群公告), written by an owner or admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    /// Markdown, as written.
    pub body: String,
    /// `body` rendered and sanitised, as `Message.html`.
    pub html: String,
    pub by: UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// `PUT /rooms/{id}/announcement`: the new announcement; empty takes it down.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetAnnouncement {
    /// Markdown, up to `rules::ANNOUNCEMENT_MAX` characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub body: String,
}

/// A room I am in, with what only a member sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRoom {
    #[serde(flatten)]
    pub room: Room,
    pub role: RoomRole,
    /// The room's newest event; a socket resumes from here.
    pub seq: i64,
    /// The chat post every room has.
    pub default_post_id: PostId,
    /// Unread messages over all its posts.
    pub unread: i64,
    /// I silenced it: its unread count stays, but it raises no notification or sound on
    /// any of my devices (`PUT /rooms/{id}/mute`).
    #[serde(default)]
    pub muted: bool,
    /// The room's announcement, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announcement: Option<Announcement>,
    /// I am silenced (禁言) here until then: I read, but cannot send.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub silenced_until: Option<OffsetDateTime>,
    /// I have not acknowledged the announcement since it last changed
    /// (`POST /rooms/{id}/announcement/seen`).
    #[serde(default)]
    pub announcement_unseen: bool,
}

/// `POST /rooms/join`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRoom {
    pub number: i64,
    /// Shown to whoever approves a request to a private room.
    #[serde(default)]
    pub message: Option<String>,
}

/// What joining did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JoinResult {
    /// A member now (public room, or already one).
    Joined { room: Box<MyRoom> },
    /// A private room: the owner or an admin decides.
    Requested,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user: UserSummary,
    pub role: RoomRole,
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at: OffsetDateTime,
    pub presence: Presence,
    /// When they were last online (`presence` offline only).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_seen_at: Option<OffsetDateTime>,
    /// The name's pinyin initials when it has Chinese characters ("张三" → "zs"), for
    /// finding people by them (`@` completion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// The name in pinyin without tones or spaces ("张三" → "zhangsan"), likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinyin: Option<String>,
    /// Silenced (禁言) by the room's owner or an admin until then: reads, cannot send.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub silenced_until: Option<OffsetDateTime>,
}

/// `PUT /rooms/{id}/members/{user_id}/silence`.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SilenceMember {
    /// For how long: 1 second to 30 days.
    pub seconds: u64,
}

/// `PUT /rooms/{id}/bans/{user_id}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BanMember {
    /// Up to 500 characters, shown to the room's owners and admins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Someone banned from a room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ban {
    pub user: UserSummary,
    pub by: UserSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The order of a member list: online, then away, then offline; within each, owner,
/// admins, members; then by name. `a_status`/`b_status` are the presence to sort by (the
/// server's at the time of the request, or what a client knows live).
pub fn member_order(
    a: &Member,
    a_status: Presence,
    b: &Member,
    b_status: Presence,
) -> std::cmp::Ordering {
    a_status
        .cmp(&b_status)
        .then(b.role.cmp(&a.role))
        .then_with(|| {
            a.user
                .name()
                .to_lowercase()
                .cmp(&b.user.name().to_lowercase())
        })
}

/// `PUT /rooms/{id}/mute`: silence a room or private chat for me, or undo it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetMuted {
    pub muted: bool,
}

/// `PUT /rooms/{id}/members/{user_id}/role`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetRole {
    /// `admin` or `member`; ownership moves with `transfer`.
    pub role: RoomRole,
}

/// `POST /rooms/{id}/transfer`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferRoom {
    pub user_id: UserId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    pub user: UserSummary,
    pub message: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
