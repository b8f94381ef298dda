//! Test support for this crate's contract suite and other crates' integration tests: a
//! throwaway PostgreSQL server started from the machine's own `initdb` and `pg_ctl` in a
//! temporary directory, on a free port, stopped and deleted when dropped (also when a test
//! panics). Compiled only with the `testing` feature; nothing here runs in production.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A PostgreSQL server this run started; stopped and deleted on drop.
pub struct ThrowawayPg {
    dir: TempDir,
    bin: PathBuf,
    as_postgres: bool,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl ThrowawayPg {
    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A superuser URL of its `postgres` database (trust authentication).
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Finds `initdb` and `pg_ctl`, initialises a cluster in a temporary directory and
    /// starts it on a free port. `Ok(None)` when the binaries are not installed.
    ///
    /// # Errors
    /// A message when the binaries exist but the server does not start.
    pub fn start() -> Result<Option<ThrowawayPg>, String> {
        let Some(bin) = find_pg_bin() else {
            return Ok(None);
        };
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("aftercare-pg-")
            .tempdir()
            .map_err(|e| format!("creating a temporary directory: {e}"))?;
        if as_postgres {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            let (uid, gid) = postgres_user_ids()?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| format!("handing {} to postgres: {e}", dir.path().display()))?;
        }
        let port = free_port()?;
        let mut server = ThrowawayPg {
            dir,
            bin,
            as_postgres,
            port,
        };
        let data = server.data_dir();
        server.run(
            "initdb",
            &[
                "-D",
                path_str(&data)?,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        )?;
        if let Err(err) = server.pg_ctl_start() {
            let log_text = std::fs::read_to_string(server.log_file()).unwrap_or_default();
            // A port taken between probing and binding: try once more elsewhere.
            if log_text.contains("could not bind") {
                server.port = free_port()?;
                server.pg_ctl_start()?;
            } else {
                return Err(format!("{err}\nserver log:\n{log_text}"));
            }
        }
        Ok(Some(server))
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// `pg_ctl start` on [`ThrowawayPg::port`], waiting until the server accepts connections.
    fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            port = self.port,
            socket = path_str(self.dir.path())?
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&self.data_dir())?,
                "-l",
                path_str(&self.log_file())?,
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let output = command
            .args(args)
            // The postgres user may not be allowed into the caller's directory.
            .current_dir(self.dir.path())
            .output()
            .map_err(|e| format!("running {}: {e}", program.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} {} failed ({}):\n{}{}",
                program.display(),
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

impl Drop for ThrowawayPg {
    fn drop(&mut self) {
        let data = self.data_dir();
        if let Some(data) = data.to_str()
            && let Err(err) = self.run("pg_ctl", &["-D", data, "-m", "immediate", "-w", "stop"])
        {
            eprintln!("could not stop the throwaway PostgreSQL: {err}");
        }
    }
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// `/usr/lib/postgresql/<highest>/bin`, else the directory of `initdb` on `PATH`.
fn find_pg_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let initdb = dir.join("initdb");
        let resolved = std::fs::canonicalize(&initdb).ok()?;
        let bin = resolved.parent()?.to_path_buf();
        bin.join("pg_ctl").is_file().then_some(bin)
    })
}

/// `/proc/self` belongs to the process's effective user.
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn postgres_user_ids() -> Result<(u32, u32), String> {
    let passwd =
        std::fs::read_to_string("/etc/passwd").map_err(|e| format!("reading /etc/passwd: {e}"))?;
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.first() == Some(&"postgres") && fields.len() > 3 {
                Some((fields[2].parse().ok()?, fields[3].parse().ok()?))
            } else {
                None
            }
        })
        .ok_or_else(|| "running as root but there is no `postgres` user for initdb".to_owned())
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}
