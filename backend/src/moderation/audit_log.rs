//! Reading the audit log (staff).

use super::staff;
use crate::{
    auth::AuthUser,
    entities::{audit_entry, user},
    error::AppResult,
    state::AppState,
};
use api::{
    RoomId,
    moderation::{AuditEntry, AuditPage},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE: u64 = 100;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action (`filter_hit`, `role_set`, …).
    pub action: Option<String>,
    /// Only what this person did.
    pub actor: Option<i64>,
    /// Only what happened in this room.
    pub room: Option<i64>,
    /// The `next` of the page before.
    pub before: Option<i64>,
}

pub async fn page(state: &AppState, auth: &AuthUser, query: AuditQuery) -> AppResult<AuditPage> {
    staff::require_staff(&state.db, auth).await?;
    let mut select = audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(PAGE + 1);
    if let Some(action) = query.action.filter(|a| !a.is_empty()) {
        select = select.filter(audit_entry::Column::Action.eq(action));
    }
    if let Some(actor) = query.actor {
        select = select.filter(audit_entry::Column::ActorId.eq(actor));
    }
    if let Some(room) = query.room {
        select = select.filter(audit_entry::Column::RoomId.eq(room));
    }
    if let Some(before) = query.before {
        select = select.filter(audit_entry::Column::Id.lt(before));
    }
    let mut rows = select.all(&state.db).await?;
    let more = rows.len() as u64 > PAGE;
    rows.truncate(PAGE as usize);
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.actor_id, r.target_user_id])
        .flatten()
        .collect();
    let people: HashMap<i64, user::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    let person = |id: Option<i64>| id.and_then(|id| people.get(&id)).map(crate::rooms::summary);
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor: person(r.actor_id),
            action: r.action,
            room_id: r.room_id.map(RoomId),
            target: person(r.target_user_id),
            details: serde_json::from_str(&r.details).unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        next: more.then(|| entries.last().map(|e| e.id)).flatten(),
        entries,
    })
}
