//! The audit log: every staff action and every filter hit, written beside what it records.

use crate::{entities::audit_entry, error::AppResult};
use api::{RoomId, UserId};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use time::OffsetDateTime;

/// The stable names of what the log records.
pub mod action {
    /// A text held a listed word (`details`: field, policy, words).
    pub const FILTER_HIT: &str = "filter_hit";
    /// The composer's check found a listed word under `warn` (the person may still edit).
    pub const FILTER_WARNED: &str = "filter_warned";
    pub const WORD_LIST_CREATED: &str = "word_list_created";
    pub const WORD_LIST_EDITED: &str = "word_list_edited";
    pub const WORD_LIST_DELETED: &str = "word_list_deleted";
    pub const WORDS_ADDED: &str = "words_added";
    pub const WORD_REMOVED: &str = "word_removed";
    pub const WORD_POLICIES_SET: &str = "word_policies_set";
    pub const ROOM_WORD_POLICY_SET: &str = "room_word_policy_set";
    pub const ROLE_SET: &str = "role_set";
    pub const ACCOUNT_DEACTIVATED: &str = "account_deactivated";
    pub const ACCOUNT_REACTIVATED: &str = "account_reactivated";
    pub const FORCED_LOGOUT: &str = "forced_logout";
    pub const PASSWORD_RESET: &str = "password_reset";
    pub const ACCOUNT_CREATED: &str = "account_created";
    pub const MEMBER_SILENCED: &str = "member_silenced";
    pub const MEMBER_UNSILENCED: &str = "member_unsilenced";
    pub const MEMBER_BANNED: &str = "member_banned";
    pub const MEMBER_UNBANNED: &str = "member_unbanned";
    pub const SETTINGS_CHANGED: &str = "settings_changed";
    pub const INVITE_CODE_CHANGED: &str = "invite_code_changed";
    /// Staff removed a person's messages in a time range (`details`: from, to, removed).
    pub const MESSAGES_REMOVED: &str = "messages_removed";
    /// Staff removed one message (a report's outcome).
    pub const MESSAGE_REMOVED: &str = "message_removed";
    pub const ROOM_DELETED: &str = "room_deleted";
    pub const ROOM_EDITED: &str = "room_edited";
    pub const ROOM_TRANSFERRED: &str = "room_transferred";
    pub const REPORT_RESOLVED: &str = "report_resolved";
}

/// One line to write.
pub struct Entry<'a> {
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub room: Option<RoomId>,
    pub target_user: Option<UserId>,
    pub details: serde_json::Value,
}

pub async fn record(db: &impl ConnectionTrait, entry: Entry<'_>) -> AppResult<()> {
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        at: Set(OffsetDateTime::now_utc()),
        actor_id: Set(entry.actor.map(|u| u.0)),
        action: Set(entry.action.to_owned()),
        room_id: Set(entry.room.map(|r| r.0)),
        target_user_id: Set(entry.target_user.map(|u| u.0)),
        details: Set(entry.details.to_string()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
