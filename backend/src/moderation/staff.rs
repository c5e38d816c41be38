//! Site roles: who is staff, and the checks every console endpoint starts with.

use crate::{
    auth::AuthUser,
    entities::user,
    error::{AppError, AppResult},
    users::store as users,
};
use api::users::Role;
use sea_orm::ConnectionTrait;

/// The caller's site role, read fresh (a demotion counts at once).
pub async fn role_of(db: &impl ConnectionTrait, auth: &AuthUser) -> AppResult<(user::Model, Role)> {
    let me = users::by_id(db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    let role = Role::parse(&me.role).unwrap_or_default();
    Ok((me, role))
}

/// A moderator or an admin, or 403.
pub async fn require_staff(db: &impl ConnectionTrait, auth: &AuthUser) -> AppResult<user::Model> {
    let (me, role) = role_of(db, auth).await?;
    if role.is_staff() {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A site admin, or 403.
pub async fn require_admin(db: &impl ConnectionTrait, auth: &AuthUser) -> AppResult<user::Model> {
    let (me, role) = role_of(db, auth).await?;
    if role.is_admin() {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}
