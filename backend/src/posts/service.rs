//! Post rules: members create; the author or a room admin edits; the author or a room
//! owner/admin deletes, never the default post.

use crate::{
    auth::AuthUser,
    entities::{post, post_tag},
    error::{AppError, AppResult},
    messages::unread,
    realtime::events,
    rooms::{
        role_from_str,
        service::{require_group_member, require_member},
    },
    state::AppState,
    users::domain::{login_key, parse_name_text, parse_profile_text},
};
use api::{
    ErrorCode, FieldCode, PostId, RoomId, UserId,
    posts::{CreatePost, EditPost, Post, PostListItem},
    rooms::RoomRole,
    ws::RoomEvent,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, SqlErr};
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

pub const TITLE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2000;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 24;

fn to_post(p: &post::Model, tags: Vec<String>) -> Post {
    Post {
        id: PostId(p.id),
        room_id: RoomId(p.room_id),
        title: p.title.clone(),
        description: p.description.clone(),
        tags,
        is_default: p.is_default,
        author_id: p.author_id.map(UserId),
        created_at: p.created_at,
        last_activity_at: p.last_activity_at,
    }
}

/// Tags: trimmed, lower-cased, without duplicates; 1–24 characters, at most 5.
fn parse_tags(raw: &[String]) -> Result<Vec<String>, FieldCode> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = login_key(tag).replace(char::is_whitespace, "-");
        if tag.is_empty() || tag.chars().count() > TAG_MAX {
            return Err(FieldCode::Length);
        }
        if tag.chars().any(|c| c.is_control() || c == ',') {
            return Err(FieldCode::InvalidChars);
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(FieldCode::Length);
    }
    Ok(tags)
}

fn parse_title(raw: &str) -> Result<String, FieldCode> {
    parse_name_text(raw, TITLE_MAX)?.ok_or(FieldCode::Required)
}

async fn tags_of(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<String>>> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for t in post_tag::Entity::find()
        .filter(post_tag::Column::PostId.is_in(post_ids.to_vec()))
        .all(db)
        .await?
    {
        tags.entry(t.post_id).or_default().push(t.tag);
    }
    for list in tags.values_mut() {
        list.sort();
    }
    Ok(tags)
}

