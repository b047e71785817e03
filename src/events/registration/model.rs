//! What a registration is: who (a person, a class, an employee), how many
//! seats it takes, and where it stands (a seat, the waiting list,
//! cancelled).

use chrono::{DateTime, Utc};

use crate::events::model::{Audience, Event, Status as EventStatus};
use crate::types::EmailAddress;

/// Who registers, which follows from the event's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One person, for the public and civil society.
    Person,
    /// A school class, booked by its teacher: as many seats as pupils.
    Class,
    /// An employee of one of the campaign's municipalities.
    Employee,
}

impl Kind {
    pub fn for_audience(audience: Audience) -> Kind {
        match audience {
            Audience::SchoolYouth => Kind::Class,
            Audience::Employees => Kind::Employee,
            Audience::CivilSociety | Audience::Public => Kind::Person,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Class => "klass",
            Kind::Employee => "anstalld",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [Kind::Person, Kind::Class, Kind::Employee]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Has its seats.
    Registered,
    /// On the waiting list, in `queue` order.
    Waiting,
    /// Cancelled by the person (or by staff for them).
    Cancelled,
    /// The event was cancelled.
    EventCancelled,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Registered => "anmald",
            State::Waiting => "vantelista",
            State::Cancelled => "avbokad",
            State::EventCancelled => "installd",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        [
            State::Registered,
            State::Waiting,
            State::Cancelled,
            State::EventCancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Still counts: has a seat or waits for one.
    pub fn is_active(self) -> bool {
        matches!(self, State::Registered | State::Waiting)
    }
}

/// A registration as submitted and checked, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub kind: Kind,
    pub name: String,
    pub email: EmailAddress,
    pub organisation: Option<String>,
    pub school: Option<String>,
    pub class_name: Option<String>,
    /// The municipality's slug, for employees.
    pub municipality: Option<String>,
    pub needs: Option<String>,
    /// 1, or the number of pupils of a class.
    pub seats: i64,
    /// A class that does not fit takes the waiting list instead of being
    /// asked (a person always does).
    pub wait_if_full: bool,
}

/// A stored registration, opened.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub kind: Kind,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub school: Option<String>,
    pub class_name: Option<String>,
    pub municipality: Option<String>,
    pub needs: Option<String>,
    pub seats: i64,
    pub state: State,
    pub queue: i64,
    pub token_nonce: String,
    pub created_at: DateTime<Utc>,
    pub promoted_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When its personal data was deleted on schedule.
    pub cleaned_at: Option<DateTime<Utc>>,
}

/// Whether people can register for an event now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The event takes no registrations (no times set).
    NoRegistration,
    NotYet(DateTime<Utc>),
    Open,
    Closed,
}

/// An event takes registrations when staff gave it an opening or a
/// closing time; it is open from the opening (or publication) until the
/// closing (or the start), and never for a cancelled or draft event.
pub fn window(event: &Event, now: DateTime<Utc>) -> Window {
    if event.registration_opens_at.is_none() && event.registration_closes_at.is_none() {
        return Window::NoRegistration;
    }
    let closes = event
        .registration_closes_at
        .map_or(event.starts_at, |c| c.min(event.starts_at));
    if event.status != EventStatus::Published || now >= closes {
        return Window::Closed;
    }
    match event.registration_opens_at {
        Some(opens) if now < opens => Window::NotYet(opens),
        _ => Window::Open,
    }
}

/// Seats taken and people waiting for one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seats {
    pub taken: i64,
    pub waiting: i64,
}

impl Seats {
    /// Free seats, `None` when the number is not limited.
    pub fn left(self, capacity: Option<i64>) -> Option<i64> {
        capacity.map(|c| (c - self.taken).max(0))
    }
}
