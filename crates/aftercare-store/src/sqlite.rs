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
//!
//! Cancellation: a caller may be dropped at any `.await` (a web request whose client went
//! away). `BEGIN IMMEDIATE` therefore runs to its end in a task of its own (see
//! [`SqliteStore::begin_write`]), and neither pool hands out a connection that is still
//! inside a transaction (see [`idle_outside_transaction`]; file databases only).

use std::path::Path;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnectionMetadata;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection as _, Sqlite, Transaction};

use crate::shared::{db_error, impl_store, outbox_cols};
use crate::{StoreError, StoreResult};

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Read connections per store (the writer is always one).
const MAX_READERS: u32 = 4;

/// The pools' `before_acquire` check: a connection is handed out only when it is outside
/// any transaction. One still inside a transaction nobody owns would fail every later
/// `BEGIN IMMEDIATE` and, worse, run plain statements inside that transaction, where they
/// are never committed; it is closed instead (which rolls the transaction back) and the pool
/// opens a fresh one. [`SqliteStore::begin_write`] keeps this from happening; the check
/// makes sure that, whatever the cause, such a connection is never used.
fn idle_outside_transaction(
    connection: &mut SqliteConnection,
    _metadata: PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        if connection.is_in_transaction() {
            tracing::error!("a pooled SQLite connection was left inside a transaction; closing it");
            return Ok(false);
        }
        Ok(true)
    })
}

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

    /// This build's migrations.
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

    /// Whether the database has sqlx's migrations table (1 or 0).
    const MIGRATIONS_TABLE_SQL: &'static str = "SELECT EXISTS (SELECT 1 FROM sqlite_schema \
         WHERE type = 'table' AND name = '_sqlx_migrations')";

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
        let in_memory = location.contains(":memory:") || location.contains("mode=memory");
        Self::open_with(Self::options_for(location)?, in_memory).await
    }

    /// Opens an existing database file read-only and as it is: no migrations, nothing that
    /// writes (not even the journal mode). For `aftercare backup`: a newer binary must not
    /// migrate a live database under an older server, and the copy it checks must stay a
    /// faithful copy. Only reading methods work on it; writes fail.
    ///
    /// # Errors
    /// [`StoreError::InvalidUrl`] for a malformed `sqlite:` URL, [`StoreError::Database`] if
    /// the file is missing, cannot be opened or is not a database.
    pub async fn open_read_only(location: &str) -> StoreResult<Self> {
        let options = Self::options_for(location)?
            .read_only(true)
            .create_if_missing(false)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(StoreError::Database)?;
        // Read the schema now, so a file that is no database fails here, at open, as it does
        // for a migrated open (and not at the first query).
        sqlx::query("SELECT count(*) FROM sqlite_schema")
            .execute(&pool)
            .await
            .map_err(StoreError::Database)?;
        Ok(SqliteStore {
            reader: pool.clone(),
            writer: pool,
        })
    }

    /// Connection options for a `sqlite:` URL or a plain file path.
    fn options_for(location: &str) -> StoreResult<SqliteConnectOptions> {
        if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location).map_err(|_| StoreError::InvalidUrl)
        } else {
            Ok(SqliteConnectOptions::new().filename(location))
        }
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
                // No `before_acquire` check here: closing the only connection would discard
                // the whole in-memory database (tests only; `begin_write` keeps it clean).
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
                .before_acquire(idle_outside_transaction)
                .connect_with(options.clone())
                .await
                .map_err(StoreError::Database)?;
            let reader = SqlitePoolOptions::new()
                .max_connections(MAX_READERS)
                .before_acquire(idle_outside_transaction)
                .connect_with(options)
                .await
                .map_err(StoreError::Database)?;
            SqliteStore { reader, writer }
        };
        Self::MIGRATOR
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

    /// Starts a write transaction with `BEGIN IMMEDIATE`, safely against the caller being
    /// dropped.
    ///
    /// sqlx's `begin_with` awaits twice for a custom `BEGIN`: the statement, then a check that
    /// the connection is now in a transaction. A caller dropped between the two (found under
    /// `tools/load`: a client disconnecting while its check-in waited) left the one write
    /// connection inside a transaction that no [`Transaction`] owned; back in the pool, it
    /// failed every later write with a 500. So the begin runs as a task of its own, which
    /// always finishes: if the caller is gone by then, the transaction the task returns is
    /// dropped, and dropping it rolls it back before the connection is used again. Past
    /// this point sqlx is cancel-safe: a dropped [`Transaction`] rolls back, and a commit
    /// whose caller is dropped commits whole or rolls back whole.
    async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        let writer = self.writer.clone();
        match tokio::spawn(async move { writer.begin_with("BEGIN IMMEDIATE").await }).await {
            Ok(begun) => begun.map_err(StoreError::Database),
            // The runtime is shutting down: the server is stopping, the write did not start.
            Err(stopped) if stopped.is_cancelled() => {
                Err(StoreError::Database(sqlx::Error::PoolClosed))
            }
            Err(_) => Err(StoreError::Database(sqlx::Error::WorkerCrashed)),
        }
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
