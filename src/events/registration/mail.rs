//! The e-mails of registration, written in Swedish. Each carries the
//! personal link as a sealed placeholder (the worker puts the token in at
//! delivery, so the outbox never holds a link that opens anything), and
//! the ones that put the event in a calendar carry it as an iCalendar
//! file. Only the confirmation of a seat (at registration or when moved up
//! from the waiting list) and the reminder ever carry a digital event's
//! meeting link.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::model::{Kind, Registration};
use crate::events::ics::{self, Invitation, Method};
use crate::events::model::{stockholm_local, Event, Format};
use crate::events::view;
use crate::mail::{seal, OutgoingMail};

/// What the site's settings give every registration e-mail.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// `FRIDHEM_BASE_URL` without a trailing slash.
    pub base_url: String,
    /// The sender's bare address (`noreply@kommun.se`), the calendar
    /// files' organiser.
    pub from_address: String,
    /// The site's host, for Message-IDs.
    pub host: String,
    /// The municipality that runs the site (who to ask).
    pub site_owner: String,
    /// Days after the event that registrations are kept.
    pub retention_days: i64,
}

/// Which e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Letter {
    /// A seat at registration.
    Registered,
    /// On the waiting list at place N.
    Waiting(i64),
    /// Moved up from the waiting list: the confirmation of the seat.
    Promoted,
    /// The person cancelled.
    Cancelled,
    /// The personal link once more (asked for, or a repeated registration).
    LinkAgain,
    /// 24 hours before the start, to those with a seat.
    Reminder,
    /// Staff cancelled the event.
    EventCancelled,
    /// Staff changed the time or the place.
    Changed,
    /// Staff wrote to the people registered: subject and text.
    Message(String, String),
}

impl Letter {
    fn role(&self) -> &'static str {
        match self {
            Letter::Registered => "anmald",
            Letter::Waiting(_) => "vantelista",
            Letter::Promoted => "plats",
            Letter::Cancelled => "avbokad",
            Letter::LinkAgain => "lank",
            Letter::Reminder => "paminnelse",
            Letter::EventCancelled => "installt",
            Letter::Changed => "andrat",
            Letter::Message(..) => "meddelande",
        }
    }

    /// The letters that may carry a digital event's meeting link: those
    /// that confirm a seat, and the reminder.
    fn carries_link(&self) -> bool {
        matches!(
            self,
            Letter::Registered | Letter::Promoted | Letter::Reminder
        )
    }
}

/// The event as the e-mail describes it.
pub struct About<'a> {
    pub event: &'a Event,
    pub organiser: &'a str,
}

impl Mailer {
    /// The personal link as an e-mail carries it: a placeholder the worker
    /// replaces with the token made from `nonce`.
    fn link(&self, nonce: &str) -> String {
        format!("{}/anmalan/{}", self.base_url, seal::placeholder(nonce))
    }

    fn event_url(&self, event: &Event) -> String {
        format!("{}{}", self.base_url, event.path())
    }

