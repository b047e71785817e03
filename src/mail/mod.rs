//! E-mail through a durable outbox. Any domain writes its messages to the
//! outbox in its own transaction ([`outbox::enqueue`]); a background worker
//! delivers them with retries: SMTP (lettre) when configured, otherwise
//! .eml files in a directory. This module knows no domain: what a message
//! says is composed by the domain it belongs to.

pub mod outbox;
pub mod seal;
pub mod worker;

pub use outbox::{OutboxMessage, OutgoingMail};
