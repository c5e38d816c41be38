//! The word lists and the server's settings in the database.

use super::{Lists, filter};
use crate::entities::{server_setting, word, word_category};
use api::moderation::{WordCategory, WordPolicies};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};
use std::collections::HashMap;

/// The key of the filter's policies in `server_settings`.
const WORD_POLICIES: &str = "word_policies";

pub async fn policies(db: &impl ConnectionTrait) -> Result<WordPolicies, DbErr> {
    setting(db, WORD_POLICIES).await
}

pub async fn save_policies(db: &impl ConnectionTrait, policies: WordPolicies) -> Result<(), DbErr> {
    save_setting(db, WORD_POLICIES, &policies).await
}

/// One JSON value of `server_settings` (its default when absent or unreadable).
pub async fn setting<T: serde::de::DeserializeOwned + Default>(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<T, DbErr> {
    let stored = server_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s.value).ok())
        .unwrap_or_default())
}

/// Writes one JSON value of `server_settings`, replacing what was there.
pub async fn save_setting(
    db: &impl ConnectionTrait,
    key: &str,
    value: &impl serde::Serialize,
) -> Result<(), DbErr> {
    let value = serde_json::to_string(value).unwrap_or_default();
    server_setting::Entity::insert(server_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(server_setting::Column::Key)
            .update_column(server_setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Every word of every enabled list, compiled.
pub async fn load_lists(db: &impl ConnectionTrait) -> Result<Lists, DbErr> {
    let categories: HashMap<i64, word_category::Model> = word_category::Entity::find()
        .filter(word_category::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let rows: Vec<(i64, i64, String)> = if categories.is_empty() {
        Vec::new()
    } else {
        word::Entity::find()
            .select_only()
            .columns([
                word::Column::Id,
                word::Column::CategoryId,
                word::Column::Word,
            ])
            .filter(word::Column::CategoryId.is_in(categories.keys().copied()))
            .into_tuple()
            .all(db)
            .await?
    };
    let build = move || {
        let filter = filter::Filter::build(rows.iter().map(|(id, category, text)| filter::Word {
            id: *id,
            text,
            category_id: *category,
            allow: categories.get(category).is_some_and(|c| c.allow),
        }));
        let filter = match filter {
            Ok(filter) => filter,
            Err(e) => {
                tracing::error!(error = %e, "the word lists could not be compiled; the filter is off");
                filter::Filter::default()
            }
        };
        Lists {
            filter,
            words: rows
                .into_iter()
                .map(|(id, category, text)| (id, (text, category)))
                .collect(),
            categories: categories.into_iter().map(|(id, c)| (id, c.name)).collect(),
        }
    };
    // Compiling 50,000 words takes tens of milliseconds: not on a request's worker.
    tokio::task::spawn_blocking(build)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))
}

pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<WordCategory>, DbErr> {
    let counts: HashMap<i64, i64> = word::Entity::find()
        .select_only()
        .column(word::Column::CategoryId)
        .column_as(word::Column::Id.count(), "n")
        .group_by(word::Column::CategoryId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(word_category::Entity::find()
        .order_by_asc(word_category::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| to_category(&c, counts.get(&c.id).copied().unwrap_or(0)))
        .collect())
}

pub fn to_category(c: &word_category::Model, words: i64) -> WordCategory {
    WordCategory {
        id: c.id,
        name: c.name.clone(),
        enabled: c.enabled,
        allow: c.allow,
        words,
        created_at: c.created_at,
    }
}

pub async fn category(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<word_category::Model>, DbErr> {
    word_category::Entity::find_by_id(id).one(db).await
}

pub async fn word_count(db: &impl ConnectionTrait, category: i64) -> Result<i64, DbErr> {
    Ok(word::Entity::find()
        .filter(word::Column::CategoryId.eq(category))
        .count(db)
        .await? as i64)
}

/// Adds words (already normalised: `(word, normalised)`) to a list, skipping those it
/// has; returns how many were new.
pub async fn add_words(
    db: &impl ConnectionTrait,
    category: i64,
    words: Vec<(String, String)>,
) -> Result<u64, DbErr> {
    let before = word_count(db, category).await?;
    for chunk in words.chunks(500) {
        let rows = chunk.iter().map(|(text, normal)| word::ActiveModel {
            category_id: Set(category),
            word: Set(text.clone()),
            normalised: Set(normal.clone()),
            ..Default::default()
        });
        word::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([word::Column::CategoryId, word::Column::Normalised])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok((word_count(db, category).await? - before).max(0) as u64)
}

/// A page of a list, by id, optionally only words containing `query` (as matched).
pub async fn words(
    db: &impl ConnectionTrait,
    category: i64,
    after: Option<i64>,
    query: Option<&str>,
    limit: u64,
) -> Result<Vec<word::Model>, DbErr> {
    let mut select = word::Entity::find()
        .filter(word::Column::CategoryId.eq(category))
        .order_by_asc(word::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        select = select.filter(word::Column::Id.gt(after));
    }
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        select = select.filter(word::Column::Normalised.like(crate::db::contains(query)));
    }
    select.all(db).await
}
