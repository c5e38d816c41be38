//! Staff acting on accounts: deactivate (every session and socket ends at once, and the
//! person cannot log in), reactivate, force logout.

use super::{
    audit::{self, Entry, action},
    staff,
};
use crate::{
    auth::AuthUser,
    entities::user,
    error::{AppError, AppResult},
    state::AppState,
};
use api::{ErrorCode, UserId, users::Role, ws::EndReason};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use time::OffsetDateTime;

/// The caller may act on `target`: staff, not themselves, and moderators on members only
/// (403 `staff_protected`). The target's account.
pub(crate) async fn target_for(
    state: &AppState,
    auth: &AuthUser,
    target: UserId,
) -> AppResult<user::Model> {
    let me = staff::require_staff(&state.db, auth).await?;
    let my_role = Role::parse(&me.role).unwrap_or_default();
    let person = crate::users::store::by_id(&state.db, target.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if target == auth.user_id {
        return Err(AppError::Forbidden);
    }
    if !my_role.can_act_on(Role::parse(&person.role).unwrap_or_default()) {
        return Err(AppError::Rule {
            code: ErrorCode::StaffProtected,
            message: "moderators act on members only",
        });
    }
    Ok(person)
}

pub async fn deactivate(state: &AppState, auth: &AuthUser, target: UserId) -> AppResult<()> {
    target_for(state, auth, target).await?;
    set_active(&state.db, state, Some(auth.user_id), target, false).await
}

pub async fn reactivate(state: &AppState, auth: &AuthUser, target: UserId) -> AppResult<()> {
    target_for(state, auth, target).await?;
    set_active(&state.db, state, Some(auth.user_id), target, true).await
}

/// Deactivates (ending every session, closing every socket) or reactivates an account,
/// and logs it (`actor` `None`: the command line, which has no server state to close
/// sockets with; their next request or refresh fails all the same).
pub async fn set_active(
    db: &DatabaseConnection,
    state: &AppState,
    actor: Option<UserId>,
    target: UserId,
    active: bool,
) -> AppResult<()> {
    let ended = change_active(db, actor, target, active).await?;
    crate::auth::service::sessions_ended(state, ended, EndReason::Deactivated).await;
    Ok(())
}

/// The database part of `set_active`: the sessions it ended.
pub async fn change_active(
    db: &DatabaseConnection,
    actor: Option<UserId>,
    target: UserId,
    active: bool,
) -> AppResult<Vec<uuid::Uuid>> {
    let txn = crate::db::write_txn(db).await?;
    let person = crate::users::store::by_id(&txn, target.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if !active && Role::parse(&person.role).unwrap_or_default().is_admin() {
        let admins = super::service::active_admins(&txn).await?;
        if admins <= 1 {
            return Err(AppError::Rule {
                code: ErrorCode::LastAdmin,
                message: "the server must keep at least one admin",
            });
        }
    }
    user::Entity::update(user::ActiveModel {
        id: Set(target.0),
        deactivated_at: Set((!active).then(OffsetDateTime::now_utc)),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let ended = if active {
        Vec::new()
    } else {
        crate::auth::store::end_other_sessions(&txn, target.0, None, EndReason::Deactivated).await?
    };
    audit::record(
        &txn,
        Entry {
            actor,
            action: if active {
                action::ACCOUNT_REACTIVATED
            } else {
                action::ACCOUNT_DEACTIVATED
            },
            room: None,
            target_user: Some(target),
            details: serde_json::json!({ "sessions_ended": ended.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user_id = target.0, active, "account active state changed");
    Ok(ended)
}

/// Ends every session of the account now (they may log in again).
pub async fn force_logout(state: &AppState, auth: &AuthUser, target: UserId) -> AppResult<()> {
    target_for(state, auth, target).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    let ended =
        crate::auth::store::end_other_sessions(&txn, target.0, None, EndReason::ForcedLogout)
            .await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(auth.user_id),
            action: action::FORCED_LOGOUT,
            room: None,
            target_user: Some(target),
            details: serde_json::json!({ "sessions_ended": ended.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    crate::auth::service::sessions_ended(state, ended, EndReason::ForcedLogout).await;
    Ok(())
}

/// Sets a new password for someone (the command line's reset, later the console's) and
/// ends every session of theirs; returns the sessions ended.
pub async fn set_password(
    db: &DatabaseConnection,
    hasher: &crate::auth::password::PasswordHasher,
    actor: Option<UserId>,
    target: UserId,
    password: String,
    temporary: bool,
) -> AppResult<Vec<uuid::Uuid>> {
    let person = crate::users::store::by_id(db, target.0)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(problem) =
        crate::auth::password::password_problem(&password, &person.username, &[&person.email])
    {
        return Err(AppError::field("password", problem));
    }
    let hash = hasher.hash(password).await?;
    let txn = crate::db::write_txn(db).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(target.0),
        password_hash: Set(hash),
        password_temporary: Set(temporary),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let ended =
        crate::auth::store::end_other_sessions(&txn, target.0, None, EndReason::PasswordChanged)
            .await?;
    audit::record(
        &txn,
        Entry {
            actor,
            action: action::PASSWORD_RESET,
            room: None,
            target_user: Some(target),
            details: serde_json::json!({ "sessions_ended": ended.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}
