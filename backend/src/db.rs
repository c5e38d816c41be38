//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// How long a SQLite writer waits for the lock before giving up with "database is locked".
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a request waits for a pooled connection before failing with 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects and runs pending migrations. SQLite gets WAL (readers never block the
/// writer), foreign keys on, a busy timeout, `synchronous = NORMAL` (durable across
/// application crashes; WAL's recommended setting).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = Database::connect(options(url, if is_sqlite(url) { 8 } else { 16 })).await?;
    migrate(&db).await?;
    Ok(db)
}

/// The message writer's own connection (`messages::writer`), so that its commits never
/// queue behind requests waiting for the shared pool. An in-memory SQLite database exists
/// only in its own connections, so there the writer shares `shared`.
pub async fn connect_writer(
    url: &str,
    shared: &DatabaseConnection,
) -> Result<DatabaseConnection, DbErr> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(shared.clone());
    }
    let mut options = options(url, 1);
    options.min_connections(1);
    Database::connect(options).await
}

fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
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

/// `LIKE` pattern for "contains `text`", with `%`, `_` and backslash in it matched literally.
pub fn contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}
