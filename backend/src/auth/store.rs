//! Queries on `sessions` and `refresh_tokens`.

use crate::entities::{refresh_token, session};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// Why a session ended: kept in `sessions.revoked_reason`, and told to its sockets.
pub use api::ws::EndReason;

pub fn reason_from_str(reason: &str) -> Option<EndReason> {
    [
        EndReason::Logout,
        EndReason::Replaced,
        EndReason::PasswordChanged,
        EndReason::RefreshReuse,
        EndReason::Deactivated,
        EndReason::ForcedLogout,
    ]
    .into_iter()
    .find(|r| reason_str(*r) == reason)
}

fn reason_str(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Logout => "logout",
        EndReason::Replaced => "replaced",
        EndReason::PasswordChanged => "password_changed",
        EndReason::RefreshReuse => "refresh_reuse",
        EndReason::Deactivated => "deactivated",
        EndReason::ForcedLogout => "forced_logout",
    }
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
    user_agent: Option<String>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    session::Entity::insert(session::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        created_at: Set(now),
        last_used_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        user_agent: Set(user_agent),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

/// Keeps a session alive: a refresh extends it by the refresh lifetime.
pub async fn touch_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::LastUsedAt, Expr::value(now))
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends one session (if still open).
pub async fn end_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: EndReason,
) -> Result<(), DbErr> {
    revoke(db, vec![id], reason).await
}

/// Ends every open session of `user_id` except `keep`; returns the ones it ended.
pub async fn end_other_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<Uuid>,
    reason: EndReason,
) -> Result<Vec<Uuid>, DbErr> {
    let mut open = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        open = open.filter(session::Column::Id.ne(keep));
    }
    let ids: Vec<Uuid> = open.all(db).await?.into_iter().map(|s| s.id).collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    revoke(db, ids.clone(), reason).await?;
    Ok(ids)
}

/// Marks the sessions ended now, with `reason`, unless they already were.
async fn revoke(db: &impl ConnectionTrait, ids: Vec<Uuid>, reason: EndReason) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .col_expr(
            session::Column::RevokedReason,
            Expr::value(reason_str(reason)),
        )
        .filter(session::Column::Id.is_in(ids))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    hash: String,
    session_id: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), DbErr> {
    refresh_token::Entity::insert(refresh_token::ActiveModel {
        token_hash: Set(hash),
        session_id: Set(session_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn refresh_token_with_session(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<(refresh_token::Model, Option<session::Model>)>, DbErr> {
    refresh_token::Entity::find_by_id(hash.to_owned())
        .find_also_related(session::Entity)
        .one(db)
        .await
}

/// Marks a refresh token used, only if it was not already: true if this call did it.
pub async fn mark_refresh_token_used(
    db: &impl ConnectionTrait,
    hash: &str,
    now: OffsetDateTime,
) -> Result<bool, DbErr> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
