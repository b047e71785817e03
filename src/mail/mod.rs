//! E-mail through a durable outbox. Messages are written in the same
//! transaction as the case they belong to, each with a Message-ID fixed at
//! that moment, and delivered by a background worker with retries: SMTP
//! (lettre) when configured, otherwise .eml files in a directory.
//!
//! Neither message repeats what the person wrote: the mailbox may be read
//! by someone else, so they carry only the reference, the case type and
//! what happens next.

pub mod worker;

use chrono::{DateTime, Utc};

use crate::cases::model::{CaseKind, CaseReference, NewCase};
use crate::config::MailConfig;
use crate::web::i18n::Catalogue;

/// A message about to be written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// For acknowledgements: the recipient's fingerprint, so they can be
    /// counted per address.
    pub recipient_key: Option<String>,
}

/// A claimed outbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
}

/// Builds the acknowledgement (when the person gave an e-mail address) and
/// the handler's notification for a stored case.
pub fn compose(
    t: &Catalogue,
    config: &MailConfig,
    host: &str,
    kind: CaseKind,
    reference: &CaseReference,
    case: &NewCase,
    ack_key: Option<&str>,
) -> Vec<OutgoingMail> {
    let reference_text = reference.to_string();
    // Subjects are header text: no bidi isolation marks there.
    let args = |extra: Vec<(&'static str, String)>| {
        let mut a: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
            vec![("reference", reference_text.clone().into())];
        for (k, v) in extra {
            a.push((k, v.into()));
        }
        a
    };
    let type_name = t
        .t(&format!("case-type-{}", kind.prefix().to_lowercase()))
        .to_owned();
    let message_id = |role: &str| {
        format!(
            "<{reference_text}.{role}.{}@{host}>",
            uuid::Uuid::new_v4().simple()
        )
    };
    let mut out = vec![];
    if let (Some(email), Some(key)) = (&case.email, ack_key) {
        out.push(OutgoingMail {
            recipient_key: Some(key.to_owned()),
            message_id: message_id("kvitto"),
            recipient: email.as_str().to_owned(),
            subject: t.t_attr("mail-ack-subject", &args(vec![])),
            body: t.t_attr(
                "mail-ack-body",
                &args(vec![
                    ("type", type_name.clone()),
                    (
                        "next",
                        t.t(&format!("form-{}-next", kind.prefix().to_lowercase()))
                            .to_owned(),
                    ),
                ]),
            ),
        });
    }
    let handler = config
        .handlers
        .iter()
        .find(|(prefix, _)| prefix == kind.prefix())
        .map(|(_, address)| address.clone())
        .unwrap_or_else(|| config.from.clone());
    out.push(OutgoingMail {
        recipient_key: None,
        message_id: message_id("handlaggare"),
        recipient: handler,
        subject: t.t_attr(
            "mail-handler-subject",
            &args(vec![("type", type_name.clone())]),
        ),
        body: t.t_attr("mail-handler-body", &args(vec![("type", type_name)])),
    });
    out
}
