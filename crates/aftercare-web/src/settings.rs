//! Settings of `aftercare serve`: built-in defaults, then a TOML file, then the environment
//! (`AFTERCARE__SECTION__KEY`), then command-line flags, each overriding the one before.
//!
//! Secrets (the database URL, which may hold a password) are `secrecy` types whose `Debug`
//! is redacted, so logging the settings never leaks them. What does not belong here: reading
//! the flags (see `cli`), and anything a clinic edits at run time (that lives in the store).

use std::{net::SocketAddr, path::Path};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// An example configuration file, printed by the documentation and used by its test.
pub const EXAMPLE_CONFIG: &str = include_str!("../aftercare.example.toml");

/// Everything `aftercare serve` can be configured with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Listening addresses and the public URL.
    pub server: ServerSettings,
    /// Where the data lives.
    pub database: DatabaseSettings,
    /// Sessions, links, cookies and password hashing.
    pub security: SecuritySettings,
    /// Rate limits on sign-in and patient-link routes.
    pub rate_limit: RateLimitSettings,
    /// Request size limits.
    pub limits: LimitSettings,
    /// Log output.
    pub log: LogSettings,
    /// Defaults for new treatments.
    pub clinic: ClinicSettings,
    /// E-mail over SMTP (alerts to the clinic, links to patients); off without a host.
    pub email: crate::mail::EmailSettings,
}

/// Listening addresses and the public URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address the app listens on, e.g. `127.0.0.1:8080` (port 0 picks a free port).
    pub bind: SocketAddr,
    /// The URL people open, e.g. `https://aftercare.example-clinic.com`; patient links and
    /// QR codes are built from it. Defaults to `http://{bind}`.
    pub public_url: Option<String>,
    /// Separate listener for Prometheus metrics (`/metrics`); none disables it.
    pub metrics_bind: Option<SocketAddr>,
    /// How long in-flight requests may take to finish after a shutdown signal.
    pub shutdown_timeout_seconds: u64,
    /// How long one request may take before it is answered 408.
    pub request_timeout_seconds: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            metrics_bind: None,
            shutdown_timeout_seconds: 30,
            request_timeout_seconds: 30,
        }
    }
}

/// Where the data lives.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.sqlite3`, a bare file path, or `postgres://…` (secret: it may
    /// hold a password).
    pub url: SecretString,
    /// PostgreSQL: most pooled connections per instance (docs/deployment.md).
    pub max_connections: u32,
    /// PostgreSQL: how long a request waits for a pooled connection before it is answered 503.
    pub acquire_timeout_seconds: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        let limits = aftercare_store::PoolLimits::default();
        DatabaseSettings {
            url: SecretString::from("aftercare.sqlite3"),
            max_connections: limits.max_connections,
            acquire_timeout_seconds: limits.acquire_timeout.as_secs(),
        }
    }
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = self.url.expose_secret();
        let shown = match url.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://[redacted]"),
            None => "[a file path, redacted]".to_owned(),
        };
        f.debug_struct("DatabaseSettings")
            .field("url", &shown)
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout_seconds", &self.acquire_timeout_seconds)
            .finish()
    }
}

impl DatabaseSettings {
    /// The pool limits for the store.
    pub fn pool_limits(&self) -> aftercare_store::PoolLimits {
        aftercare_store::PoolLimits {
            max_connections: self.max_connections,
            acquire_timeout: std::time::Duration::from_secs(self.acquire_timeout_seconds),
        }
    }

    /// The connection URL the store understands: a bare path becomes a SQLite URL that creates
    /// the file on first start.
    pub fn connection_url(&self) -> SecretString {
        let given = self.url.expose_secret().trim();
        if given.contains("://") || given.starts_with("sqlite:") {
            SecretString::from(given)
        } else {
            SecretString::from(format!("sqlite://{given}"))
        }
    }
}

