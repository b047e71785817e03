//! Reading the configuration: the file's sections, the environment laid
//! over them, and one `validate` that turns raw values into [`Config`].
//!
//! Every setting is one row of [`SETTINGS`]: its environment variable (the
//! name the README documents and every error message uses) and where it
//! lives in the file. An environment variable is either such a documented
//! name or the generic `FRIDHEM_<SECTION>__<KEY>`; both land in the same
//! place, so there is one way to read a value whatever its source.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use toml::{Table, Value};
use url::Url;

use super::{
    sqlite_path, Config, Database, DatabaseUrl, MailConfig, Municipality, SecretKey, SecretString,
    Security, Server, Site, DEFAULT_QUICK_EXIT_URL,
};
use crate::types::{EmailAddress, PhoneNumber};

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

/// Every setting: its environment variable, its section and key in the file.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("FRIDHEM_BIND", "server", "bind"),
    ("FRIDHEM_BASE_URL", "server", "base_url"),
    ("FRIDHEM_WORKER_THREADS", "server", "worker_threads"),
    (
        "FRIDHEM_HEADER_READ_TIMEOUT_SECS",
        "server",
        "header_read_timeout_secs",
    ),
    ("FRIDHEM_WRITE_TIMEOUT_SECS", "server", "write_timeout_secs"),
    (
        "FRIDHEM_SHUTDOWN_GRACE_SECS",
        "server",
        "shutdown_grace_secs",
    ),
    ("FRIDHEM_MAX_CONNECTIONS", "server", "max_connections"),
    (
        "FRIDHEM_MAX_CONNECTIONS_PER_CLIENT",
        "server",
        "max_connections_per_client",
    ),
    ("FRIDHEM_TRUSTED_PROXIES", "server", "trusted_proxies"),
    ("FRIDHEM_DATABASE_URL", "database", "url"),
    ("FRIDHEM_QUICK_EXIT_URL", "site", "quick_exit_url"),
    ("FRIDHEM_SEED_DEMO", "site", "seed_demo"),
    ("FRIDHEM_CONTENT_POLL_MS", "site", "content_poll_ms"),
    ("FRIDHEM_SECRET_KEY", "security", "secret_key"),
    ("FRIDHEM_FORM_RATE_LIMIT", "security", "form_rate_limit"),
    ("FRIDHEM_DATA_KEY_FILE", "security", "data_key_file"),
    (
        "FRIDHEM_AUDIT_RETENTION_MONTHS",
        "security",
        "audit_retention_months",
    ),
    (
        "FRIDHEM_EVENT_RETENTION_DAYS",
        "security",
        "event_retention_days",
    ),
    ("FRIDHEM_SMTP_URL", "mail", "smtp_url"),
    ("FRIDHEM_MAIL_FROM", "mail", "from"),
    ("FRIDHEM_MAIL_DIR", "mail", "dir"),
    ("FRIDHEM_HANDLER_EMAIL_TG", "mail", "handler_tg"),
    ("FRIDHEM_HANDLER_EMAIL_AF", "mail", "handler_af"),
    ("FRIDHEM_HANDLER_EMAIL_KO", "mail", "handler_ko"),
    ("FRIDHEM_MAIL_RETRY_BASE_MS", "mail", "retry_base_ms"),
    ("FRIDHEM_MUNICIPALITY_NAME", "municipality", "name"),
    ("FRIDHEM_MUNICIPALITY_WEBSITE", "municipality", "website"),
    ("FRIDHEM_MUNICIPALITY_PHONE", "municipality", "phone"),
    ("FRIDHEM_MUNICIPALITY_EMAIL", "municipality", "email"),
    ("FRIDHEM_MUNICIPALITY_ADDRESS", "municipality", "address"),
];

/// The merged raw values, by (section, key), and the setting's name for
/// messages.
struct Raw {
    values: BTreeMap<(String, String), Value>,
}

