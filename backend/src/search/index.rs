//! The message index in either database (migration `m20261206_000012_search`): rows
//! written, replaced and removed in the caller's transaction, and the query. On SQLite a
//! new message's row waits in a queue first ([`enqueue`], [`drain`]).

use super::tokens::{self, Kind, Term};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use std::fmt::Write as _;

/// A message's text, cut for the index (done before the write transaction).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    grams: Vec<String>,
    chars: Vec<String>,
}

impl Prepared {
    pub fn of(text: &str) -> Self {
        let mut out = Self::default();
        for token in tokens::tokens(text) {
            match token.kind {
                Kind::Gram => out.grams.push(token.text),
                Kind::Char => out.chars.push(token.text),
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.grams.is_empty() && self.chars.is_empty()
    }
}

/// PostgreSQL positions stop at 16,383 (a longer message keeps its later words without
/// a position of their own).
const PG_POSITION_MAX: usize = 16_383;

/// A lexeme in `tsvector` / `tsquery` input syntax. The tokeniser only makes letters,
/// digits and CJK characters; quoting is there all the same.
fn lexeme(out: &mut String, word: &str) {
    out.push('\'');
    for c in word.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

fn tsvector(words: &[String], positions: bool) -> String {
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        lexeme(&mut out, word);
        if positions {
            let _ = write!(out, ":{}", (i + 1).min(PG_POSITION_MAX));
        }
    }
    out
}

/// Indexes messages: `(message id, room id, text cut)`. Messages with nothing to index
/// (only files, only emoji) get no row.
pub async fn add(db: &impl ConnectionTrait, rows: &[(i64, i64, &Prepared)]) -> Result<(), DbErr> {
    if let Some(statement) = add_statement(db.get_database_backend(), rows) {
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// What [`add`] runs, if there is anything to index.
fn add_statement(backend: DbBackend, rows: &[(i64, i64, &Prepared)]) -> Option<Statement> {
    let rows: Vec<_> = rows.iter().filter(|(_, _, p)| !p.is_empty()).collect();
    if rows.is_empty() {
        return None;
    }
    if backend != DbBackend::Postgres {
        return Some(sqlite_rows(
            "INSERT INTO message_index (rowid, room, grams, chars) VALUES ",
            &rows,
            |room| format!("r{room}").into(),
        ));
    }
    let mut sql =
        String::from("INSERT INTO message_index (message_id, room_id, grams, chars) VALUES ");
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 4);
    for (n, (id, room, prepared)) in rows.iter().enumerate() {
        let b = n * 4;
        if n > 0 {
            sql.push_str(", ");
        }
        let _ = write!(
            sql,
            "(${}, ${}, ${}::tsvector, ${}::tsvector)",
            b + 1,
            b + 2,
            b + 3,
            b + 4
        );
        values.push((*id).into());
        values.push((*room).into());
        values.push(tsvector(&prepared.grams, true).into());
        values.push(tsvector(&prepared.chars, false).into());
    }
    Some(Statement::from_sql_and_values(backend, sql, values))
}

fn placeholders(backend: DbBackend, from: usize, n: usize) -> String {
    (0..n)
        .map(|i| match backend {
            DbBackend::Postgres => format!("${}", from + i),
            _ => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Takes messages out of the index (recalled, removed, or about to change), and out of
/// the queue of rows not in it yet.
pub async fn remove(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let tables: &[(&str, &str)] = match backend {
        DbBackend::Postgres => &[("message_index", "message_id")],
        _ => &[("message_index", "rowid"), (QUEUE, "message_id")],
    };
    for (table, column) in tables {
        let sql = format!(
            "DELETE FROM {table} WHERE {column} IN ({})",
            placeholders(backend, 1, ids.len())
        );
        let values: Vec<Value> = ids.iter().map(|id| (*id).into()).collect();
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// SQLite's queue of new messages' rows (migration `m20261208_000014_index_queue`).
const QUEUE: &str = "message_index_queue";

/// New messages, in the message writer's transaction: on SQLite their rows are queued
/// (a plain insert; FTS5 costs a segment per transaction that adds to it) and go into the
/// index with [`drain`]; PostgreSQL indexes them at once. Answers how many were queued.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    rows: &[(i64, i64, &Prepared)],
) -> Result<usize, DbErr> {
    let (statement, queued) = new_rows(db.get_database_backend(), rows, false);
    if let Some(statement) = statement {
        db.execute_raw(statement).await?;
    }
    Ok(queued)
}

/// The statement for new messages' rows (see [`enqueue`]), indexed at once on SQLite too
/// when `at_once`, and how many rows it queues.
pub fn new_rows(
    backend: DbBackend,
    rows: &[(i64, i64, &Prepared)],
    at_once: bool,
) -> (Option<Statement>, usize) {
    if backend == DbBackend::Postgres || at_once {
        return (add_statement(backend, rows), 0);
    }
    let rows: Vec<_> = rows.iter().filter(|(_, _, p)| !p.is_empty()).collect();
    if rows.is_empty() {
        return (None, 0);
    }
    let insert = format!("INSERT INTO {QUEUE} (message_id, room_id, grams, chars) VALUES ");
    (Some(sqlite_rows(&insert, &rows, Value::from)), rows.len())
}

/// SQLite's multi-row insert of `(message id, room, grams, chars)`, the room as `room`
/// gives it (the index wants `r<id>`, the queue the number).
fn sqlite_rows(
    insert: &str,
    rows: &[&(i64, i64, &Prepared)],
    room: impl Fn(i64) -> Value,
) -> Statement {
    let mut sql = insert.to_owned();
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 4);
    for (n, (id, room_id, prepared)) in rows.iter().enumerate() {
        if n > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?, ?, ?, ?)");
        values.push((*id).into());
        values.push(room(*room_id));
        values.push(prepared.grams.join(" ").into());
        values.push(prepared.chars.join(" ").into());
    }
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// Moves every queued row into the index in one transaction (one FTS5 segment for all of
/// them); answers how many. Nothing to do on PostgreSQL.
pub async fn drain(db: &sea_orm::DatabaseConnection) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        return Ok(0);
    }
    let txn = crate::db::write_txn(db).await?;
    txn.execute_unprepared(&format!(
        "INSERT INTO message_index (rowid, room, grams, chars) \
         SELECT message_id, 'r' || room_id, grams, chars FROM {QUEUE} ORDER BY message_id"
    ))
    .await?;
    let moved = txn
        .execute_unprepared(&format!("DELETE FROM {QUEUE}"))
        .await?
        .rows_affected();
    txn.commit().await?;
    Ok(moved)
}

/// An edited message: its old text out, the new in.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: i64,
    room: i64,
    prepared: &Prepared,
) -> Result<(), DbErr> {
    remove(db, &[id]).await?;
    add(db, &[(id, room, prepared)]).await
}

/// Everything of a room, before the room goes (PostgreSQL's rows go with their messages;
/// SQLite's full-text table has no foreign keys).
pub async fn remove_room(db: &impl ConnectionTrait, room: i64) -> Result<(), DbErr> {
    remove_messages_where(db, "room_id", room).await
}

/// Everything of a topic, before it goes.
pub async fn remove_post(db: &impl ConnectionTrait, post: i64) -> Result<(), DbErr> {
    remove_messages_where(db, "post_id", post).await
}

/// SQLite: the rows of the messages whose `column` (a fixed name) is `id`.
async fn remove_messages_where(
    db: &impl ConnectionTrait,
    column: &'static str,
    id: i64,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM message_index WHERE rowid IN (SELECT id FROM messages WHERE {column} = ?)"
    );
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(id)],
    ))
    .await?;
    Ok(())
}

