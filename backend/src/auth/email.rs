//! E-mail flows: confirming the address of a new account with a code, "forgot password"
//! by a single-use link, and moving an account to another address with a code.
//!
//! Secrets live in `email_codes`, one per person and purpose, kept only as a keyed hash
//! (`TokenKeys::keyed_hash`). A code allows `mail.code_attempts` wrong tries; another
//! code or link is sent no sooner than `mail.resend_secs` after the last and at most
//! `mail.sends_per_hour` an hour. The row is written and committed before the mail goes
//! out: no write transaction is held while an SMTP server is talked to.

use super::{
    password::password_problem,
    service::{ensure_available_email, open_session, sessions_ended},
    store::{self, EndReason},
    tokens::new_refresh_token,
};
use crate::{
    entities::{email_code, user},
    error::{AppError, AppResult},
    mail::{Mail, Mailer},
    state::AppState,
    users::{self, domain::Email, domain::login_key, store as user_store},
};
use api::{
    ErrorCode,
    auth::{AuthSession, ChangeEmail, CodeSent, PasswordResetConfirm, Register, VerifyEmail},
    users::Me,
};
use rand::Rng as _;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, SqlErr};
use subtle::ConstantTimeEq as _;
use time::{Duration, OffsetDateTime};

/// The code that confirms a new account's address.
const VERIFY: &str = "verify";
/// The code that confirms a new address for an account.
const CHANGE: &str = "email";
/// A password-reset link.
const RESET: &str = "reset";

/// Longer inputs than this are refused before anything is hashed.
const MAX_PASSWORD_BYTES: usize = api::rules::PASSWORD_MAX * 4;

fn mailer(state: &AppState) -> AppResult<&Mailer> {
    state.mail.as_deref().ok_or(AppError::Rule {
        code: ErrorCode::MailDisabled,
        message: "this server sends no e-mail",
    })
}

/// New accounts must confirm their address before they can log in: the admin asked for
/// it and the server can send mail.
pub fn verification_required(state: &AppState) -> bool {
    state.mail.is_some() && state.settings.get().require_email_verification
}

fn code_expired() -> AppError {
    AppError::Rule {
        code: ErrorCode::CodeExpired,
        message: "no live code: it expired, was used or ran out of tries; ask for a new one",
    }
}

fn reset_link_invalid() -> AppError {
    AppError::Rule {
        code: ErrorCode::ResetLinkInvalid,
        message: "this reset link is unknown, used or expired; ask for a new one",
    }
}

fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// What is kept of a code: keyed, and bound to the person and purpose.
fn code_hash(state: &AppState, user_id: i64, purpose: &str, code: &str) -> String {
    state
        .tokens
        .keyed_hash(&format!("email code {purpose} {user_id}"), code.trim())
}

fn reset_hash(state: &AppState, token: &str) -> String {
    state.tokens.keyed_hash("password reset", token.trim())
}

/// `l***@example.com`: enough to recognise one's own address, not to learn someone's.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// A secret about to be mailed.
struct NewSecret<'a> {
    user_id: i64,
    purpose: &'a str,
    secret_hash: String,
    new_email: Option<String>,
    ttl_secs: u64,
    attempts: u32,
}

impl<'a> NewSecret<'a> {
    /// A six-digit code for `purpose`, with the configured lifetime and tries.
    fn code(
        state: &AppState,
        user_id: i64,
        purpose: &'a str,
        code: &str,
        new_email: Option<String>,
    ) -> Self {
        Self {
            user_id,
            purpose,
            secret_hash: code_hash(state, user_id, purpose, code),
            new_email,
            ttl_secs: state.config.mail.code_ttl_secs,
            attempts: state.config.mail.code_attempts,
        }
    }
}

