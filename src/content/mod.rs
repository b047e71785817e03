//! Editorial pages (start, guidance, campaigns) and the accessibility
//! statement, all stored in the database as data.

pub mod model;
pub mod routes;
pub mod store;
