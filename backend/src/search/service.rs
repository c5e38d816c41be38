//! `GET /search/messages`: the caller's rooms only, newest first, with what matched.

use super::{
    index::{self, Find},
    tokens,
};
use crate::{
    auth::AuthUser,
    entities::{message, post, room_member},
    error::{AppError, AppResult},
    rooms::store as room_store,
    state::AppState,
};
use api::{
    FieldCode, MessageId,
    search::{SearchHit, SearchResults},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The longest query, in characters.
pub const QUERY_MAX_CHARS: usize = 200;
pub const PAGE_DEFAULT: u64 = 20;
pub const PAGE_MAX: u64 = 50;

/// What `GET /search/messages` takes.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to find: words, Chinese of any length (one character matches the character,
    /// more the run), `"a phrase"`, `-excluded`. At most 200 characters.
    pub q: String,
    /// Only this room or private chat (one of yours).
    pub room_id: Option<i64>,
    /// Only messages older than this one (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Hits a page, 1–50 (default 20).
    pub limit: Option<u64>,
    /// Only this person's messages.
    pub author_id: Option<i64>,
    /// Only messages sent at or after this moment (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<time::OffsetDateTime>,
    /// Only messages sent before this moment (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<time::OffsetDateTime>,
    /// Only messages with files (`file`) or with images (`image`).
    #[param(inline)]
    pub has: Option<Has>,
}

/// What a message found must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Has {
    File,
    Image,
}

pub async fn messages(
    state: &AppState,
    auth: &AuthUser,
    query: SearchQuery,
) -> AppResult<SearchResults> {
    let q = query.q.trim();
    if q.is_empty() {
        return Err(AppError::field("q", FieldCode::Required));
    }
    if q.chars().count() > QUERY_MAX_CHARS {
        return Err(AppError::field("q", FieldCode::Length));
    }
    let limit = query.limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX);
    let mine = room_store::my_rooms(&state.db, auth.user_id).await?;
    let rooms: Vec<i64> = match query.room_id {
        Some(room) if mine.iter().any(|(_, r)| r.id == room) => vec![room],
        // Not one of mine: as if it did not exist.
        Some(_) => return Err(AppError::NotFound),
        None => mine.iter().map(|(_, r)| r.id).collect(),
    };
    let terms = tokens::query(q);
    let ids = index::find(
        &state.db,
        Find {
            rooms: &rooms,
            terms: &terms,
            before: query.before,
            limit: limit + 1,
            author: query.author_id,
            from: query.from,
            to: query.to,
            with_files: query.has.map(|h| h == Has::Image),
        },
    )
    .await?;
    let more = ids.len() as u64 > limit;
    let ids: Vec<i64> = ids.into_iter().take(limit as usize).collect();
    let next_before = more.then(|| ids.last().copied()).flatten().map(MessageId);

    let mut rows = message::Entity::find()
        .filter(message::Column::Id.is_in(ids.clone()))
        .filter(message::Column::RecalledAt.is_null())
        .all(&state.db)
        .await?;
    rows.sort_by_key(|m| std::cmp::Reverse(m.id));
    let posts: HashMap<i64, String> = post::Entity::find()
        .filter(post::Column::Id.is_in(rows.iter().map(|m| m.post_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    let names = room_names(state, auth, &mine).await?;
    let messages = crate::messages::service::with_files(&state.db, &rows).await?;
    let hits = messages
        .into_iter()
        .map(|message| {
            let highlights = message
                .body
                .as_deref()
                .map(|body| tokens::highlights(body, &terms))
                .unwrap_or_default()
                .into_iter()
                .map(|(s, e)| [s as u32, e as u32])
                .collect();
            SearchHit {
                room_name: names.get(&message.room_id.0).cloned().unwrap_or_default(),
                post_title: posts.get(&message.post_id.0).cloned().unwrap_or_default(),
                highlights,
                message,
            }
        })
        .collect();
    Ok(SearchResults { hits, next_before })
}

/// What each of my rooms is called for me: its name, or for a private chat the other
/// person's.
async fn room_names(
    state: &AppState,
    auth: &AuthUser,
    mine: &[(room_member::Model, crate::entities::room::Model)],
) -> AppResult<HashMap<i64, String>> {
    let direct: Vec<i64> = mine
        .iter()
        .filter(|(_, r)| r.kind == crate::rooms::KIND_DIRECT)
        .map(|(_, r)| r.id)
        .collect();
    let mut others: HashMap<i64, i64> = HashMap::new();
    if !direct.is_empty() {
        for m in room_member::Entity::find()
            .filter(room_member::Column::RoomId.is_in(direct))
            .filter(room_member::Column::UserId.ne(auth.user_id.0))
            .all(&state.db)
            .await?
        {
            others.insert(m.room_id, m.user_id);
        }
    }
    let people: HashMap<i64, String> = room_store::users(&state.db, others.values().copied())
        .await?
        .into_iter()
        .map(|(id, u)| (id, u.display_name.unwrap_or(u.username)))
        .collect();
    Ok(mine
        .iter()
        .map(|(_, r)| {
            let name = match others.get(&r.id).and_then(|u| people.get(u)) {
                Some(person) => person.clone(),
                None => r.name.clone(),
            };
            (r.id, name)
        })
        .collect())
}
