//! Cases sent through the public forms: accessibility problems (TG),
//! requests for another format (AF) and contact (KO). A case is stored,
//! with its reference and outgoing e-mail, before anyone is told it arrived.

pub mod dashboard;
pub mod forms;
pub mod handling;
pub mod inbox;
pub mod model;
pub mod notify;
pub mod routes;
pub mod service;
pub mod settings;
pub mod store;
pub mod view;
