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

/// What an e-mailed link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Choose a password for an invited account.
    Invitation,
    /// Choose a new password after forgetting it.
    Reset,
}

impl LinkPurpose {
    pub fn code(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
        }
    }

    pub fn parse(code: &str) -> Option<LinkPurpose> {
        [LinkPurpose::Invitation, LinkPurpose::Reset]
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// How long a link stays usable: an invitation waits over a weekend,
    /// a reset link is for someone at the keyboard now.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            LinkPurpose::Invitation => chrono::Duration::hours(72),
            LinkPurpose::Reset => chrono::Duration::hours(1),
        }
    }

    /// The account state in which the link may be used.
    pub fn needs(self) -> Status {
        match self {
            LinkPurpose::Invitation => Status::Invited,
            LinkPurpose::Reset => Status::Active,
        }
    }
}

/// A link found by its token, with what its page needs to say about it.
#[derive(Debug, Clone)]
pub struct Link {
    pub account_id: i64,
    pub purpose: LinkPurpose,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub used: bool,
    pub voided: bool,
    pub account_name: String,
    pub account_email: String,
    pub account_status: Status,
    /// Whether the account has its app: a reset link needs it.
    pub account_enrolled: bool,
    /// The administrator who sent an invitation: whom to ask for a new one.
    pub inviter: Option<(String, String)>,
}

/// Whether a link can be followed, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Open,
    Used,
    /// A newer link of the same kind was sent, or the account was closed.
    Voided,
    Expired,
}

impl Link {
    pub fn state(&self, now: chrono::DateTime<chrono::Utc>) -> LinkState {
        if self.used {
            LinkState::Used
        } else if self.voided
            || self.account_status != self.purpose.needs()
            || (self.purpose == LinkPurpose::Reset && !self.account_enrolled)
        {
            LinkState::Voided
        } else if now >= self.expires_at {
            LinkState::Expired
        } else {
            LinkState::Open
        }
    }
}

/// The `password_hash` of an invited account that has not chosen one:
/// no Argon2 hash is empty, so nothing verifies against it.
pub const NO_PASSWORD: &str = "";

/// One of a person's own sessions, for `/admin/konto`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnSession {
    pub id_hash: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub browser: String,
}

impl OwnSession {
    /// How forms name a session: the start of its hash. The page shows
    /// a person's own sessions only, and a short handle is all a button
    /// needs to tell them apart.
    pub fn handle(&self) -> &str {
        &self.id_hash[..SESSION_HANDLE_LEN.min(self.id_hash.len())]
    }
}

/// Hex digits of a session hash that name it in forms: 64 bits, unique
/// among one person's few sessions.
pub const SESSION_HANDLE_LEN: usize = 16;
