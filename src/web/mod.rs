//! HTTP infrastructure: state, middleware, errors, frames, caches, the
//! accept loop. Nothing here knows a domain; the routers are assembled in
//! the composition root (`app.rs`) from the public and staff surfaces and
//! the domains' routes.

pub mod assets;
pub mod cache;
pub mod client_ip;
pub mod compress;
pub mod csrf;
pub mod csv;
pub mod error;
pub mod field_errors;
pub mod form;
pub mod format;
pub mod front;
pub mod headers;
pub mod i18n;
pub mod layout;
pub mod log;
pub mod middleware;
pub mod paging;
pub mod rate_limit;
pub mod render;
pub mod server;
pub mod state;

pub use middleware::MAX_BODY_BYTES;
pub use state::AppState;
