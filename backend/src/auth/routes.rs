//! `/auth/*` and `/me/password`: extract, call the service, answer.

use super::{AuthUser, service, user_agent};
use crate::{error::AppResult, state::AppState};
use actix_web::{HttpRequest, HttpResponse, post, web};
use api::{
    ErrorBody,
    auth::{
        AuthSession, ChangeEmail, ChangePassword, CodeSent, ConfirmEmail, Login, PasswordCheck,
        PasswordResetConfirm, PasswordResetRequest, PasswordVerdict, RefreshToken, Register,
        ResendCode, VerifyEmail,
    },
    users::Me,
};

/// Create an account and log in.
///
/// The first account registered on a new server becomes its admin. Admins may close
/// registration or require an invite code (`ServerInfo.registration`). When the server
/// confirms addresses (`ServerInfo.email_verification`) the answer is 202: a code was
/// mailed, and `POST /auth/verify-email` with it logs in.
#[utoipa::path(
    tag = "auth",
    request_body = Register,
    responses(
        (status = 201, description = "Account created; logged in", body = AuthSession),
        (status = 202, description = "Account created; confirm the address with the code mailed to it", body = CodeSent),
        (status = 503, description = "`mail_unavailable`: the code could not be mailed; no account was made", body = ErrorBody),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 403, description = "`registration_closed`, or `invite_invalid`: registration here needs the invite code", body = ErrorBody),
        (status = 409, description = "`username_taken`, `email_taken` or `phone_taken`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `details.fields` names each problem", body = ErrorBody),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<Register>,
) -> AppResult<HttpResponse> {
    if let Some(ip) = state.client_ip(&req) {
        state.limits.registrations.check(&ip).await?;
    }
    crate::admin::settings::check_registration(&state, body.invite_code.as_deref())?;
    if super::email::verification_required(&state) {
        let sent = super::email::register_pending(&state, body.into_inner()).await?;
        return Ok(HttpResponse::Accepted().json(sent));
    }
    let session = service::register(&state, body.into_inner(), user_agent(&req)).await?;
    Ok(HttpResponse::Created().json(session))
}

