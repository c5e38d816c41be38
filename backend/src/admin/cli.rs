//! `teahouse admin create-user | reset-password | set-role | deactivate | reactivate |
//! list-users`: straight on the
//! database the server uses (it may be running: SQLite in WAL mode and PostgreSQL both
//! take a second writer). A running server learns of a deactivation from the database:
//! the person's requests fail within 30 s (its session cache) and their sockets at their
//! next reconnect; the console ends them at once.

use crate::{
    auth::password::PasswordHasher,
    config::Config,
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

/// A temporary password to hand over: 16 random letters and digits (about 95 bits).
pub fn temporary_password() -> String {
    use rand::distr::{Alphanumeric, SampleString as _};
    Alphanumeric.sample_string(&mut rand::rng(), 16)
}

fn hasher(config: &Config) -> AppResult<PasswordHasher> {
    PasswordHasher::new(
        config.auth.argon2_memory_kib,
        config.auth.argon2_iterations,
        config.auth.max_concurrent_hashes,
    )
}

/// `admin create-user <username> <email> [--role r] [--password-stdin]`: an account made
/// by whoever runs the server (on a fresh install, its admin). Without a password given,
/// a temporary one is made and printed.
pub async fn create_user(
    db: &DatabaseConnection,
    config: &Config,
    username: &str,
    email: &str,
    role: Role,
    password: Option<String>,
) -> AppResult<String> {
    let (password, made) = match password {
        Some(p) => (p, false),
        None => (temporary_password(), true),
    };
    let req = api::auth::Register {
        username: username.to_owned(),
        email: email.to_owned(),
        phone: None,
        password: password.clone(),
        invite_code: None,
    };
    let (txn, person) =
        crate::auth::service::new_account(db, &hasher(config)?, req, Some(role)).await?;
    if made {
        crate::entities::user::Entity::update(crate::entities::user::ActiveModel {
            id: sea_orm::ActiveValue::Set(person.id),
            password_temporary: sea_orm::ActiveValue::Set(true),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    crate::moderation::audit::record(
        &txn,
        crate::moderation::audit::Entry {
            actor: None,
            action: crate::moderation::audit::action::ACCOUNT_CREATED,
            room: None,
            target_user: Some(UserId(person.id)),
            details: serde_json::json!({ "role": role.as_str(), "by": "command line" }),
        },
    )
    .await?;
    txn.commit().await?;
    let mut out = format!("created {} ({})", person.username, role.as_str());
    if made {
        out.push_str(&format!("; temporary password: {password}"));
    }
    Ok(out)
}

/// `admin reset-password <username or email> [--password-stdin]`: a new password (made and
/// printed when not given); every session of the account ends.
pub async fn reset_password(
    db: &DatabaseConnection,
    config: &Config,
    login: &str,
    password: Option<String>,
) -> AppResult<String> {
    let person = crate::users::store::by_login_key(db, &login_key(login))
        .await?
        .ok_or(AppError::NotFound)?;
    let (password, made) = match password {
        Some(p) => (p, false),
        None => (temporary_password(), true),
    };
    let ended = crate::moderation::people::set_password(
        db,
        &hasher(config)?,
        None,
        UserId(person.id),
        password.clone(),
        made,
    )
    .await?;
    tell_ended(config, ended.clone(), api::ws::EndReason::PasswordChanged).await;
    let mut out = format!(
        "{}: password changed, {} sessions ended",
        person.username,
        ended.len()
    );
    if made {
        out.push_str(&format!("; temporary password: {password}"));
    }
    Ok(out)
}

/// `admin deactivate|reactivate <username or email>`.
pub async fn set_active(
    db: &DatabaseConnection,
    config: &Config,
    login: &str,
    active: bool,
) -> AppResult<String> {
    let person = crate::users::store::by_login_key(db, &login_key(login))
        .await?
        .ok_or(AppError::NotFound)?;
    let ended =
        crate::moderation::people::change_active(db, None, UserId(person.id), active).await?;
    tell_ended(config, ended.clone(), api::ws::EndReason::Deactivated).await;
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

/// Sessions ended here close their sockets on the running instances, when they share a
/// bus (Redis); a lone instance notices at its next session check.
async fn tell_ended(config: &Config, session_ids: Vec<uuid::Uuid>, reason: api::ws::EndReason) {
    if !session_ids.is_empty() {
        crate::realtime::bus::tell_running(
            config,
            crate::realtime::bus::Signal::EndSessions {
                session_ids,
                reason,
            },
        )
        .await;
    }
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