/// Sessions, links, cookies and password hashing.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecuritySettings {
    /// How long a practitioner stays signed in.
    pub session_ttl_hours: u32,
    /// How long a patient link works; the plan's first weeks need it most.
    pub patient_link_ttl_days: u32,
    /// How long an invitation can be accepted.
    pub invitation_ttl_hours: u32,
    /// Mark cookies `Secure` and send HSTS. Defaults to whether the public URL is https.
    pub secure_cookies: Option<bool>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy_headers: bool,
    /// Extra origins allowed to post forms (besides the app's own), e.g. a second host name.
    pub trusted_origins: Vec<String>,
    /// Argon2id memory cost in KiB (OWASP: at least 19 MiB with 2 iterations).
    pub argon2_memory_kib: u32,
    /// Argon2id iterations.
    pub argon2_iterations: u32,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            session_ttl_hours: 12,
            patient_link_ttl_days: 60,
            invitation_ttl_hours: 72,
            secure_cookies: None,
            trust_proxy_headers: false,
            trusted_origins: Vec::new(),
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
        }
    }
}

/// Rate limits: a burst, then one request per period, per client address.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Sign-in, invitation and setup attempts allowed at once.
    pub sign_in_burst: u32,
    /// Seconds until one more sign-in attempt is allowed.
    pub sign_in_period_seconds: u64,
    /// Patient-link requests allowed at once.
    pub patient_burst: u32,
    /// Milliseconds until one more patient-link request is allowed.
    pub patient_period_millis: u64,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            sign_in_burst: 10,
            sign_in_period_seconds: 12,
            patient_burst: 60,
            patient_period_millis: 500,
        }
    }
}

/// Request size limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest form or JSON body, in bytes (an ingredient list or check-in is at most 64 KiB).
    pub body_bytes: usize,
    /// Largest protocol upload, in bytes.
    pub upload_bytes: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            body_bytes: 128 * 1024,
            upload_bytes: 1024 * 1024,
        }
    }
}

/// Log output.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` for a terminal, `json` for a log collector.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `aftercare_web=debug,info`.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Pretty,
            filter: "info".into(),
        }
    }
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object a line.
    Json,
}

/// Defaults for new treatments.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClinicSettings {
    /// The time zone a new treatment form starts with (IANA name).
    pub default_time_zone: String,
}

impl Default for ClinicSettings {
    fn default() -> Self {
        ClinicSettings {
            default_time_zone: "UTC".into(),
        }
    }
}

/// Settings that could not be read: which source and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The file, an environment variable or a flag has a bad value or an unknown key.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl From<config::ConfigError> for SettingsError {
    fn from(error: config::ConfigError) -> Self {
        SettingsError::Invalid(error.to_string())
    }
}

/// Values given on the command line; each overrides the file and the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--bind`.
    pub bind: Option<String>,
    /// `--database`.
    pub database: Option<String>,
    /// `--public-url`.
    pub public_url: Option<String>,
    /// `--metrics-bind`.
    pub metrics_bind: Option<String>,
}

