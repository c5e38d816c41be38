//! The account rules. Handlers parse and call these; these check, write, and answer.

use super::{
    AuthUser,
    password::password_problem,
    store::{self, EndReason},
    tokens::{hash_refresh_token, new_refresh_token},
};
use crate::{
    config::SessionPolicy,
    entities::user,
    error::{AppError, AppResult},
    state::AppState,
    users::{
        self,
        domain::{Email, Username, login_key, parse_phone},
        enum_to_str, store as user_store,
    },
};
use api::{
    ErrorCode, SessionId, UserId,
    auth::{AuthSession, ChangePassword, Login, Register},
    users::{Gender, Role, Zodiac},
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, SqlErr};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Longer passwords than this are refused before hashing (no account can have one), so
/// nobody can make the server hash megabytes.
const MAX_PASSWORD_BYTES: usize = api::rules::PASSWORD_MAX * 4;

pub async fn register(
    state: &AppState,
    req: Register,
    user_agent: Option<String>,
) -> AppResult<AuthSession> {
    let (txn, inserted) = new_account(&state.db, &state.hasher, req, None).await?;
    let (session, _) = open_session(state, &txn, &inserted, user_agent).await?;
    txn.commit().await?;
    tracing::info!(user_id = inserted.id, "registered");
    Ok(session)
}

