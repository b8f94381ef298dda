//! The command-line arguments of `aftercare serve` and `aftercare admin`, as clap structs the
//! `aftercare` binary embeds, and how they become [`Settings`].
//!
//! What does not belong here: running them (the binary's `commands/serve.rs` makes the runtime
//! and calls [`crate::serve`] or [`crate::admin::create_admin`]).

use std::path::PathBuf;

use crate::settings::{Overrides, Settings, SettingsError};

/// Run the web app for patients and clinics.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Where the settings and the data are.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Address to listen on, e.g. 0.0.0.0:8080 [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// The URL people open (patient links and QR codes are built from it)
    /// [default: http://ADDR].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Serve Prometheus metrics at http://ADDR/metrics (keep it private).
    #[arg(long, value_name = "ADDR")]
    pub metrics_bind: Option<String>,
}

/// Flags shared by `serve` and `admin`: where the settings and the data are.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// A TOML configuration file (see docs/web.md); AFTERCARE__SECTION__KEY variables and
    /// flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// SQLite file (created on first start), sqlite: URL or postgres:// URL
    /// [default: aftercare.sqlite3].
    #[arg(long, visible_alias = "database-url", value_name = "PATH_OR_URL")]
    pub database: Option<String>,
}

impl ServeArgs {
    /// The settings: defaults, the file, the environment, then these flags.
    ///
    /// # Errors
    /// A file that does not exist or does not parse, a bad value anywhere.
    pub fn settings(&self) -> Result<Settings, SettingsError> {
        Settings::load(
            self.common.config.as_deref(),
            None,
            &Overrides {
                bind: self.bind.clone(),
                database: self.common.database.clone(),
                public_url: self.public_url.clone(),
                metrics_bind: self.metrics_bind.clone(),
            },
        )
    }
}

/// Administer accounts without a browser.
#[derive(Debug, Clone, clap::Args)]
pub struct AdminArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// Admin subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AdminCommand {
    /// Create a clinic admin account, and the clinic itself on first run.
    ///
    /// Without --password-stdin a strong password is generated and printed once.
    Create(AdminCreateArgs),
}

/// `aftercare admin create`.
#[derive(Debug, Clone, clap::Args)]
pub struct AdminCreateArgs {
    /// Where the settings and the data are.
    #[command(flatten)]
    pub common: CommonArgs,
    /// The admin's e-mail (their sign-in name).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// The admin's name as shown in the app.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The clinic: created if no clinic has this name; needed on first run or when there are
    /// several clinics.
    #[arg(long, value_name = "NAME")]
    pub clinic: Option<String>,
    /// A new clinic's phone number (patients are told to call it).
    #[arg(long, value_name = "PHONE", default_value = "")]
    pub clinic_phone: String,
    /// A new clinic's e-mail.
    #[arg(long, value_name = "EMAIL", default_value = "")]
    pub clinic_email: String,
    /// A new clinic's address.
    #[arg(long, value_name = "ADDRESS", default_value = "")]
    pub clinic_address: String,
    /// A new clinic's local emergency number (shown with emergency advice).
    #[arg(long, value_name = "NUMBER", default_value = "112")]
    pub emergency_number: String,
    /// Read the password from the first line of standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

impl AdminCreateArgs {
    /// The settings (only the database and password hashing matter here).
    ///
    /// # Errors
    /// As for `serve`.
    pub fn settings(&self) -> Result<Settings, SettingsError> {
        Settings::load(
            self.common.config.as_deref(),
            None,
            &Overrides {
                database: self.common.database.clone(),
                ..Overrides::default()
            },
        )
    }
}