/// What the server would say of a new password: the policy registration and password
/// changes apply, and a strength from 0 to 4. For strength meters; nothing is stored.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordCheck,
    responses(
        (status = 200, description = "The verdict", body = PasswordVerdict),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many checks from this address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/password-check")]
pub async fn password_check(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordCheck>,
) -> AppResult<web::Json<PasswordVerdict>> {
    if let Some(ip) = state.client_ip(&req) {
        state.limits.password_checks.check(&ip).await?;
    }
    let check = body.into_inner();
    Ok(web::Json(super::password::verdict(
        &check.password,
        &check.username,
        &[&check.email],
    )))
}

/// Log in with username or email address and password.
///
/// Under the `single` session policy (the default) this ends every other session of the
/// account. Failed attempts are throttled per account: 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = Login,
    responses(
        (status = 200, description = "Logged in", body = AuthSession),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`account_deactivated`: site staff deactivated the account; `email_unverified`: confirm the address first (both said only with the right password)", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<Login>,
) -> AppResult<web::Json<AuthSession>> {
    Ok(web::Json(
        service::login(
            &state,
            body.into_inner(),
            user_agent(&req),
            state.client_ip(&req),
        )
        .await?,
    ))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Each refresh token works once. Presenting one that was already used ends its session
/// (`refresh_token_reused`), unless it comes within a few seconds of its first use.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshToken,
    responses(
        (status = 200, description = "New tokens", body = AuthSession),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `session_ended`", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshToken>,
) -> AppResult<web::Json<AuthSession>> {
    Ok(web::Json(
        service::refresh(&state, &body.refresh_token).await?,
    ))
}

/// End the session a refresh token belongs to.
///
/// Works without an access token (it may have expired). Always 204: logging out twice,
/// or with a token that is not known, changes nothing.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshToken,
    responses(
        (status = 204, description = "Logged out"),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshToken>,
) -> AppResult<HttpResponse> {
    service::logout(&state, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End the calling session (the access-token way to log out).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "`unauthenticated`, `invalid_token`, `token_expired` or `session_ended`", body = ErrorBody),
    )
)]
#[post("/auth/logout/session")]
pub async fn logout_session(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    service::logout_session(&state, &auth).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change my password. Every other session of the account ends; this one stays.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Password changed"),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`wrong_password`: the current password is wrong", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `new_password`", body = ErrorBody),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ChangePassword>,
) -> AppResult<HttpResponse> {
    service::change_password(&state, &auth, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirm a new account's e-mail address with the code mailed at registration; logs in.
///
/// A code is good for `[mail] code_ttl_secs` and five tries; after that, ask for another.
#[utoipa::path(
    tag = "auth",
    request_body = VerifyEmail,
    responses(
        (status = 200, description = "Confirmed; logged in", body = AuthSession),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 403, description = "`code_invalid` (`details.attempts_left`), `code_expired`, `mail_disabled` or `account_deactivated`", body = ErrorBody),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<VerifyEmail>,
) -> AppResult<web::Json<AuthSession>> {
    Ok(web::Json(
        super::email::verify(&state, body.into_inner(), user_agent(&req)).await?,
    ))
}

/// Mail another registration code. The answer is the same whether or not the account
/// exists or still waits for a code (the address is shown masked).
#[utoipa::path(
    tag = "auth",
    request_body = ResendCode,
    responses(
        (status = 202, description = "Sent, if the account waits for a code", body = CodeSent),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 403, description = "`mail_disabled`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: one a minute, five an hour", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`mail_unavailable`", body = ErrorBody),
    )
)]
#[post("/auth/verify-email/resend")]
pub async fn resend_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ResendCode>,
) -> AppResult<HttpResponse> {
    if let Some(ip) = state.client_ip(&req) {
        state.limits.mail_requests.check(&ip).await?;
    }
    let sent = super::email::resend(&state, &body.login).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Forgot password: mail a single-use link to set a new one, if an account has this
/// address. The answer is the same either way.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "A link was mailed, if an account has the address"),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 403, description = "`mail_disabled`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    if let Some(ip) = state.client_ip(&req) {
        state.limits.mail_requests.check(&ip).await?;
    }
    super::email::request_reset(&state, &body.email)?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the token from a reset link. The link works once; every
/// session of the account ends.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password set; log in with it"),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 403, description = "`reset_link_invalid` (unknown, used or expired) or `account_deactivated`", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `new_password`", body = ErrorBody),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    body: web::Json<PasswordResetConfirm>,
) -> AppResult<HttpResponse> {
    super::email::confirm_reset(&state, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change my e-mail address: the password proves it is me, and a code goes to the new
/// address (`POST /me/email/confirm`).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ChangeEmail,
    responses(
        (status = 202, description = "A code was mailed to the new address", body = CodeSent),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`wrong_password` or `mail_disabled`", body = ErrorBody),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed` on `email`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: one a minute, five an hour", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`mail_unavailable`", body = ErrorBody),
    )
)]
#[post("/me/email")]
pub async fn change_email(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ChangeEmail>,
) -> AppResult<HttpResponse> {
    let sent = super::email::start_change(&state, &auth, body.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Confirm the new e-mail address with the code mailed to it. The old address is told.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = ConfirmEmail,
    responses(
        (status = 200, description = "The account, with its new address", body = Me),
        (status = 400, description = "`malformed_json`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "`code_invalid` (`details.attempts_left`) or `code_expired`", body = ErrorBody),
        (status = 409, description = "`email_taken`: someone took the address meanwhile", body = ErrorBody),
    )
)]
#[post("/me/email/confirm")]
pub async fn confirm_email(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ConfirmEmail>,
) -> AppResult<web::Json<Me>> {
    Ok(web::Json(
        super::email::confirm_change(&state, &auth, &body.code).await?,
    ))
}
