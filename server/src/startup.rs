//! Start-up and shutdown: bind the port, prepare the data directory, open the
//! store, serve until SIGTERM/SIGINT, let in-flight requests finish, close.
//!
//! Every failure is one line naming the problem, and start-up leaves nothing
//! half-created behind: a data directory made by a failed start is removed.

use std::{io, net::SocketAddr, path::PathBuf, time::Duration};

use engine::{
    Services, Settings, schedule::Scheduler, store::Store, triggers::TriggerEngine,
    webhooks::WebhookSender,
};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use axum::{extract::connect_info::Connected, serve::IncomingStream};

use crate::{config::Config, peer::PeerAddress, router::router, state::AppState, tls::TlsListener};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: SocketAddr, reason: String },
    #[error("the data directory {} cannot be used: {reason}", path.display())]
    DataDir { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] engine::store::OpenError),
    #[error("{0}")]
    Access(String),
    #[error("TLS cannot be set up: {0}")]
    Tls(String),
    #[error("the secrets key cannot be used: {0}")]
    SecretsKey(String),
    #[error("OpenID Connect sign-in cannot be set up: {0}")]
    Oidc(String),
    #[error("the server failed: {0}")]
    Serve(io::Error),
}

/// Runs the server until a shutdown signal, then stops cleanly.
pub async fn run(config: Config) -> Result<(), StartupError> {
    let secrets_key = config.secrets_key().map_err(StartupError::SecretsKey)?;
    let oidc = match config.oidc_settings().map_err(StartupError::Oidc)? {
        Some(settings) => Some(
            engine::access::oidc::OidcProvider::new(settings)
                .map_err(|e| StartupError::Oidc(e.to_string()))?,
        ),
        None => None,
    };
    let tls = match (&config.tls_cert_file, &config.tls_key_file) {
        (Some(certificate), Some(key)) => {
            Some(crate::tls::server_config(certificate, key).map_err(StartupError::Tls)?)
        }
        _ => None,
    };
    let listener = bind(config.listen).await?;
    let created_data_dir = prepare_data_dir(&config.data_dir)?;
    let store = match Store::open(&config.database_url()).await {
        Ok(store) => store,
        Err(error) => {
            if created_data_dir {
                std::fs::remove_dir_all(&config.data_dir).ok();
            }
            return Err(error.into());
        }
    };
    tracing::info!(backend = %store.backend(), "store opened");

    let mut services = Services::new(
        store.clone(),
        Settings {
            internal_registry_hostname: config.internal_registry_hostname.clone(),
            max_images_bulk_imported_per_repository: config.max_images_bulk_imported_per_repository,
            schedule: config.schedule_settings(),
            sessions: config.session_policy(),
            audit_retention_days: config.audit_retention_days,
            change_log_retention_hours: config.change_log_retention_hours,
            samples: config.samples_settings(),
        },
    );
    match secrets_key {
        Some(key) => services = services.with_secrets_key(key),
        None => tracing::warn!(
            "no secrets key (--secrets-key-file or ISC_SECRETS_KEY): pull secrets cannot be stored"
        ),
    }
    if let Some(provider) = oidc {
        tracing::info!(?provider, "people may sign in through OpenID Connect");
        services = services.with_oidc(provider);
    }
    let state = AppState {
        secure_cookies: !config.insecure_cookies,
        ..AppState::new(leptos_options(&config), services)
    };
    if let Err(error) = crate::access::bootstrap(&config, &state.services).await {
        store.close().await;
        return Err(StartupError::Access(error));
    }
    if let Err(error) =
        engine::cluster_policy::follow_registry_hostname_at_start(&state.services).await
    {
        tracing::warn!(%error, "the streams could not be moved to the integrated registry's name; a change to the settings moves them");
    }
    let scheduler = Scheduler::new(state.services.clone(), replica_name());
    let trigger_engine = TriggerEngine::new(state.services.clone());
    let webhook_sender = WebhookSender::new(state.services.clone());
    let live_feed = state.services.live.clone();
    let state_services = state.services.clone();
    let app = router(state, config.max_body_bytes);
    let shutdown = CancellationToken::new();
    tokio::spawn(wait_for_signal(shutdown.clone()));
    let scheduler = tokio::spawn(scheduler.run(shutdown.clone().cancelled_owned()));
    let trigger_engine = tokio::spawn(trigger_engine.run(shutdown.clone().cancelled_owned()));
    let webhook_sender = tokio::spawn(webhook_sender.run(shutdown.clone().cancelled_owned()));
    let live_feed = tokio::spawn(live_feed.run(store.clone(), shutdown.clone().cancelled_owned()));
    let audit_retention = tokio::spawn(engine::audit::run_retention(
        state_services.clone(),
        shutdown.clone().cancelled_owned(),
    ));
    let change_log_retention = tokio::spawn(engine::live::run_retention(
        state_services.clone(),
        shutdown.clone().cancelled_owned(),
    ));
    let samples = tokio::spawn(engine::samples::run(
        state_services.clone(),
        shutdown.clone().cancelled_owned(),
    ));

    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %config.listen, "serving the console on {scheme}://{}", config.listen);
    let stopped = shutdown.clone().cancelled_owned();
    let serve = async move {
        match tls {
            Some(tls) => {
                let listener = TlsListener::new(listener, tls).map_err(StartupError::Serve)?;
                serve(listener, app, stopped).await
            }
            None => serve(listener, app, stopped).await,
        }
    };
    let grace = Duration::from_secs(config.shutdown_timeout);
    tokio::select! {
        result = serve => result?,
        () = async { shutdown.cancelled().await; tokio::time::sleep(grace).await } => {
            tracing::warn!(seconds = grace.as_secs(), "requests still running after the shutdown timeout; stopping anyway");
        }
    }
    if let Err(error) = scheduler.await {
        tracing::warn!(%error, "the import scheduler did not stop cleanly");
    }
    if let Err(error) = trigger_engine.await {
        tracing::warn!(%error, "the trigger engine did not stop cleanly");
    }
    if let Err(error) = webhook_sender.await {
        tracing::warn!(%error, "the webhook sender did not stop cleanly");
    }
    if let Err(error) = live_feed.await {
        tracing::warn!(%error, "live updates did not stop cleanly");
    }
    if let Err(error) = audit_retention.await {
        tracing::warn!(%error, "audit log pruning did not stop cleanly");
    }
    if let Err(error) = change_log_retention.await {
        tracing::warn!(%error, "change log pruning did not stop cleanly");
    }
    if let Err(error) = samples.await {
        tracing::warn!(%error, "the samples did not stop cleanly");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Serves `app` on `listener` until `stopped`, letting in-flight requests finish.
async fn serve<L>(
    listener: L,
    app: axum::Router,
    stopped: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
    PeerAddress: for<'a> Connected<IncomingStream<'a, L>>,
{
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<PeerAddress>(),
    )
    .with_graceful_shutdown(stopped)
    .await
    .map_err(StartupError::Serve)
}

/// Names this process in schedule leases: host, process id and a random
/// suffix, so a restarted process never mistakes an old lease for its own.
fn replica_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    format!("{host}-{}-{:08x}", std::process::id(), fastrand::u32(..))
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|error| StartupError::Listen {
        addr,
        reason: match error.kind() {
            io::ErrorKind::AddrInUse => {
                "the address is already in use (another server running? choose one with --listen)".into()
            }
            io::ErrorKind::PermissionDenied => "permission denied (ports below 1024 need privileges)".into(),
            _ => error.to_string(),
        },
    })
}

/// Creates the data directory if needed and checks it is writable. Returns
/// whether it was created by this call.
fn prepare_data_dir(path: &PathBuf) -> Result<bool, StartupError> {
    let failed = |reason: String| StartupError::DataDir {
        path: path.clone(),
        reason,
    };
    let existed = path.exists();
    if existed && !path.is_dir() {
        return Err(failed("it exists and is not a directory".into()));
    }
    std::fs::create_dir_all(path).map_err(|error| failed(error.to_string()))?;
    let probe = path.join(".write-check");
    let writable = std::fs::write(&probe, b"").and_then(|()| std::fs::remove_file(&probe));
    if let Err(error) = writable {
        if !existed {
            std::fs::remove_dir_all(path).ok();
        }
        return Err(failed(format!("it is not writable ({error})")));
    }
    Ok(!existed)
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("image-stream-console")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// Cancels `shutdown` on SIGTERM or SIGINT.
async fn wait_for_signal(shutdown: CancellationToken) {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("install the SIGTERM handler");
    tokio::select! {
        _ = interrupt => tracing::info!("SIGINT received; finishing in-flight requests"),
        _ = terminate.recv() => tracing::info!("SIGTERM received; finishing in-flight requests"),
    }
    shutdown.cancel();
}
