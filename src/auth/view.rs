//! The sign-in pages.

use askama::Template;

use crate::web::layout::AdminLayout;

/// A problem shown in the error summary and at its field.
pub struct Problem {
    pub href: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "admin/signin.html")]
pub struct SignIn {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub token: String,
    pub till: String,
    pub email: String,
    pub email_error: Option<String>,
    pub password_error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/code.html")]
pub struct Code {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub pending: String,
    pub till: String,
    pub code_error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/enrol.html")]
pub struct Enrol {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub pending: String,
    pub till: String,
    pub qr: String,
    pub secret_grouped: String,
    pub code_error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/recovery.html")]
pub struct Recovery {
    pub layout: AdminLayout,
    pub codes: Vec<String>,
    pub till: String,
    /// A form sent while signed out, offered again after the codes.
    pub resend: Option<super::routes::Resend>,
    pub csrf: String,
}

/// After signing in again: what was sent while signed out, to send again.
#[derive(Template)]
#[template(path = "admin/resend.html")]
pub struct ResendPage {
    pub layout: AdminLayout,
    pub resend: super::routes::Resend,
    pub csrf: String,
}
