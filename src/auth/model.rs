//! Who works in the back office and what they may do.

use std::fmt;

/// A role an account may hold; an account holds any set of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Administrator,
    Redaktor,
    HandlaggareTg,
    HandlaggareAf,
    HandlaggareKo,
    Evenemangsansvarig,
    InteEnsamSamordnare,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::Redaktor,
        Role::HandlaggareTg,
        Role::HandlaggareAf,
        Role::HandlaggareKo,
        Role::Evenemangsansvarig,
        Role::InteEnsamSamordnare,
    ];

    /// The name used on the command line, in forms and in the database.
    pub fn name(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Redaktor => "redaktor",
            Role::HandlaggareTg => "handlaggare-tg",
            Role::HandlaggareAf => "handlaggare-af",
            Role::HandlaggareKo => "handlaggare-ko",
            Role::Evenemangsansvarig => "evenemangsansvarig",
            Role::InteEnsamSamordnare => "inte-ensam-samordnare",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The role as people say it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "Administratör",
            Role::Redaktor => "Redaktör",
            Role::HandlaggareTg => "Handläggare, tillgänglighetsärenden",
            Role::HandlaggareAf => "Handläggare, alternativt format",
            Role::HandlaggareKo => "Handläggare, kontaktärenden",
            Role::Evenemangsansvarig => "Evenemangsansvarig",
            Role::InteEnsamSamordnare => "Samordnare för Inte ensam",
        }
    }

    /// What the role lets a person do, for the start page.
    pub fn scope(self) -> &'static str {
        match self {
            Role::Administrator => {
                "Allt i Fridhem: konton och roller, ärenden, innehåll, evenemang och partner."
            }
            Role::Redaktor => "Sidorna, hjälpkatalogen och tillgänglighetsredogörelsen.",
            Role::HandlaggareTg => "Anmälningar om brister i tillgängligheten (TG).",
            Role::HandlaggareAf => "Beställningar av innehåll i annat format (AF).",
            Role::HandlaggareKo => "Meddelanden från kontaktformuläret (KO).",
            Role::Evenemangsansvarig => "Programmet för En månad fri från våld och anmälningarna.",
            Role::InteEnsamSamordnare => {
                "Bostadsbolagen i Inte ensam, deras beställningar och utbildningar."
            }
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A signed-in person, as every back-office handler sees them.
#[derive(Debug, Clone)]
pub struct Staff {
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    /// SHA-256 of the session's token (hex): what the CSRF token is bound to.
    pub session: String,
}

impl Staff {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Administrator)
    }

    /// Whether one of `allowed` is held; an administrator may do everything.
    pub fn may(&self, allowed: &[Role]) -> bool {
        self.is_admin() || allowed.iter().any(|r| self.roles.contains(r))
    }
}

/// An account's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Invited,
    Active,
    Deactivated,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::Active => "active",
            Status::Deactivated => "deactivated",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        [Status::Invited, Status::Active, Status::Deactivated]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// An account as sign-in needs it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub status: Status,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: Option<i64>,
    pub roles: Vec<Role>,
}
