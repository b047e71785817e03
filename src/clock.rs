//! Time comes from an injected clock so "open now" and dates can be pinned
//! in tests.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Stockholm;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Sweden, which is what editors and visitors mean.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Stockholm).date_naive()
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
