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

pub async fn any_user(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(user::Entity::find().count(db).await? > 0)
}
