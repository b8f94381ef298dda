//! The application state every handler receives: the store, the settings, the clock, the
//! password hasher, the protocol cache, the first-run setup token and the SMTP client.
//!
//! It is cheap to clone (one `Arc`). What does not belong here: per-request data (the
//! signed-in user, the patient link), which extractors provide.

use std::sync::{Arc, Mutex};

use aftercare_store::Store;

use crate::{auth::PasswordHasher, clock::Clock, protocols::ProtocolCache, settings::Settings};

/// Shared state of the running app.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    settings: Settings,
    clock: Clock,
    public_url: String,
    secure_cookies: bool,
    passwords: PasswordHasher,
    protocols: ProtocolCache,
    setup_token_hash: Mutex<Option<String>>,
    directory: crate::directory::DirectoryCache,
    mailer: Option<crate::mail::Mailer>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.inner.store.backend())
            .field("public_url", &self.inner.public_url)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Builds the state. `public_url` is the base of every link shown to people.
    ///
    /// # Errors
    /// When the password hashing parameters or the e-mail settings are invalid.
    pub fn new(
        store: Arc<dyn Store>,
        settings: Settings,
        clock: Clock,
        public_url: String,
    ) -> anyhow::Result<Self> {
        let passwords = PasswordHasher::new(
            settings.security.argon2_memory_kib,
            settings.security.argon2_iterations,
        )?;
        let secure_cookies = settings.secure_cookies();
        let mailer = crate::mail::Mailer::from_settings(&settings.email)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                store,
                settings,
                clock,
                public_url,
                secure_cookies,
                passwords,
                protocols: ProtocolCache::default(),
                setup_token_hash: Mutex::new(None),
                directory: crate::directory::DirectoryCache::default(),
                mailer,
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// The store, shared.
    pub fn store_arc(&self) -> Arc<dyn Store> {
        Arc::clone(&self.inner.store)
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// "Now" in epoch seconds.
    pub fn now(&self) -> i64 {
        self.inner.clock.now_seconds()
    }

    /// The public base URL, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// Whether cookies carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    /// The password hasher.
    pub fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }

    /// Parsed protocols.
    pub fn protocols(&self) -> &ProtocolCache {
        &self.inner.protocols
    }

    /// The SMTP client; `None` when e-mail is off.
    pub fn mailer(&self) -> Option<&crate::mail::Mailer> {
        self.inner.mailer.as_ref()
    }

    /// The public practitioner directory, kept current with the store.
    pub fn directory(&self) -> &crate::directory::DirectoryCache {
        &self.inner.directory
    }

    /// Arms the first-run setup page with the hash of a one-time token.
    pub fn arm_setup(&self, token_hash: String) {
        if let Ok(mut slot) = self.inner.setup_token_hash.lock() {
            *slot = Some(token_hash);
        }
    }

    /// Whether `token_hash` is the armed setup token.
    pub fn setup_token_matches(&self, token_hash: &str) -> bool {
        self.inner
            .setup_token_hash
            .lock()
            .map(|slot| slot.as_deref() == Some(token_hash))
            .unwrap_or(false)
    }

    /// Disarms the setup page (it worked once, or a clinic exists).
    pub fn disarm_setup(&self) {
        if let Ok(mut slot) = self.inner.setup_token_hash.lock() {
            *slot = None;
        }
    }
}
