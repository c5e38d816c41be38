//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// How long a SQLite writer waits for the lock before giving up with "database is locked".
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// A PostgreSQL connection idle this long is pinged before it is handed out.
const POOL_PING_AFTER_IDLE: Duration = Duration::from_secs(30);
/// How long a request waits for a pooled connection before failing with 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs pending migrations, then connects the pool that serves requests. SQLite gets WAL
/// (readers never block the writer), foreign keys on, a busy timeout, `synchronous =
/// NORMAL` (durable across application crashes; WAL's recommended setting).
///
/// Migrations run on a connection of their own, closed before the pool opens: a pooled
/// connection that took part in the migrations keeps statements and column lists it
/// prepared against an older schema, and a first request served by it could read a row
/// without a column added later (a fresh server's first registration answered 500 with
/// "Missing value for column 'storage_used'"). An in-memory SQLite database lives only in
/// its connections, so there the pool migrates itself.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let pool_size = if is_sqlite(url) { 8 } else { 16 };
    if is_memory(url) {
        let db = Database::connect(options(url, pool_size)).await?;
        migrate(&db).await?;
        return Ok(db);
    }
    let mut migrator = options(url, 1);
    migrator.min_connections(1);
    let migrator = Database::connect(migrator).await?;
    migrate(&migrator).await?;
    migrator.close().await?;
    Database::connect(options(url, pool_size)).await
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The message writer's own connection (`messages::writer`), so that its commits never
/// queue behind requests waiting for the shared pool. An in-memory SQLite database exists
/// only in its own connections, so there the writer shares `shared`.
pub async fn connect_writer(
    url: &str,
    shared: &DatabaseConnection,
) -> Result<DatabaseConnection, DbErr> {
    if is_memory(url) {
        return Ok(shared.clone());
    }
    let mut options = options(url, 1);
    options.min_connections(1);
    Database::connect(options).await
}

fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    // sqlx pings a connection every time it leaves the pool by default: one more hand-off
    // to SQLite's thread, or one more network round trip to PostgreSQL, per statement
    // outside a transaction. A SQLite connection is a file in this process and cannot be
    // dropped under us; a PostgreSQL one can (a restart, a proxy), but only one that sat
    // idle is worth checking.
    if is_sqlite(url) {
        options.test_before_acquire(false);
    } else {
        options.test_before_acquire_if_idle_for(POOL_PING_AFTER_IDLE);
    }
    options
        .sqlx_logging(false)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .max_connections(max_connections)
        .map_sqlx_sqlite_opts(|opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opts.journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .synchronous(SqliteSynchronous::Normal)
        });
    options
}

/// Applies every migration not yet applied.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: it takes the
/// write lock up front (waiting up to the busy timeout), instead of starting as a reader
/// and failing with "database is locked" when it later tries to write after another
/// writer committed — which the busy timeout cannot fix. PostgreSQL ignores the mode.
pub async fn write_txn(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait as _};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Runs statements that answer nothing, in order, in the caller's transaction. On SQLite
/// they go as one text: sqlx runs every statement of it on SQLite's thread, binding the
/// `?`s in order, so the batch costs one hand-off to that thread instead of one each
/// (the hand-offs, not SQLite, were most of a lone message's cost). PostgreSQL runs them
/// one by one (a prepared statement holds one command there). The statements must use
/// plain `?` placeholders (sea-query's SQLite builder does): a numbered `?NNN` would
/// bind by its absolute position in the joined text.
pub async fn execute_all(
    db: &impl sea_orm::ConnectionTrait,
    statements: Vec<sea_orm::Statement>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend == sea_orm::DbBackend::Postgres || statements.len() < 2 {
        for statement in statements {
            db.execute_raw(statement).await?;
        }
        return Ok(());
    }
    let mut sql = String::new();
    let mut values = Vec::new();
    for statement in statements {
        if !sql.is_empty() {
            sql.push_str(";\n");
        }
        sql.push_str(&statement.sql);
        if let Some(sea_orm::Values(v)) = statement.values {
            values.extend(v);
        }
    }
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend, sql, values,
    ))
    .await?;
    Ok(())
}

/// `LIKE` pattern for "contains `text`", with `%`, `_` and backslash in it matched literally.
pub fn contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// `at` as the databases keep it (to the microsecond: PostgreSQL's precision), so a
/// value answered before it is read back equals the one read back later.
pub fn stored_time(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let nanos = at.nanosecond();
    at.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait as _, Database, Statement};

    /// No ping each time a SQLite connection leaves the pool (it cannot be lost); a
    /// PostgreSQL one is pinged only after sitting idle.
    #[test]
    fn pooled_connections_are_pinged_only_where_they_can_be_lost() {
        let sqlite = super::options("sqlite://x.db?mode=rwc", 8);
        assert!(!sqlite.get_test_before_acquire());
        assert_eq!(sqlite.get_test_before_acquire_if_idle_for(), None);
        let postgres = super::options("postgres://127.0.0.1/x", 8);
        assert!(!postgres.get_test_before_acquire());
        assert_eq!(
            postgres.get_test_before_acquire_if_idle_for(),
            Some(super::POOL_PING_AFTER_IDLE)
        );
    }

    /// Several statements in one call: each takes its own `?`s, in order (sqlx binds
    /// across the statements of one text), and all of them run.
    #[tokio::test]
    async fn execute_all_binds_each_statement_its_own_values() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        let backend = db.get_database_backend();
        db.execute_unprepared("CREATE TABLE t (a INTEGER, b TEXT)")
            .await
            .unwrap();
        super::execute_all(
            &db,
            vec![
                Statement::from_sql_and_values(
                    backend,
                    "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)",
                    [1.into(), "one".into(), 2.into(), "two".into()],
                ),
                Statement::from_sql_and_values(
                    backend,
                    "UPDATE t SET b = ? WHERE a = ?",
                    ["TWO".into(), 2.into()],
                ),
                Statement::from_sql_and_values(
                    backend,
                    "INSERT INTO t (a, b) VALUES (?, ?)",
                    [3.into(), "three".into()],
                ),
            ],
        )
        .await
        .unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT a, b FROM t ORDER BY a",
            ))
            .await
            .unwrap();
        let rows: Vec<(i64, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get_by_index(0).unwrap(),
                    r.try_get_by_index(1).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (1, "one".to_owned()),
                (2, "TWO".to_owned()),
                (3, "three".to_owned())
            ]
        );
    }

    /// The bundled SQLite keeps no memory statistics (`.cargo/config.toml`): with them every
    /// allocation of every connection takes one process-wide mutex, which cost a third of the
    /// history ceiling (docs/BENCHMARKS.md). A build without the setting fails here.
    #[tokio::test]
    async fn sqlite_is_built_without_memory_statistics() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA compile_options",
            ))
            .await
            .unwrap();
        let options: Vec<String> = rows
            .iter()
            .map(|row| row.try_get_by_index(0).unwrap())
            .collect();
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
    }
}