impl Raw {
    /// Lays the file's sections, then the environment, into one map,
    /// refusing anything in the file that is not a setting.
    fn from_sources(file: Option<&str>, env: &[(String, String)]) -> Result<Raw, ConfigError> {
        let mut values = BTreeMap::new();
        if let Some(text) = file {
            let table: Table =
                toml::from_str(text).map_err(|e| invalid("config file", e.message().to_owned()))?;
            for (section, inner) in table {
                let Value::Table(inner) = inner else {
                    return Err(invalid(
                        "config file",
                        format!("'{section}' must be a section such as [{section}]"),
                    ));
                };
                for (key, value) in inner {
                    if !SETTINGS.iter().any(|(_, s, k)| *s == section && *k == key) {
                        return Err(invalid(
                            "config file",
                            format!("unknown setting '{key}' in [{section}]"),
                        ));
                    }
                    values.insert((section.clone(), key), value);
                }
            }
        }
        let get = |name: &str| {
            env.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        // DATABASE_URL is what hosting platforms set: like every variable it
        // beats the file, and ours beats it when both are set.
        if let Some(url) = get("DATABASE_URL").filter(|v| !v.is_empty()) {
            values.insert(("database".into(), "url".into()), Value::String(url));
        }
        // A name given twice counts the first time (as a process environment
        // cannot hold it twice, only callers of `from_sources` can).
        let mut from_env = std::collections::BTreeSet::new();
        for (name, value) in env {
            let place = match SETTINGS.iter().find(|(env, _, _)| env == name) {
                Some((_, section, key)) => Some((section.to_string(), key.to_string())),
                None => generic_place(name)?,
            };
            if let Some(place) = place {
                if from_env.insert(place.clone()) {
                    values.insert(place, Value::String(value.trim().to_owned()));
                }
            }
        }
        Ok(Raw { values })
    }

    fn get(&self, name: &'static str) -> Option<Field<'_>> {
        let (_, section, key) = SETTINGS
            .iter()
            .find(|(env, _, _)| *env == name)
            .expect("every setting read is in SETTINGS");
        self.values
            .get(&(section.to_string(), key.to_string()))
            .map(|value| Field { name, value })
    }
}

/// `FRIDHEM_<SECTION>__<KEY>` as (section, key), checked against the
/// settings; other `FRIDHEM_*` variables (the log filter, test settings)
/// are not configuration and are left alone.
fn generic_place(name: &str) -> Result<Option<(String, String)>, ConfigError> {
    let Some(rest) = name.strip_prefix("FRIDHEM_") else {
        return Ok(None);
    };
    let Some((section, key)) = rest.split_once("__") else {
        return Ok(None);
    };
    let (section, key) = (section.to_lowercase(), key.to_lowercase());
    if SETTINGS.iter().any(|(_, s, k)| *s == section && *k == key) {
        Ok(Some((section, key)))
    } else {
        Err(invalid(
            name,
            format!("there is no setting '{key}' in [{section}]"),
        ))
    }
}

/// One raw value and the name to blame.
struct Field<'a> {
    name: &'static str,
    value: &'a Value,
}

impl Field<'_> {
    fn text(&self) -> Result<String, ConfigError> {
        match self.value {
            Value::String(s) => Ok(s.trim().to_owned()),
            other => Err(invalid(self.name, format!("{other} is not text"))),
        }
    }

    fn whole(&self) -> Result<u64, ConfigError> {
        match self.value {
            Value::Integer(n) if *n >= 0 => Ok(*n as u64),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| invalid(self.name, format!("'{s}' is not a whole number"))),
            other => Err(invalid(self.name, format!("{other} is not a whole number"))),
        }
    }

    fn flag(&self) -> Result<bool, ConfigError> {
        match self.value {
            Value::Boolean(b) => Ok(*b),
            Value::String(s) => match s.trim() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                v => Err(invalid(self.name, format!("'{v}' is not true or false"))),
            },
            other => Err(invalid(self.name, format!("{other} is not true or false"))),
        }
    }
}

fn text_or(raw: &Raw, name: &'static str, default: &str) -> Result<String, ConfigError> {
    raw.get(name)
        .map(|f| f.text())
        .transpose()
        .map(|v| v.unwrap_or_else(|| default.to_owned()))
}

