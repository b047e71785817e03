//! Shared "parse, don't validate" types: what several domains and the
//! configuration accept, checked in one place.

pub mod email_address;
pub mod phone_number;
pub mod text;

pub use email_address::EmailAddress;
pub use phone_number::PhoneNumber;
