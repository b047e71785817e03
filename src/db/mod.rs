//! Storage: one enum over the two concrete sqlx pools, picked from the
//! database URL at start-up. Domain stores write their SQL once with `$n`
//! placeholders and run it on either arm: reads on the pool through
//! [`on_pool!`], writes inside the writer's transaction through [`on_tx!`].
//! This module knows no domain: every table's SQL lives in its domain's
//! `store.rs`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::config::DatabaseUrl;

pub mod crypt;
pub mod schedule;
pub mod tx;
pub mod writer;

pub use tx::{BoxFuture, Tx};

pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool is configured; `$pool`
/// is bound to the concrete pool so sqlx infers the right database type.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    pub async fn connect(url: &DatabaseUrl) -> Result<Db, DbError> {
        match url {
            DatabaseUrl::Sqlite(url) => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    // WAL with NORMAL survives process crashes; writes that must
                    // survive power loss raise it per transaction.
                    .synchronous(SqliteSynchronous::Normal);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            DatabaseUrl::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    // During an outage a request waits this long for a connection before
                    // its page is served stale or as an error.
                    .acquire_timeout(Duration::from_secs(3))
                    .connect(url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Cheap round trip used by `/readyz`.
    pub async fn ping(&self) -> Result<(), DbError> {
        on_pool!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// After personal data was deleted: SQLite copies the WAL into the
    /// database file and empties the WAL, so the deleted values (already
    /// overwritten, `secure_delete` being on for the writer) are in
    /// neither file. PostgreSQL reuses the space on its own (VACUUM).
    pub async fn checkpoint(&self) -> Result<(), DbError> {
        if let Db::Sqlite(p) = self {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both dialects must carry the same migration versions, or a deployment
    /// that switches database would silently miss a schema step.
    #[test]
    fn migration_versions_match_between_dialects() {
        let versions = |m: &Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        let sqlite = versions(&SQLITE_MIGRATIONS);
        let postgres = versions(&POSTGRES_MIGRATIONS);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