/// Stores a new secret for (person, purpose) in place of any earlier one, pacing sends:
/// 429 `rate_limited` (with the wait) when the last went out too recently or the hour's
/// sends are used up.
async fn store_secret(
    state: &AppState,
    db: &impl ConnectionTrait,
    secret: NewSecret<'_>,
) -> AppResult<()> {
    let NewSecret {
        user_id,
        purpose,
        secret_hash,
        new_email,
        ttl_secs,
        attempts,
    } = secret;
    let mail = &state.config.mail;
    let now = OffsetDateTime::now_utc();
    let hour = Duration::hours(1);
    let existing = email_code::Entity::find()
        .filter(email_code::Column::UserId.eq(user_id))
        .filter(email_code::Column::Purpose.eq(purpose))
        .one(db)
        .await?;
    let mut row = email_code::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        secret_hash: Set(secret_hash),
        new_email: Set(new_email),
        attempts_left: Set(attempts as i32),
        expires_at: Set(now + Duration::seconds(ttl_secs as i64)),
        sent_at: Set(now),
        window_start: Set(now),
        window_sends: Set(1),
        ..Default::default()
    };
    let Some(existing) = existing else {
        return match email_code::Entity::insert(row).exec(db).await {
            Ok(_) => Ok(()),
            // Another request for the same person and purpose got there first.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Err(AppError::RateLimited {
                    retry_after: mail.resend_secs.max(1),
                })
            }
            Err(e) => Err(e.into()),
        };
    };
    let since = (now - existing.sent_at).whole_seconds().max(0) as u64;
    if since < mail.resend_secs {
        return Err(AppError::RateLimited {
            retry_after: mail.resend_secs - since,
        });
    }
    if now - existing.window_start < hour {
        if existing.window_sends as u32 >= mail.sends_per_hour {
            let left = (existing.window_start + hour - now).whole_seconds().max(1) as u64;
            return Err(AppError::RateLimited { retry_after: left });
        }
        row.window_start = Set(existing.window_start);
        row.window_sends = Set(existing.window_sends + 1);
    }
    row.id = Set(existing.id);
    email_code::Entity::update(row).exec(db).await?;
    Ok(())
}

/// What a code check found. A wrong code is counted (the caller commits that).
enum Checked {
    Right(email_code::Model),
    Wrong(AppError),
}

