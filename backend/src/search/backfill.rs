//! Indexing the messages written before the index existed (the migration that made it
//! cannot: the tokeniser is the server's). Runs in the background from start, 1,000
//! messages a transaction, with its progress kept in `server_settings` (key
//! `search_index`) so a restart goes on where it stopped, and logged. New messages are
//! indexed as they are written; a message this reaches twice is indexed once (its row
//! is replaced), and a recalled one is skipped (and never shown: search reads only
//! messages not recalled).

use super::index::{self, Prepared};
use crate::entities::message;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait as _, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

const KEY: &str = "search_index";
const BATCH: u64 = 1_000;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    /// Every message up to this id is indexed.
    through: i64,
    /// The newest message when the backfill began: newer ones were indexed when written.
    until: Option<i64>,
    done: bool,
}

/// Runs the backfill to the end (or to an error, logged: the next start goes on).
pub async fn run(db: DatabaseConnection) {
    if let Err(e) = sounds(&db).await {
        tracing::warn!(error = %e, "name pinyin backfill stopped; the next start goes on");
    }
    if let Err(e) = fill(&db).await {
        tracing::warn!(error = %e, "search index backfill stopped; the next start goes on");
    }
}

/// The pinyin of the names of people and rooms from before it was kept (`name_sound`),
/// and the cut names of files (`name_terms`): `BATCH` of each a transaction, until none
/// is left (every row written gets a value, so each round takes rows out of the next).
pub async fn sounds(db: &DatabaseConnection) -> Result<(), DbErr> {
    use crate::entities::{file, room, user};
    use crate::rooms::pinyin::sound_of;
    use sea_orm::ActiveValue::Set;
    let mut filled = [0usize; 3];
    loop {
        let people = user::Entity::find()
            .filter(user::Column::NameSound.is_null())
            .limit(BATCH)
            .all(db)
            .await?;
        let rooms = room::Entity::find()
            .filter(room::Column::NameSound.is_null())
            .limit(BATCH)
            .all(db)
            .await?;
        let files = file::Entity::find()
            .filter(file::Column::NameTerms.is_null())
            .limit(BATCH)
            .all(db)
            .await?;
        if people.is_empty() && rooms.is_empty() && files.is_empty() {
            break;
        }
        let txn = crate::db::write_txn(db).await?;
        for u in &people {
            let sound = sound_of(&[u.display_name.as_deref().unwrap_or_default(), &u.username]);
            user::Entity::update(user::ActiveModel {
                id: Set(u.id),
                name_sound: Set(Some(sound)),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        for r in &rooms {
            room::Entity::update(room::ActiveModel {
                id: Set(r.id),
                name_sound: Set(Some(sound_of(&[&r.name]))),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        for f in &files {
            file::Entity::update(file::ActiveModel {
                id: Set(f.id),
                name_terms: Set(Some(super::tokens::name_terms(&f.name))),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        txn.commit().await?;
        filled[0] += people.len();
        filled[1] += rooms.len();
        filled[2] += files.len();
    }
    if filled.iter().any(|n| *n > 0) {
        tracing::info!(
            people = filled[0],
            rooms = filled[1],
            files = filled[2],
            "name pinyin and file names filled in"
        );
    }
    Ok(())
}

/// The backfill itself; `Ok` once every older message is indexed.
pub async fn fill(db: &DatabaseConnection) -> Result<(), DbErr> {
    let mut progress: Progress = crate::moderation::store::setting(db, KEY).await?;
    if progress.done {
        return Ok(());
    }
    let until = match progress.until {
        Some(until) => until,
        None => {
            let newest = message::Entity::find()
                .order_by_desc(message::Column::Id)
                .one(db)
                .await?
                .map(|m| m.id)
                .unwrap_or(0);
            progress.until = Some(newest);
            newest
        }
    };
    if progress.through < until {
        tracing::info!(
            through = progress.through,
            until,
            "search index: indexing older messages"
        );
    }
    let mut indexed = 0u64;
    while progress.through < until {
        let txn = crate::db::write_txn(db).await?;
        let mut select = message::Entity::find()
            .filter(message::Column::Id.gt(progress.through))
            .filter(message::Column::Id.lte(until))
            .order_by_asc(message::Column::Id)
            .limit(BATCH);
        // A recall running meanwhile waits for this batch, then takes its row out.
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            select = select.lock_exclusive();
        }
        let rows = select.all(&txn).await?;
        let Some(last) = rows.last().map(|m| m.id) else {
            progress.through = until;
            break;
        };
        let prepared: Vec<(i64, i64, Prepared)> = rows
            .iter()
            .filter(|m| m.recalled_at.is_none())
            .filter_map(|m| Some((m.id, m.room_id, Prepared::of(m.body.as_deref()?))))
            .collect();
        let ids: Vec<i64> = prepared.iter().map(|(id, _, _)| *id).collect();
        index::remove(&txn, &ids).await?;
        let refs: Vec<(i64, i64, &Prepared)> = prepared
            .iter()
            .map(|(id, room, p)| (*id, *room, p))
            .collect();
        index::add(&txn, &refs).await?;
        progress.through = last;
        crate::moderation::store::save_setting(&txn, KEY, &progress).await?;
        txn.commit().await?;
        indexed += rows.len() as u64;
        tracing::info!(through = last, until, indexed, "search index: batch done");
    }
    progress.done = true;
    crate::moderation::store::save_setting(db, KEY, &progress).await?;
    if indexed > 0 {
        tracing::info!(indexed, "search index: every older message is indexed");
    }
    Ok(())
}

/// `teahouse admin reindex`: the index cut again from every message (after a change to
/// the tokeniser, or to measure how long it takes). The index is emptied first, so
/// searches find less until it is done; messages sent meanwhile are indexed as usual.
/// Says how many messages, how long, and how big the index is.
pub async fn rebuild(db: &DatabaseConnection) -> Result<String, DbErr> {
    let start = std::time::Instant::now();
    let txn = crate::db::write_txn(db).await?;
    index::clear(&txn).await?;
    crate::moderation::store::save_setting(&txn, KEY, &Progress::default()).await?;
    txn.commit().await?;
    fill(db).await?;
    index::optimize(db).await?;
    let seconds = start.elapsed().as_secs_f64();
    let count = message::Entity::find()
        .filter(message::Column::RecalledAt.is_null())
        .count(db)
        .await?;
    let sizes = index::sizes(db).await?;
    let mut out = format!("indexed {count} messages in {seconds:.1} s\n");
    for (name, bytes) in sizes {
        out.push_str(&format!(
            "{name}: {:.1} MiB ({bytes} bytes)\n",
            bytes as f64 / (1024.0 * 1024.0)
        ));
    }
    Ok(out)
}