fn optional_text(raw: &Raw, name: &'static str) -> Result<Option<String>, ConfigError> {
    Ok(raw
        .get(name)
        .map(|f| f.text())
        .transpose()?
        .filter(|s| !s.is_empty()))
}

fn whole_in(
    raw: &Raw,
    name: &'static str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
    unit: &str,
) -> Result<u64, ConfigError> {
    let n = raw
        .get(name)
        .map(|f| f.whole())
        .transpose()?
        .unwrap_or(default);
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(invalid(
            name,
            format!(
                "must be between {} and {}{unit}",
                range.start(),
                range.end()
            ),
        ))
    }
}

fn optional_count(raw: &Raw, name: &'static str) -> Result<Option<usize>, ConfigError> {
    match raw.get(name).map(|f| f.whole()).transpose()? {
        Some(0) => Err(invalid(name, "must be at least 1")),
        n => Ok(n.map(|n| n as usize)),
    }
}

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
        if config.security.data_key_file.is_none() {
            // Beside the form key; created at the first start.
            config.security.data_key_file = Some(
                development_key_file(&config.database.url).with_file_name(".fridhem-data-key"),
            );
        }
        if config.security.secret_key.is_none() {
            let file = development_key_file(&config.database.url);
            match std::fs::read_to_string(&file) {
                Ok(text) => config.security.secret_key = Some(SecretKey(parse_key(text.trim())?)),
                Err(_) => {
                    let mut key = vec![0u8; 32];
                    getrandom::getrandom(&mut key)
                        .map_err(|e| invalid("FRIDHEM_SECRET_KEY", e.to_string()))?;
                    config.security.secret_key = Some(SecretKey(key));
                    config.unsaved_key_file = Some(file);
                }
            }
        }
        Ok(config)
    }

    /// Writes a key generated at load time to its file, so development
    /// restarts keep earlier form pages valid. If another instance wrote
    /// the file first, its key is taken instead. Returns the file when this
    /// call created it (the caller removes it should the start fail).
    pub fn persist_development_key(&mut self) -> Result<Option<PathBuf>, ConfigError> {
        let Some(file) = self.unsaved_key_file.take() else {
            return Ok(None);
        };
        let key = self
            .security
            .secret_key
            .as_ref()
            .map(|k| k.0.clone())
            .unwrap_or_default();
        match write_key_file(&file, &key) {
            Ok(()) => Ok(Some(file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                self.security.secret_key = Some(SecretKey(parse_key(text.trim())?));
                Ok(None)
            }
            Err(e) => Err(invalid(
                "FRIDHEM_SECRET_KEY",
                format!("unset, and {} cannot be written: {e}", file.display()),
            )),
        }
    }

    /// Builds the configuration from file text and environment pairs; pure so
    /// tests can check every rule without touching the process environment.
    pub fn from_sources(
        file: Option<&str>,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        validate(&Raw::from_sources(file, env)?)
    }
}

