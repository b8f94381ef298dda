//! The PostgreSQL backend: for clinics that run several server instances or already
//! operate PostgreSQL.
//!
//! What belongs here: the connection pool, the `FOR UPDATE SKIP LOCKED` outbox claim,
//! the snapshot isolation used by exports and PostgreSQL-specific health checks. The
//! behaviour shared with SQLite comes from the `impl_store!` macro in `shared.rs`.

use std::path::Path;
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::shared::{db_error, impl_store, outbox_cols};
use crate::{PoolLimits, StoreError, StoreResult};

/// The store on PostgreSQL. Cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    const BACKEND: &'static str = "postgres";

    /// This build's migrations.
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

    /// Whether the database has sqlx's migrations table (in the search path).
    const MIGRATIONS_TABLE_SQL: &'static str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";

    /// `SKIP LOCKED` lets concurrent workers on several instances each take different
    /// due messages without waiting for one another; the lease then keeps a claimed
    /// message away from the others until it is sent or fails.
    const CLAIM_OUTBOX_SQL: &'static str = concat!(
        "UPDATE outbox SET locked_until = $1 + $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
         AND (locked_until IS NULL OR locked_until <= $1) \
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ",
        outbox_cols!()
    );

    /// Connects to `url` (`postgres://…` or `postgresql://…`) and migrates the
    /// database. Several instances may start at once: sqlx serialises migrations
    /// with an advisory lock.
    ///
    /// # Errors
    /// [`StoreError::InvalidUrl`] for a malformed URL, [`StoreError::Database`] when
    /// the server cannot be reached, [`StoreError::Migrate`] if the migrations fail.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_with_limits(url, PoolLimits::default()).await
    }

    /// [`PgStore::connect`] with explicit pool limits.
    ///
    /// # Errors
    /// As [`PgStore::connect`].
    pub async fn connect_with_limits(url: &str, limits: PoolLimits) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl)?;
        Self::open(options, limits).await
    }

    /// Connects with explicit options and migrates the database.
    ///
    /// # Errors
    /// As [`PgStore::connect`].
    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<Self> {
        Self::open(options, PoolLimits::default()).await
    }

    /// Connects to `url` without migrating, every transaction read-only
    /// (`default_transaction_read_only`): for commands that only read, such as
    /// `aftercare practitioners --database`, which must not migrate a database under an older
    /// server. Writes fail.
    ///
    /// # Errors
    /// [`StoreError::InvalidUrl`] for a malformed URL, [`StoreError::Database`] when the
    /// server cannot be reached.
    pub async fn connect_read_only(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::InvalidUrl)?
            .options([("default_transaction_read_only", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(PoolLimits::default().acquire_timeout)
            .connect_with(options)
            .await
            .map_err(StoreError::Database)?;
        Ok(PgStore { pool })
    }

    async fn open(options: PgConnectOptions, limits: PoolLimits) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(limits.max_connections.max(1))
            .acquire_timeout(limits.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(StoreError::Database)?;
        Self::MIGRATOR
            .run(&pool)
            .await
            .map_err(StoreError::Migrate)?;
        Ok(PgStore { pool })
    }

    fn read_pool(&self) -> &PgPool {
        &self.pool
    }

    fn write_pool(&self) -> &PgPool {
        &self.pool
    }

    /// Row locks and constraints do the work in PostgreSQL: a plain transaction.
    async fn begin_write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(StoreError::Database)
    }

    /// Every statement of an export sees the same snapshot.
    async fn begin_snapshot(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(StoreError::Database)
    }

    /// Indexes left invalid by an interrupted build are skipped by the planner and no
    /// longer enforce uniqueness.
    async fn backend_integrity_problems(&self) -> StoreResult<Vec<String>> {
        let invalid: Vec<String> = sqlx::query_scalar(
            "SELECT c.relname::TEXT FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT i.indisvalid AND n.nspname = current_schema() ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| db_error(e, "integrity check"))?;
        Ok(invalid
            .into_iter()
            .map(|name| format!("index {name} is invalid; rebuild it with REINDEX"))
            .collect())
    }

    async fn backup_to_file(&self, _path: &Path) -> StoreResult<()> {
        Err(StoreError::Unsupported {
            backend: Self::BACKEND,
            what: "backup_to (use pg_dump, or `aftercare export` for a portable dump)",
        })
    }
}

impl_store!(PgStore, Postgres);
