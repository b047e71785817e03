//! One typed configuration, read from an optional TOML file and overridden by
//! `FRIDHEM_*` environment variables, validated once at start-up so a bad
//! value stops the process with one line that names the setting.

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    pub base_url: Url,
    pub quick_exit_url: Url,
    pub seed_demo: bool,
    pub municipality: Municipality,
    /// How long a client may take to send its request headers (slowloris guard).
    pub header_read_timeout_secs: u64,
    /// How long SIGTERM waits for in-flight requests before giving up.
    pub shutdown_grace_secs: u64,
    /// How often each instance checks whether content changed elsewhere.
    pub content_poll_ms: u64,
    /// Request-serving threads; 1 runs everything on one thread, which is
    /// the fastest way to use one core. Default: one per CPU.
    pub worker_threads: Option<usize>,
    /// Signs the forms' anti-forgery tokens; shared by all instances.
    /// `None` only from [`Config::from_sources`]: [`Config::load`] fills in
    /// a development key kept beside the database.
    pub secret_key: Option<SecretKey>,
    /// Form submissions per client and hour; 0 turns the limit off.
    pub form_rate_limit: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the real client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub mail: MailConfig,
    /// Benchmark-only switches (scripts/bench-forms.sh); never in production.
    pub bench: BenchSwitches,
}

/// Where e-mail goes. Without SMTP, messages are written as .eml files.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp_url: Option<SecretString>,
    pub from: String,
    pub dir: std::path::PathBuf,
    /// Handler mailbox per case type prefix (TG, AF, KO).
    pub handlers: [(String, String); 3],
    /// First wait after a failed delivery; doubles per attempt up to an hour.
    pub retry_base: std::time::Duration,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct BenchSwitches {
    /// SQLite `synchronous=OFF` for case writes: shows what durability costs.
    pub synchronous_off: bool,
    /// One transaction per submission: shows what group commit saves.
    pub no_group_commit: bool,
}

/// A secret that never prints.
#[derive(Clone)]
pub struct SecretString(pub String);

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretString(…)")
    }
}

/// The HMAC key for form tokens, at least 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(pub Vec<u8>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, Clone)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(s) | DatabaseUrl::Postgres(s) => s,
        }
    }
}

/// The public body that publishes the site; shown in the footer, the
/// accessibility statement and wherever a visitor is told to contact it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub name: String,
    pub website: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// A setting that failed validation. Displayed as one line naming the setting.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}: {reason}")]
pub struct ConfigError {
    pub setting: String,
    pub reason: String,
}

fn invalid(setting: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.to_owned(),
        reason: reason.into(),
    }
}