/// Empties the index (`teahouse admin reindex` fills it again).
pub async fn clear(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "TRUNCATE message_index",
        _ => "INSERT INTO message_index (message_index) VALUES ('delete-all')",
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// After a bulk fill: SQLite merges the full-text table's segments into one (faster
/// queries); PostgreSQL gathers the table's statistics again (`TRUNCATE` dropped them, and
/// without them the planner guesses: a common character in one room took 278 ms instead
/// of 0.2 ms in the benchmark, autovacuum being off).
pub async fn optimize(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "ANALYZE message_index",
        _ => "INSERT INTO message_index (message_index) VALUES ('optimize')",
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// The index's size on disk, in bytes: in all, then its parts.
pub async fn sizes(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT 'index in all', pg_total_relation_size('message_index') \
             UNION ALL SELECT 'rows', pg_relation_size('message_index') \
             UNION ALL SELECT 'pairs and words (GIN)', pg_relation_size('message_index_grams') \
             UNION ALL SELECT 'characters (GIN)', pg_relation_size('message_index_chars') \
             UNION ALL SELECT 'room (B-tree)', pg_relation_size('message_index_room')"
        }
        _ => {
            "SELECT 'index in all', COALESCE(SUM(pgsize), 0) FROM dbstat \
             WHERE name LIKE 'message_index%' \
             UNION ALL SELECT 'messages table', COALESCE(SUM(pgsize), 0) FROM dbstat \
             WHERE name = 'messages'"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

/// Where to look and from where.
pub struct Find<'a> {
    /// The rooms searched (the caller's, or the one asked for); never empty.
    pub rooms: &'a [i64],
    pub terms: &'a [Term],
    /// Only messages older than this one (the cursor).
    pub before: Option<i64>,
    pub limit: u64,
    /// Only this author's messages.
    pub author: Option<i64>,
    /// Sent at or after / before this moment.
    pub from: Option<time::OffsetDateTime>,
    pub to: Option<time::OffsetDateTime>,
    /// Only messages with files (`Some(false)`) or with images (`Some(true)`).
    pub with_files: Option<bool>,
    /// Best match first (BM25 on SQLite, `ts_rank` on PostgreSQL) instead of newest.
    pub relevance: bool,
}

impl Find<'_> {
    fn filtered(&self) -> bool {
        self.author.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || self.with_files.is_some()
    }

    /// The conditions on the message row (`m`), their values added to `values`.
    fn message_conditions(&self, backend: DbBackend, values: &mut Vec<Value>) -> String {
        let mut sql = String::new();
        let mut push = |values: &mut Vec<Value>, condition: &str, value: Value| {
            values.push(value);
            let placeholder = match backend {
                DbBackend::Postgres => format!("${}", values.len()),
                _ => "?".to_owned(),
            };
            let _ = write!(sql, " AND {}", condition.replace('?', &placeholder));
        };
        if let Some(author) = self.author {
            push(values, "m.author_id = ?", author.into());
        }
        if let Some(from) = self.from {
            push(
                values,
                "m.created_at >= ?",
                crate::db::stored_time(from).into(),
            );
        }
        if let Some(to) = self.to {
            push(
                values,
                "m.created_at < ?",
                crate::db::stored_time(to).into(),
            );
        }
        match self.with_files {
            Some(true) => sql.push_str(
                " AND EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id AND f.mime LIKE 'image/%')",
            ),
            Some(false) => {
                sql.push_str(" AND EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id)")
            }
            None => {}
        }
        sql
    }
}

/// Ids of the matching messages, newest first. No positive term: nothing.
pub async fn find(db: &impl ConnectionTrait, find: Find<'_>) -> Result<Vec<i64>, DbErr> {
    let phrases: Vec<&Vec<String>> = find
        .terms
        .iter()
        .filter_map(|t| match t {
            Term::Phrase(p) => Some(p),
            _ => None,
        })
        .collect();
    let chars: Vec<&String> = find
        .terms
        .iter()
        .filter_map(|t| match t {
            Term::Char(c) => Some(c),
            _ => None,
        })
        .collect();
    let nots: Vec<&Vec<String>> = find
        .terms
        .iter()
        .filter_map(|t| match t {
            Term::Not(p) => Some(p),
            _ => None,
        })
        .collect();
    if (phrases.is_empty() && chars.is_empty()) || find.rooms.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let sql = match backend {
        DbBackend::Postgres => {
            let join = if find.filtered() {
                " JOIN messages m ON m.id = i.message_id"
            } else {
                ""
            };
            let mut sql = format!(
                "SELECT i.message_id FROM message_index i{join} WHERE i.room_id IN ({})",
                placeholders(backend, 1, find.rooms.len())
            );
            values.extend(find.rooms.iter().map(|r| Value::from(*r)));
            if find.filtered() {
                let conditions = find.message_conditions(backend, &mut values);
                sql.push_str(&conditions);
            }
            let phrase = |words: &Vec<String>| {
                let mut out = String::from("(");
                for (i, w) in words.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" <-> ");
                    }
                    lexeme(&mut out, w);
                }
                out.push(')');
                out
            };
            let mut grams: Vec<String> = phrases.iter().map(|p| phrase(p)).collect();
            grams.extend(nots.iter().map(|p| format!("!{}", phrase(p))));
            let mut rank = None;
            if !grams.is_empty() {
                values.push(grams.join(" & ").into());
                let _ = write!(sql, " AND i.grams @@ ${}::tsquery", values.len());
                rank = Some(format!("ts_rank(i.grams, ${}::tsquery)", values.len()));
            }
            if !chars.is_empty() {
                let mut q = String::new();
                for (i, c) in chars.iter().enumerate() {
                    if i > 0 {
                        q.push_str(" & ");
                    }
                    lexeme(&mut q, c);
                }
                values.push(q.into());
                let _ = write!(sql, " AND i.chars @@ ${}::tsquery", values.len());
                rank.get_or_insert_with(|| format!("ts_rank(i.chars, ${}::tsquery)", values.len()));
            }
            if let Some(before) = find.before {
                values.push(before.into());
                let _ = write!(sql, " AND i.message_id < ${}", values.len());
            }
            values.push((find.limit as i64).into());
            match rank.filter(|_| find.relevance) {
                Some(rank) => {
                    let _ = write!(
                        sql,
                        " ORDER BY {rank} DESC, i.message_id DESC LIMIT ${}",
                        values.len()
                    );
                }
                None => {
                    let _ = write!(sql, " ORDER BY i.message_id DESC LIMIT ${}", values.len());
                }
            }
            sql
        }
        _ => {
            // Tokens are letters, digits and CJK characters only: inside double quotes
            // they are strings to FTS5, never its syntax.
            let quoted = |words: &Vec<String>| format!("\"{}\"", words.join(" "));
            let rooms = find
                .rooms
                .iter()
                .map(|r| format!("r{r}"))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut expr = format!("room : ({rooms})");
            for p in &phrases {
                let _ = write!(expr, " AND grams : {}", quoted(p));
            }
            for c in &chars {
                let _ = write!(expr, " AND chars : \"{c}\"");
            }
            for p in &nots {
                expr = format!("({expr}) NOT grams : {}", quoted(p));
            }
            values.push(expr.into());
            let mut sql = if find.filtered() {
                "SELECT message_index.rowid FROM message_index \
                 JOIN messages m ON m.id = message_index.rowid WHERE message_index MATCH ?"
                    .to_owned()
            } else {
                "SELECT message_index.rowid FROM message_index WHERE message_index MATCH ?"
                    .to_owned()
            };
            if find.filtered() {
                let conditions = find.message_conditions(backend, &mut values);
                sql.push_str(&conditions);
            }
            if let Some(before) = find.before {
                values.push(before.into());
                sql.push_str(" AND message_index.rowid < ?");
            }
            values.push((find.limit as i64).into());
            if find.relevance {
                sql.push_str(" ORDER BY bm25(message_index), message_index.rowid DESC LIMIT ?");
            } else {
                sql.push_str(" ORDER BY message_index.rowid DESC LIMIT ?");
            }
            sql
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsvectors_quote_and_position() {
        let p = Prepared::of("上海 it's");
        assert_eq!(tsvector(&p.grams, true), "'上海':1 'it':2 's':3");
        assert_eq!(tsvector(&p.chars, false), "'上' '海'");
        let mut out = String::new();
        lexeme(&mut out, "a'b\\c");
        assert_eq!(out, "'a''b\\\\c'");
    }
}
