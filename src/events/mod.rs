//! En månad fri från våld as a programme: campaigns (one November each,
//! shared by several municipalities), their events, the public pages with
//! filters, calendar files and feeds, and the staff pages that plan it.
//! Registration (part 2) builds on the same events.

pub mod edit;
pub mod editing;
pub mod ics;
pub mod model;
pub mod registration;
pub mod routes;
pub mod service;
pub mod store;
pub mod view;