/// The file's shape; every field optional so the file can be partial.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    database_url: Option<String>,
    base_url: Option<String>,
    quick_exit_url: Option<String>,
    seed_demo: Option<bool>,
    header_read_timeout_secs: Option<u64>,
    shutdown_grace_secs: Option<u64>,
    content_poll_ms: Option<u64>,
    worker_threads: Option<usize>,
    secret_key: Option<String>,
    form_rate_limit: Option<u32>,
    trusted_proxies: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    mail_dir: Option<String>,
    handler_email_tg: Option<String>,
    handler_email_af: Option<String>,
    handler_email_ko: Option<String>,
    municipality: Option<FileMunicipality>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMunicipality {
    name: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

pub const DEFAULT_QUICK_EXIT_URL: &str = "https://www.smhi.se/vader";

impl Config {
    /// Reads `path` if given (an explicit path must exist; the default
    /// `fridhem.toml` is optional), then applies the environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let file = match path {
            Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
                invalid("config file", format!("cannot read {}: {e}", p.display()))
            })?),
            None => std::fs::read_to_string("fridhem.toml").ok(),
        };
        let mut config = Self::from_sources(file.as_deref(), &env)?;
        if config.secret_key.is_none() {
            config.secret_key = Some(SecretKey(development_key(&config.database_url)?));
        }
        Ok(config)
    }

    /// Builds the configuration from file text and environment pairs; pure so
    /// tests can check every rule without touching the process environment.
    pub fn from_sources(
        file: Option<&str>,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let file: FileConfig = match file {
            Some(text) => {
                toml::from_str(text).map_err(|e| invalid("config file", e.message().to_owned()))?
            }
            None => FileConfig::default(),
        };
        let get = |name: &str| {
            env.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        let fm = file.municipality.unwrap_or_default();

        let bind_text = get("FRIDHEM_BIND")
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_text.parse::<SocketAddr>().map_err(|_| {
            invalid(
                "FRIDHEM_BIND",
                format!("'{bind_text}' is not an address:port such as 127.0.0.1:8080"),
            )
        })?;

        let db_text = get("FRIDHEM_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| "sqlite://fridhem.db".into());
        let database_url = if db_text.starts_with("sqlite:") {
            DatabaseUrl::Sqlite(db_text)
        } else if db_text.starts_with("postgres://") || db_text.starts_with("postgresql://") {
            DatabaseUrl::Postgres(db_text)
        } else {
            return Err(invalid(
                "FRIDHEM_DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ));
        };

        let base_url = parse_http_url(
            "FRIDHEM_BASE_URL",
            get("FRIDHEM_BASE_URL")
                .or(file.base_url)
                .unwrap_or_else(|| "http://127.0.0.1:8080".into()),
        )?;
        if base_url.path() != "/" || base_url.query().is_some() {
            return Err(invalid(
                "FRIDHEM_BASE_URL",
                "must be an origin without path or query, e.g. https://fridhem.example.se",
            ));
        }
        let quick_exit_url = parse_http_url(
            "FRIDHEM_QUICK_EXIT_URL",
            get("FRIDHEM_QUICK_EXIT_URL")
                .or(file.quick_exit_url)
                .unwrap_or_else(|| DEFAULT_QUICK_EXIT_URL.into()),
        )?;

        let seed_demo = match get("FRIDHEM_SEED_DEMO") {
            Some(v) => parse_bool("FRIDHEM_SEED_DEMO", &v)?,
            None => file.seed_demo.unwrap_or(true),
        };

        let municipality = Municipality {
            name: get("FRIDHEM_MUNICIPALITY_NAME")
                .or(fm.name)
                .unwrap_or_else(|| "Järfälla kommun".into()),
            website: get("FRIDHEM_MUNICIPALITY_WEBSITE")
                .or(fm.website)
                .unwrap_or_else(|| "https://www.jarfalla.se/".into()),
            phone: get("FRIDHEM_MUNICIPALITY_PHONE")
                .or(fm.phone)
                .unwrap_or_else(|| "08-580 285 00".into()),
            email: get("FRIDHEM_MUNICIPALITY_EMAIL")
                .or(fm.email)
                .filter(|s| !s.is_empty()),
            address: get("FRIDHEM_MUNICIPALITY_ADDRESS")
                .or(fm.address)
                .filter(|s| !s.is_empty()),
        };
        if municipality.name.is_empty() {
            return Err(invalid("FRIDHEM_MUNICIPALITY_NAME", "must not be empty"));
        }
        parse_http_url("FRIDHEM_MUNICIPALITY_WEBSITE", municipality.website.clone())?;
        if crate::help::PhoneNumber::parse(&municipality.phone).is_none() {
            return Err(invalid(
                "FRIDHEM_MUNICIPALITY_PHONE",
                format!("'{}' is not a Swedish phone number", municipality.phone),
            ));
        }
        if let Some(email) = &municipality.email {
            if !email.contains('@') || email.contains(char::is_whitespace) {
                return Err(invalid(
                    "FRIDHEM_MUNICIPALITY_EMAIL",
                    format!("'{email}' is not an e-mail address"),
                ));
            }
        }

        let header_read_timeout_secs = parse_secs(
            "FRIDHEM_HEADER_READ_TIMEOUT_SECS",
            get("FRIDHEM_HEADER_READ_TIMEOUT_SECS"),
            file.header_read_timeout_secs,
            10,
        )?;
        if !(1..=10).contains(&header_read_timeout_secs) {
            return Err(invalid(
                "FRIDHEM_HEADER_READ_TIMEOUT_SECS",
                "must be between 1 and 10 seconds",
            ));
        }
        let shutdown_grace_secs = parse_secs(
            "FRIDHEM_SHUTDOWN_GRACE_SECS",
            get("FRIDHEM_SHUTDOWN_GRACE_SECS"),
            file.shutdown_grace_secs,
            30,
        )?;

        let content_poll_ms = parse_secs(
            "FRIDHEM_CONTENT_POLL_MS",
            get("FRIDHEM_CONTENT_POLL_MS"),
            file.content_poll_ms,
            2000,
        )?;
        if !(50..=60_000).contains(&content_poll_ms) {
            return Err(invalid(
                "FRIDHEM_CONTENT_POLL_MS",
                "must be between 50 and 60000 milliseconds",
            ));
        }

        let worker_threads = match get("FRIDHEM_WORKER_THREADS") {
            Some(v) => Some(v.parse::<usize>().map_err(|_| {
                invalid(
                    "FRIDHEM_WORKER_THREADS",
                    format!("'{v}' is not a whole number"),
                )
            })?),
            None => file.worker_threads,
        };
        if worker_threads.is_some_and(|n| !(1..=256).contains(&n)) {
            return Err(invalid(
                "FRIDHEM_WORKER_THREADS",
                "must be between 1 and 256",
            ));
        }

        let secret_key = match get("FRIDHEM_SECRET_KEY").or(file.secret_key) {
            Some(text) => Some(SecretKey(parse_key(&text)?)),
            None => None,
        };
        let form_rate_limit = match get("FRIDHEM_FORM_RATE_LIMIT") {
            Some(v) => v.parse::<u32>().map_err(|_| {
                invalid(
                    "FRIDHEM_FORM_RATE_LIMIT",
                    format!("'{v}' is not a whole number"),
                )
            })?,
            None => file.form_rate_limit.unwrap_or(20),
        };
        let trusted_proxies = get("FRIDHEM_TRUSTED_PROXIES")
            .or(file.trusted_proxies)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<std::net::IpAddr>().map_err(|_| {
                    invalid(
                        "FRIDHEM_TRUSTED_PROXIES",
                        format!("'{s}' is not an IP address (give a comma-separated list)"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let smtp_url = get("FRIDHEM_SMTP_URL")
            .or(file.smtp_url)
            .filter(|s| !s.is_empty());
        if let Some(u) = &smtp_url {
            let parsed = Url::parse(u).map_err(|_| {
                invalid(
                    "FRIDHEM_SMTP_URL",
                    "is not a URL such as smtp://127.0.0.1:2525",
                )
            })?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host().is_none() {
                return Err(invalid(
                    "FRIDHEM_SMTP_URL",
                    "must start with smtp:// (no TLS, local servers) or smtps:// (TLS)",
                ));
            }
        }
        let mail_from = get("FRIDHEM_MAIL_FROM")
            .or(file.mail_from)
            .unwrap_or_else(|| "fridhem@localhost".into());
        check_email("FRIDHEM_MAIL_FROM", &mail_from)?;
        let handler = |key: &str, file: Option<String>| -> Result<String, ConfigError> {
            let value = get(key).or(file).unwrap_or_else(|| mail_from.clone());
            check_email(key, &value)?;
            Ok(value)
        };
        let mail = MailConfig {
            handlers: [
                (
                    "TG".into(),
                    handler("FRIDHEM_HANDLER_EMAIL_TG", file.handler_email_tg)?,
                ),
                (
                    "AF".into(),
                    handler("FRIDHEM_HANDLER_EMAIL_AF", file.handler_email_af)?,
                ),
                (
                    "KO".into(),
                    handler("FRIDHEM_HANDLER_EMAIL_KO", file.handler_email_ko)?,
                ),
            ],
            smtp_url: smtp_url.map(SecretString),
            retry_base: std::time::Duration::from_millis(parse_secs(
                "FRIDHEM_MAIL_RETRY_BASE_MS",
                get("FRIDHEM_MAIL_RETRY_BASE_MS"),
                None,
                30_000,
            )?),
            dir: get("FRIDHEM_MAIL_DIR")
                .or(file.mail_dir)
                .unwrap_or_else(|| "mail".into())
                .into(),
            from: mail_from,
        };
        let bench = BenchSwitches {
            synchronous_off: get("FRIDHEM_BENCH_SYNCHRONOUS_OFF")
                .map(|v| parse_bool("FRIDHEM_BENCH_SYNCHRONOUS_OFF", &v))
                .transpose()?
                .unwrap_or(false),
            no_group_commit: get("FRIDHEM_BENCH_NO_GROUP_COMMIT")
                .map(|v| parse_bool("FRIDHEM_BENCH_NO_GROUP_COMMIT", &v))
                .transpose()?
                .unwrap_or(false),
        };

        Ok(Config {
            bind,
            database_url,
            base_url,
            quick_exit_url,
            seed_demo,
            municipality,
            header_read_timeout_secs,
            shutdown_grace_secs,
            content_poll_ms,
            worker_threads,
            secret_key,
            form_rate_limit,
            trusted_proxies,
            mail,
            bench,
        })
    }

    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

fn check_email(setting: &str, value: &str) -> Result<(), ConfigError> {
    let ok = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !value.contains(char::is_whitespace)
    });
    if ok {
        Ok(())
    } else {
        Err(invalid(
            setting,
            format!("'{value}' is not an e-mail address"),
        ))
    }
}

/// A key given as 64+ hex digits or as base64 of 32+ bytes.
fn parse_key(text: &str) -> Result<Vec<u8>, ConfigError> {
    use base64::Engine;
    let bytes = if text.len() % 2 == 0 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex checked"))
            .collect()
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| invalid("FRIDHEM_SECRET_KEY", "is neither hex nor base64"))?
    };
    if bytes.len() < 32 {
        return Err(invalid(
            "FRIDHEM_SECRET_KEY",
            "must be at least 32 bytes (64 hex digits), e.g. from `openssl rand -hex 32`",
        ));
    }
    Ok(bytes)
}

/// Without FRIDHEM_SECRET_KEY a key is generated once and kept beside the
/// SQLite database (or in the working directory for PostgreSQL), so
/// development restarts keep earlier form pages valid.
fn development_key(database: &DatabaseUrl) -> Result<Vec<u8>, ConfigError> {
    let dir = match database {
        DatabaseUrl::Sqlite(url) => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:")
                .split('?')
                .next()
                .unwrap_or("");
            match std::path::Path::new(path).parent() {
                Some(p) if !p.as_os_str().is_empty() && path != ":memory:" => p.to_path_buf(),
                _ => std::path::PathBuf::from("."),
            }
        }
        DatabaseUrl::Postgres(_) => std::path::PathBuf::from("."),
    };
    let file = dir.join(".fridhem-secret-key");
    if let Ok(text) = std::fs::read_to_string(&file) {
        return parse_key(text.trim());
    }
    let mut key = vec![0u8; 32];
    getrandom::getrandom(&mut key).map_err(|e| invalid("FRIDHEM_SECRET_KEY", e.to_string()))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    // Written whole under a temporary name and linked into place, so an
    // instance starting at the same moment never reads half a key.
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        std::fs::create_dir_all(&dir)?;
        let temp = dir.join(format!(".fridhem-secret-key.{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&temp)?.write_all(hex.as_bytes())?;
        let linked = std::fs::hard_link(&temp, &file);
        let _ = std::fs::remove_file(&temp);
        linked
    };
    match write() {
        Ok(()) => Ok(key),
        // Another instance created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            parse_key(std::fs::read_to_string(&file).unwrap_or_default().trim())
        }
        Err(e) => Err(invalid(
            "FRIDHEM_SECRET_KEY",
            format!("unset, and {} cannot be written: {e}", file.display()),
        )),
    }
}

fn parse_http_url(setting: &str, text: String) -> Result<Url, ConfigError> {
    let url =
        Url::parse(&text).map_err(|e| invalid(setting, format!("'{text}' is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(
            setting,
            format!("'{text}' must be an http:// or https:// address"),
        ));
    }
    Ok(url)
}

fn parse_bool(setting: &str, v: &str) -> Result<bool, ConfigError> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(setting, format!("'{v}' is not true or false"))),
    }
}

