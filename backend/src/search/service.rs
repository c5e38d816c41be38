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
    /// `newest` (the default: newest first, in pages) or `relevance` (best match first:
    /// the best `limit` hits, without further pages; `before` still applies).
    #[param(inline)]
    pub order: Option<Order>,
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Newest,
    Relevance,
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
    let Scope {
        terms,
        limit,
        mine,
        rooms,
    } = scope(state, auth, &query.q, query.room_id, query.limit).await?;
    // Everything sent so far, also what still waits in the index queue. If that fails
    // (the writer retries it), the search still answers, without the newest messages.
    if let Err(err) = state.writer.drain_index().await {
        tracing::warn!(%err, "search without draining the index queue");
    }
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
            relevance: query.order == Some(Order::Relevance),
        },
    )
    .await?;
    let more = ids.len() as u64 > limit;
    let ids: Vec<i64> = ids.into_iter().take(limit as usize).collect();
    let relevance = query.order == Some(Order::Relevance);
    let next_before = (more && !relevance)
        .then(|| ids.last().copied())
        .flatten()
        .map(MessageId);

    let mut rows = message::Entity::find()
        .filter(message::Column::Id.is_in(ids.clone()))
        .filter(message::Column::RecalledAt.is_null())
        .all(&state.db)
        .await?;
    // In the index's order (newest, or best match).
    let place: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|m| place.get(&m.id).copied().unwrap_or(usize::MAX));
    let posts: HashMap<i64, String> = post::Entity::find()
        .filter(post::Column::Id.is_in(rows.iter().map(|m| m.post_id)))
        .all(&state.db)
        .await?
        .into_iter()
        // The default topic has no title of its own (apps name it in their language).
        .map(|p| (p.id, if p.is_default { String::new() } else { p.title }))
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

/// What both searches start from: the query's terms, the page size, my rooms, and the
/// rooms searched.
struct Scope {
    terms: Vec<tokens::Term>,
    limit: u64,
    mine: Vec<(room_member::Model, crate::entities::room::Model)>,
    rooms: Vec<i64>,
}

/// Checks the query (422 when blank or over 200 characters) and the room asked for (404
/// when it is not one of mine: as if it did not exist).
async fn scope(
    state: &AppState,
    auth: &AuthUser,
    q: &str,
    room: Option<i64>,
    limit: Option<u64>,
) -> AppResult<Scope> {
    let q = q.trim();
    if q.is_empty() {
        return Err(AppError::field("q", FieldCode::Required));
    }
    if q.chars().count() > QUERY_MAX_CHARS {
        return Err(AppError::field("q", FieldCode::Length));
    }
    let mine = room_store::my_rooms(&state.db, auth.user_id).await?;
    let rooms = match room {
        Some(room) if mine.iter().any(|(_, r)| r.id == room) => vec![room],
        Some(_) => return Err(AppError::NotFound),
        None => mine.iter().map(|(_, r)| r.id).collect(),
    };
    Ok(Scope {
        terms: tokens::query(q),
        limit: limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX),
        mine,
        rooms,
    })
}

/// What each of my rooms is called for me: its name, or for a private chat the other
/// person's.
async fn room_names(
    state: &AppState,
    auth: &AuthUser,
    mine: &[(room_member::Model, crate::entities::room::Model)],
) -> AppResult<HashMap<i64, String>> {
    let others = room_store::peers(
        &state.db,
        auth.user_id,
        mine.iter()
            .filter(|(_, r)| r.kind == crate::rooms::KIND_DIRECT)
            .map(|(_, r)| r.id),
    )
    .await?;
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

/// What `GET /search/files` takes.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// Words or Chinese of the file's name, as in message search (the last word may be
    /// the start of a longer one: `rep` finds `report.pdf`). At most 200 characters.
    pub q: String,
    /// Only files of this room or private chat (one of yours).
    pub room_id: Option<i64>,
    /// Only images (`image`) or only other files (`file`).
    #[param(inline)]
    pub kind: Option<api::files::FileKind>,
    /// Only files sent before this message (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Files a page, 1–50 (default 20); a message's files stay on one page.
    pub limit: Option<u64>,
}

/// `GET /search/files`: files sent in my rooms and private chats, by name, newest first.
pub async fn files(
    state: &AppState,
    auth: &AuthUser,
    query: FileQuery,
) -> AppResult<api::search::FileResults> {
    use crate::entities::file;
    use sea_orm::{
        QueryOrder, QuerySelect,
        sea_query::{Expr, ExprTrait as _},
    };
    let Scope {
        terms,
        limit,
        mine,
        rooms,
    } = scope(state, auth, &query.q, query.room_id, query.limit).await?;
    let mut positive = false;
    let mut select = file::Entity::find()
        .inner_join(message::Entity)
        .filter(message::Column::RoomId.is_in(rooms))
        .filter(message::Column::RecalledAt.is_null());
    for term in &terms {
        let (pattern, negated) = match term {
            tokens::Term::Phrase(words) => (format!("% {}%", words.join(" ")), false),
            tokens::Term::Char(c) => (format!("% {c} %"), false),
            tokens::Term::Not(words) => (format!("% {} %", words.join(" ")), true),
        };
        let like = Expr::col((file::Entity, file::Column::NameTerms)).like(pattern);
        select = if negated {
            select.filter(sea_orm::Condition::all().not().add(like))
        } else {
            positive = true;
            select.filter(like)
        };
    }
    if !positive {
        return Ok(api::search::FileResults {
            files: Vec::new(),
            next_before: None,
        });
    }
    select = match query.kind {
        Some(api::files::FileKind::Image) => select.filter(file::Column::Width.is_not_null()),
        Some(api::files::FileKind::File) => select.filter(file::Column::Width.is_null()),
        None => select,
    };
    if let Some(before) = query.before {
        select = select.filter(message::Column::Id.lt(before));
    }
    let rows = select
        .select_also(message::Entity)
        .order_by_desc(message::Column::Id)
        .order_by_asc(file::Column::Position)
        .limit(limit + api::files::ATTACHMENTS_MAX as u64)
        .all(&state.db)
        .await?;
    // Whole messages only: a message's files never split across pages.
    let mut page: Vec<(file::Model, message::Model)> = Vec::new();
    let mut rest = rows
        .into_iter()
        .filter_map(|(f, m)| Some((f, m?)))
        .peekable();
    let mut more = false;
    while let Some((_, m)) = rest.peek() {
        let id = m.id;
        let group: Vec<_> = std::iter::from_fn(|| rest.next_if(|(_, m)| m.id == id)).collect();
        if !page.is_empty() && (page.len() + group.len()) as u64 > limit {
            more = true;
            break;
        }
        page.extend(group);
    }
    let next_before = more
        .then(|| page.last().map(|(_, m)| MessageId(m.id)))
        .flatten();
    let senders = room_store::users(&state.db, page.iter().map(|(_, m)| m.author_id)).await?;
    let names = room_names(state, auth, &mine).await?;
    let files = page
        .iter()
        .filter_map(|(f, m)| {
            Some(api::search::FileHit {
                file: crate::files::to_info(f),
                message_id: MessageId(m.id),
                room_id: api::RoomId(m.room_id),
                post_id: api::PostId(m.post_id),
                room_name: names.get(&m.room_id).cloned().unwrap_or_default(),
                sender: crate::rooms::summary(senders.get(&m.author_id)?),
                sent_at: m.created_at,
            })
        })
        .collect();
    Ok(api::search::FileResults { files, next_before })
}
