//! `aftercare migrate`, `backup`, `export` and `import`: moving and safeguarding a clinic's data.
//!
//! What belongs here: resolving the database the same way `aftercare serve` does (flag,
//! `AFTERCARE__DATABASE__URL`, config file, default SQLite file), and turning the store's
//! maintenance operations into commands with one-sentence errors. What does not: the SQL
//! (`aftercare-store`: `backup_to`, `export_all`, `import_all`, `integrity_check`) and the dump
//! format ([`aftercare_store::StoreDump`]).
//!
//! Nothing here prints the database URL: it may hold a PostgreSQL password.

use std::{
    io::{Read as _, Write as _},
    path::{Path, PathBuf},
    sync::Arc,
};

use aftercare_store::{PoolLimits, SchemaState, Store, StoreDump, StoreError};
use aftercare_web::{
    Settings,
    cli::CommonArgs,
    settings::{Overrides, SettingsError},
};
use anyhow::Context as _;
use secrecy::{ExposeSecret as _, SecretString};

use crate::failure::bad_input;

/// `aftercare migrate`: bring the database to the current schema.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// Where the settings and the data are.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `aftercare backup FILE`: a consistent copy of a live SQLite database.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where the settings and the data are.
    #[command(flatten)]
    pub common: CommonArgs,
    /// The backup file to write; it must not exist yet.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `aftercare export`: every row of the database as one JSON document.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Where the settings and the data are.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write the dump to this file (it must not exist yet) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `aftercare import FILE`: load a dump written by `aftercare export` into an empty database.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Where the settings and the data are (the database must be empty).
    #[command(flatten)]
    pub common: CommonArgs,
    /// The dump file, or '-' for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `aftercare migrate`.
pub fn run_migrate(args: MigrateArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.common).await?;
        store.ping().await.context("the database does not answer")?;
        println!("The {} database is at the current schema.", store.backend());
        store.close().await;
        Ok(())
    })
}

/// Runs `aftercare backup FILE`.
pub fn run_backup(args: BackupArgs) -> anyhow::Result<()> {
    if args.file.exists() {
        return Err(bad_input(format!(
            "{}: the backup file exists already; choose a new name",
            args.file.display()
        )));
    }
    block_on(async {
        // Read-only and as it is: a backup never migrates the live database (a newer binary
        // run beside an older server) nor the copy it checks.
        let (url, _) = database(&args.common)?;
        if aftercare_store::is_postgres_url(url.expose_secret()) {
            return Err(bad_input(
                "backup: the database is PostgreSQL; back it up with pg_dump \
                 (see docs/deployment.md)",
            ));
        }
        let store = open_database(url.expose_secret(), Access::AsItIs).await?;
        let copied = store.backup_to(&args.file).await;
        store.close().await;
        copied.with_context(|| format!("cannot write the backup to {}", args.file.display()))?;
        let problems = verify_sqlite_file(&args.file).await?;
        if !problems.is_empty() {
            anyhow::bail!(
                "the backup {} fails its integrity check: {}",
                args.file.display(),
                problems.join("; ")
            );
        }
        println!(
            "Backup written to {} (integrity check: ok).",
            args.file.display()
        );
        Ok(())
    })
}

/// Runs `aftercare export`.
pub fn run_export(args: ExportArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.output
        && path.exists()
    {
        return Err(bad_input(format!(
            "--output {}: the file exists already; choose a new name",
            path.display()
        )));
    }
    let dump = block_on(async {
        // Read-only and never migrated: a mistyped path is an error rather than a new, empty
        // database exported as if it were the clinic's; an older schema says to migrate.
        let (url, _) = database(&args.common)?;
        let store = open_database(url.expose_secret(), Access::ReadCurrent).await?;
        let dump = store
            .export_all()
            .await
            .context("cannot read the database")?;
        store.close().await;
        Ok(dump)
    })?;
    let mut json = serde_json::to_vec_pretty(&dump).context("cannot serialise the dump")?;
    json.push(b'\n');
    match &args.output {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&json)?;
            stdout.flush()?;
        }
        Some(path) => {
            write_new_file_atomically(path, &json)?;
            eprintln!("{}", summary("Exported", &dump, path));
        }
    }
    Ok(())
}

/// Runs `aftercare import FILE`.
pub fn run_import(args: ImportArgs) -> anyhow::Result<()> {
    let (label, bytes) = read_dump_bytes(&args.file)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad_input(format!("{label}: the file is not UTF-8 text")))?;
    let dump: StoreDump = serde_json::from_str(text).map_err(|error| {
        bad_input(format!(
            "{label}:{}:{}: not an aftercare export: {error}",
            error.line(),
            error.column()
        ))
    })?;
    block_on(async {
        let store = open(&args.common).await?;
        match store.import_all(&dump).await {
            Ok(()) => {}
            Err(StoreError::NotEmpty) => {
                return Err(bad_input(
                    "import: the database already holds data; import only into a fresh database",
                ));
            }
            Err(StoreError::Invalid { what }) => {
                return Err(bad_input(format!("{label}: the dump is refused: {what}")));
            }
            Err(error) => {
                return Err(anyhow::Error::new(error).context("cannot import the dump"));
            }
        }
        store.close().await;
        Ok(())
    })?;
    println!("{}", summary("Imported", &dump, Path::new(&label)));
    Ok(())
}