fn parse_secs(
    setting: &str,
    env: Option<String>,
    file: Option<u64>,
    default: u64,
) -> Result<u64, ConfigError> {
    match env {
        Some(v) => v
            .parse()
            .map_err(|_| invalid(setting, format!("'{v}' is not a whole number"))),
        None => Ok(file.unwrap_or(default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = Config::from_sources(None, &[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(matches!(c.database_url, DatabaseUrl::Sqlite(ref s) if s == "sqlite://fridhem.db"));
        assert_eq!(c.base_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.quick_exit_url.as_str(), DEFAULT_QUICK_EXIT_URL);
        assert_eq!(c.header_read_timeout_secs, 10);
        assert!(!c.is_https());
    }

    #[test]
    fn environment_overrides_file() {
        let file = "bind = \"127.0.0.1:9000\"\n[municipality]\nname = \"Solna stad\"\n";
        let c =
            Config::from_sources(Some(file), &env(&[("FRIDHEM_BIND", "0.0.0.0:7000")])).unwrap();
        assert_eq!(c.bind.to_string(), "0.0.0.0:7000");
        assert_eq!(c.municipality.name, "Solna stad");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let cases = [
            ("FRIDHEM_BIND", "localhost"),
            ("FRIDHEM_DATABASE_URL", "mysql://x"),
            ("FRIDHEM_BASE_URL", "not a url"),
            ("FRIDHEM_BASE_URL", "https://x.se/sub/path"),
            ("FRIDHEM_QUICK_EXIT_URL", "javascript:alert(1)"),
            ("FRIDHEM_MUNICIPALITY_PHONE", "ring oss"),
            ("FRIDHEM_HEADER_READ_TIMEOUT_SECS", "60"),
            ("FRIDHEM_SEED_DEMO", "kanske"),
        ];
        for (k, v) in cases {
            let err = Config::from_sources(None, &env(&[(k, v)])).unwrap_err();
            assert_eq!(err.setting, k, "{k}={v}");
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let err = Config::from_sources(Some("bnid = \"x\""), &[]).unwrap_err();
        assert_eq!(err.setting, "config file");
        assert!(err.reason.contains("bnid"), "{}", err.reason);
    }

    #[test]
    fn example_file_is_valid_and_matches_the_defaults() {
        let text = include_str!("../fridhem.example.toml");
        let from_file = Config::from_sources(Some(text), &[]).unwrap();
        let defaults = Config::from_sources(None, &[]).unwrap();
        assert_eq!(format!("{from_file:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn https_base_url_is_detected() {
        let c = Config::from_sources(None, &env(&[("FRIDHEM_BASE_URL", "https://fridhem.se")]))
            .unwrap();
        assert!(c.is_https());
    }
}
