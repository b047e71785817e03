//! Fridhem: the public website and (later) back office for a municipality's
//! work against violence in close relationships.
//!
//! Layers, from the ground up (a module imports only from its own layer or
//! below; `tests/api/layering.rs` checks it):
//!
//! 1. `config`, `clock`, `calendar`, `types`, `logging`: no other module;
//! 2. `db`: connections, transactions, the writer;
//! 3. `web`, `mail`: HTTP and e-mail infrastructure, no domain;
//! 4. the domains `content`, `help`, `cases`, `events`, and `demo`;
//! 5. the surfaces `public` and `admin`;
//! 6. `app`, the composition root; then this file and `main.rs`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod demo;
pub mod events;
pub mod help;
pub mod jobs;
pub mod logging;
pub mod mail;
pub mod public;
pub mod types;
pub mod web;

use clock::Clock;
use config::Config;
use db::Db;
use web::AppState;

/// Builds the application state (see [`app::build_state`]); tests call
/// this with their own configuration and clock.
pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    app::build_state(config, clock, web::log::RequestLog::default()).await
}

/// Serves the site on an already bound listener until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let config = &state.config;
    let server = &config.server;
    let options = web::server::ServerOptions {
        header_read_timeout: Duration::from_secs(server.header_read_timeout_secs),
        write_timeout: Duration::from_secs(server.write_timeout_secs),
        shutdown_grace: Duration::from_secs(server.shutdown_grace_secs),
        limits: web::server::ConnectionLimits::resolve(
            server.max_connections,
            server.max_connections_per_client,
        ),
        trusted_proxies: server.trusted_proxies.clone(),
        security_headers: web::headers::header_lines(config.is_https(), state.assets.csp()),
        front: Some(Arc::new(web::front::FrontDoor {
            pages: state.pages.clone(),
            clock: state.clock.clone(),
            log: state.request_log.clone(),
        })),
    };
    let db = state.db.clone();
    let router = app::router(state);
    web::server::serve(listener, router, options, shutdown).await?;
    db.close().await;
    Ok(())
}

/// Migrates the configured database without serving.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database.url).await?;
    db.migrate().await?;
    db.close().await;
    Ok(())
}

/// `fridhem rotate-data-key`: every sealed value re-encrypted under a new
/// key (see [`db::crypt::rotate`]); run again, it finishes an interrupted
/// rotation.
pub async fn rotate_data_key(config: &Config) -> anyhow::Result<db::crypt::Rotation> {
    use anyhow::Context;
    let file = config
        .security
        .data_key_file
        .as_deref()
        .context("FRIDHEM_DATA_KEY_FILE is not set")?;
    let db = Db::connect(&config.database.url).await?;
    db.migrate().await?;
    let rotation = db::crypt::rotate(&db, file, &app::SEALED_TABLES, chrono::Utc::now()).await;
    db.close().await;
    Ok(rotation?)
}

/// `fridhem clean-up`: the deletion on schedule, now (see [`jobs`]).
pub async fn clean_up(config: &Config) -> anyhow::Result<jobs::RetentionRun> {
    use anyhow::Context;
    let db = Db::connect(&config.database.url).await?;
    db.migrate().await?;
    let writer = db::writer::Writer::start(&config.database.url, &db, Default::default())
        .await
        .context("cannot open the database for writing")?;
    let run = jobs::clean_up(
        &db,
        &writer,
        &config.mail.dir,
        &config.security,
        chrono::Utc::now(),
    )
    .await;
    db.close().await;
    run
}

/// Registers for SIGTERM and Ctrl-C at once (so a signal during start-up is
/// not lost to the default action) and resolves when one arrives.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let term = async {
            #[cfg(unix)]
            if let Some(s) = term.as_mut() {
                s.recv().await;
                return;
            }
            std::future::pending::<()>().await
        };
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutdown signal received; draining requests");
    }
}

pub async fn bind(config: &Config) -> anyhow::Result<TcpListener> {
    TcpListener::bind(config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {} (FRIDHEM_BIND)", config.server.bind))
}
