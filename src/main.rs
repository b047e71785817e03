//! Command line: parse arguments, load configuration, hand over to the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use fridhem::config::Config;

// Measured with scripts/bench-public.sh: mimalloc's per-thread free lists
// beat glibc malloc for the many small, short-lived allocations per request.
// Built with `no_thp`: with transparent huge pages every touched 2 MiB of
// its arenas became resident, and the server held 70 MB right after start.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of the mimalloc (v3)
/// that libmimalloc-sys 0.1.49 builds (include/mimalloc.h); libmimalloc-sys
/// names only some options.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

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
    /// Create an administrator. The password is read from the terminal
    /// (asked twice), or as one line from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Re-encrypt all personal data under a new data key, written to
    /// FRIDHEM_DATA_KEY_FILE. Stop every instance first and give them the
    /// new file before they start again. If interrupted, run it again: it
    /// finishes the rotation it began.
    RotateDataKey,
    /// Delete now what the hourly clean-up (gallring) would: the personal
    /// data of closed cases past their type's retention and audit entries
    /// past FRIDHEM_AUDIT_RETENTION_MONTHS. Safe while instances run.
    CleanUp,
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account with one or more roles (--role, repeatable).
    /// The password is read as for create-admin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Deactivate an account: its sessions end at once. The last active
    /// administrator cannot be deactivated.
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Reactivate a deactivated account.
    Reactivate {
        #[arg(long)]
        email: String,
    },
    /// Replace an account's roles with the given ones (--role, repeatable).
    /// The last active administrator keeps the administrator role.
    Roles {
        #[arg(long)]
        email: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
}

/// The new account's password: never from an argument or the environment,
/// where other users and logs could see it.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Lösenord: ")?;
        let second = rpassword::prompt_password("Samma lösenord igen: ")?;
        if first != second {
            anyhow::bail!("Lösenorden är inte lika.");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// Runs an account command: 0 when made, 1 when refused (a duplicate
/// address, a weak password) with the reason on standard error.
fn add_account(config: &Config, email: &str, name: &str, roles: &[String]) -> ExitCode {
    let run = || -> Result<i64, fridhem::auth::cli::CliError> {
        let roles = fridhem::auth::cli::parse_roles(roles)?;
        let password = read_password()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)?;
        runtime.block_on(fridhem::auth::cli::add_account(
            config, email, name, roles, password,
        ))
    };
    match run() {
        Ok(id) => {
            println!("Kontot är skapat (id {id}). Vid första inloggningen ställer personen in tvåstegsverifiering.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fridhem: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a change to an existing account: 0 when made, 1 when refused
/// (no such account, the last administrator) with the reason.
fn change_account(config: &Config, command: &StaffCommand) -> ExitCode {
    use fridhem::auth::cli::{self, AccountChange};
    let run = || -> Result<String, cli::CliError> {
        let (email, change) = match command {
            StaffCommand::Deactivate { email } => (email, AccountChange::Deactivate),
            StaffCommand::Reactivate { email } => (email, AccountChange::Reactivate),
            StaffCommand::Roles { email, roles } => {
                (email, AccountChange::Roles(cli::parse_roles(roles)?))
            }
            StaffCommand::Add { .. } => unreachable!("handled by add_account"),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(anyhow::Error::from)?;
        runtime.block_on(cli::change_account(config, email, change))
    };
    match run() {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fridhem: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    // mimalloc returns freed memory to the system only after a delay, and
    // only when the thread that freed it allocates again. Page compression
    // and password hashing run on blocking threads that may then idle for
    // hours, so what they freed stayed resident: 41 MB after the first
    // visitors instead of 23 MB (scripts/bench-public.sh; requests/s were
    // the same either way). Purging at once fixes that; an operator's own
    // MIMALLOC_PURGE_DELAY (read by mimalloc at start) still wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, as its API allows at
        // any time.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
    // Everything this process creates (the SQLite file and its WAL, the key
    // file, mail files and folders) is for its owner only: it holds what
    // people at risk wrote.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    // The same for memory the kernel would back with huge pages on its own
    // (THP "always"): a small server's RSS should follow what it uses.
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    let log = fridhem::logging::LogBuffer::default();
    log.spawn_flusher();
    tracing_subscriber::fmt()
        .json()
        .with_writer(log.clone())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRIDHEM_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_current_span(false)
        .init();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fridhem: {e}");
            return ExitCode::from(2);
        }
    };
    match &cli.command {
        Some(Command::CreateAdmin { email, name }) => {
            let code = add_account(&config, email, name, &["administrator".to_owned()]);
            log.flush();
            return code;
        }
        Some(Command::Staff {
            command: StaffCommand::Add { email, name, roles },
        }) => {
            let code = add_account(&config, email, name, roles);
            log.flush();
            return code;
        }
        Some(Command::Staff { command }) => {
            let code = change_account(&config, command);
            log.flush();
            return code;
        }
        _ => {}
    }
    // One worker means one thread for everything: no work-stealing or
    // cross-thread wake-ups, the cheapest way to serve from a single core.
    let mut builder = match config.server.worker_threads {
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
        None => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = builder.enable_all().build().expect("tokio runtime");
    let request_log = fridhem::web::log::RequestLog::Buffer(log.clone());
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Migrate => fridhem::migrate(&config).await,
            Command::RotateDataKey => {
                let done = fridhem::rotate_data_key(&config).await?;
                let file = config.security.data_key_file.as_deref().map(|f| f.display().to_string()).unwrap_or_default();
                println!(
                    "{} Key {} replaces {}; {} values in {} rows were encrypted again.\n\
                     Copy {file} to every instance and keep a backup of it apart from the database.",
                    if done.resumed { "The interrupted rotation is finished." } else { "The data key is rotated." },
                    done.new_key,
                    if done.old_keys.is_empty() { "none".to_owned() } else { done.old_keys.join(", ") },
                    done.resealed.values,
                    done.resealed.rows,
                );
                Ok(())
            }
            Command::CleanUp => {
                let run = fridhem::clean_up(&config).await?;
                println!(
                    "Cleaned {} cases ({} e-mails, {} mail files) and {} event registrations ({} e-mails, {} mail files), and deleted {} audit entries.",
                    run.purged.cases, run.purged.mails, run.purged.files,
                    run.registrations.registrations, run.registrations.mails, run.registrations.files,
                    run.audit_entries
                );
                Ok(())
            }
            Command::CreateAdmin { .. } | Command::Staff { .. } => unreachable!("handled above"),
            Command::Serve => {
                let open_files = fridhem::web::server::raise_open_file_limit();
                tracing::info!(open_files, "open-file limit");
                let shutdown = fridhem::shutdown_signal();
                let listener = fridhem::bind(&config).await?;
                // Only now is the start likely to succeed; a bad setting or a
                // taken port leaves no key file behind.
                let created_key = config.persist_development_key()?;
                let state = match fridhem::app::build_state(
                    config,
                    Arc::new(fridhem::clock::SystemClock),
                    request_log,
                )
                .await
                {
                    Ok(state) => state,
                    Err(e) => {
                        if let Some(file) = created_key {
                            let _ = std::fs::remove_file(file);
                        }
                        return Err(e);
                    }
                };
                tracing::info!(address = %state.config.server.bind, "listening");
                fridhem::serve(state, listener, shutdown).await
            }
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    log.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fridhem: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option number is that of the purge delay: untouched, it holds
    /// the documented default of the mimalloc this crate builds (1000 ms in
    /// v3); another option or another mimalloc would show another value.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads one of mimalloc's options.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, 1000);
    }
}
