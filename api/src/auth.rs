use crate::{SessionId, users::Me};
use serde::{Deserialize, Serialize};

/// `POST /auth/register`. The password is typed twice in the app; the API takes it once.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Register {
    /// 2–32 letters (any script), digits, `_` or `-`; unique ignoring case and look-alike
    /// characters (`pаypal` with a Cyrillic а is taken when `paypal` is).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "li_lei", min_length = 2, max_length = 32)
    )]
    pub username: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "lilei@example.com", format = Email, max_length = 254)
    )]
    pub email: String,
    /// Optional; unique when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 8–128 characters, not a common password, not the username.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
    /// The server's invite code, when registration is by invite
    /// (`ServerInfo.registration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_code: Option<String>,
}

/// `POST /auth/login`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Login {
    /// Username or email address.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub login: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// `POST /auth/refresh` and `POST /auth/logout`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshToken {
    pub refresh_token: String,
}

/// A session's credentials, returned by register, login and refresh.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthSession {
    /// Short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Single-use: each refresh returns a new one. Presenting a used one ends the session.
    pub refresh_token: String,
    /// Seconds until the refresh token expires if unused.
    pub refresh_expires_in: u64,
    pub session_id: SessionId,
    pub user: Me,
}

/// `POST /me/password`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    pub current_password: String,
    /// 8–128 characters, not a common password, not the username.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

/// `POST /auth/password-check`: what the server would say of a new password, before it is
/// sent with a registration or a password change (the app's strength meter asks).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordCheck {
    pub password: String,
    /// The account's username, if known: a password equal to it or built on it is weak.
    #[serde(default)]
    pub username: String,
    /// The account's email address, if known, for the same reason.
    #[serde(default)]
    pub email: String,
}

/// The server's verdict on a password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordVerdict {
    /// Why the server would refuse it (`password_too_short`, `password_too_long`,
    /// `password_is_username`, `password_too_common`); absent when it would accept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::FieldCode>,
    /// 0 (refused) to 4 (very strong): at most 1 when it would be refused.
    pub strength: u8,
}

/// `202` from `POST /auth/register` (when the server confirms addresses), `POST
/// /auth/verify-email/resend` and `POST /me/email`: a code was sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// Where it went.
    pub email: String,
    /// Seconds the code is good for.
    pub expires_in: u64,
    /// Seconds before another may be asked for.
    pub resend_in: u64,
}

/// `POST /auth/verify-email`: the code sent at registration; logs in.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmail {
    /// Username or email address.
    pub login: String,
    /// The six digits from the mail.
    #[cfg_attr(feature = "openapi", schema(example = "042817"))]
    pub code: String,
}

/// `POST /auth/verify-email/resend`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResendCode {
    /// Username or email address.
    pub login: String,
}

/// `POST /auth/password-reset`: mail a reset link to this address, if an account has it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /auth/password-reset/confirm`: the token from the link, and the new password.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub token: String,
    /// 8–128 characters, not a common password, not the username.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

/// `POST /me/email`: send a code to the new address (the password proves it is you).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEmail {
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    pub password: String,
}

/// `POST /me/email/confirm`: the code sent to the new address.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmEmail {
    pub code: String,
}
