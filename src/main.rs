//! Command line: parse arguments, load configuration, hand over to the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use fridhem::config::Config;

#[derive(Parser)]
#[command(
    name = "fridhem",
    version,
    about = "Fridhem – stöd vid våld i nära relationer"
)]
struct Cli {
    /// Configuration file (default: fridhem.toml in the working directory, if present).
    #[arg(long, global = true, env = "FRIDHEM_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the website (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRIDHEM_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_current_span(false)
        .init();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fridhem: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Migrate => fridhem::migrate(&config).await,
            Command::Serve => {
                let shutdown = fridhem::shutdown_signal();
                let listener = fridhem::bind(&config).await?;
                let state =
                    fridhem::build_state(config, Arc::new(fridhem::clock::SystemClock)).await?;
                tracing::info!(address = %state.config.bind, "listening");
                fridhem::serve(state, listener, shutdown).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fridhem: {e:#}");
            ExitCode::FAILURE
        }
    }
}
