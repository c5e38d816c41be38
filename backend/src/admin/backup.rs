//! `teahouse admin backup <dir>` and `teahouse admin restore <dir>`: a consistent copy of
//! the database and the uploaded files, taken while the server runs, and putting it back.
//!
//! - SQLite: `VACUUM INTO` writes a consistent snapshot from one read transaction (WAL
//!   lets the server keep writing meanwhile). PostgreSQL: `pg_dump --format=custom`, also
//!   one snapshot; restored with `pg_restore --clean --if-exists --no-owner`.
//! - Files (`files/`, `avatars/`, and the generated `jwt_secret` so tokens stay valid):
//!   copied once before the snapshot and again after it for what appeared meanwhile.
//!   Uploads are written before the rows that name them and deleted after those rows go,
//!   so every file the snapshot names is in the copy (a file deleted in between stays in
//!   the copy unnamed, which costs only its bytes). The upload scratch space is skipped.
//! - `MANIFEST.json` says what the copy holds and when it was taken.

use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// What a backup directory holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// The server version that took it.
    pub version: String,
    /// RFC 3339, UTC.
    pub taken_at: String,
    /// `sqlite` (in `teahouse.db`) or `postgres` (in `teahouse.pgdump`).
    pub database: String,
    /// Files copied (uploads, thumbnails, avatars).
    pub files: u64,
}

const SQLITE_FILE: &str = "teahouse.db";
const PG_FILE: &str = "teahouse.pgdump";
const MANIFEST: &str = "MANIFEST.json";
/// What of the data directory is copied besides the database.
const DATA: [&str; 3] = ["files", "avatars", "jwt_secret"];

fn is_sqlite(url: &str) -> bool {
    crate::db::is_sqlite(url)
}

/// The SQLite file a `sqlite://` URL names.
fn sqlite_path(url: &str) -> Result<PathBuf, String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| format!("not a SQLite URL: {url}"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return Err("an in-memory database cannot be backed up".into());
    }
    Ok(PathBuf::from(path))
}

/// Copies `from` into `to` (files and directories), skipping the upload scratch space
/// and, unless `overwrite`, what is already there with the same size (uploads are named
/// by a random id and never change). Returns the files copied.
fn copy_tree(from: &Path, to: &Path, overwrite: bool) -> std::io::Result<u64> {
    if !from.exists() {
        return Ok(0);
    }
    if from.is_file() {
        let same = !overwrite
            && to
                .metadata()
                .ok()
                .zip(from.metadata().ok())
                .is_some_and(|(a, b)| a.len() == b.len());
        if same {
            return Ok(0);
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        return match std::fs::copy(from, to) {
            Ok(_) => Ok(1),
            // Deleted since it was listed: nothing names it any more.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        };
    }
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name() == "tmp" {
            continue;
        }
        copied += copy_tree(&entry.path(), &to.join(entry.file_name()), overwrite)?;
    }
    Ok(copied)
}

/// Takes a backup into `dest` (created; it must not exist or be empty). What it did,
/// for the terminal.
pub async fn backup(config: &Config, dest: &Path) -> Result<String, String> {
    if dest.exists()
        && std::fs::read_dir(dest)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!("{} is not empty", dest.display()));
    }
    std::fs::create_dir_all(dest).map_err(|e| e.to_string())?;
    let url = config.database_url();
    let copy_files = || -> Result<u64, String> {
        let mut n = 0;
        for part in DATA {
            n += copy_tree(&config.data_dir.join(part), &dest.join(part), false)
                .map_err(|e| format!("copying {part}: {e}"))?;
        }
        Ok(n)
    };
    let mut files = copy_files()?;
    let database = if is_sqlite(&url) {
        let db = crate::db::connect(&url).await.map_err(|e| e.to_string())?;
        let target = dest.join(SQLITE_FILE);
        let quoted = target.display().to_string().replace('\'', "''");
        use sea_orm::ConnectionTrait as _;
        db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await
            .map_err(|e| format!("VACUUM INTO: {e}"))?;
        let _ = db.close().await;
        "sqlite"
    } else {
        let out = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(dest.join(PG_FILE))
            .arg(&url)
            .output()
            .map_err(|e| format!("running pg_dump (is it installed?): {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "pg_dump failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        "postgres"
    };
    files += copy_files()?;
    let manifest = Manifest {
        version: env!("CARGO_PKG_VERSION").into(),
        taken_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        database: database.into(),
        files,
    };
    std::fs::write(
        dest.join(MANIFEST),
        serde_json::to_string_pretty(&manifest).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "backup of the {database} database and {files} files in {}",
        dest.display()
    ))
}

/// Puts a backup back: the database the configuration names and the data directory's
/// files. The server must be stopped. SQLite: the database file must not exist unless
/// `force` (it is then replaced); PostgreSQL: the dump is restored into the configured
/// database, replacing the tables it holds.
pub async fn restore(config: &Config, from: &Path, force: bool) -> Result<String, String> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(from.join(MANIFEST))
            .map_err(|e| format!("{}: not a backup ({e})", from.display()))?,
    )
    .map_err(|e| format!("{MANIFEST}: {e}"))?;
    let url = config.database_url();
    match (manifest.database.as_str(), is_sqlite(&url)) {
        ("sqlite", true) => {
            let target = sqlite_path(&url)?;
            if target.exists() && !force {
                return Err(format!(
                    "{} exists; stop the server and pass --force to replace it",
                    target.display()
                ));
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            // The old database's journal must not be applied to the restored file.
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::copy(from.join(SQLITE_FILE), &target).map_err(|e| e.to_string())?;
        }
        ("postgres", false) => {
            let out = Command::new("pg_restore")
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                ])
                .arg(&url)
                .arg(from.join(PG_FILE))
                .output()
                .map_err(|e| format!("running pg_restore (is it installed?): {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "pg_restore failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        (kind, _) => {
            return Err(format!(
                "the backup holds a {kind} database, but the configuration names another kind"
            ));
        }
    }
    let mut files = 0;
    for part in DATA {
        files += copy_tree(&from.join(part), &config.data_dir.join(part), true)
            .map_err(|e| format!("restoring {part}: {e}"))?;
    }
    Ok(format!(
        "restored the {} database taken at {} and {files} files",
        manifest.database, manifest.taken_at
    ))
}