/// Runs `work` on a single-threaded runtime made for this one command (`main` is synchronous).
pub(crate) fn block_on<T>(work: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// The database the flags, environment or config file name (as `aftercare serve` resolves it):
/// its URL, and the pool limits a migrated open uses.
fn database(common: &CommonArgs) -> anyhow::Result<(SecretString, PoolLimits)> {
    let settings: Result<Settings, SettingsError> = Settings::load(
        common.config.as_deref(),
        None,
        &Overrides {
            database: common.database.clone(),
            ..Overrides::default()
        },
    );
    let settings = settings.map_err(bad_input)?;
    Ok((
        settings.database.connection_url(),
        settings.database.pool_limits(),
    ))
}

/// Opens (and migrates) the database named by the flags, environment or config file.
async fn open(common: &CommonArgs) -> anyhow::Result<Arc<dyn Store>> {
    let (url, limits) = database(common)?;
    open_database(url.expose_secret(), Access::Migrated(limits)).await
}

/// How a command opens the database.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access {
    /// Migrated to the current schema first, as `aftercare serve` does: commands that write.
    Migrated(PoolLimits),
    /// Read-only and as it is, whatever its schema: `backup`, which copies an older server's
    /// database before an upgrade.
    AsItIs,
    /// Read-only, not migrated, and only at this build's schema: commands that read rows
    /// (`export`, `practitioners --database`). A newer binary never migrates a database
    /// under an older server; another file, or an older or newer schema, is bad input.
    ReadCurrent,
}

/// Opens the database at `url` for `access`, with the same one-sentence errors for every
/// command (the URL itself is never printed: it may hold a password).
pub(crate) async fn open_database(url: &str, access: Access) -> anyhow::Result<Arc<dyn Store>> {
    let opened = match access {
        Access::Migrated(limits) => aftercare_store::connect_with_limits(url, limits).await,
        Access::AsItIs | Access::ReadCurrent => aftercare_store::connect_read_only(url).await,
    };
    let store = match opened {
        Ok(store) => store,
        Err(StoreError::InvalidUrl) => return Err(invalid_database_url()),
        // A SQLite path that cannot be opened (missing, not a database, in a folder that does
        // not exist) is the person's input; a PostgreSQL server that does not answer is not.
        Err(StoreError::Database(error)) if !aftercare_store::is_postgres_url(url) => {
            return Err(bad_input(format!(
                "--database: cannot open it as an aftercare SQLite database ({error})"
            )));
        }
        Err(error) => return Err(anyhow::Error::new(error).context("cannot open the database")),
    };
    if matches!(access, Access::ReadCurrent) {
        let state = store
            .schema_state()
            .await
            .context("cannot read the database's schema version")?;
        let problem = match state {
            SchemaState::Current => None,
            SchemaState::NotAftercare => Some("it is not an aftercare database"),
            SchemaState::Behind => Some(
                "it is from an older version of aftercare: run `aftercare migrate` on it first",
            ),
            SchemaState::Ahead => {
                Some("it is from a newer version of aftercare: use that version to read it")
            }
        };
        if let Some(problem) = problem {
            store.close().await;
            return Err(bad_input(format!("--database: {problem}")));
        }
    }
    Ok(store)
}

/// The bad-input error for a `--database` value that is no database URL or path.
pub(crate) fn invalid_database_url() -> anyhow::Error {
    bad_input("--database: expected a file path, a sqlite: URL or a postgres:// URL")
}

/// Opens a SQLite file read-only (as a database in its own right, not migrated) and runs its
/// integrity check.
async fn verify_sqlite_file(path: &Path) -> anyhow::Result<Vec<String>> {
    let url = format!("sqlite://{}", path.display());
    let copy = aftercare_store::connect_read_only(&url)
        .await
        .with_context(|| format!("cannot open the backup {}", path.display()))?;
    let problems = copy
        .integrity_check()
        .await
        .context("cannot check the backup")?;
    copy.close().await;
    Ok(problems)
}

/// A dump can be large (every check-in of a clinic), so unlike an ingredient list there is no
/// small size limit; this one only stops a wrong file (a disk image) from filling memory.
const MAX_DUMP_BYTES: u64 = 4 * 1024 * 1024 * 1024;

fn read_dump_bytes(file: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_DUMP_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        check_dump_size("standard input", &bytes)?;
        return Ok(("standard input".to_owned(), bytes));
    }
    let label = file.display().to_string();
    let handle = std::fs::File::open(file)
        .map_err(|error| bad_input(format!("{label}: cannot open the dump: {error}")))?;
    handle
        .take(MAX_DUMP_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| bad_input(format!("{label}: cannot read the dump: {error}")))?;
    check_dump_size(&label, &bytes)?;
    Ok((label, bytes))
}

fn check_dump_size(label: &str, bytes: &[u8]) -> anyhow::Result<()> {
    if bytes.len() as u64 > MAX_DUMP_BYTES {
        return Err(bad_input(format!(
            "{label}: the dump is larger than {} GiB",
            MAX_DUMP_BYTES / (1024 * 1024 * 1024)
        )));
    }
    Ok(())
}

/// Writes `bytes` to a temporary file next to `path`, syncs it and renames it into place, so a
/// crash never leaves a half-written dump under the final name.
fn write_new_file_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(directory).map_err(|error| {
        bad_input(format!(
            "--output {}: cannot write in {}: {error}",
            path.display(),
            directory.display()
        ))
    })?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist_noclobber(path).map_err(|error| {
        bad_input(format!(
            "--output {}: cannot create the file: {}",
            path.display(),
            error.error
        ))
    })?;
    Ok(())
}

fn summary(verb: &str, dump: &StoreDump, place: &Path) -> String {
    format!(
        "{verb} {} clinics, {} users, {} treatments, {} check-ins, {} alerts, {} e-mails, {} \
         directory profiles, {} shelf products ({}).",
        dump.clinics.len(),
        dump.users.len(),
        dump.treatments.len(),
        dump.check_ins.len(),
        dump.alerts.len(),
        dump.outbox.len(),
        dump.practitioner_profiles.len(),
        dump.shelf_products.len(),
        place.display()
    )
}
