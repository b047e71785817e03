//! `fridhem create-admin` and `fridhem staff add|deactivate|reactivate|roles`:
//! accounts made and changed on the server's command line, before anyone
//! can sign in to invite others (or when nobody can sign in any more).

use crate::auth::model::Role;
use crate::auth::{password, service};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::writer::{Tuning, Writer};
use crate::db::Db;
use crate::types::EmailAddress;

/// Why an account could not be made, in words for the person at the
/// terminal.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Parses `--role` values; an unknown one is refused with the list.
pub fn parse_roles(names: &[String]) -> Result<Vec<Role>, CliError> {
    let mut roles = vec![];
    for name in names {
        let role = Role::parse(name.trim()).ok_or_else(|| {
            let known: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
            CliError::Refused(format!(
                "Okänd roll \"{name}\". Roller som finns: {}.",
                known.join(", ")
            ))
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

/// Opens the database as the server would, migrated, with a writer.
async fn open(config: &Config) -> Result<(Db, Writer), CliError> {
    let db = Db::connect(&config.database.url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database (FRIDHEM_DATABASE_URL): {e}"))?;
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
    let writer = Writer::start(&config.database.url, &db, Tuning::default())
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database for writing: {e}"))?;
    Ok((db, writer))
}

/// A change to an existing account from the command line.
#[derive(Debug, Clone)]
pub enum AccountChange {
    Deactivate,
    Reactivate,
    Roles(Vec<Role>),
}

/// Makes `change` to the account with `email`, under the same rules as
/// the web (the last active administrator stays), recorded in the audit
/// log as made from the command line. Returns what was done, in words.
pub async fn change_account(
    config: &Config,
    email: &str,
    change: AccountChange,
) -> Result<String, CliError> {
    let (db, writer) = open(config).await?;
    let account = crate::auth::store::account_by_email(&db, email)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the account: {e}"))?
        .ok_or_else(|| {
            CliError::Refused(format!(
                "Det finns inget konto med e-postadressen {}.",
                email.trim().to_lowercase()
            ))
        })?;
    let (change, done) = match change {
        AccountChange::Deactivate => (
            service::Change::Deactivate,
            "Kontot är avstängt och dess sessioner är avslutade.".to_owned(),
        ),
        AccountChange::Reactivate => (
            service::Change::Reactivate,
            "Kontot är återaktiverat.".to_owned(),
        ),
        AccountChange::Roles(roles) => {
            let names: Vec<_> = roles.iter().map(|r| r.name()).collect();
            (
                service::Change::Roles(roles),
                format!("Rollerna är nu: {}.", names.join(", ")),
            )
        }
    };
    let managed = service::manage(&writer, None, account.id, change, SystemClock.now())
        .await
        .map_err(|e| anyhow::anyhow!("could not store the change: {e}"))?;
    match managed {
        service::Managed::Done => Ok(done),
        service::Managed::LastAdmin => Err(CliError::Refused(
            "Det måste alltid finnas minst en aktiv administratör. Ge någon annan rollen administrator först (fridhem staff roles).".into(),
        )),
        service::Managed::NoSuchAccount => Err(CliError::Refused("Kontot finns inte längre.".into())),
    }
}

/// Creates an active account with `roles`; the person enrols their second
/// factor at the first sign-in. Returns the account's id.
pub async fn add_account(
    config: &Config,
    email: &str,
    name: &str,
    roles: Vec<Role>,
    password_text: String,
) -> Result<i64, CliError> {
    let email = EmailAddress::parse(email.trim())
        .ok_or_else(|| CliError::Refused(format!("\"{email}\" är ingen giltig e-postadress.")))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(CliError::Refused(
            "Skriv ett namn (högst 200 tecken).".into(),
        ));
    }
    if roles.is_empty() {
        return Err(CliError::Refused("Ange minst en roll med --role.".into()));
    }
    password::check(&password_text, &[email.as_str(), name])
        .map_err(|p| CliError::Refused(p.message()))?;
    let (_db, writer) = open(config).await?;
    let hash = password::hash(password_text)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let created = service::create_account(
        &writer,
        email.as_str().to_owned(),
        name.to_owned(),
        hash,
        roles,
        SystemClock.now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("could not store the account: {e}"))?;
    created.ok_or_else(|| {
        CliError::Refused(format!(
            "Det finns redan ett konto med e-postadressen {}.",
            email.as_str().to_lowercase()
        ))
    })
}
