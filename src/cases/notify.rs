//! The e-mail a stored case causes: an acknowledgement to the person (when
//! they gave an address and no limit holds it back) and a notification to
//! the handler of its type.
//!
//! Neither message repeats what the person wrote: the mailbox may be read
//! by someone else, so they carry only the reference, the case type and
//! what happens next.

use std::sync::Arc;

use fluent_bundle::FluentValue;

use super::model::{CaseKind, CaseReference, NewCase};
use crate::config::MailConfig;
use crate::mail::OutgoingMail;
use crate::web::i18n::{I18n, Lang};

pub struct Notifier {
    i18n: Arc<I18n>,
    /// The handler mailbox per case type.
    handlers: Vec<(CaseKind, String)>,
    /// The site's host, for Message-IDs.
    host: String,
}

impl Notifier {
    pub fn new(i18n: Arc<I18n>, mail: &MailConfig, host: &str) -> Notifier {
        let handlers = CaseKind::ALL
            .into_iter()
            .map(|kind| {
                let address = mail
                    .handlers
                    .iter()
                    .find(|(prefix, _)| prefix == kind.prefix())
                    .map(|(_, address)| address.clone())
                    .unwrap_or_else(|| mail.from.clone());
                (kind, address)
            })
            .collect();
        Notifier {
            i18n,
            handlers,
            host: host.to_owned(),
        }
    }

    /// The handler mailbox of `kind` from the configuration (the case-type
    /// settings may name another).
    pub fn handler(&self, kind: CaseKind) -> &str {
        self.handlers
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, a)| a.as_str())
            .unwrap_or_default()
    }

    /// The messages for a stored case; `ack_key` is the recipient's
    /// fingerprint when an acknowledgement may go out.
    pub fn compose(
        &self,
        kind: CaseKind,
        reference: &CaseReference,
        case: &NewCase,
        ack_key: Option<&str>,
        handler: Option<&str>,
    ) -> Vec<OutgoingMail> {
        // E-mail is written in Swedish, the municipality's language.
        let t = self.i18n.catalogue(Lang::Sv);
        let reference_text = reference.to_string();
        // Subjects are header text: no bidi isolation marks there.
        let args = |extra: Vec<(&'static str, String)>| {
            let mut a: Vec<(&str, FluentValue<'_>)> =
                vec![("reference", reference_text.clone().into())];
            for (k, v) in extra {
                a.push((k, v.into()));
            }
            a
        };
        let type_name = t.t(kind.type_key()).to_owned();
        let message_id = |role: &str| {
            format!(
                "<{reference_text}.{role}.{}@{}>",
                uuid::Uuid::new_v4().simple(),
                self.host
            )
        };
        let mut out = vec![];
        if let (Some(email), Some(key)) = (&case.email, ack_key) {
            out.push(OutgoingMail {
                reply_to: None,
                attachment: None,
                recipient_key: Some(key.to_owned()),
                message_id: message_id("kvitto"),
                recipient: email.as_str().to_owned(),
                subject: t.t_attr("mail-ack-subject", &args(vec![])),
                body: t.t_attr(
                    "mail-ack-body",
                    &args(vec![
                        ("type", type_name.clone()),
                        ("next", t.t(kind.next_key()).to_owned()),
                    ]),
                ),
            });
        }
        out.push(OutgoingMail {
            reply_to: None,
            attachment: None,
            recipient_key: None,
            message_id: message_id("handlaggare"),
            recipient: handler.unwrap_or_else(|| self.handler(kind)).to_owned(),
            subject: t.t_attr(
                "mail-handler-subject",
                &args(vec![("type", type_name.clone())]),
            ),
            body: t.t_attr("mail-handler-body", &args(vec![("type", type_name)])),
        });
        out
    }
}

/// Where someone who is not satisfied with an answer about accessibility
/// can turn: the supervisory authority, as DOS-lagen (18 §) provides.
pub const DIGG_PARAGRAPH: &str = "Om du inte är nöjd med vårt svar kan du anmäla det till \
Myndigheten för digital förvaltning (DIGG), som har tillsyn över lagen om tillgänglighet \
till digital offentlig service. Anmälan gör du på https://www.digg.se/tdosanmalan. \
Du når också DIGG på info@digg.se och 0771-11 44 00.";

impl Notifier {
    /// A handläggare's reply to the requester of `reference`: the text they
    /// wrote, and for accessibility cases where to complain. Answers go to
    /// the type's handler mailbox (`reply_to`), not to the sender.
    pub fn reply(
        &self,
        kind: CaseKind,
        reference: &str,
        to: &str,
        text: &str,
        reply_to: Option<&str>,
    ) -> OutgoingMail {
        let mut body = text.trim_end().replace("\r\n", "\n");
        if matches!(kind, CaseKind::Accessibility | CaseKind::AltFormat) {
            body.push_str("\n\n");
            body.push_str(DIGG_PARAGRAPH);
        }
        body.push_str(&format!("\n\nÄrende: {reference}\n"));
        OutgoingMail {
            reply_to: Some(reply_to.unwrap_or_else(|| self.handler(kind)).to_owned()),
            attachment: None,
            message_id: format!(
                "<{reference}.svar.{}@{}>",
                uuid::Uuid::new_v4().simple(),
                self.host
            ),
            recipient: to.to_owned(),
            subject: format!("Svar på ditt ärende {reference}"),
            body,
            recipient_key: None,
        }
    }
}
