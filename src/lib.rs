//! Fridhem: the public website and (later) back office for a municipality's
//! work against violence in close relationships.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

pub mod calendar;
pub mod cases;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod exit;
pub mod help;
pub mod logging;
pub mod mail;
pub mod web;

use clock::Clock;
use config::Config;
use db::Db;
use web::AppState;

/// Acknowledgement e-mails one client may cause per hour.
const ACKS_PER_CLIENT_PER_HOUR: u32 = 50;

/// Connects, migrates and seeds the database, and builds the application
/// state. Tests call this with their own configuration and clock.
pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    build_state_with_log(config, clock, web::log::RequestLog::default()).await
}

/// Like [`build_state`], writing request lines to the given log.
pub async fn build_state_with_log(
    config: Config,
    clock: Arc<dyn Clock>,
    request_log: web::log::RequestLog,
) -> anyhow::Result<AppState> {
    tracing::info!(database = %config.database_url.describe(), "opening the database");
    let db = Db::connect(&config.database_url)
        .await
        .context("cannot open the database (FRIDHEM_DATABASE_URL)")?;
    for (warn, line) in config.describe_mail() {
        if warn {
            tracing::warn!("{line}");
        } else {
            tracing::info!("{line}");
        }
    }
    db.migrate().await.context("database migration failed")?;
    if config.seed_demo && db::seed::seed_demo(&db, clock.today()).await? {
        tracing::info!("demo content inserted");
    }
    let pages = Arc::new(web::cache::PageCache::default());
    pages.observe_version(web::cache::content_version(&db).await?);
    web::cache::spawn_version_watch(
        db.clone(),
        pages.clone(),
        Duration::from_millis(config.content_poll_ms),
    );
    let i18n = Arc::new(web::i18n::I18n::load());
    let host = config.base_url.host_str().unwrap_or("localhost").to_owned();
    let composer: db::writer::Composer = {
        let i18n = i18n.clone();
        let mail = config.mail.clone();
        Arc::new(move |kind, reference, case, ack_key| {
            mail::compose(&i18n.sv, &mail, &host, kind, reference, case, ack_key)
        })
    };
    if config.bench.synchronous_off || config.bench.no_group_commit {
        tracing::warn!(?config.bench, "benchmark switches are on: submissions are NOT handled as in production");
    }
    let writer = db::writer::Writer::start(&config.database_url, &db, composer, config.bench)
        .await
        .context("cannot open the database for writing")?;
    let mail_wake = Arc::new(tokio::sync::Notify::new());
    mail::worker::MailWorker {
        writer: writer.clone(),
        transport: mail::worker::Transport::from_config(&config.mail)
            .context("invalid setting FRIDHEM_SMTP_URL")?,
        from: config.mail.from.clone(),
        retry_base: config.mail.retry_base,
        clock: clock.clone(),
        wake: mail_wake.clone(),
    }
    .spawn();
    Ok(AppState::new(web::Shared {
        form_tokens: cases::protection::FormTokens::new(&match &config.secret_key {
            Some(key) => key.0.clone(),
            None => {
                // Only embedders and tests get here (the binary always has a
                // key); forms then work until this process ends.
                tracing::warn!("no FRIDHEM_SECRET_KEY: using a key for this process only");
                let mut key = vec![0u8; 32];
                getrandom::getrandom(&mut key).context("no randomness for the form key")?;
                key
            }
        }),
        rate_limiter: cases::protection::RateLimiter::new(config.form_rate_limit),
        ack_limiter: cases::protection::RateLimiter::new(if config.form_rate_limit == 0 {
            0
        } else {
            ACKS_PER_CLIENT_PER_HOUR
        }),
        forwarded_warned: std::sync::atomic::AtomicBool::new(false),
        base_origin: config.base_url.origin().ascii_serialization(),
        writer,
        mail_wake,
        config: Arc::new(config),
        db,
        clock,
        i18n,
        assets: Arc::new(web::assets::Assets::load()),
        pages,
        request_log,
    }))
}

/// Serves the site on an already bound listener until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let config = &state.config;
    let options = web::server::ServerOptions {
        header_read_timeout: Duration::from_secs(config.header_read_timeout_secs),
        write_timeout: Duration::from_secs(config.write_timeout_secs),
        shutdown_grace: Duration::from_secs(config.shutdown_grace_secs),
        limits: web::server::ConnectionLimits::resolve(
            config.max_connections,
            config.max_connections_per_client,
        ),
        trusted_proxies: config.trusted_proxies.clone(),
        security_headers: web::headers::header_lines(config.is_https(), state.assets.csp()),
    };
    let db = state.db.clone();
    let router = web::router(state);
    web::server::serve(listener, router, options, shutdown).await?;
    db.close().await;
    Ok(())
}

/// Migrates the configured database without serving.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    db.close().await;
    Ok(())
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
    TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {} (FRIDHEM_BIND)", config.bind))
}
