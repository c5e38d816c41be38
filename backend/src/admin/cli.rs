//! `teahouse admin set-role | deactivate | reactivate | list-users`: straight on the
//! database the server uses (it may be running: SQLite in WAL mode and PostgreSQL both
//! take a second writer). A running server learns of a deactivation from the database:
//! the person's requests fail within 30 s (its session cache) and their sockets at their
//! next reconnect; the console ends them at once.

use crate::{
    entities::user,
    error::{AppError, AppResult},
    moderation::service::change_role,
    users::domain::login_key,
};
use api::{UserId, users::Role};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

/// `admin set-role <username or email> <member|moderator|admin>`: what it did, for the
/// terminal.
pub async fn set_role(db: &DatabaseConnection, login: &str, role: &str) -> AppResult<String> {
    let role = Role::parse(role.trim()).ok_or_else(|| {
        AppError::BadRequest(format!("unknown role {role:?}: member, moderator or admin"))
    })?;
    let person = crate::users::store::by_login_key(db, &login_key(login))
        .await?
        .ok_or(AppError::NotFound)?;
    let person = change_role(db, None, UserId(person.id), role).await?;
    Ok(format!("{} is now {}", person.username, role.as_str()))
}

/// `admin deactivate|reactivate <username or email>`.
pub async fn set_active(db: &DatabaseConnection, login: &str, active: bool) -> AppResult<String> {
    let person = crate::users::store::by_login_key(db, &login_key(login))
        .await?
        .ok_or(AppError::NotFound)?;
    let ended =
        crate::moderation::people::change_active(db, None, UserId(person.id), active).await?;
    Ok(if active {
        format!("{} is active again", person.username)
    } else {
        format!(
            "{} is deactivated ({} sessions ended)",
            person.username,
            ended.len()
        )
    })
}

/// `admin list-users`: one line per account, oldest first: id, username, email, role.
pub async fn list_users(db: &DatabaseConnection) -> AppResult<String> {
    let people = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let mut out = String::from("id\tusername\temail\trole\tcreated\tactive\n");
    for p in people {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            p.id,
            p.username,
            p.email,
            p.role,
            p.created_at.date(),
            if p.deactivated_at.is_some() {
                "no"
            } else {
                "yes"
            }
        ));
    }
    Ok(out)
}