async fn check_code(
    state: &AppState,
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: &str,
    code: &str,
) -> AppResult<Checked> {
    let Some(row) = email_code::Entity::find()
        .filter(email_code::Column::UserId.eq(user_id))
        .filter(email_code::Column::Purpose.eq(purpose))
        .one(db)
        .await?
    else {
        return Ok(Checked::Wrong(code_expired()));
    };
    if row.expires_at <= OffsetDateTime::now_utc() || row.attempts_left <= 0 {
        email_code::Entity::delete_by_id(row.id).exec(db).await?;
        return Ok(Checked::Wrong(code_expired()));
    }
    let given = code_hash(state, user_id, purpose, code);
    if bool::from(given.as_bytes().ct_eq(row.secret_hash.as_bytes())) {
        email_code::Entity::delete_by_id(row.id).exec(db).await?;
        return Ok(Checked::Right(row));
    }
    let left = row.attempts_left - 1;
    if left <= 0 {
        email_code::Entity::delete_by_id(row.id).exec(db).await?;
    } else {
        email_code::Entity::update(email_code::ActiveModel {
            id: Set(row.id),
            attempts_left: Set(left),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(Checked::Wrong(AppError::CodeInvalid {
        attempts_left: left.max(0) as u32,
    }))
}

fn code_sent(state: &AppState, email: String) -> CodeSent {
    CodeSent {
        email,
        expires_in: state.config.mail.code_ttl_secs,
        resend_in: state.config.mail.resend_secs,
    }
}

/// `POST /auth/register` when addresses must be confirmed: the account is made (it cannot
/// log in yet) and a code is mailed. If the mail cannot be sent the account is taken
/// back, so the person can simply try again (503 `mail_unavailable`).
pub async fn register_pending(state: &AppState, req: Register) -> AppResult<CodeSent> {
    let mailer = mailer(state)?;
    let (txn, inserted) = super::service::new_account(&state.db, &state.hasher, req, None).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(inserted.id),
        email_pending: Set(true),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let code = new_code();
    let mail = &state.config.mail;
    store_secret(
        state,
        &txn,
        NewSecret::code(state, inserted.id, VERIFY, &code, None),
    )
    .await?;
    txn.commit().await?;
    let sent = mailer
        .send(
            &inserted.email,
            Mail::VerifyCode {
                code: &code,
                minutes: mail.code_ttl_secs.div_ceil(60),
            },
        )
        .await;
    if let Err(e) = sent {
        let txn = crate::db::write_txn(&state.db).await?;
        user::Entity::delete_by_id(inserted.id).exec(&txn).await?;
        txn.commit().await?;
        return Err(e);
    }
    tracing::info!(
        user_id = inserted.id,
        "registered; waiting for the e-mail code"
    );
    Ok(code_sent(state, inserted.email))
}

/// `POST /auth/verify-email`: the right code confirms the address and logs in.
pub async fn verify(
    state: &AppState,
    req: VerifyEmail,
    user_agent: Option<String>,
) -> AppResult<AuthSession> {
    mailer(state)?;
    let key = login_key(&req.login);
    let Some(found) = (if key.is_empty() {
        None
    } else {
        user_store::by_login_key(&state.db, &key).await?
    }) else {
        return Err(code_expired());
    };
    let txn = crate::db::write_txn(&state.db).await?;
    match check_code(state, &txn, found.id, VERIFY, &req.code).await? {
        Checked::Wrong(e) => {
            txn.commit().await?;
            Err(e)
        }
        Checked::Right(_) => {
            if found.deactivated_at.is_some() {
                txn.commit().await?;
                return Err(AppError::Rule {
                    code: ErrorCode::AccountDeactivated,
                    message: "this account was deactivated",
                });
            }
            let now = OffsetDateTime::now_utc();
            let user = user::Entity::update(user::ActiveModel {
                id: Set(found.id),
                email_pending: Set(false),
                email_verified_at: Set(Some(now)),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            let (session, replaced) = open_session(state, &txn, &user, user_agent).await?;
            txn.commit().await?;
            sessions_ended(state, replaced, EndReason::Replaced).await;
            tracing::info!(user_id = user.id, "e-mail address confirmed");
            Ok(session)
        }
    }
}

/// `POST /auth/verify-email/resend`: another code for an account still waiting for one.
/// Answers the same whether or not there is such an account (with the address masked),
/// so it tells nobody who is registered.
pub async fn resend(state: &AppState, login: &str) -> AppResult<CodeSent> {
    let mailer = mailer(state)?;
    let key = login_key(login);
    let found = if key.is_empty() {
        None
    } else {
        user_store::by_login_key(&state.db, &key).await?
    };
    let Some(user) = found.filter(|u| u.email_pending && u.deactivated_at.is_none()) else {
        let shown = if login.contains('@') {
            masked(login.trim())
        } else {
            String::new()
        };
        return Ok(code_sent(state, shown));
    };
    let code = new_code();
    let mail = &state.config.mail;
    let txn = crate::db::write_txn(&state.db).await?;
    store_secret(
        state,
        &txn,
        NewSecret::code(state, user.id, VERIFY, &code, None),
    )
    .await?;
    txn.commit().await?;
    mailer
        .send(
            &user.email,
            Mail::VerifyCode {
                code: &code,
                minutes: mail.code_ttl_secs.div_ceil(60),
            },
        )
        .await?;
    Ok(code_sent(state, masked(&user.email)))
}

/// `POST /auth/password-reset`: if an active account has this address, a link is mailed
/// to it. The work happens after the answer, which is the same either way (and takes the
/// same time), so nobody learns which addresses have accounts.
pub fn request_reset(state: &AppState, email: &str) -> AppResult<()> {
    mailer(state)?;
    let key = match Email::parse(email) {
        Ok(email) => email.key,
        Err(_) => return Ok(()),
    };
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = send_reset(&state, &key).await {
            match e {
                AppError::RateLimited { .. } => {
                    tracing::info!("password reset asked for again too soon; not sent")
                }
                e => tracing::warn!(error = %e, "password reset mail not sent"),
            }
        }
    });
    Ok(())
}

async fn send_reset(state: &AppState, email_key: &str) -> AppResult<()> {
    let Some(mailer) = state.mail.as_deref() else {
        return Ok(());
    };
    let Some(user) = user::Entity::find()
        .filter(user::Column::EmailKey.eq(email_key))
        .one(&state.db)
        .await?
        .filter(|u| u.deactivated_at.is_none())
    else {
        return Ok(());
    };
    let (token, _) = new_refresh_token();
    let mail = &state.config.mail;
    let txn = crate::db::write_txn(&state.db).await?;
    store_secret(
        state,
        &txn,
        NewSecret {
            user_id: user.id,
            purpose: RESET,
            secret_hash: reset_hash(state, &token),
            new_email: None,
            ttl_secs: mail.reset_ttl_secs,
            attempts: 1,
        },
    )
    .await?;
    txn.commit().await?;
    let link = mailer.link(&format!("/reset-password?token={token}"));
    mailer
        .send(
            &user.email,
            Mail::ResetLink {
                link: &link,
                minutes: mail.reset_ttl_secs.div_ceil(60),
            },
        )
        .await?;
    tracing::info!(user_id = user.id, "password reset link sent");
    Ok(())
}

/// `POST /auth/password-reset/confirm`: the link's token sets a new password, once. Every
/// session of the account ends (whoever knew the old password is out), and the address is
/// proven (the link reached it).
pub async fn confirm_reset(state: &AppState, req: PasswordResetConfirm) -> AppResult<()> {
    let token = req.token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(reset_link_invalid());
    }
    let hash = reset_hash(state, token);
    let Some(row) = email_code::Entity::find()
        .filter(email_code::Column::SecretHash.eq(hash.clone()))
        .filter(email_code::Column::Purpose.eq(RESET))
        .one(&state.db)
        .await?
    else {
        return Err(reset_link_invalid());
    };
    if row.expires_at <= OffsetDateTime::now_utc() {
        return Err(reset_link_invalid());
    }
    let user = user_store::by_id(&state.db, row.user_id)
        .await?
        .ok_or_else(reset_link_invalid)?;
    if user.deactivated_at.is_some() {
        return Err(AppError::Rule {
            code: ErrorCode::AccountDeactivated,
            message: "this account was deactivated",
        });
    }
    if req.new_password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::field(
            "new_password",
            api::FieldCode::PasswordTooLong,
        ));
    }
    if let Some(problem) = password_problem(&req.new_password, &user.username, &[&user.email]) {
        return Err(AppError::field("new_password", problem));
    }
    let password_hash = state.hasher.hash(req.new_password).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    // Used once: whoever deletes the row first sets the password.
    let taken = email_code::Entity::delete_many()
        .filter(email_code::Column::Id.eq(row.id))
        .filter(email_code::Column::SecretHash.eq(hash))
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(reset_link_invalid());
    }
    let now = OffsetDateTime::now_utc();
    user::Entity::update(user::ActiveModel {
        id: Set(user.id),
        password_hash: Set(password_hash),
        password_temporary: Set(false),
        email_pending: Set(false),
        email_verified_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let ended = store::end_other_sessions(&txn, user.id, None, EndReason::PasswordChanged).await?;
    txn.commit().await?;
    sessions_ended(state, ended, EndReason::PasswordChanged).await;
    tracing::info!(user_id = user.id, "password reset by e-mail link");
    Ok(())
}

/// `POST /me/email`: the password proves it is you; a code goes to the new address.
pub async fn start_change(
    state: &AppState,
    auth: &super::AuthUser,
    req: ChangeEmail,
) -> AppResult<CodeSent> {
    let mailer = mailer(state)?;
    let user = user_store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    if req.password.len() > MAX_PASSWORD_BYTES
        || !state
            .hasher
            .verify(req.password, Some(user.password_hash.clone()))
            .await?
    {
        return Err(AppError::WrongPassword);
    }
    let email = Email::parse(&req.email).map_err(|p| AppError::field("email", p))?;
    ensure_available_email(&state.db, &email).await?;
    let code = new_code();
    let mail = &state.config.mail;
    let txn = crate::db::write_txn(&state.db).await?;
    store_secret(
        state,
        &txn,
        NewSecret::code(state, user.id, CHANGE, &code, Some(email.display.clone())),
    )
    .await?;
    txn.commit().await?;
    mailer
        .send(
            &email.display,
            Mail::ChangeCode {
                code: &code,
                minutes: mail.code_ttl_secs.div_ceil(60),
            },
        )
        .await?;
    Ok(code_sent(state, email.display))
}

/// `POST /me/email/confirm`: the code from the new address moves the account to it; the
/// old address is told.
pub async fn confirm_change(state: &AppState, auth: &super::AuthUser, code: &str) -> AppResult<Me> {
    let user = user_store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    let txn = crate::db::write_txn(&state.db).await?;
    let row = match check_code(state, &txn, user.id, CHANGE, code).await? {
        Checked::Wrong(e) => {
            txn.commit().await?;
            return Err(e);
        }
        Checked::Right(row) => row,
    };
    let Some(new_email) = row.new_email.as_deref().and_then(|e| Email::parse(e).ok()) else {
        txn.commit().await?;
        return Err(code_expired());
    };
    let now = OffsetDateTime::now_utc();
    let updated = user::Entity::update(user::ActiveModel {
        id: Set(user.id),
        email: Set(new_email.display.clone()),
        email_key: Set(new_email.key.clone()),
        email_pending: Set(false),
        email_verified_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await;
    let updated = match updated {
        Ok(updated) => updated,
        // Someone registered the address since the code was sent.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::Taken {
                code: ErrorCode::EmailTaken,
                field: "email",
            });
        }
        Err(e) => return Err(e.into()),
    };
    txn.commit().await?;
    tracing::info!(user_id = user.id, "e-mail address changed");
    if let Some(mailer) = state.mail.clone() {
        let old = user.email.clone();
        let new = new_email.display.clone();
        tokio::spawn(async move {
            // Best effort: the change is made; a lost notice is only logged.
            let _ = mailer
                .send(&old, Mail::AddressChanged { new_email: &new })
                .await;
        });
    }
    Ok(users::to_me(&updated))
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn masks_addresses() {
        assert_eq!(masked("lilei@example.com"), "l***@example.com");
        assert_eq!(masked("李雷@例子.中国"), "李***@例子.中国");
        assert_eq!(masked("nobody"), "***");
    }
}
