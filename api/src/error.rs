use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The body of every error response: `{ "code": "...", "message": "...", "details": … }`.
///
/// `code` is stable and machine-readable (clients translate it); `message` is English
/// prose for logs and developers and may change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

/// Extra, code-specific information.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetails {
    /// Per-field problems (`validation_failed`, and the `*_taken` conflicts).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldCode>,
    /// Seconds to wait before trying again (`rate_limited`, `slow_mode`, `silenced`); also
    /// sent as `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The largest body accepted, in bytes (`payload_too_large`); the quota in bytes
    /// (`quota_exceeded`); the most pixels decoded (`image_too_large`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Why the session ended (`session_ended` from `POST /auth/refresh`), so a client
    /// can say so even when its socket did not get to tell it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::ws::EndReason>,
    /// The listed words found (`content_blocked`): what to point at in the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<crate::moderation::WordMatch>,
    /// Tries left before the code is used up (`code_invalid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

/// Stable error codes. Each one always comes with the same HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this endpoint takes.
    MalformedJson,
    /// 400: a query string or path parameter could not be read.
    BadRequest,
    /// 401: no credentials were sent.
    Unauthenticated,
    /// 401: the access token is malformed, forged, or for another audience.
    InvalidToken,
    /// 401: the access token has expired; refresh it.
    TokenExpired,
    /// 401: the session behind the token was ended (logout, another login, password change).
    SessionEnded,
    /// 401: wrong username/email or password.
    InvalidCredentials,
    /// 401: the refresh token is unknown or expired.
    InvalidRefreshToken,
    /// 401: an already-used refresh token was presented; the session has been ended.
    RefreshTokenReused,
    /// 403: the current password given for a password change is wrong.
    WrongPassword,
    /// 403: authenticated, but not allowed to do this.
    Forbidden,
    /// 404: no such thing, or not visible to you.
    NotFound,
    /// 404: no such endpoint.
    RouteNotFound,
    /// 405: the endpoint exists but not with this method.
    MethodNotAllowed,
    /// 409: the username is taken.
    UsernameTaken,
    /// 409: the email address is taken.
    EmailTaken,
    /// 409: the phone number is taken.
    PhoneTaken,
    /// 409: a post with this title exists in the room.
    PostTitleTaken,
    /// 409: this `client_id` was already used for a different message.
    ClientIdConflict,
    /// 409: the owner must transfer the room before leaving it.
    OwnerMustTransfer,
    /// 409: the default post of a room cannot be deleted.
    DefaultPostProtected,
    /// 403: the time to recall this message has passed.
    RecallExpired,
    /// 403: the time to edit this message has passed (`ServerInfo::edit_window_secs`).
    EditExpired,
    /// 409: the message was recalled or removed; it cannot be edited or reacted to.
    MessageRecalled,
    /// 409: the message has as many different reactions as it may
    /// (`rules::REACTIONS_PER_MESSAGE`); add one of those instead.
    ReactionLimit,
    /// 403: only the room's owners and admins may mention everyone here.
    MentionAllForbidden,
    /// 409: the room has as many pinned messages as it may (`rules::PINS_PER_ROOM`).
    PinLimit,
    /// 409: the name is used by another of the same kind (a word list).
    NameTaken,
    /// 409: this would leave the server without a site admin.
    LastAdmin,
    /// 403: a moderator may not act on a site admin or another moderator.
    StaffProtected,
    /// 403: registration is closed on this server; an admin creates accounts.
    RegistrationClosed,
    /// 403: registration here needs an invite code, and this one is missing or wrong.
    InviteInvalid,
    /// 403: the account was deactivated by site staff; it cannot log in.
    AccountDeactivated,
    /// 403: this server sends no e-mail (no SMTP configured), so this is not offered.
    MailDisabled,
    /// 403: the account's e-mail address is not confirmed yet; confirm it with the code
    /// that was sent (`POST /auth/verify-email`; `…/resend` sends another). Said only with
    /// the right password.
    EmailUnverified,
    /// 403: the code is wrong; `details.attempts_left` more tries before it is used up.
    CodeInvalid,
    /// 403: there is no live code: it expired, was used, or ran out of attempts. Ask for
    /// a new one.
    CodeExpired,
    /// 403: the password-reset link is unknown, used or expired; ask for a new one.
    ResetLinkInvalid,
    /// 503: the mail server did not take the message; nothing was changed. Try again later.
    MailUnavailable,
    /// 403: you are silenced in this room (禁言); `details.retry_after` seconds are left.
    Silenced,
    /// 403: you are banned from this room.
    BannedFromRoom,
    /// 429: the room is in slow mode; you may send again in `details.retry_after` seconds.
    SlowMode,
    /// 422: the text holds a word the filter refuses here (`details.matches`, and
    /// `details.fields` names the field).
    ContentBlocked,
    /// 409: you are friends already.
    AlreadyFriends,
    /// 409: too many friend requests are waiting for an answer; cancel some first.
    FriendRequestLimit,
    /// 409: the file was sent in a message; recall the message instead of deleting it.
    FileAlreadySent,
    /// 403: one of you blocked the other.
    Blocked,
    /// 403: this person takes private messages from friends only.
    NotFriends,
    /// 422: you cannot do this to yourself (befriend, block, chat privately).
    SelfNotAllowed,
    /// 413: the body is larger than this endpoint accepts (`details.limit`).
    PayloadTooLarge,
    /// 413: this upload would take you over your storage quota (`details.limit`).
    QuotaExceeded,
    /// 415: the body is not of a type this endpoint takes (JSON; multipart for uploads).
    UnsupportedMediaType,
    /// 422: this must be a JPEG, PNG, GIF or WebP image the server can read.
    NotAnImage,
    /// 422: the image has more pixels than the server decodes (`details.limit`).
    ImageTooLarge,
    /// 422: well-formed, but some fields break the rules (see `details.fields`).
    ValidationFailed,
    /// 422: the text contains a character the server does not store (NUL, U+0000), in
    /// the body, the query string or the path.
    UnsupportedCharacter,
    /// 429: too many attempts; wait `details.retry_after` seconds.
    RateLimited,
    /// 500: something broke on our side; the server log has the request id.
    Internal,
    /// 503: a dependency (the database) is unavailable.
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status that always goes with this code.
    pub fn status(self) -> u16 {
        match self {
            Self::MalformedJson | Self::BadRequest => 400,
            Self::Unauthenticated
            | Self::InvalidToken
            | Self::TokenExpired
            | Self::SessionEnded
            | Self::InvalidCredentials
            | Self::InvalidRefreshToken
            | Self::RefreshTokenReused => 401,
            Self::WrongPassword
            | Self::Forbidden
            | Self::RecallExpired
            | Self::EditExpired
            | Self::Blocked
            | Self::NotFriends
            | Self::MentionAllForbidden
            | Self::StaffProtected
            | Self::Silenced
            | Self::BannedFromRoom
            | Self::RegistrationClosed
            | Self::InviteInvalid
            | Self::AccountDeactivated
            | Self::MailDisabled
            | Self::EmailUnverified
            | Self::CodeInvalid
            | Self::CodeExpired
            | Self::ResetLinkInvalid => 403,
            Self::NotFound | Self::RouteNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::UsernameTaken
            | Self::EmailTaken
            | Self::PhoneTaken
            | Self::PostTitleTaken
            | Self::ClientIdConflict
            | Self::OwnerMustTransfer
            | Self::DefaultPostProtected
            | Self::AlreadyFriends
            | Self::FriendRequestLimit
            | Self::FileAlreadySent
            | Self::MessageRecalled
            | Self::ReactionLimit
            | Self::PinLimit
            | Self::NameTaken
            | Self::LastAdmin => 409,
            Self::PayloadTooLarge | Self::QuotaExceeded => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed
            | Self::UnsupportedCharacter
            | Self::SelfNotAllowed
            | Self::NotAnImage
            | Self::ImageTooLarge
            | Self::ContentBlocked => 422,
            Self::RateLimited | Self::SlowMode => 429,
            Self::Internal => 500,
            Self::Unavailable | Self::MailUnavailable => 503,
        }
    }

    /// The snake_case wire name, as in the JSON body.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::BadRequest => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidToken => "invalid_token",
            Self::TokenExpired => "token_expired",
            Self::SessionEnded => "session_ended",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::WrongPassword => "wrong_password",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::UsernameTaken => "username_taken",
            Self::EmailTaken => "email_taken",
            Self::PhoneTaken => "phone_taken",
            Self::PostTitleTaken => "post_title_taken",
            Self::ClientIdConflict => "client_id_conflict",
            Self::OwnerMustTransfer => "owner_must_transfer",
            Self::DefaultPostProtected => "default_post_protected",
            Self::RecallExpired => "recall_expired",
            Self::EditExpired => "edit_expired",
            Self::MessageRecalled => "message_recalled",
            Self::ReactionLimit => "reaction_limit",
            Self::MentionAllForbidden => "mention_all_forbidden",
            Self::PinLimit => "pin_limit",
            Self::NameTaken => "name_taken",
            Self::LastAdmin => "last_admin",
            Self::StaffProtected => "staff_protected",
            Self::ContentBlocked => "content_blocked",
            Self::Silenced => "silenced",
            Self::MailDisabled => "mail_disabled",
            Self::EmailUnverified => "email_unverified",
            Self::CodeInvalid => "code_invalid",
            Self::CodeExpired => "code_expired",
            Self::ResetLinkInvalid => "reset_link_invalid",
            Self::MailUnavailable => "mail_unavailable",
            Self::AccountDeactivated => "account_deactivated",
            Self::RegistrationClosed => "registration_closed",
            Self::InviteInvalid => "invite_invalid",
            Self::BannedFromRoom => "banned_from_room",
            Self::SlowMode => "slow_mode",
            Self::AlreadyFriends => "already_friends",
            Self::FriendRequestLimit => "friend_request_limit",
            Self::FileAlreadySent => "file_already_sent",
            Self::Blocked => "blocked",
            Self::NotFriends => "not_friends",
            Self::SelfNotAllowed => "self_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::QuotaExceeded => "quota_exceeded",
            Self::NotAnImage => "not_an_image",
            Self::ImageTooLarge => "image_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::UnsupportedCharacter => "unsupported_character",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }
}

/// What is wrong with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// The field must be present and not blank.
    Required,
    /// Too short or too long (see `rules` for the limits).
    Length,
    /// A character that is not allowed here.
    InvalidChars,
    /// Only characters that show as nothing (spaces, fillers, zero-width characters).
    Invisible,
    /// Not a valid email address.
    InvalidEmail,
    /// Not a valid phone number.
    InvalidPhone,
    /// Fewer than 8 characters.
    PasswordTooShort,
    /// More than 128 characters.
    PasswordTooLong,
    /// On the lists of passwords attackers try first, or guessable in under a million tries.
    PasswordTooCommon,
    /// The same as the username.
    PasswordIsUsername,
    /// Already used by another account.
    Taken,
    /// Names something that does not exist, is not yours, or is already used (an
    /// attachment someone else uploaded, or one already sent).
    Unavailable,
    /// Names someone who is not a member of the room (a mention).
    NotMember,
    /// Holds a word the sensitive-word filter refuses here.
    Blocked,
    /// Milder than the server allows (a room's word policy).
    BelowMinimum,
    /// A number outside the range the field documents.
    OutOfRange,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::RefreshTokenReused,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::Internal,
        ] {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
