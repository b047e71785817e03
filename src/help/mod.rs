//! The help directory: organisations, their services and phone lines with
//! opening hours, shown at `/hjalp`, in the help box on every page and as
//! Open Referral (HSDS 3.0) open data.

pub mod edit;
pub mod editing;
pub mod help_box;
pub mod hours;
pub mod model;
pub mod openreferral;
pub mod organizations;
pub mod routes;
pub mod service;
pub mod store;
pub mod translating;
pub mod view;

pub use hours::{Interval, OpenStatus, WeeklyHours};
pub use model::*;
