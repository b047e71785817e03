//! Registration as the pages show it: the event page's section (where
//! registration stands, the seats left, the form) and the personal page.

use chrono::{DateTime, Utc};

use super::form;
use super::model::{Kind, Registration, Seats, State, Window};
use crate::events::model::{stockholm_local, Campaign, Event};
use crate::events::view;
use crate::web::field_errors::FieldError;
use crate::web::form::Submitted;

/// A choice of municipality (employees' form).
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The event page's registration section.
pub struct Section {
    /// none | not-yet | open | closed | cancelled
    pub stage: &'static str,
    /// "Anmälan öppnar tisdag 3 november 2026 kl. 09.00."
    pub opens: String,
    /// "Anmälan stänger …", while open.
    pub closes: String,
    /// "12 platser kvar", "Fullbokat", or nothing when not limited.
    pub seats: Option<String>,
    /// No seat left: new registrations go on the waiting list.
    pub full: bool,
    /// person | klass | anstalld
    pub kind: &'static str,
    pub token: String,
    pub action: String,
    pub values: Values,
    pub municipalities: Vec<Choice>,
    pub errors: Vec<FieldError>,
    /// A whole-form message (closed meanwhile, refused, too few seats).
    pub notice: Option<String>,
    pub max_pupils: i64,
    /// Days after the event that the answers are kept (the notice says).
    pub retention_days: u32,
}

impl Section {
    pub fn err(&self, field: &str) -> Option<&str> {
        crate::web::field_errors::message(&self.errors, field)
    }

    pub fn described(&self, field: &str, hint: bool) -> String {
        let mut ids = vec![];
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.err(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }
}

/// What was typed, to show again.
#[derive(Default)]
pub struct Values {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub school: String,
    pub class_name: String,
    pub pupils: String,
    pub needs: String,
    pub wait: bool,
    /// School staff registering only themselves.
    pub alone: bool,
}

impl Values {
    pub fn from(input: &Submitted) -> Values {
        Values {
            name: input.get(form::NAME).to_owned(),
            email: input.get(form::EMAIL).to_owned(),
            organisation: input.get(form::ORGANISATION).to_owned(),
            school: input.get(form::SCHOOL).to_owned(),
            class_name: input.get(form::CLASS).to_owned(),
            pupils: input.get(form::PUPILS).to_owned(),
            needs: input.get(form::NEEDS).to_owned(),
            wait: input.get(form::WAIT) == "ja",
            alone: input.get(form::WHO) == "person",
        }
    }
}

/// "tisdag 3 november 2026 kl. 09.00"
pub fn moment(at: DateTime<Utc>) -> String {
    let local = stockholm_local(at);
    format!(
        "{} kl. {}",
        view::day_heading(local.date()),
        local.format("%H.%M")
    )
}

/// "12 platser kvar", "1 plats kvar", "Fullbokat".
pub fn seats_text(left: i64) -> String {
    match left {
        0 => "Fullbokat".to_owned(),
        1 => "1 plats kvar".to_owned(),
        n => format!("{n} platser kvar"),
    }
}

/// The section for `event` as it stands: `input` and `errors` are what
/// was sent when the form comes back.
#[allow(clippy::too_many_arguments)]
pub fn section(
    event: &Event,
    campaign: &Campaign,
    seats: Seats,
    stage: Window,
    token: String,
    input: &Submitted,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Section {
    let left = seats.left(event.capacity);
    let full = left.is_some_and(|l| l == 0);
    let kind = super::model::Kind::for_audience(event.audience);
    let chosen = input.get(form::MUNICIPALITY);
    Section {
        stage: if event.is_cancelled() {
            "cancelled"
        } else {
            match stage {
                Window::NoRegistration => "none",
                Window::NotYet(_) => "not-yet",
                Window::Open => "open",
                Window::Closed => "closed",
            }
        },
        opens: match stage {
            Window::NotYet(at) => format!("Anmälan öppnar {}.", moment(at)),
            _ => String::new(),
        },
        closes: event
            .registration_closes_at
            .map(|c| format!("Anmälan stänger {}.", moment(c.min(event.starts_at))))
            .unwrap_or_default(),
        seats: left.map(seats_text),
        full,
        kind: kind.code(),
        token,
        action: event.path(),
        values: Values::from(input),
        municipalities: if kind == Kind::Employee {
            campaign
                .municipalities
                .iter()
                .map(|m| Choice {
                    value: m.slug.clone(),
                    label: m.name.clone(),
                    checked: m.slug == chosen,
                })
                .collect()
        } else {
            vec![]
        },
        errors,
        notice,
        max_pupils: form::MAX_PUPILS,
        retention_days: 30,
    }
}

/// The personal page's heading: where the registration stands.
pub fn standing(state: State, place: Option<i64>) -> String {
    match (state, place) {
        (State::Registered, _) => "Du är anmäld".to_owned(),
        (State::Waiting, Some(n)) => format!("Du står på väntelistan (plats {n})"),
        (State::Waiting, None) => "Du står på väntelistan".to_owned(),
        (State::Cancelled, _) => "Anmälan är avbokad".to_owned(),
        (State::EventCancelled, _) => "Evenemanget är inställt".to_owned(),
    }
}

/// What the person registered, as label and value lines.
pub fn details(r: &Registration, campaign: Option<&Campaign>) -> Vec<(&'static str, String)> {
    let mut out = vec![("Namn", r.name.clone()), ("E-post", r.email.clone())];
    if let Some(o) = &r.organisation {
        out.push(("Organisation", o.clone()));
    }
    if let Some(m) = &r.municipality {
        let name = campaign
            .and_then(|c| c.municipality(m))
            .map_or_else(|| m.clone(), |m| m.name.clone());
        out.push(("Kommun", name));
    }
    if r.kind == Kind::Class {
        out.push(("Skola", r.school.clone().unwrap_or_default()));
        out.push(("Klass", r.class_name.clone().unwrap_or_default()));
        out.push(("Antal elever", r.seats.to_string()));
    }
    if let Some(n) = &r.needs {
        out.push(("Behov", n.clone()));
    }
    out
}
