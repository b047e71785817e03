//! Delivers the outbox. Each instance runs one worker; work is claimed
//! through the database (a lease per message, SKIP LOCKED on PostgreSQL),
//! so instances never send the same message twice at the same time.
//! Delivery is at-least-once: a message is marked sent only after the SMTP
//! server accepted it, so only a crash between those two steps repeats it
//! (with the same Message-ID, which lets mail systems drop the copy).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentType, MIME_VERSION_1_0};
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;

use super::outbox::{self, OutboxMessage};
use crate::clock::Clock;
use crate::config::MailConfig;
use crate::db::crypt::DataKeys;
use crate::db::writer::{WriteError, Writer};

/// How long a claimed message is reserved for the worker that claimed it;
/// longer than a whole batch can take (BATCH x the 20 s SMTP timeout), so
/// no other instance takes a message while it is still being sent.
const LEASE: Duration = Duration::from_secs(600);
/// How often an idle worker looks for due messages.
const IDLE_POLL: Duration = Duration::from_millis(500);
const BATCH: i64 = 16;
/// A message still failing this long after it was queued is given up and
/// shown to administrators instead of being tried every hour for ever.
pub const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::days(7);
const _: () = assert!(LEASE.as_secs() > BATCH as u64 * 20 * 3 / 2);

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Development default: each message as an .eml file.
    Directory(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("message: {0}")]
    Build(String),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("file: {0}")]
    File(#[from] std::io::Error),
}

impl DeliveryError {
    /// Whether trying again cannot help: the server refused the message
    /// for good (5xx), or it cannot even be built.
    pub fn is_permanent(&self) -> bool {
        match self {
            DeliveryError::Build(_) => true,
            DeliveryError::Smtp(e) => e.is_permanent(),
            DeliveryError::File(_) => false,
        }
    }

    /// What may be logged and stored: the kind and status code only. An
    /// SMTP server's reply usually quotes the recipient's address, and the
    /// log must not hold a visitor's address.
    pub fn summary(&self) -> String {
        match self {
            DeliveryError::Build(_) => "message could not be built".to_owned(),
            DeliveryError::Smtp(e) => {
                let kind = if e.is_permanent() {
                    "permanent"
                } else if e.is_transient() {
                    "transient"
                } else if e.is_timeout() {
                    "timeout"
                } else {
                    "connection or protocol"
                };
                match e.status() {
                    Some(code) => format!("smtp {kind} error {code}"),
                    None => format!("smtp {kind} error"),
                }
            }
            DeliveryError::File(e) => format!("file error: {:?}", e.kind()),
        }
    }
}

impl Transport {
    pub fn from_config(config: &MailConfig) -> Result<Transport, lettre::transport::smtp::Error> {
        Ok(match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => Transport::Directory(config.dir.clone()),
        })
    }

    async fn deliver(&self, from: &str, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let mut builder = Message::builder().from(
            from.parse()
                .map_err(|e| DeliveryError::Build(format!("from: {e}")))?,
        );
        if let Some(reply_to) = &message.reply_to {
            builder = builder.reply_to(
                reply_to
                    .parse()
                    .map_err(|e| DeliveryError::Build(format!("reply-to: {e}")))?,
            );
        }
        let email = builder
            .to(message
                .recipient
                .parse()
                .map_err(|e| DeliveryError::Build(format!("recipient: {e}")))?)
            .subject(message.subject.clone())
            .message_id(Some(message.message_id.clone()))
            .date(message.created_at.into())
            // MessageBuilder::body adds no MIME-Version, which RFC 2045
            // requires before a Content-Transfer-Encoding: without it
            // strict clients show quoted-printable undecoded.
            .header(MIME_VERSION_1_0);
        let email = match &message.attachment {
            None => email
                .header(ContentType::TEXT_PLAIN)
                .body(message.body.clone()),
            Some(calendar) => email.multipart(with_calendar(&message.body, calendar)?),
        }
        .map_err(|e| DeliveryError::Build(e.to_string()))?;
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(email).await?;
            }
            Transport::Directory(dir) => {
                let name = file_name(message);
                tokio::fs::create_dir_all(dir).await?;
                // Write then rename, so a reader never sees half a message.
                let temp = dir.join(format!(".{name}.tmp"));
                tokio::fs::write(&temp, email.formatted()).await?;
                tokio::fs::rename(&temp, dir.join(&name)).await?;
                tracing::info!(file = %name, "e-mail written to the mail directory");
            }
        }
        Ok(())
    }
}

/// The text and its calendar file: the file both as an attachment a
/// person can open and with its iTIP method in the content type, which
/// calendar programs read to offer "add" or "remove".
fn with_calendar(body: &str, calendar: &str) -> Result<MultiPart, DeliveryError> {
    let method = calendar
        .lines()
        .find_map(|l| l.strip_prefix("METHOD:"))
        .unwrap_or("PUBLISH")
        .trim();
    let content_type =
        ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
            .map_err(|e| DeliveryError::Build(format!("calendar type: {e}")))?;
    let name = if method == "CANCEL" {
        "avbokning.ics"
    } else {
        "evenemang.ics"
    };
    Ok(MultiPart::mixed()
        .singlepart(SinglePart::plain(body.to_owned()))
        .singlepart(Attachment::new(name.to_owned()).body(calendar.to_owned(), content_type)))
}

