//! The server's settings admins change while it runs (`GET/PATCH /admin/settings`): kept
//! in the database (`server_settings`, key `server`) over what `teahouse.toml` says, and
//! in force at once: every worker reads them through [`Live`].
//!
//! With several instances each reads them at start; issue 17's bus will tell the others
//! of a change.

use crate::{
    auth::AuthUser,
    config::{Config, Rate},
    error::{AppError, AppResult},
    moderation::{
        audit::{self, Entry, action},
        staff,
    },
    state::AppState,
};
use api::{
    FieldCode,
    admin::{EditServerSettings, Language, ServerSettings},
    users::{RateLimit, RegistrationMode},
};
use rand::Rng as _;
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use std::{
    collections::BTreeMap,
    sync::{Arc, RwLock},
};
use subtle::ConstantTimeEq as _;

const KEY: &str = "server";
const DAY: u64 = 24 * 60 * 60;

/// The settings in force, swapped whole on a change.
#[derive(Debug)]
pub struct Live(RwLock<Arc<ServerSettings>>);

impl Live {
    pub fn new(settings: ServerSettings) -> Self {
        Self(RwLock::new(Arc::new(settings)))
    }

    pub fn get(&self) -> Arc<ServerSettings> {
        match self.0.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, settings: ServerSettings) {
        let settings = Arc::new(settings);
        match self.0.write() {
            Ok(mut slot) => *slot = settings,
            Err(poisoned) => *poisoned.into_inner() = settings,
        }
    }
}

/// What the database holds: only what an admin changed (the rest follows the file).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registration: Option<RegistrationMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invite_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recall_window_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edit_window_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_upload_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quota_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message_rate: Option<RateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    upload_rate: Option<RateLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    require_email_verification: Option<bool>,
}

fn rate(r: Rate) -> RateLimit {
    RateLimit {
        burst: r.burst,
        refill_ms: r.refill_ms,
    }
}

fn unrate(r: RateLimit) -> Rate {
    Rate {
        burst: r.burst,
        refill_ms: r.refill_ms,
    }
}

/// A new invite code: 10 letters and digits without look-alikes.
pub fn invite_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn merged(config: &Config, stored: &Stored) -> ServerSettings {
    ServerSettings {
        registration: stored.registration.unwrap_or(RegistrationMode::Open),
        invite_code: stored.invite_code.clone().unwrap_or_default(),
        recall_window_secs: stored
            .recall_window_secs
            .unwrap_or(config.recall_window_secs),
        edit_window_secs: stored.edit_window_secs.unwrap_or(config.edit_window_secs),
        max_upload_bytes: stored
            .max_upload_bytes
            .unwrap_or(config.files.max_upload_bytes),
        quota_bytes: stored.quota_bytes.unwrap_or(config.files.quota_bytes),
        message_rate: stored
            .message_rate
            .unwrap_or_else(|| rate(config.limits.messages)),
        upload_rate: stored
            .upload_rate
            .unwrap_or_else(|| rate(config.limits.uploads)),
        default_language: stored.default_language.unwrap_or_default(),
        require_email_verification: stored.require_email_verification.unwrap_or(false),
        mail: config.mail.enabled(),
    }
}

async fn stored(db: &impl ConnectionTrait) -> Result<Stored, DbErr> {
    crate::moderation::store::setting(db, KEY).await
}

async fn save(db: &impl ConnectionTrait, stored: &Stored) -> Result<(), DbErr> {
    crate::moderation::store::save_setting(db, KEY, stored).await
}

/// The settings in force at start: the file's, with what admins changed over them.
pub async fn load(db: &impl ConnectionTrait, config: &Config) -> Result<ServerSettings, DbErr> {
    Ok(merged(config, &stored(db).await?))
}

/// Puts settings in force: the rate limits are rebuilt; everything else is read where it
/// is used.
fn apply(state: &AppState, settings: ServerSettings) {
    put_in_force(state, settings);
    state.hub.reload(crate::realtime::bus::Reload::Settings);
}

/// Another instance changed the settings: they are read again.
pub async fn reload_from_database(state: &AppState) -> Result<(), DbErr> {
    put_in_force(state, load(&state.db, &state.config).await?);
    Ok(())
}

fn put_in_force(state: &AppState, settings: ServerSettings) {
    state
        .limits
        .messages
        .set_rate(unrate(settings.message_rate));
    state.limits.uploads.set_rate(unrate(settings.upload_rate));
    state.settings.set(settings);
}

pub async fn get(state: &AppState, auth: &AuthUser) -> AppResult<ServerSettings> {
    staff::require_admin(&state.db, auth).await?;
    Ok((*state.settings.get()).clone())
}

fn check_range(
    problems: &mut BTreeMap<String, FieldCode>,
    field: &str,
    value: Option<u64>,
    range: std::ops::RangeInclusive<u64>,
) {
    if let Some(v) = value
        && !range.contains(&v)
    {
        problems.insert(field.to_owned(), FieldCode::OutOfRange);
    }
}

