//! Registration for the campaign's events (part 2): people, school
//! classes and the municipalities' employees take seats; a full event
//! keeps a waiting list that moves by itself; everyone has a personal link
//! to see or cancel their registration; e-mails carry calendar files.
//!
//! Seats are claimed inside the writer's transaction with the event's row
//! locked (`FOR UPDATE` on PostgreSQL; SQLite has one writer), so two
//! instances and any number of people at once can never take more seats
//! than the event has.

pub mod form;
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;
pub mod staff;
pub mod store;
pub mod view;