fn file_name(message: &OutboxMessage) -> String {
    file_name_for(&message.message_id)
}

/// The `.eml` file a message with `message_id` is written to without
/// SMTP: stable, so a repeated delivery overwrites instead of duplicating,
/// and found again when the case it belongs to is cleaned.
pub fn file_name_for(message_id: &str) -> String {
    let id: String = message_id
        .trim_matches(['<', '>'])
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{id}.eml")
}

/// Deletes the `.eml` copies of the messages `message_ids` in `dir` (the
/// mail of personal data being cleaned); returns how many there were.
pub async fn remove_files(
    dir: &std::path::Path,
    message_ids: &[String],
) -> Result<u64, std::io::Error> {
    let mut removed = 0;
    for id in message_ids {
        match tokio::fs::remove_file(dir.join(file_name_for(id))).await {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

/// Waiting time before attempt `n + 1`: `base` doubling, at most an hour.
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 12) - 1;
    (base * (1u32 << exp)).min(Duration::from_secs(3600))
}

pub struct MailWorker {
    pub writer: Writer,
    pub transport: Transport,
    pub from: String,
    pub retry_base: Duration,
    pub clock: Arc<dyn Clock>,
    /// Woken when a message has been queued, so it leaves without waiting
    /// for the next poll.
    pub wake: Arc<Notify>,
    /// The value of a sealed placeholder's nonce (see [`super::seal`]),
    /// made with the site's key.
    pub unseal: Arc<dyn Fn(&str) -> String + Send + Sync>,
    /// Opens the recipient, subject and body, sealed at rest.
    pub keys: Arc<DataKeys>,
}

impl MailWorker {
    pub fn spawn(self) {
        tokio::spawn(self.run());
    }

    async fn run(self) {
        loop {
            let worked = match self.round().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox round failed");
                    false
                }
            };
            if !worked {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(IDLE_POLL) => {}
                }
            }
        }
    }

    /// Claims and delivers one batch; returns how many were claimed.
    pub async fn round(&self) -> Result<usize, WriteError> {
        let now = self.clock.now();
        let lease_until = now + chrono::Duration::from_std(LEASE).expect("small duration");
        let claimed = self
            .writer
            .write(move |tx| Box::pin(outbox::claim(tx, now, lease_until, BATCH)))
            .await?;
        let count = claimed.len();
        for message in claimed {
            let id = message.id;
            let mut message = match outbox::open(&self.keys, message) {
                Ok(message) => message,
                Err(e) => {
                    // Not a delivery problem that time could fix: an
                    // administrator sees it among the given-up mail.
                    tracing::error!(outbox_id = id, error = %e, "e-mail cannot be opened");
                    let now = self.clock.now();
                    self.writer
                        .write(move |tx| {
                            Box::pin(outbox::mark_given_up(tx, id, "kan inte dekrypteras", now))
                        })
                        .await?;
                    continue;
                }
            };
            message.body = super::seal::unseal(&message.body, &*self.unseal);
            // Each delivery is recorded (committed) before the next starts,
            // so a crash can repeat at most one message.
            match self.transport.deliver(&self.from, &message).await {
                Ok(()) => {
                    let sent_at = self.clock.now();
                    self.writer
                        .write(move |tx| Box::pin(outbox::mark_sent(tx, id, sent_at)))
                        .await?;
                }
                Err(e) => {
                    let now = self.clock.now();
                    let summary = e.summary();
                    if e.is_permanent() || now - message.created_at >= GIVE_UP_AFTER {
                        tracing::warn!(
                            outbox_id = id,
                            attempts = message.attempts,
                            error = %summary,
                            "e-mail given up; an administrator can send it again"
                        );
                        self.writer
                            .write(move |tx| {
                                let summary = summary.clone();
                                Box::pin(async move {
                                    outbox::mark_given_up(tx, id, &summary, now).await
                                })
                            })
                            .await?;
                        continue;
                    }
                    let wait = backoff(self.retry_base, message.attempts);
                    tracing::warn!(
                        outbox_id = id,
                        attempts = message.attempts,
                        retry_in_s = wait.as_secs(),
                        error = %summary,
                        "e-mail delivery failed; will retry"
                    );
                    let retry_at = now + chrono::Duration::from_std(wait).expect("small duration");
                    self.writer
                        .write(move |tx| {
                            let summary = summary.clone();
                            Box::pin(async move {
                                outbox::mark_failed(tx, id, &summary, retry_at).await
                            })
                        })
                        .await?;
                }
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 5), Duration::from_secs(480));
        assert_eq!(backoff(base, 8), Duration::from_secs(3600));
        assert_eq!(backoff(base, 100), Duration::from_secs(3600));
    }
}
