//! Integration tests: the real server on an ephemeral port, spoken to over
//! HTTP, on SQLite (and on PostgreSQL where `--include-ignored` is given).

mod at_rest;
mod audit_log;
mod cache;
mod cases_handling;
mod crash;
mod dashboard;
mod events;
mod forms;
mod help_editing;
mod helpers;
mod hostile;
mod hours;
mod languages;
mod layering;
mod openreferral;
mod outage;
mod page_editing;
mod page_translations;
mod pages;
mod process;
mod proptest_forms;
mod registration;
mod retention;
mod safe_markdown;
mod schema;
mod security;
mod smtp;
mod staff;
mod staff_accounts;
mod statement_editing;
mod surfaces;
mod writer;
