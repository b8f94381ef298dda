//! The test harness: which backends are available, a throwaway PostgreSQL server, and
//! a fresh, migrated, empty database for every story.
//!
//! PostgreSQL comes from, in order: `AFTERCARE_TEST_PG_URL` (an existing server; each
//! story gets its own database, dropped afterwards), or a throwaway server started
//! from the machine's `initdb`/`pg_ctl` in a temporary directory (stopped by a `Drop`
//! guard, also when the run panics). Without either, the PostgreSQL stories are
//! skipped with a notice, except under `CI=true`, where they fail.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

pub use aftercare_store::testing::ThrowawayPg;
use aftercare_store::{PgStore, SqliteStore, Store};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tempfile::TempDir;

/// A backend under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// Whether this run is in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Where PostgreSQL stories get their databases, or why they cannot run.
pub enum PgSource {
    /// An administrative URL of a running server.
    Available { admin_url: String, external: bool },
    /// Neither a URL nor binaries; the reason, for the notice.
    Missing(String),
    /// The binaries are there but the server would not start: always a failure.
    Broken(String),
}

/// What every story gets: the store under test plus ways to make more stores.
pub struct Env {
    pub backend: Backend,
    pub store: Arc<dyn Store>,
    /// The URL `connect` would take for `store`.
    pub url: String,
    factory: Arc<Factory>,
}

impl Env {
    /// A fresh, empty SQLite store, whatever the backend under test.
    pub async fn fresh_sqlite(&self) -> Arc<dyn Store> {
        self.factory.create(Backend::Sqlite).await.0
    }

    /// A path in this story's temporary directory (the file does not exist).
    pub fn temp_path(&self, name: &str) -> PathBuf {
        self.factory.temp_dir.path().join(name)
    }
}

/// Creates fresh databases for one story and removes them afterwards.
struct Factory {
    temp_dir: TempDir,
    pg_admin_url: Option<String>,
    drop_pg_databases: bool,
    counter: Mutex<u32>,
    pg_databases: Mutex<Vec<String>>,
    stores: Mutex<Vec<Arc<dyn Store>>>,
}

impl Factory {
    async fn create(&self, backend: Backend) -> (Arc<dyn Store>, String) {
        let n = {
            let mut counter = self.counter.lock().expect("counter lock");
            *counter += 1;
            *counter
        };
        let (store, url): (Arc<dyn Store>, String) = match backend {
            Backend::Sqlite => {
                let path = self.temp_dir.path().join(format!("store-{n}.db"));
                let url = format!("sqlite:{}", path.display());
                let store = SqliteStore::open(&url).await.expect("open SQLite store");
                (Arc::new(store), url)
            }
            Backend::Postgres => {
                let admin_url = self
                    .pg_admin_url
                    .as_deref()
                    .expect("a PostgreSQL story without PostgreSQL");
                let name = format!("aftercare_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::connect(admin_url)
                    .await
                    .expect("connect to the PostgreSQL admin database");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create a test database");
                admin.close().await.ok();
                self.pg_databases
                    .lock()
                    .expect("databases lock")
                    .push(name.clone());
                let options = PgConnectOptions::from_str(admin_url)
                    .expect("admin URL parses")
                    .database(&name);
                let url = url_with_database(admin_url, &name);
                let store = PgStore::connect_with(options)
                    .await
                    .expect("open PostgreSQL store");
                (Arc::new(store), url)
            }
        };
        self.stores
            .lock()
            .expect("stores lock")
            .push(Arc::clone(&store));
        (store, url)
    }

    /// Closes every store and drops the PostgreSQL databases of an external server.
    async fn clean_up(&self) {
        let stores: Vec<_> = self.stores.lock().expect("stores lock").drain(..).collect();
        for store in stores {
            store.close().await;
        }
        let databases: Vec<_> = self
            .pg_databases
            .lock()
            .expect("databases lock")
            .drain(..)
            .collect();
        if !self.drop_pg_databases || databases.is_empty() {
            return;
        }
        if let Some(admin_url) = &self.pg_admin_url
            && let Ok(mut admin) = PgConnection::connect(admin_url).await
        {
            for name in databases {
                if let Err(err) =
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                {
                    eprintln!("could not drop test database {name}: {err}");
                }
            }
            admin.close().await.ok();
        }
    }
}

/// Replaces the database name (the path) of a PostgreSQL URL.
fn url_with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{database}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A story: an async function of the environment.
pub type Story = fn(Env) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs one story on a fresh store of `backend`, in its own runtime.
pub fn run_story(story: Story, backend: Backend, pg_admin_url: Option<String>, external: bool) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let factory = Arc::new(Factory {
            temp_dir: tempfile::Builder::new()
                .prefix("aftercare-store-test-")
                .tempdir()
                .expect("temporary directory"),
            pg_admin_url,
            drop_pg_databases: external,
            counter: Mutex::new(0),
            pg_databases: Mutex::new(Vec::new()),
            stores: Mutex::new(Vec::new()),
        });
        let (store, url) = factory.create(backend).await;
        let env = Env {
            backend,
            store,
            url,
            factory: Arc::clone(&factory),
        };
        // Run the story as a task so a panic is caught and the clean-up still runs.
        let outcome = tokio::spawn(story(env)).await;
        factory.clean_up().await;
        if let Err(err) = outcome {
            match err.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(err) => panic!("story task failed: {err}"),
            }
        }
    });
}
