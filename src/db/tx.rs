//! A transaction any store function can take, whichever database runs.
//!
//! Writes are jobs run by the single writer ([`super::writer`]) inside the
//! transaction it shares between the jobs of a batch; each store's write
//! functions take `&mut Tx` and run their SQL through [`on_tx!`], written
//! once with `$n` placeholders for both dialects.

use std::future::Future;
use std::pin::Pin;

/// What a writer job returns: a future borrowing the transaction.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The open transaction's connection, per dialect.
pub enum Tx<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
}

impl Tx<'_> {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

/// Runs the same expression on whichever connection the transaction `$tx`
/// (a `&mut Tx`) holds; `$conn` is bound to `&mut` the concrete connection,
/// so sqlx infers the right database type for each arm. Pass it on as
/// `&mut *$conn` to use it more than once.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(c) => {
                let $conn: &mut sqlx::SqliteConnection = &mut **c;
                $body
            }
            $crate::db::Tx::Postgres(c) => {
                let $conn: &mut sqlx::PgConnection = &mut **c;
                $body
            }
        }
    };
}