/// The rules of a new account, for registration and the command line: every field parsed
/// (every problem reported at once), the names free, the password hashed, the row written
/// in a write transaction that is returned open. `role` `None`: the first account on a new
/// server runs it (admin), everyone after is a member.
pub async fn new_account(
    db: &sea_orm::DatabaseConnection,
    hasher: &super::password::PasswordHasher,
    req: Register,
    role: Option<Role>,
) -> AppResult<(sea_orm::DatabaseTransaction, user::Model)> {
    // Parse every field and report every problem at once.
    let mut problems = BTreeMap::new();
    let username = Username::parse(&req.username)
        .map_err(|p| problems.insert("username".into(), p))
        .ok();
    let email = Email::parse(&req.email)
        .map_err(|p| problems.insert("email".into(), p))
        .ok();
    let phone = parse_phone(req.phone.as_deref())
        .map_err(|p| problems.insert("phone".into(), p))
        .ok();
    let context: Vec<&str> = email.iter().map(|e| e.display.as_str()).collect();
    let name_for_policy = username
        .as_ref()
        .map(|u| u.display.as_str())
        .unwrap_or(req.username.trim());
    if let Some(p) = password_problem(&req.password, name_for_policy, &context) {
        problems.insert("password".into(), p);
    }
    let (Some(username), Some(email), Some(phone)) = (username, email, phone) else {
        return Err(AppError::Validation(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    // Cheap checks first, so a taken name costs no hash.
    ensure_available(db, &username, &email, phone.as_deref()).await?;
    let password_hash = hasher.hash(req.password).await?;

    let now = OffsetDateTime::now_utc();
    let role = match role {
        Some(role) => role,
        None if user_store::any_user(db).await? => Role::Member,
        None => Role::Admin,
    };
    let new_user = user::ActiveModel {
        username: Set(username.display.clone()),
        name_sound: Set(Some(crate::rooms::pinyin::sound_of(&[&username.display]))),
        username_key: Set(username.key.clone()),
        username_skeleton: Set(Some(username.skeleton.clone())),
        email: Set(email.display.clone()),
        email_key: Set(email.key.clone()),
        phone: Set(phone.clone()),
        password_hash: Set(password_hash),
        display_name: Set(None),
        bio: Set(None),
        location: Set(None),
        gender: Set(enum_to_str(&Gender::Unspecified)),
        zodiac: Set(enum_to_str(&Zodiac::Unspecified)),
        role: Set(enum_to_str(&role)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };

    let txn = crate::db::write_txn(db).await?;
    let inserted = match user::Entity::insert(new_user)
        .exec_with_returning(&txn)
        .await
    {
        Ok(model) => model,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            // Lost a race with another registration of the same name: say which field.
            drop(txn);
            ensure_available(db, &username, &email, phone.as_deref()).await?;
            return Err(AppError::internal(err));
        }
        Err(err) => return Err(err.into()),
    };
    Ok((txn, inserted))
}

/// 409 `email_taken` if an account has this address.
pub(super) async fn ensure_available_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> AppResult<()> {
    if user_store::taken(db, user::Column::EmailKey, &email.key).await? {
        return Err(AppError::Taken {
            code: ErrorCode::EmailTaken,
            field: "email",
        });
    }
    Ok(())
}

pub(super) async fn ensure_available(
    db: &impl ConnectionTrait,
    username: &Username,
    email: &Email,
    phone: Option<&str>,
) -> AppResult<()> {
    if user_store::taken(db, user::Column::UsernameKey, &username.key).await?
        || user_store::taken(db, user::Column::UsernameSkeleton, &username.skeleton).await?
    {
        return Err(AppError::Taken {
            code: ErrorCode::UsernameTaken,
            field: "username",
        });
    }
    ensure_available_email(db, email).await?;
    if let Some(phone) = phone
        && user_store::taken(db, user::Column::Phone, phone).await?
    {
        return Err(AppError::Taken {
            code: ErrorCode::PhoneTaken,
            field: "phone",
        });
    }
    Ok(())
}

pub async fn login(
    state: &AppState,
    req: Login,
    user_agent: Option<String>,
    client: Option<std::net::IpAddr>,
) -> AppResult<AuthSession> {
    let key = login_key(&req.login);
    let found = if key.is_empty() {
        None
    } else {
        user_store::by_login_key(&state.db, &key).await?
    };
    // Throttled per account, whichever of its names is typed; unknown names by the name.
    let bucket = match &found {
        Some(user) => format!("user:{}", user.id),
        None => format!("name:{key}"),
    };
    state.login_throttle.attempt(&bucket, client).await?;
    if req.password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let hash = found.as_ref().map(|u| u.password_hash.clone());
    // Runs a full verification even for an unknown login: same cost, same answer.
    if !state.hasher.verify(req.password, hash).await? {
        return Err(AppError::InvalidCredentials);
    }
    let Some(user) = found else {
        return Err(AppError::InvalidCredentials);
    };
    // Said only to someone who knows the password.
    if user.deactivated_at.is_some() {
        return Err(AppError::Rule {
            code: api::ErrorCode::AccountDeactivated,
            message: "this account was deactivated",
        });
    }
    if user.email_pending && super::email::verification_required(state) {
        return Err(AppError::Rule {
            code: api::ErrorCode::EmailUnverified,
            message: "confirm the e-mail address with the code that was sent to it first",
        });
    }

    let txn = crate::db::write_txn(&state.db).await?;
    let (session, replaced) = open_session(state, &txn, &user, user_agent).await?;
    txn.commit().await?;
    // Their sockets hear `session_ended` and close.
    sessions_ended(state, replaced, EndReason::Replaced).await;
    tracing::info!(user_id = user.id, session_id = %session.session_id, "logged in");
    Ok(session)
}

/// Creates a session with its first refresh token, ending the account's other sessions
/// first under the single-session policy (returned, to close their sockets after commit).
/// Runs inside the caller's transaction.
pub(super) async fn open_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    user: &user::Model,
    user_agent: Option<String>,
) -> AppResult<(AuthSession, Vec<Uuid>)> {
    let now = OffsetDateTime::now_utc();
    let refresh_ttl = Duration::seconds(state.config.auth.refresh_token_ttl_secs as i64);
    let mut replaced = Vec::new();
    if state.config.auth.session_policy == SessionPolicy::Single {
        replaced = store::end_other_sessions(txn, user.id, None, EndReason::Replaced).await?;
        if !replaced.is_empty() {
            tracing::info!(
                user_id = user.id,
                ended = replaced.len(),
                "older sessions replaced by a new login"
            );
        }
    }
    let session_id =
        store::insert_session(txn, user.id, now, now + refresh_ttl, user_agent).await?;
    Ok((issue(state, txn, user, session_id, now).await?, replaced))
}

/// A fresh access token and refresh token for an open session.
async fn issue(
    state: &AppState,
    txn: &impl ConnectionTrait,
    user: &user::Model,
    session_id: Uuid,
    now: OffsetDateTime,
) -> AppResult<AuthSession> {
    let (refresh_token, hash) = new_refresh_token();
    store_refresh_token(state, txn, hash, session_id, now).await?;
    auth_session(state, user, session_id, refresh_token)
}

async fn store_refresh_token(
    state: &AppState,
    txn: &impl ConnectionTrait,
    hash: String,
    session_id: Uuid,
    now: OffsetDateTime,
) -> AppResult<()> {
    let refresh_ttl = state.config.auth.refresh_token_ttl_secs;
    store::insert_refresh_token(
        txn,
        hash,
        session_id,
        now,
        now + Duration::seconds(refresh_ttl as i64),
    )
    .await?;
    Ok(())
}

/// A fresh access token for the session, with `refresh_token`.
fn auth_session(
    state: &AppState,
    user: &user::Model,
    session_id: Uuid,
    refresh_token: String,
) -> AppResult<AuthSession> {
    Ok(AuthSession {
        access_token: state.tokens.issue(UserId(user.id), session_id)?,
        token_type: "Bearer".into(),
        expires_in: state.tokens.ttl_secs(),
        refresh_token,
        refresh_expires_in: state.config.auth.refresh_token_ttl_secs,
        session_id: SessionId(session_id.to_string()),
        user: users::to_me(user),
    })
}

/// Rotates a refresh token: the presented one becomes used, its successor is returned.
///
/// A token presented again after use means two parties hold it (a thief, or a replay):
/// the whole session ends. Within `refresh_reuse_grace_secs` of the first use it is
/// honoured, because two tabs of one browser share a token and race: but with the *same*
/// successor (derived from the token, `TokenKeys::successor`) and a new access token, so
/// the session never forks into two live chains.
pub async fn refresh(state: &AppState, token: &str) -> AppResult<AuthSession> {
    let token = token.trim();
    let hash = hash_refresh_token(token);
    let now = OffsetDateTime::now_utc();
    let Some((row, Some(session))) = store::refresh_token_with_session(&state.db, &hash).await?
    else {
        return Err(AppError::InvalidRefreshToken);
    };
    if session.revoked_at.is_some() {
        // Why, so a client whose socket did not get to say it can.
        return Err(
            match session
                .revoked_reason
                .as_deref()
                .and_then(store::reason_from_str)
            {
                Some(reason) => AppError::SessionRevoked(reason),
                None => AppError::SessionEnded,
            },
        );
    }
    if row.expires_at <= now || session.expires_at <= now {
        return Err(AppError::InvalidRefreshToken);
    }
    let grace = Duration::seconds(state.config.auth.refresh_reuse_grace_secs as i64);
    if let Some(used_at) = row.used_at
        && now - used_at > grace
    {
        store::end_session(&state.db, session.id, EndReason::RefreshReuse).await?;
        sessions_ended(state, vec![session.id], EndReason::RefreshReuse).await;
        tracing::warn!(user_id = session.user_id, session_id = %session.id, "refresh token reused; session ended");
        return Err(AppError::RefreshTokenReused);
    }

    let user = user_store::by_id(&state.db, session.user_id)
        .await?
        .ok_or(AppError::SessionEnded)?;
    let (successor, successor_hash) = state.tokens.successor(token);
    if row.used_at.is_some() {
        return auth_session(state, &user, session.id, successor);
    }
    let txn = crate::db::write_txn(&state.db).await?;
    // Writes first, so a SQLite transaction takes the write lock before it reads anything.
    if !store::mark_refresh_token_used(&txn, &hash, now).await? {
        // A presentation racing this one used it first and stored the successor.
        drop(txn);
        return auth_session(state, &user, session.id, successor);
    }
    let refresh_ttl = Duration::seconds(state.config.auth.refresh_token_ttl_secs as i64);
    store::touch_session(&txn, session.id, now, now + refresh_ttl).await?;
    store_refresh_token(state, &txn, successor_hash, session.id, now).await?;
    txn.commit().await?;
    auth_session(state, &user, session.id, successor)
}

/// Ends the session a refresh token belongs to. Unknown tokens are fine: logging out
/// twice is not an error.
pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let hash = hash_refresh_token(token.trim());
    if let Some((_, Some(session))) = store::refresh_token_with_session(&state.db, &hash).await? {
        store::end_session(&state.db, session.id, EndReason::Logout).await?;
        sessions_ended(state, vec![session.id], EndReason::Logout).await;
        tracing::info!(user_id = session.user_id, session_id = %session.id, "logged out");
    }
    Ok(())
}

/// Ends the caller's own session (the access-token way to log out).
pub async fn logout_session(state: &AppState, auth: &AuthUser) -> AppResult<()> {
    store::end_session(&state.db, auth.session_id, EndReason::Logout).await?;
    sessions_ended(state, vec![auth.session_id], EndReason::Logout).await;
    Ok(())
}

/// Needs the current password; on success every other session of the account ends.
pub async fn change_password(
    state: &AppState,
    auth: &AuthUser,
    req: ChangePassword,
) -> AppResult<()> {
    let user = user_store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    if req.current_password.len() > MAX_PASSWORD_BYTES
        || !state
            .hasher
            .verify(req.current_password, Some(user.password_hash.clone()))
            .await?
    {
        return Err(AppError::WrongPassword);
    }
    if let Some(problem) = password_problem(&req.new_password, &user.username, &[&user.email]) {
        return Err(AppError::field("new_password", problem));
    }
    let password_hash = state.hasher.hash(req.new_password).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(user.id),
        password_hash: Set(password_hash),
        password_temporary: Set(false),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let ended = store::end_other_sessions(
        &txn,
        user.id,
        Some(auth.session_id),
        EndReason::PasswordChanged,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, ended = ended.len(), "password changed");
    sessions_ended(state, ended, EndReason::PasswordChanged).await;
    Ok(())
}

/// After the commit that ended them: forget these sessions and close their sockets.
pub(crate) async fn sessions_ended(state: &AppState, ids: Vec<Uuid>, reason: EndReason) {
    state.sessions.ended(&ids);
    state.hub.end_sessions(ids, reason).await;
}

/// Checks an access token and that its session is still open (from the cache of
/// recently seen open sessions, else from the database).
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<AuthUser> {
    let claims = state.tokens.verify(token)?;
    if let Some(user) = state.sessions.get(claims.session_id) {
        if user != claims.user_id.0 {
            return Err(AppError::InvalidToken);
        }
        return Ok(AuthUser {
            user_id: claims.user_id,
            session_id: claims.session_id,
        });
    }
    let session = store::session(&state.db, claims.session_id)
        .await?
        .ok_or(AppError::SessionEnded)?;
    if session.user_id != claims.user_id.0 {
        return Err(AppError::InvalidToken);
    }
    if session.revoked_at.is_some() || session.expires_at <= OffsetDateTime::now_utc() {
        return Err(AppError::SessionEnded);
    }
    state
        .sessions
        .open(session.id, session.user_id, session.expires_at);
    Ok(AuthUser {
        user_id: claims.user_id,
        session_id: session.id,
    })
}
