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
    /// What just happened, before the codes.
    pub intro: &'static str,
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

/// A role to choose, with what it lets the person do.
pub struct RoleChoice {
    pub name: &'static str,
    pub label: &'static str,
    pub scope: &'static str,
    pub checked: bool,
}

/// "Bjud in": the administrator's form.
#[derive(Template)]
#[template(path = "admin/invite.html")]
pub struct Invite {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub csrf: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleChoice>,
    pub email_error: Option<String>,
    pub name_error: Option<String>,
    pub roles_error: Option<String>,
}

/// Choosing a password from an e-mailed link (invitation or reset).
#[derive(Template)]
#[template(path = "admin/choose_password.html")]
pub struct ChoosePassword {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub intro: &'static str,
    pub action: String,
    pub token: String,
    pub email: String,
    pub button: &'static str,
    pub password_error: Option<String>,
    pub repeat_error: Option<String>,
}

/// What an unusable link says: what happened and whom to ask.
#[derive(Template)]
#[template(path = "admin/link.html")]
pub struct LinkPage {
    pub layout: AdminLayout,
    pub paragraphs: Vec<String>,
    pub next: Option<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "admin/forgot.html")]
pub struct Forgot {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub sent: bool,
    pub token: String,
    pub email: String,
    pub email_error: Option<String>,
}

/// One row of "Mina sessioner".
pub struct SessionLine {
    pub handle: String,
    pub browser: String,
    pub started: String,
    pub last_active: String,
    pub this: bool,
}

/// `/admin/konto`.
#[derive(Template)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    pub layout: AdminLayout,
    pub errors: Vec<Problem>,
    pub done: Option<&'static str>,
    pub csrf: String,
    pub email: String,
    pub current_error: Option<String>,
    pub password_error: Option<String>,
    pub repeat_error: Option<String>,
    pub code_error: Option<String>,
    pub sessions: Vec<SessionLine>,
    pub others: usize,
}