impl Settings {
    /// Reads the settings: defaults, then `file` (if given), then `AFTERCARE__…` variables
    /// from `environment` (pass `None` for the process environment), then `overrides`.
    pub fn load(
        file: Option<&Path>,
        environment: Option<Vec<(String, String)>>,
        overrides: &Overrides,
    ) -> Result<Settings, SettingsError> {
        let mut builder = config::Config::builder();
        if let Some(path) = file {
            if !path.is_file() {
                return Err(SettingsError::Invalid(format!(
                    "the configuration file '{}' does not exist",
                    path.display()
                )));
            }
            builder = builder.add_source(
                config::File::from(path)
                    .format(config::FileFormat::Toml)
                    .required(true),
            );
        }
        let mut env = config::Environment::with_prefix("AFTERCARE")
            .prefix_separator("__")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("security.trusted_origins")
            .try_parsing(true);
        if let Some(vars) = environment {
            env = env.source(Some(vars.into_iter().collect()));
        }
        builder = builder.add_source(env);
        let pairs = [
            ("server.bind", &overrides.bind),
            ("database.url", &overrides.database),
            ("server.public_url", &overrides.public_url),
            ("server.metrics_bind", &overrides.metrics_bind),
        ];
        for (key, value) in pairs {
            if let Some(value) = value {
                builder = builder.set_override(key, value.as_str())?;
            }
        }
        let settings: Settings = builder.build()?.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: the public URL's shape and the time zone.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(url) = &self.server.public_url {
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && !url.contains(char::is_whitespace)
                && url
                    .split_once("://")
                    .is_some_and(|(_, rest)| !rest.is_empty());
            if !ok {
                return Err(SettingsError::Invalid(format!(
                    "server.public_url '{url}' must be an http:// or https:// URL"
                )));
            }
        }
        aftercare_core::instant::parse_time_zone(&self.clinic.default_time_zone)
            .map_err(|e| SettingsError::Invalid(format!("clinic.default_time_zone: {e}")))?;
        if self.security.session_ttl_hours == 0
            || self.security.patient_link_ttl_days == 0
            || self.security.invitation_ttl_hours == 0
        {
            return Err(SettingsError::Invalid(
                "security: session, link and invitation lifetimes must be at least 1".into(),
            ));
        }
        if self.rate_limit.sign_in_burst == 0 || self.rate_limit.patient_burst == 0 {
            return Err(SettingsError::Invalid(
                "rate_limit: a burst must be at least 1".into(),
            ));
        }
        self.email.validate()?;
        if !(1..=1000).contains(&self.database.max_connections)
            || !(1..=300).contains(&self.database.acquire_timeout_seconds)
        {
            return Err(SettingsError::Invalid(
                "database: max_connections must be 1 to 1000 and acquire_timeout_seconds 1 to 300"
                    .into(),
            ));
        }
        if self.security.argon2_memory_kib < 8 * 1024 || self.security.argon2_iterations == 0 {
            return Err(SettingsError::Invalid(
                "security: argon2_memory_kib must be at least 8192 and argon2_iterations at least 1"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The public base URL without a trailing slash, given the address actually bound.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        match &self.server.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }

    /// Whether cookies are `Secure` (and HSTS is sent).
    pub fn secure_cookies(&self) -> bool {
        self.security.secure_cookies.unwrap_or_else(|| {
            self.server
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn defaults_then_environment_then_flags() {
        let settings = Settings::load(
            None,
            env(&[
                ("AFTERCARE__SERVER__BIND", "0.0.0.0:9000"),
                (
                    "AFTERCARE__DATABASE__URL",
                    "postgres://user:hunter2@db/aftercare",
                ),
                (
                    "AFTERCARE_NOW",
                    "ignored: single underscore is the CLI's clock",
                ),
            ]),
            &Overrides {
                public_url: Some("https://clinic.example".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(settings.server.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(
            settings.public_url(settings.server.bind),
            "https://clinic.example"
        );
        assert!(settings.secure_cookies());
        let debug = format!("{settings:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("postgres://[redacted]"), "{debug}");
    }

    #[test]
    fn the_example_file_loads_and_unknown_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aftercare.toml");
        std::fs::write(&path, EXAMPLE_CONFIG).unwrap();
        let settings = Settings::load(Some(&path), env(&[]), &Overrides::default()).unwrap();
        assert_eq!(settings.clinic.default_time_zone, "Europe/Berlin");

        std::fs::write(&path, "[server]\nbnid = \"127.0.0.1:1\"\n").unwrap();
        let error = Settings::load(Some(&path), env(&[]), &Overrides::default()).unwrap_err();
        assert!(error.to_string().contains("bnid"), "{error}");
    }

    #[test]
    fn a_bare_path_becomes_a_sqlite_url() {
        let settings = Settings::load(
            None,
            env(&[]),
            &Overrides {
                database: Some("/var/lib/aftercare/data.sqlite3".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(
            settings.database.connection_url().expose_secret(),
            "sqlite:///var/lib/aftercare/data.sqlite3"
        );
    }

    #[test]
    fn bad_values_name_the_setting() {
        let error = Settings::load(
            None,
            env(&[("AFTERCARE__CLINIC__DEFAULT_TIME_ZONE", "Mars/Olympus")]),
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("default_time_zone"), "{error}");
        let error = Settings::load(
            None,
            env(&[]),
            &Overrides {
                public_url: Some("clinic.example".into()),
                ..Overrides::default()
            },
        )
        .unwrap_err();
        assert!(error.to_string().contains("public_url"), "{error}");
    }
}
