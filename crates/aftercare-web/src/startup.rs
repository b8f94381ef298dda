//! Starting and stopping the app: open (and migrate) the store, bind the listeners, arm the
//! first-run setup page when there is no clinic, run housekeeping and the outbox worker, and
//! shut down gracefully:
//! on a signal the listener stops accepting, in-flight requests finish (up to the configured
//! timeout), then the store is closed. Every write the app acknowledged was committed before
//! its response was sent, so nothing acknowledged is lost.

use std::{future::Future, net::SocketAddr, time::Duration};

use aftercare_store::{Store, hash_token};
use anyhow::Context as _;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::ExposeSecret;
use tokio::{net::TcpListener, sync::watch};

use crate::{
    auth::token::generate_token,
    clock::Clock,
    routes,
    security::{self, RateLimitConfig},
    settings::Settings,
    state::AppState,
    telemetry,
};

/// A built app, bound to its address, ready to run.
pub struct Application {
    state: AppState,
    listener: TcpListener,
    router: Router,
    limiters: Vec<RateLimitConfig>,
    metrics: Option<(TcpListener, PrometheusHandle)>,
    setup_url: Option<String>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Opens the configured database (creating and migrating a SQLite file on first start)
    /// and builds the app.
    ///
    /// # Errors
    /// When the database cannot be opened or a listener cannot be bound.
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<Application> {
        let url = settings.database.connection_url();
        let store = aftercare_store::connect_with_limits(
            url.expose_secret(),
            settings.database.pool_limits(),
        )
        .await
        .context("cannot open the database (check --database / database.url)")?;
        Application::build_with_store(settings, store, clock).await
    }

    /// Builds the app on an open store.
    ///
    /// # Errors
    /// When a listener cannot be bound or a setting is invalid.
    pub async fn build_with_store(
        settings: Settings,
        store: std::sync::Arc<dyn Store>,
        clock: Clock,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(settings.server.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let address = listener.local_addr().context("no local address")?;
        let public_url = settings.public_url(address);
        let handle = crate::metrics::recorder();
        let metrics = match (settings.server.metrics_bind, handle) {
            (Some(bind), Some(handle)) => {
                let listener = TcpListener::bind(bind)
                    .await
                    .with_context(|| format!("cannot listen for metrics on {bind}"))?;
                Some((listener, handle))
            }
            (Some(_), None) => anyhow::bail!("the metrics recorder could not be installed"),
            (None, _) => None,
        };
        let state = AppState::new(store, settings, clock, public_url)?;
        let (router, limiters) = routes::build_router(&state)?;
        let setup_url = if state
            .store()
            .list_clinics()
            .await
            .context("cannot read the clinics")?
            .is_empty()
        {
            let token = generate_token().map_err(|e| anyhow::anyhow!("no random token: {e}"))?;
            state.arm_setup(hash_token(&token));
            Some(format!("{}/setup/{token}", state.public_url()))
        } else {
            None
        };
        Ok(Application {
            state,
            listener,
            router,
            limiters,
            metrics,
            setup_url,
        })
    }

    /// The address the app listens on.
    ///
    /// # Errors
    /// When the socket has no address (it always has once bound).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The address the metrics listener is on, if any.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// The URL people open.
    pub fn public_url(&self) -> &str {
        self.state.public_url()
    }

    /// The one-time setup URL, when there is no clinic yet.
    pub fn setup_url(&self) -> Option<&str> {
        self.setup_url.as_deref()
    }

    /// The app's state (for tests and tools).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then stops gracefully.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Application {
            state,
            listener,
            router,
            limiters,
            metrics,
            ..
        } = self;
        let (stop_tx, stop_rx) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; finishing in-flight requests");
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let housekeeping = security::spawn_rate_limit_housekeeping(limiters);
        let sessions = spawn_session_housekeeping(state.clone());
        let mail_worker = crate::mail::spawn_worker(state.clone(), stop_rx.clone());
        let metrics_task = metrics.map(|(listener, handle)| {
            let stop = stopped(stop_rx.clone());
            tokio::spawn(async move {
                let served = axum::serve(listener, crate::metrics::router(handle))
                    .with_graceful_shutdown(stop)
                    .await;
                if let Err(error) = served {
                    tracing::error!(%error, "metrics listener failed");
                }
            })
        });
        let grace = Duration::from_secs(state.settings().server.shutdown_timeout_seconds);
        let server = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(stop_rx.clone()));
        let deadline = {
            let stop = stopped(stop_rx);
            async move {
                stop.await;
                tokio::time::sleep(grace).await;
            }
        };
        let result = tokio::select! {
            result = server => result.context("the server failed"),
            () = deadline => {
                tracing::warn!("shutdown timeout reached: closing the remaining connections");
                Ok(())
            }
        };
        housekeeping.abort();
        sessions.abort();
        if let Some(worker) = mail_worker {
            // It stops after the message in hand (bounded by the send timeout).
            let wait = Duration::from_secs(state.settings().email.send_timeout_seconds + 5);
            if tokio::time::timeout(wait, worker).await.is_err() {
                tracing::warn!("the outbox worker did not stop in time");
            }
        }
        if let Some(task) = metrics_task {
            task.abort();
        }
        state.store().close().await;
        tracing::info!("stopped");
        result
    }
}

/// Deletes expired sessions once an hour.
fn spawn_session_housekeeping(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(3600));
        loop {
            ticker.tick().await;
            match state.store().delete_expired_sessions(state.now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "expired sessions deleted"),
                Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
            }
        }
    })
}

/// `aftercare serve`: logs, opens the store, prints the URL to open, and serves until Ctrl-C
/// or SIGTERM.
///
/// # Errors
/// When the database cannot be opened, an address cannot be bound, or the server fails.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    telemetry::init(&settings.log);
    tracing::info!(?settings, "starting");
    let app = Application::build(settings, Clock::system()).await?;
    println!("aftercare is running: open {}", app.public_url());
    if let Some(url) = app.setup_url() {
        println!("First run: create your clinic and its admin at {url}");
        println!("(or stop the server and run `aftercare admin create`).");
    }
    if let Some(address) = app.metrics_addr() {
        println!("Prometheus metrics: http://{address}/metrics");
    }
    app.run_until(shutdown_signal()).await
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