    pub fn compose(
        &self,
        letter: &Letter,
        about: &About<'_>,
        r: &Registration,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let e = about.event;
        let subject = match letter {
            Letter::Registered => format!("Du är anmäld: {}", e.title),
            Letter::Waiting(_) => format!("Du står på väntelistan: {}", e.title),
            Letter::Promoted => format!("Du har fått en plats: {}", e.title),
            Letter::Cancelled => format!("Din anmälan är avbokad: {}", e.title),
            Letter::LinkAgain => format!("Din anmälan: {}", e.title),
            Letter::Reminder => format!("Påminnelse: {}", e.title),
            Letter::EventCancelled => format!("Inställt: {}", e.title),
            Letter::Changed => format!("Ändrad tid eller plats: {}", e.title),
            Letter::Message(subject, _) => format!("{} – {}", seal::defuse(subject), e.title),
        };
        // Everything a person or staff member typed is defused: only the
        // personal link below may be a placeholder.
        let mut body = format!("Hej {},\n\n", seal::defuse(&r.name));
        let _ = match letter {
            Letter::Registered => writeln!(body, "du är anmäld till {}.", e.title),
            Letter::Waiting(place) => writeln!(
                body,
                "{} är fullbokat. Du står på väntelistan, på plats {place}. Om någon avbokar får du platsen i tur och ordning, och vi skickar ett nytt e-postmeddelande.",
                e.title
            ),
            Letter::Promoted => writeln!(
                body,
                "en plats har blivit ledig och du har fått den: du är nu anmäld till {}.",
                e.title
            ),
            Letter::Cancelled => writeln!(
                body,
                "din anmälan till {} är avbokad. Tack för att du sa till, då kan någon annan få platsen.",
                e.title
            ),
            Letter::LinkAgain => writeln!(
                body,
                "här är länken till din anmälan till {}, som du bad om.",
                e.title
            ),
            Letter::Reminder => writeln!(
                body,
                "välkommen till {}! Här är en påminnelse om tid och plats. Kan du inte komma, avboka gärna så att någon annan får platsen.",
                e.title
            ),
            Letter::EventCancelled => writeln!(
                body,
                "{} är tyvärr inställt.{}",
                e.title,
                e.cancel_reason
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default()
            ),
            Letter::Changed => writeln!(
                body,
                "tiden eller platsen för {} har ändrats. Det här gäller nu:",
                e.title
            ),
            Letter::Message(_, text) => writeln!(
                body,
                "ett meddelande från arrangören av {}:\n\n{}",
                e.title,
                seal::defuse(text)
            ),
        };
        body.push('\n');
        self.describe(&mut body, about, r);
        let link = match e.format {
            Format::Digital
                if letter.carries_link() && r.state == super::model::State::Registered =>
            {
                e.meeting_link.as_ref().map(|l| l.as_str())
            }
            _ => None,
        };
        if let Some(link) = link {
            let _ = writeln!(
                body,
                "Länk till mötet: {link}\nDela inte länken: den är bara för dig som är anmäld.\n"
            );
        }
        if !matches!(letter, Letter::Cancelled | Letter::EventCancelled) {
            let _ = writeln!(
                body,
                "Din personliga länk, där du ser din anmälan och kan avboka:\n{}\nDen som har länken kan avboka, så dela den inte.\n",
                self.link(&r.token_nonce)
            );
        }
        let _ = writeln!(
            body,
            "Vi sparar det du skrev i anmälan för att ordna evenemanget och raderar det {} dagar efter evenemanget. Frågor om dina uppgifter ställer du till {}.\n\nMed vänliga hälsningar\n{}",
            self.retention_days, self.site_owner, about.organiser
        );
        // Calendar files go to those whose calendar has the event: a seat
        // (or had one, when it is taken out).
        let seated = r.state == super::model::State::Registered;
        let method = match letter {
            Letter::Registered | Letter::Promoted | Letter::Reminder => Some(Method::Request),
            Letter::Changed if seated => Some(Method::Request),
            Letter::Cancelled | Letter::EventCancelled
                if seated || *letter == Letter::Cancelled =>
            {
                Some(Method::Cancel)
            }
            _ => None,
        };
        let uid = format!("anmalan-{}-{}", r.id, e.uid);
        let attachment = method.map(|method| {
            let invitation = Invitation {
                uid: &uid,
                entry: ics::Entry {
                    event: e,
                    url: self.event_url(e),
                    organiser: about.organiser,
                },
                method,
                organiser_address: &self.from_address,
                attendee_name: &r.name,
                attendee_address: &r.email,
                // The person's own cancellation changes their copy, not
                // the event: one more than the event's own.
                sequence: e.sequence + i64::from(*letter == Letter::Cancelled),
                meeting_link: link,
            };
            ics::invitation(now, &invitation)
        });
        OutgoingMail {
            message_id: format!(
                "<anmalan.{}.{}.{}@{}>",
                r.id,
                letter.role(),
                uuid::Uuid::new_v4().simple(),
                self.host
            ),
            recipient: r.email.clone(),
            subject,
            body,
            recipient_key: None,
            reply_to: None,
            attachment,
        }
    }

    /// When, where, who arranges it, and what the person registered.
    fn describe(&self, body: &mut String, about: &About<'_>, r: &Registration) {
        let e = about.event;
        let _ = writeln!(
            body,
            "När: {}, {}",
            view::day_heading(stockholm_local(e.starts_at).date()),
            view::time_span(e.starts_at, e.ends_at)
        );
        let _ = writeln!(body, "Var: {}", e.location());
        let _ = writeln!(body, "Arrangör: {}", about.organiser);
        let _ = writeln!(body, "Om evenemanget: {}", self.event_url(e));
        match r.kind {
            Kind::Class => {
                let _ = writeln!(
                    body,
                    "Bokat för: {}, klass {}, {} elever",
                    seal::defuse(r.school.as_deref().unwrap_or("")),
                    seal::defuse(r.class_name.as_deref().unwrap_or("")),
                    r.seats
                );
            }
            Kind::Person | Kind::Employee => {}
        }
        if let Some(needs) = &r.needs {
            let _ = writeln!(body, "Behov du skrev: {}", seal::defuse(needs));
        }
        body.push('\n');
    }
}
