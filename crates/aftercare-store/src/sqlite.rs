//! The SQLite backend: one file (or an in-memory database for tests), migrated on open.
//!
//! What belongs here: connection setup and pragmas, the single-writer discipline, the
//! SQLite outbox claim, `integrity_check` and `VACUUM INTO` backups. The behaviour
//! shared with PostgreSQL comes from the `impl_store!` macro in `shared.rs`.
//!
//! Concurrency: SQLite allows one writer at a time. Writes go through a pool of exactly
//! one connection and every write transaction starts with `BEGIN IMMEDIATE`, so a
//! transaction never has to upgrade a read lock to a write lock (the upgrade is what
//! fails with "database is locked" even with a busy timeout). Reads use a separate pool
//! and, in WAL mode, never wait for the writer. The 5 s `busy_timeout` covers other
//! processes on the same file (a backup, the admin CLI).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::shared::{db_error, impl_store, outbox_cols};
use crate::{StoreError, StoreResult};

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections per store (the writer is always one).
const MAX_READERS: u32 = 4;

/// The store on SQLite. Cheap to share behind an `Arc`; cloning the pools is cheap too.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// Connections for reads (several, concurrent).
    reader: SqlitePool,
    /// The single connection for writes.
    writer: SqlitePool,
}

impl SqliteStore {
    const BACKEND: &'static str = "sqlite";

    /// SQLite cannot lock rows, but the single writer makes the claim atomic: the
    /// subquery and the update run in one `BEGIN IMMEDIATE` transaction.
    const CLAIM_OUTBOX_SQL: &'static str = concat!(
        "UPDATE outbox SET locked_until = $1 + $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (locked_until IS NULL OR locked_until <= $1) \
         ORDER BY next_attempt_at, id LIMIT $3) RETURNING ",
        outbox_cols!()
    );

    /// Opens (creating if missing) and migrates the database at `location`: a
    /// `sqlite:` URL (`sqlite:data/aftercare.db`, `sqlite::memory:`) or a plain file
    /// path. The parent directory must exist.
    ///
    /// # Errors
    /// [`StoreError::InvalidUrl`] for a malformed `sqlite:` URL,
    /// [`StoreError::Database`] if the file cannot be opened,
    /// [`StoreError::Migrate`] if the migrations fail.
    pub async fn open(location: &str) -> StoreResult<Self> {
        let options = if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location).map_err(|_| StoreError::InvalidUrl)?
        } else {
            SqliteConnectOptions::new().filename(location)
        };
        let in_memory = location.contains(":memory:") || location.contains("mode=memory");
        Self::open_with(options, in_memory).await
    }

    /// Opens and migrates a database from explicit options (the pragmas this store
    /// relies on are set on top of them). An in-memory database lives in a single
    /// connection that is never closed while the store is open.
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub async fn open_with(options: SqliteConnectOptions, in_memory: bool) -> StoreResult<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .synchronous(SqliteSynchronous::Normal);
        let store = if in_memory {
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .map_err(StoreError::Database)?;
            SqliteStore {
                reader: pool.clone(),
                writer: pool,
            }
        } else {
            // The writer first: it creates the file and switches it to WAL.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await
                .map_err(StoreError::Database)?;
            let reader = SqlitePoolOptions::new()
                .max_connections(MAX_READERS)
                .connect_with(options)
                .await
                .map_err(StoreError::Database)?;
            SqliteStore { reader, writer }
        };
        sqlx::migrate!("./migrations/sqlite")
            .run(&store.writer)
            .await
            .map_err(StoreError::Migrate)?;
        Ok(store)
    }

    fn read_pool(&self) -> &SqlitePool {
        &self.reader
    }

    fn write_pool(&self) -> &SqlitePool {
        &self.writer
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(StoreError::Database)
    }

    /// A deferred read transaction: in WAL mode it sees one snapshot from its first read.
    async fn begin_snapshot(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.reader.begin().await.map_err(StoreError::Database)
    }

    async fn backend_integrity_problems(&self) -> StoreResult<Vec<String>> {
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.reader)
            .await
            .map_err(|e| db_error(e, "integrity check"))?
            .into_iter()
            .filter(|line: &String| line != "ok")
            .collect();
        let broken: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT \"table\", parent, COUNT(*) FROM pragma_foreign_key_check \
             GROUP BY \"table\", parent ORDER BY \"table\", parent",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(|e| db_error(e, "foreign key check"))?;
        problems.extend(broken.into_iter().map(|(table, parent, count)| {
            format!("{count} rows of {table} refer to missing rows of {parent}")
        }));
        Ok(problems)
    }

    async fn backup_to_file(&self, path: &Path) -> StoreResult<()> {
        let target = path.to_str().ok_or_else(|| StoreError::Invalid {
            what: "backup path (must be UTF-8)".to_owned(),
        })?;
        if path.exists() {
            return Err(StoreError::Conflict {
                what: "backup file".to_owned(),
            });
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.reader)
            .await
            .map_err(|e| db_error(e, "backup"))?;
        Ok(())
    }
}

impl_store!(SqliteStore, Sqlite);
