//! Queries on `users`.

use crate::entities::user;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

pub async fn by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// The account whose username or email address has this key.
pub async fn by_login_key(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::UsernameKey.eq(key))
                .add(user::Column::EmailKey.eq(key)),
        )
        .one(db)
        .await
}

/// Whether some account already has `value` in `column` (a unique one: the username key,
/// the email key or the phone number).
pub async fn taken(
    db: &impl ConnectionTrait,
    column: user::Column,
    value: &str,
) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(column.eq(value))
        .count(db)
        .await?
        > 0)
}

/// Gives accounts made before skeletons were kept theirs (at start; see the migration
/// `m20261201_000005_audit`). Of two old accounts that look alike, the newer one's
/// skeleton gets its id appended: both keep working, and neither name can be copied.
pub async fn fill_skeletons(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    use sea_orm::{ActiveValue::Set, QueryOrder as _, SqlErr};
    let missing = user::Entity::find()
        .filter(user::Column::UsernameSkeleton.is_null())
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    for account in missing {
        let skeleton = crate::users::domain::skeleton(&account.username_key);
        let mut change = user::ActiveModel {
            id: Set(account.id),
            username_skeleton: Set(Some(skeleton.clone())),
            ..Default::default()
        };
        match user::Entity::update(change.clone()).exec(db).await {
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                change.username_skeleton = Set(Some(format!("{skeleton}#{}", account.id)));
                user::Entity::update(change).exec(db).await?;
            }
            other => {
                other?;
            }
        }
    }
    Ok(())
}

pub async fn any_user(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(user::Entity::find().count(db).await? > 0)
}

/// Remembers that `id` was online until now, unless they are invisible (whose last seen
/// stays where it was, so it gives nothing away).
pub async fn seen_now(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::LastSeenAt,
            sea_orm::sea_query::Expr::value(time::OffsetDateTime::now_utc()),
        )
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::Invisible.eq(false))
        .exec(db)
        .await?;
    Ok(())
}

/// Accounts whose username or display name contains `query` (case-insensitively), or
/// whose number is `query`; at most `limit`, exact matches first.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<user::Model>, DbErr> {
    use sea_orm::{
        QueryOrder, QuerySelect,
        sea_query::{Expr, ExprTrait as _, Func},
    };
    let key = super::domain::login_key(query);
    let pattern = || crate::db::contains(&key);
    let mut any = Condition::any()
        .add(Expr::col(user::Column::UsernameKey).like(pattern()))
        .add(Expr::expr(Func::lower(Expr::col(user::Column::DisplayName))).like(pattern()))
        // 李雷 by `lilei` or `ll`.
        .add(Expr::col(user::Column::NameSound).like(pattern()));
    if let Ok(number) = query.trim().parse::<i64>() {
        any = any.add(user::Column::Id.eq(number));
    }
    user::Entity::find()
        .filter(any)
        .order_by_desc(Expr::col(user::Column::UsernameKey).eq(key.clone()))
        .order_by_asc(user::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
