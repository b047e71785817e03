//! Editorial pages (start, guidance, campaigns), the accessibility
//! statement and the privacy notice, all stored in the database as data.

pub mod editing;
pub mod markdown;
pub mod model;
pub mod revisions;
pub mod routes;
pub mod service;
pub mod statement_editing;
pub mod store;
pub mod translating;
pub mod wcag;