/// Every rule, once: raw values to typed settings, or the first setting
/// that is wrong.
fn validate(raw: &Raw) -> Result<Config, ConfigError> {
    let bind_text = text_or(raw, "FRIDHEM_BIND", "127.0.0.1:8080")?;
    let bind = bind_text.parse::<SocketAddr>().map_err(|_| {
        invalid(
            "FRIDHEM_BIND",
            format!("'{bind_text}' is not an address:port such as 127.0.0.1:8080"),
        )
    })?;
    let base_url = parse_http_url(
        "FRIDHEM_BASE_URL",
        text_or(raw, "FRIDHEM_BASE_URL", "http://127.0.0.1:8080")?,
    )?;
    if base_url.path() != "/" || base_url.query().is_some() {
        return Err(invalid(
            "FRIDHEM_BASE_URL",
            "must be an origin without path or query, e.g. https://fridhem.example.se",
        ));
    }
    let worker_threads = match raw.get("FRIDHEM_WORKER_THREADS") {
        Some(f) => {
            let n = f.whole()?;
            if !(1..=256).contains(&n) {
                return Err(invalid(
                    "FRIDHEM_WORKER_THREADS",
                    "must be between 1 and 256",
                ));
            }
            Some(n as usize)
        }
        None => None,
    };
    let trusted_proxies = text_or(raw, "FRIDHEM_TRUSTED_PROXIES", "")?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpAddr>().map_err(|_| {
                invalid(
                    "FRIDHEM_TRUSTED_PROXIES",
                    format!("'{s}' is not an IP address (give a comma-separated list)"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let server = Server {
        bind,
        base_url,
        worker_threads,
        header_read_timeout_secs: whole_in(
            raw,
            "FRIDHEM_HEADER_READ_TIMEOUT_SECS",
            10,
            1..=10,
            " seconds",
        )?,
        write_timeout_secs: whole_in(raw, "FRIDHEM_WRITE_TIMEOUT_SECS", 30, 1..=600, " seconds")?,
        shutdown_grace_secs: whole_in(
            raw,
            "FRIDHEM_SHUTDOWN_GRACE_SECS",
            30,
            0..=3600,
            " seconds",
        )?,
        max_connections: optional_count(raw, "FRIDHEM_MAX_CONNECTIONS")?,
        max_connections_per_client: optional_count(raw, "FRIDHEM_MAX_CONNECTIONS_PER_CLIENT")?,
        trusted_proxies,
    };

    let db_text = text_or(raw, "FRIDHEM_DATABASE_URL", "sqlite://fridhem.db")?;
    let url = if db_text.starts_with("sqlite:") {
        DatabaseUrl::Sqlite(db_text)
    } else if db_text.starts_with("postgres://") || db_text.starts_with("postgresql://") {
        DatabaseUrl::Postgres(db_text)
    } else {
        return Err(invalid(
            "FRIDHEM_DATABASE_URL",
            "must start with sqlite:// or postgres://",
        ));
    };

    let site = Site {
        quick_exit_url: parse_http_url(
            "FRIDHEM_QUICK_EXIT_URL",
            text_or(raw, "FRIDHEM_QUICK_EXIT_URL", DEFAULT_QUICK_EXIT_URL)?,
        )?,
        seed_demo: raw
            .get("FRIDHEM_SEED_DEMO")
            .map(|f| f.flag())
            .transpose()?
            .unwrap_or(true),
        content_poll_ms: whole_in(
            raw,
            "FRIDHEM_CONTENT_POLL_MS",
            2000,
            50..=60_000,
            " milliseconds",
        )?,
    };

    let security = Security {
        secret_key: match optional_text(raw, "FRIDHEM_SECRET_KEY")? {
            Some(text) => Some(SecretKey(parse_key(&text)?)),
            None => None,
        },
        form_rate_limit: whole_in(raw, "FRIDHEM_FORM_RATE_LIMIT", 60, 0..=100_000, "")? as u32,
        data_key_file: optional_text(raw, "FRIDHEM_DATA_KEY_FILE")?.map(PathBuf::from),
        audit_retention_months: whole_in(
            raw,
            "FRIDHEM_AUDIT_RETENTION_MONTHS",
            36,
            1..=240,
            " months",
        )? as u32,
        event_retention_days: whole_in(raw, "FRIDHEM_EVENT_RETENTION_DAYS", 30, 1..=3650, " days")?
            as u32,
    };

    let smtp_url = optional_text(raw, "FRIDHEM_SMTP_URL")?;
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
    let from = text_or(raw, "FRIDHEM_MAIL_FROM", "fridhem@localhost")?;
    check_email("FRIDHEM_MAIL_FROM", &from)?;
    let handler = |name: &'static str| -> Result<String, ConfigError> {
        let value = text_or(raw, name, &from)?;
        check_email(name, &value)?;
        Ok(value)
    };
    let mail = MailConfig {
        handlers: [
            ("TG".into(), handler("FRIDHEM_HANDLER_EMAIL_TG")?),
            ("AF".into(), handler("FRIDHEM_HANDLER_EMAIL_AF")?),
            ("KO".into(), handler("FRIDHEM_HANDLER_EMAIL_KO")?),
        ],
        smtp_url: smtp_url.map(SecretString),
        retry_base: std::time::Duration::from_millis(whole_in(
            raw,
            "FRIDHEM_MAIL_RETRY_BASE_MS",
            30_000,
            1..=3_600_000,
            " milliseconds",
        )?),
        dir: text_or(raw, "FRIDHEM_MAIL_DIR", "mail")?.into(),
        from,
    };

    let name = text_or(raw, "FRIDHEM_MUNICIPALITY_NAME", "Järfälla kommun")?;
    if name.is_empty() {
        return Err(invalid("FRIDHEM_MUNICIPALITY_NAME", "must not be empty"));
    }
    let website = text_or(
        raw,
        "FRIDHEM_MUNICIPALITY_WEBSITE",
        "https://www.jarfalla.se/",
    )?;
    parse_http_url("FRIDHEM_MUNICIPALITY_WEBSITE", website.clone())?;
    let phone_text = text_or(raw, "FRIDHEM_MUNICIPALITY_PHONE", "08-580 285 00")?;
    let phone = PhoneNumber::parse(&phone_text).ok_or_else(|| {
        invalid(
            "FRIDHEM_MUNICIPALITY_PHONE",
            format!("'{phone_text}' is not a Swedish phone number"),
        )
    })?;
    let email = optional_text(raw, "FRIDHEM_MUNICIPALITY_EMAIL")?;
    if let Some(email) = &email {
        check_email("FRIDHEM_MUNICIPALITY_EMAIL", email)?;
    }
    let municipality = Municipality {
        name,
        website,
        phone,
        email,
        address: optional_text(raw, "FRIDHEM_MUNICIPALITY_ADDRESS")?,
    };

    Ok(Config {
        server,
        database: Database { url },
        site,
        security,
        mail,
        municipality,
        unsaved_key_file: None,
    })
}

fn check_email(setting: &str, value: &str) -> Result<(), ConfigError> {
    match EmailAddress::parse_configured(value) {
        Some(_) => Ok(()),
        None => Err(invalid(
            setting,
            format!("'{value}' is not an e-mail address"),
        )),
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
/// SQLite database (or in the working directory for PostgreSQL).
fn development_key_file(database: &DatabaseUrl) -> PathBuf {
    let dir = match database {
        DatabaseUrl::Sqlite(url) => {
            let path = sqlite_path(url);
            match Path::new(path).parent() {
                Some(p) if !p.as_os_str().is_empty() && path != ":memory:" => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        }
        DatabaseUrl::Postgres(_) => PathBuf::from("."),
    };
    dir.join(".fridhem-secret-key")
}

/// Written whole under a temporary name and linked into place, so an
/// instance starting at the same moment never reads half a key; the link
/// fails with `AlreadyExists` if one did.
fn write_key_file(file: &Path, key: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".fridhem-secret-key.{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&temp)?.write_all(hex.as_bytes())?;
    let linked = std::fs::hard_link(&temp, file);
    let _ = std::fs::remove_file(&temp);
    linked
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
        assert_eq!(c.server.bind.to_string(), "127.0.0.1:8080");
        assert!(matches!(c.database.url, DatabaseUrl::Sqlite(ref s) if s == "sqlite://fridhem.db"));
        assert_eq!(c.server.base_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.site.quick_exit_url.as_str(), DEFAULT_QUICK_EXIT_URL);
        assert_eq!(c.server.header_read_timeout_secs, 10);
        assert_eq!(c.security.form_rate_limit, 60);
        assert!(!c.is_https());
    }

    #[test]
    fn environment_overrides_file() {
        let file = "[server]\nbind = \"127.0.0.1:9000\"\n[municipality]\nname = \"Solna stad\"\n";
        let c =
            Config::from_sources(Some(file), &env(&[("FRIDHEM_BIND", "0.0.0.0:7000")])).unwrap();
        assert_eq!(c.server.bind.to_string(), "0.0.0.0:7000");
        assert_eq!(c.municipality.name, "Solna stad");
    }

    #[test]
    fn generic_names_reach_the_same_setting() {
        let c = Config::from_sources(
            None,
            &env(&[
                ("FRIDHEM_SERVER__BIND", "127.0.0.1:9100"),
                ("FRIDHEM_MAIL__RETRY_BASE_MS", "1000"),
            ]),
        )
        .unwrap();
        assert_eq!(c.server.bind.to_string(), "127.0.0.1:9100");
        assert_eq!(c.mail.retry_base, std::time::Duration::from_secs(1));
        let err = Config::from_sources(None, &env(&[("FRIDHEM_SERVER__BNID", "x")])).unwrap_err();
        assert_eq!(err.setting, "FRIDHEM_SERVER__BNID");
        // Variables that are not settings are left alone.
        assert!(Config::from_sources(None, &env(&[("FRIDHEM_LOG", "debug")])).is_ok());
    }

    #[test]
    fn database_url_is_a_fallback() {
        let c = Config::from_sources(None, &env(&[("DATABASE_URL", "postgres://h/db")])).unwrap();
        assert!(matches!(c.database.url, DatabaseUrl::Postgres(_)));
        let c = Config::from_sources(
            None,
            &env(&[
                ("DATABASE_URL", "postgres://h/db"),
                ("FRIDHEM_DATABASE_URL", "sqlite://x.db"),
            ]),
        )
        .unwrap();
        assert!(matches!(c.database.url, DatabaseUrl::Sqlite(_)));
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
            ("FRIDHEM_MAIL_FROM", "inte en adress"),
            ("FRIDHEM_MAX_CONNECTIONS", "0"),
            ("FRIDHEM_MAIL_RETRY_BASE_MS", "snart"),
        ];
        for (k, v) in cases {
            let err = Config::from_sources(None, &env(&[(k, v)])).unwrap_err();
            assert_eq!(err.setting, k, "{k}={v}");
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let err = Config::from_sources(Some("[server]\nbnid = \"x\""), &[]).unwrap_err();
        assert_eq!(err.setting, "config file");
        assert!(err.reason.contains("bnid"), "{}", err.reason);
        let err = Config::from_sources(Some("bind = \"x\""), &[]).unwrap_err();
        assert!(err.reason.contains("section"), "{}", err.reason);
    }

    #[test]
    fn example_file_is_valid_and_matches_the_defaults() {
        let text = include_str!("../../fridhem.example.toml");
        let from_file = Config::from_sources(Some(text), &[]).unwrap();
        let defaults = Config::from_sources(None, &[]).unwrap();
        assert_eq!(format!("{from_file:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn every_setting_is_documented_in_the_example() {
        let text = include_str!("../../fridhem.example.toml");
        for (env, _, key) in SETTINGS {
            assert!(text.contains(env), "{env} is not in fridhem.example.toml");
            assert!(text.contains(key), "{key} is not in fridhem.example.toml");
        }
    }

    /// The README's table of settings names every setting, and nothing else.
    #[test]
    fn the_readme_table_is_complete_and_true() {
        let readme = include_str!("../../README.md");
        let mut named = std::collections::BTreeSet::new();
        for row in readme.lines().filter(|l| l.starts_with("| `FRIDHEM_")) {
            let cell = row.split(" | ").next().unwrap_or_default();
            for part in cell.split('`').filter(|p| p.starts_with("FRIDHEM_")) {
                named.insert(part.to_owned());
            }
        }
        for (env, _, _) in SETTINGS {
            assert!(
                named.contains(*env),
                "{env} is missing from the README's table"
            );
        }
        for name in &named {
            let known = SETTINGS.iter().any(|(env, _, _)| env == name) || name == "FRIDHEM_LOG";
            assert!(
                known,
                "the README's table names {name}, which is no setting"
            );
        }
    }

    #[test]
    fn https_base_url_is_detected() {
        let c = Config::from_sources(None, &env(&[("FRIDHEM_BASE_URL", "https://fridhem.se")]))
            .unwrap();
        assert!(c.is_https());
    }
}
