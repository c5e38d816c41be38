use crate::UserId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A person's place on the server (not in a room: that is `rooms::RoomRole`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Member,
    /// Site staff: handles reports, mutes and deactivates members, reads the audit log
    /// and the filter's hits. Appointed by an admin.
    Moderator,
    /// Runs the server: everything a moderator does, plus the word lists, settings and
    /// roles. The first account registered on a new server is an admin.
    Admin,
}

/// `PUT /admin/users/{id}/role`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetSiteRole {
    pub role: Role,
}

/// What each site role may do: the one statement of these rules, for the server to
/// decide and for clients to show only what will work.
impl Role {
    pub const ALL: [Self; 3] = [Self::Member, Self::Moderator, Self::Admin];

    /// Moderators and admins: the admin console.
    pub fn is_staff(self) -> bool {
        self >= Self::Moderator
    }

    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }

    /// Act on someone with role `target` (deactivate, force logout, mute): admins on
    /// anyone but themselves are checked elsewhere; moderators only on members.
    pub fn can_act_on(self, target: Role) -> bool {
        match self {
            Self::Admin => true,
            Self::Moderator => target == Self::Member,
            Self::Member => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    #[default]
    Unspecified,
    Female,
    Male,
    Other,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Zodiac {
    #[default]
    Unspecified,
    Aries,
    Taurus,
    Gemini,
    Cancer,
    Leo,
    Virgo,
    Libra,
    Scorpio,
    Sagittarius,
    Capricorn,
    Aquarius,
    Pisces,
}

impl Zodiac {
    pub const ALL: [Zodiac; 13] = [
        Zodiac::Unspecified,
        Zodiac::Aries,
        Zodiac::Taurus,
        Zodiac::Gemini,
        Zodiac::Cancer,
        Zodiac::Leo,
        Zodiac::Virgo,
        Zodiac::Libra,
        Zodiac::Scorpio,
        Zodiac::Sagittarius,
        Zodiac::Capricorn,
        Zodiac::Aquarius,
        Zodiac::Pisces,
    ];
}

impl Gender {
    pub const ALL: [Gender; 4] = [
        Gender::Unspecified,
        Gender::Female,
        Gender::Male,
        Gender::Other,
    ];
}

/// Who may open a private chat with me.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DirectMessages {
    /// Friends only.
    #[default]
    Friends,
    /// Friends, and people who share a room with me.
    RoomMembers,
}

/// My own account, with the private fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub phone: Option<String>,
    #[serde(flatten)]
    pub profile: Profile,
    pub role: Role,
    /// Appear offline to everyone.
    pub invisible: bool,
    pub direct_messages: DirectMessages,
    /// Send read receipts in private chats; off, I see none either.
    pub read_receipts: bool,
    /// The address was proven to reach me (a code or a reset link sent to it was used).
    #[serde(default)]
    pub email_verified: bool,
    /// My password was made by site staff and handed to me: choose one of my own
    /// (`POST /me/password`; the app asks at once).
    #[serde(default)]
    pub password_temporary: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Someone's public profile, as anyone logged in may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicUser {
    pub id: UserId,
    pub username: String,
    #[serde(flatten)]
    pub profile: Profile,
    pub role: Role,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The parts of a profile its owner edits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Shown instead of the username when set.
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub gender: Gender,
    pub zodiac: Zodiac,
    /// The avatar's key (the image is at `/api/v1/avatars/{key}/64` and `/256`), set with `PUT /me/avatar`; `None`: draw the
    /// generated one. Ignored in `PATCH /me`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// `PATCH /me`: fields left out stay as they are; an empty string clears a text field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zodiac: Option<Zodiac>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invisible: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_messages: Option<DirectMessages>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_receipts: Option<bool>,
}

/// `GET /server`: what clients need to know of this server's rules, so that nothing the
/// server decides is written into a client as well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerInfo {
    /// The server's version.
    pub version: String,
    /// The socket protocol's version (`ready.protocol`).
    pub protocol: u32,
    /// How anyone may get an account.
    pub registration: RegistrationMode,
    /// `single`: a new login ends the account's other sessions.
    pub session_policy: SessionPolicy,
    /// How long after sending an author may recall a message, in seconds (owners and
    /// admins may always).
    pub recall_window_secs: u64,
    /// How long after sending an author may edit a message, in seconds (nobody else may).
    pub edit_window_secs: u64,
    /// The longest message text, in characters.
    pub message_max_chars: u32,
    /// The most files one message may carry.
    pub attachments_max: u32,
    /// The largest file one upload may carry, in bytes.
    pub max_upload_bytes: u64,
    /// Bytes of uploads one person may keep in all.
    pub quota_bytes: u64,
    /// Images with more pixels than this are refused.
    pub max_image_pixels: u64,
    /// Rate limits (429 `rate_limited` beyond them); absent when they are off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<RateLimits>,
    /// The sensitive-word filter's default and minimum policy (a room's own choice is
    /// `Room.word_policy`; the one in force is `WordPolicies::effective`).
    pub word_policies: crate::moderation::WordPolicies,
    /// The language the app starts in for someone who has not chosen one.
    pub default_language: crate::admin::Language,
    /// The server sends e-mail: "forgot password" (`POST /auth/password-reset`) and
    /// changing the address (`POST /me/email`) are offered. `false`: neither is.
    pub mail: bool,
    /// A new account must confirm its e-mail address with a code before it can log in
    /// (`POST /auth/register` answers 202, then `POST /auth/verify-email`).
    pub email_verification: bool,
}

/// How anyone may get an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMode {
    /// Anyone who reaches the server may register.
    Open,
    /// Registration needs the server's invite code (`Register.invite_code`).
    Invite,
    /// Nobody may register; admins create accounts (`teahouse admin create-user`).
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionPolicy {
    Single,
    Multi,
}

/// A token bucket: `burst` at once, then one more every `refill_ms` milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateLimit {
    pub burst: u32,
    pub refill_ms: u64,
}

/// The limits per person (registrations: per client address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateLimits {
    pub messages: RateLimit,
    pub rooms_created: RateLimit,
    pub friend_requests: RateLimit,
    pub uploads: RateLimit,
    pub registrations: RateLimit,
    /// Password checks (`POST /auth/password-check`), per client address.
    pub password_checks: RateLimit,
    /// Requests that send mail (password reset, another code), per client address.
    pub mail_requests: RateLimit,
    pub sockets_per_session: u32,
    pub sockets_per_person: u32,
}

/// `GET /health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    pub version: String,
}