async fn set_tags(db: &impl ConnectionTrait, post_id: i64, tags: &[String]) -> AppResult<()> {
    post_tag::Entity::delete_many()
        .filter(post_tag::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    if !tags.is_empty() {
        post_tag::Entity::insert_many(tags.iter().map(|t| post_tag::ActiveModel {
            post_id: Set(post_id),
            tag: Set(t.clone()),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn title_taken() -> AppError {
    AppError::Taken {
        code: ErrorCode::PostTitleTaken,
        field: "title",
    }
}

/// The room's posts: the default post first, then by last activity; optionally one tag.
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    tag: Option<String>,
) -> AppResult<Vec<PostListItem>> {
    let member = require_member(&state.db, room_id, auth.user_id).await?;
    let mut posts = post::Entity::find()
        .filter(post::Column::RoomId.eq(room_id.0))
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let mut tags = tags_of(&state.db, &ids).await?;
    if let Some(tag) = tag.map(|t| login_key(&t)).filter(|t| !t.is_empty()) {
        posts.retain(|p| tags.get(&p.id).is_some_and(|list| list.contains(&tag)));
    }
    posts.sort_by(|a, b| {
        b.is_default
            .cmp(&a.is_default)
            .then(b.last_activity_at.cmp(&a.last_activity_at))
    });
    let unread = unread::room(&state.db, auth.user_id, room_id, member.read_floor).await?;
    Ok(posts
        .iter()
        .map(|p| PostListItem {
            unread: unread.get(&PostId(p.id)).map_or(0, |c| c.unread),
            post: to_post(p, tags.remove(&p.id).unwrap_or_default()),
        })
        .collect())
}

pub async fn create(
    state: &AppState,
    auth: &AuthUser,
    room_id: RoomId,
    req: CreatePost,
) -> AppResult<Post> {
    require_group_member(&state.db, room_id, auth.user_id).await?;
    let mut problems = BTreeMap::new();
    let title = parse_title(&req.title)
        .map_err(|p| problems.insert("title".into(), p))
        .ok();
    let description = req
        .description
        .as_deref()
        .map(|d| parse_profile_text(d, DESCRIPTION_MAX))
        .transpose()
        .map_err(|p| problems.insert("description".into(), p))
        .ok()
        .flatten()
        .flatten();
    let tags = parse_tags(&req.tags)
        .map_err(|p| problems.insert("tags".into(), p))
        .ok();
    let (Some(title), Some(tags)) = (title, tags) else {
        return Err(AppError::Validation(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    use crate::moderation::service::{Field, screen_in_room};
    let title = screen_in_room(state, auth.user_id, room_id, Field::PostTitle, title).await?;
    let now = OffsetDateTime::now_utc();
    let txn = crate::db::write_txn(&state.db).await?;
    let inserted = post::Entity::insert(post::ActiveModel {
        room_id: Set(room_id.0),
        title_key: Set(login_key(&title)),
        title: Set(title),
        description: Set(description),
        is_default: Set(false),
        author_id: Set(Some(auth.user_id.0)),
        created_at: Set(now),
        last_activity_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => title_taken(),
        _ => err.into(),
    })?;
    set_tags(&txn, inserted.id, &tags).await?;
    let post = to_post(&inserted, tags);
    let published =
        events::record(&txn, room_id, RoomEvent::PostCreated { post: post.clone() }).await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(post)
}

/// The post, the caller's role in its room, and whether they wrote it.
async fn post_with_role(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
) -> AppResult<(post::Model, RoomRole, bool)> {
    let post = post::Entity::find_by_id(post_id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = require_group_member(&state.db, RoomId(post.room_id), auth.user_id).await?;
    let is_author = post.author_id == Some(auth.user_id.0);
    Ok((post, role_from_str(&member.role), is_author))
}

pub async fn edit(
    state: &AppState,
    auth: &AuthUser,
    post_id: PostId,
    req: EditPost,
) -> AppResult<Post> {
    let (existing, role, is_author) = post_with_role(state, auth, post_id).await?;
    if !role.can_edit_post(is_author) {
        return Err(AppError::Forbidden);
    }
    let mut problems = BTreeMap::new();
    let mut change = post::ActiveModel {
        id: Set(existing.id),
        ..Default::default()
    };
    if let Some(title) = &req.title {
        match parse_title(title) {
            Ok(title) => {
                let title = crate::moderation::service::screen_in_room(
                    state,
                    auth.user_id,
                    RoomId(existing.room_id),
                    crate::moderation::service::Field::PostTitle,
                    title,
                )
                .await?;
                change.title_key = Set(login_key(&title));
                change.title = Set(title);
            }
            Err(p) => {
                problems.insert("title".into(), p);
            }
        }
    }
    if let Some(description) = &req.description {
        match parse_profile_text(description, DESCRIPTION_MAX) {
            Ok(d) => change.description = Set(d),
            Err(p) => {
                problems.insert("description".into(), p);
            }
        }
    }
    let tags = match req.tags.as_deref().map(parse_tags).transpose() {
        Ok(tags) => tags,
        Err(p) => {
            problems.insert("tags".into(), p);
            None
        }
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let txn = crate::db::write_txn(&state.db).await?;
    let updated = post::Entity::update(change)
        .exec(&txn)
        .await
        .map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => title_taken(),
            _ => err.into(),
        })?;
    if let Some(tags) = &tags {
        set_tags(&txn, updated.id, tags).await?;
    }
    let tags = tags_of(&txn, &[updated.id])
        .await?
        .remove(&updated.id)
        .unwrap_or_default();
    let post = to_post(&updated, tags);
    let published = events::record(
        &txn,
        RoomId(updated.room_id),
        RoomEvent::PostEdited { post: post.clone() },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(post)
}

pub async fn delete(state: &AppState, auth: &AuthUser, post_id: PostId) -> AppResult<()> {
    let (existing, role, is_author) = post_with_role(state, auth, post_id).await?;
    if !role.can_edit_post(is_author) {
        return Err(AppError::Forbidden);
    }
    if existing.is_default {
        return Err(AppError::Rule {
            code: ErrorCode::DefaultPostProtected,
            message: "the default post of a room cannot be deleted",
        });
    }
    let txn = crate::db::write_txn(&state.db).await?;
    crate::search::index::remove_post(&txn, existing.id).await?;
    post::Entity::delete_by_id(existing.id).exec(&txn).await?;
    events::erase_post(&txn, RoomId(existing.room_id), post_id).await?;
    let published = events::record(
        &txn,
        RoomId(existing.room_id),
        RoomEvent::PostDeleted { post_id },
    )
    .await?;
    txn.commit().await?;
    state.hub.publish(vec![published]).await;
    Ok(())
}
