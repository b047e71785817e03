//! The composition root: builds the state, assembles the surfaces into one
//! router and starts the background work. The only module that knows every
//! other one.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::crypt::{DataKeys, SealedTable};
use crate::db::writer::{Tuning, Writer};
use crate::db::Db;
use crate::web::assets::Assets;
use crate::web::cache::PageCache;
use crate::web::csrf::FormTokens;
use crate::web::i18n::I18n;
use crate::web::layout::HelpBox;
use crate::web::log::RequestLog;
use crate::web::rate_limit::RateLimiter;
use crate::web::state::{AppState, Shared};
use crate::web::MAX_BODY_BYTES;
use crate::{admin, content, demo, help, mail, public};

/// Acknowledgement e-mails one client may cause per hour.
const ACKS_PER_CLIENT_PER_HOUR: u32 = 50;

/// Staff sign-in attempts (password or code) one client may make per
/// hour: generous for an office behind one address, a wall for a script.
const SIGN_INS_PER_CLIENT_PER_HOUR: u32 = 300;

/// Every table with personal data sealed at rest, as its domain declares
/// it: what the start-up check and `fridhem rotate-data-key` re-encrypt.
pub const SEALED_TABLES: [SealedTable; 4] = [
    crate::cases::store::SEALED_CASES,
    crate::cases::store::SEALED_EVENTS,
    mail::outbox::SEALED,
    crate::events::registration::store::SEALED,
];

/// Connects, migrates and seeds the database, builds the state and starts
/// the background work (mail delivery, the content watch).
pub async fn build_state(
    config: Config,
    clock: Arc<dyn Clock>,
    request_log: RequestLog,
) -> anyhow::Result<AppState> {
    tracing::info!(database = %config.database.url.describe(), "opening the database");
    let db = Db::connect(&config.database.url)
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
    // Before anything reads or writes a case: a missing or wrong key file
    // stops the start here, with the line the error displays.
    let data_keys = DataKeys::prepare(
        &db,
        config.security.data_key_file.as_deref(),
        &SEALED_TABLES,
        clock.now(),
    )
    .await?;
    let writer = Writer::start(&config.database.url, &db, writer_tuning())
        .await
        .context("cannot open the database for writing")?;
    if config.site.seed_demo && demo::seed(&writer, clock.today()).await? {
        tracing::info!("demo content inserted");
    }
    let key = match &config.security.secret_key {
        Some(key) => key.0.clone(),
        None => {
            // Only embedders and tests get here (the binary always has a
            // key); forms then work until this process ends.
            tracing::warn!("no FRIDHEM_SECRET_KEY: using a key for this process only");
            let mut key = vec![0u8; 32];
            getrandom::getrandom(&mut key).context("no randomness for the form key")?;
            key
        }
    };
    let mail_wake = Arc::new(tokio::sync::Notify::new());
    let limits_on = config.security.form_rate_limit > 0;
    let state = AppState::new(Shared {
        form_tokens: FormTokens::new(&key),
        rate_limiter: RateLimiter::new(config.security.form_rate_limit),
        ack_limiter: RateLimiter::new(if limits_on {
            ACKS_PER_CLIENT_PER_HOUR
        } else {
            0
        }),
        signin_limiter: RateLimiter::new(if limits_on {
            SIGN_INS_PER_CLIENT_PER_HOUR
        } else {
            0
        }),
        base_origin: config.server.base_url.origin().ascii_serialization(),
        forwarded_warned: AtomicBool::new(false),
        writer,
        data_keys: Arc::new(data_keys),
        mail_wake: mail_wake.clone(),
        config: Arc::new(config),
        db,
        clock,
        i18n: Arc::new(I18n::load()),
        assets: Arc::new(Assets::load()),
        pages: Arc::new(PageCache::default()),
        help_box: HelpBox::default(),
        request_log,
    });
    // Before the first request: the dummy password hash (an unknown
    // address must cost what a known one does), the help lines and the
    // content version.
    crate::auth::password::prepare().await;
    help::help_box::refresh(&state).await;
    state
        .pages
        .observe_version(content::store::content_version(&state.db).await?);
    spawn_content_watch(state.clone());
    // Cases stored before answer dates were kept get theirs.
    let filled = crate::cases::service::fill_due_dates(&state.writer).await?;
    if filled > 0 {
        tracing::info!(cases = filled, "answer dates set for earlier cases");
    }
    mail::worker::MailWorker {
        writer: state.writer.clone(),
        transport: mail::worker::Transport::from_config(&state.config.mail)
            .context("invalid setting FRIDHEM_SMTP_URL")?,
        from: state.config.mail.from.clone(),
        retry_base: state.config.mail.retry_base,
        clock: state.clock.clone(),
        wake: mail_wake,
        unseal: {
            let tokens = state.form_tokens.clone();
            Arc::new(move |nonce: &str| tokens.fingerprint(mail::seal::PURPOSE, nonce))
        },
        keys: state.data_keys.clone(),
    }
    .spawn();
    crate::jobs::spawn_retention(state.clone());
    crate::jobs::spawn_reminders(state.clone());
    Ok(state)
}

/// The whole application: the public surface, the staff surface under
/// `/admin`, the open data API, health checks, and the middleware every
/// response passes through.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(public::router(&state))
        .nest("/admin", admin::router(&state))
        .merge(help::openreferral::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        // Router::layer wraps each route, after routing, so the middleware
        // sees the matched route pattern for the log.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::web::middleware::common,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Polls the content version and, when it moves (a change saved through any
/// instance), refreshes the help lines and drops the rendered pages, so the
/// change is everywhere within `FRIDHEM_CONTENT_POLL_MS`. While the
/// database is away, everything stays as it is.
fn spawn_content_watch(state: AppState) {
    let interval = Duration::from_millis(state.config.site.content_poll_ms);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match content::store::content_version(&state.db).await {
                Ok(v) if v != state.pages.version() => {
                    // The help lines first, so no page is rendered for the
                    // new version with the old lines.
                    help::help_box::refresh(&state).await;
                    state.pages.observe_version(v);
                    tracing::debug!(version = v, "content changed; page cache cleared");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot read content version"),
            }
        }
    });
}

/// How the writer commits: as in production, unless this is a benchmark
/// build (`--features bench`) and a `FRIDHEM_BENCH_*` switch asks otherwise.
#[cfg(not(feature = "bench"))]
fn writer_tuning() -> Tuning {
    Tuning::default()
}

#[cfg(feature = "bench")]
fn writer_tuning() -> Tuning {
    let on = |name: &str| {
        std::env::var(name).is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"))
    };
    let tuning = Tuning {
        synchronous_off: on("FRIDHEM_BENCH_SYNCHRONOUS_OFF"),
        max_batch: if on("FRIDHEM_BENCH_NO_GROUP_COMMIT") {
            1
        } else {
            Tuning::default().max_batch
        },
    };
    tracing::warn!(
        ?tuning,
        "benchmark build: writes may NOT be handled as in production"
    );
    tuning
}