fn check_rate(problems: &mut BTreeMap<String, FieldCode>, field: &str, value: Option<RateLimit>) {
    if let Some(r) = value
        && (!(1..=10_000).contains(&r.burst) || !(1..=3_600_000).contains(&r.refill_ms))
    {
        problems.insert(field.to_owned(), FieldCode::OutOfRange);
    }
}

/// `PATCH /admin/settings` (admins): checks every field, stores the change, puts it in
/// force and logs it with the fields changed.
pub async fn edit(
    state: &AppState,
    auth: &AuthUser,
    req: EditServerSettings,
) -> AppResult<ServerSettings> {
    staff::require_admin(&state.db, auth).await?;
    let mut problems = BTreeMap::new();
    check_range(
        &mut problems,
        "recall_window_secs",
        req.recall_window_secs,
        0..=30 * DAY,
    );
    check_range(
        &mut problems,
        "edit_window_secs",
        req.edit_window_secs,
        0..=30 * DAY,
    );
    check_range(
        &mut problems,
        "max_upload_bytes",
        req.max_upload_bytes,
        1024..=4 << 30,
    );
    check_range(
        &mut problems,
        "quota_bytes",
        req.quota_bytes,
        1024..=1 << 40,
    );
    check_rate(&mut problems, "message_rate", req.message_rate);
    check_rate(&mut problems, "upload_rate", req.upload_rate);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    if req.require_email_verification == Some(true) && state.mail.is_none() {
        return Err(AppError::Rule {
            code: api::ErrorCode::MailDisabled,
            message: "confirming addresses needs a mail server ([mail] smtp_url)",
        });
    }
    let txn = crate::db::write_txn(&state.db).await?;
    let mut stored = stored(&txn).await?;
    let before = merged(&state.config, &stored);
    if req.registration.is_some() {
        stored.registration = req.registration;
    }
    if stored.registration == Some(RegistrationMode::Invite) && stored.invite_code.is_none() {
        stored.invite_code = Some(invite_code());
    }
    stored.recall_window_secs = req.recall_window_secs.or(stored.recall_window_secs);
    stored.edit_window_secs = req.edit_window_secs.or(stored.edit_window_secs);
    stored.max_upload_bytes = req.max_upload_bytes.or(stored.max_upload_bytes);
    stored.quota_bytes = req.quota_bytes.or(stored.quota_bytes);
    stored.message_rate = req.message_rate.or(stored.message_rate);
    stored.upload_rate = req.upload_rate.or(stored.upload_rate);
    stored.default_language = req.default_language.or(stored.default_language);
    stored.require_email_verification = req
        .require_email_verification
        .or(stored.require_email_verification);
    let after = merged(&state.config, &stored);
    if after.quota_bytes < after.max_upload_bytes {
        return Err(AppError::field("quota_bytes", FieldCode::OutOfRange));
    }
    save(&txn, &stored).await?;
    let mut changed = serde_json::Map::new();
    if let (Ok(serde_json::Value::Object(old)), Ok(serde_json::Value::Object(new))) =
        (serde_json::to_value(&before), serde_json::to_value(&after))
    {
        for (k, v) in new {
            if k != "invite_code" && old.get(&k) != Some(&v) {
                changed.insert(k, v);
            }
        }
    }
    if !changed.is_empty() {
        audit::record(
            &txn,
            Entry {
                actor: Some(auth.user_id),
                action: action::SETTINGS_CHANGED,
                room: None,
                target_user: None,
                details: serde_json::Value::Object(changed),
            },
        )
        .await?;
    }
    txn.commit().await?;
    apply(state, after.clone());
    Ok(after)
}

/// `POST /admin/settings/invite-code` (admins): a new invite code; the old one stops
/// working at once.
pub async fn new_invite_code(state: &AppState, auth: &AuthUser) -> AppResult<ServerSettings> {
    staff::require_admin(&state.db, auth).await?;
    let txn = crate::db::write_txn(&state.db).await?;
    let mut stored = stored(&txn).await?;
    stored.invite_code = Some(invite_code());
    save(&txn, &stored).await?;
    audit::record(
        &txn,
        Entry {
            actor: Some(auth.user_id),
            action: action::INVITE_CODE_CHANGED,
            room: None,
            target_user: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    let after = merged(&state.config, &stored);
    apply(state, after.clone());
    Ok(after)
}

/// May someone register now, with this code? (`POST /auth/register`.)
pub fn check_registration(state: &AppState, invite: Option<&str>) -> AppResult<()> {
    let settings = state.settings.get();
    match settings.registration {
        RegistrationMode::Open => Ok(()),
        RegistrationMode::Closed => Err(AppError::Rule {
            code: api::ErrorCode::RegistrationClosed,
            message: "registration is closed on this server",
        }),
        RegistrationMode::Invite => {
            let given = invite.map(str::trim).unwrap_or_default();
            if !given.is_empty()
                && !settings.invite_code.is_empty()
                && bool::from(
                    given
                        .to_ascii_uppercase()
                        .as_bytes()
                        .ct_eq(settings.invite_code.as_bytes()),
                )
            {
                Ok(())
            } else {
                Err(AppError::Rule {
                    code: api::ErrorCode::InviteInvalid,
                    message: "registration here needs the server's invite code",
                })
            }
        }
    }
}
