//! The audit log: who did what to which object, and when. Append-only (a
//! trigger refuses UPDATE on both databases); each entry is written by the
//! writer job that makes the change, in the same transaction, so the log
//! and the data never disagree. It never holds passwords, codes, session
//! tokens, or anything a requester wrote about themselves.

pub mod routes;
pub mod service;
pub mod store;

/// What was done. The code is what is stored; the label is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    TotpEnrolled,
    RecoveryCodeUsed,
    SignOut,
    SessionExpired,
    AccountCreated,
    AccountDeactivated,
    AccountReactivated,
    RolesChanged,
    SecondFactorReset,
    InvitationSent,
    InvitationAccepted,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    RecoveryCodesRenewed,
    SessionEnded,
    CaseViewed,
    CaseAssigned,
    CaseStatusChanged,
    CaseNoteAdded,
    CaseReplied,
    CaseAnswered,
    ProblemPublished,
    ProblemFixed,
    CaseTypeChanged,
    MailResent,
    MailDiscarded,
    AuditExported,
    CasePurged,
    AuditPruned,
    PageDraftSaved,
    PagePublished,
    PageRevisionRestored,
    ServiceDraftSaved,
    ServicePublished,
    ServiceVerified,
    StatementChanged,
    TranslationSaved,
    OrganizationPublished,
    ServiceTranslationSaved,
    OrganizationTranslationSaved,
    CampaignSaved,
    CampaignCopied,
    EventCreated,
    EventCopied,
    EventSaved,
    EventPublished,
    EventCancelled,
    RegistrationCreated,
    RegistrationCancelled,
    RegistrationPromoted,
    RegistrationLinkSent,
    ParticipantsViewed,
    WaitingListReordered,
    ParticipantsMessaged,
    CapacityRaised,
    RegistrationsCleaned,
}

impl Action {
    pub const ALL: [Action; 59] = [
        Action::SignIn,
        Action::SignInFailed,
        Action::TotpEnrolled,
        Action::RecoveryCodeUsed,
        Action::SignOut,
        Action::SessionExpired,
        Action::AccountCreated,
        Action::AccountDeactivated,
        Action::AccountReactivated,
        Action::RolesChanged,
        Action::SecondFactorReset,
        Action::InvitationSent,
        Action::InvitationAccepted,
        Action::PasswordResetRequested,
        Action::PasswordReset,
        Action::PasswordChanged,
        Action::RecoveryCodesRenewed,
        Action::SessionEnded,
        Action::CaseViewed,
        Action::CaseAssigned,
        Action::CaseStatusChanged,
        Action::CaseNoteAdded,
        Action::CaseReplied,
        Action::CaseAnswered,
        Action::ProblemPublished,
        Action::ProblemFixed,
        Action::CaseTypeChanged,
        Action::MailResent,
        Action::MailDiscarded,
        Action::AuditExported,
        Action::CasePurged,
        Action::AuditPruned,
        Action::PageDraftSaved,
        Action::PagePublished,
        Action::PageRevisionRestored,
        Action::ServiceDraftSaved,
        Action::ServicePublished,
        Action::ServiceVerified,
        Action::StatementChanged,
        Action::TranslationSaved,
        Action::OrganizationPublished,
        Action::ServiceTranslationSaved,
        Action::OrganizationTranslationSaved,
        Action::CampaignSaved,
        Action::CampaignCopied,
        Action::EventCreated,
        Action::EventCopied,
        Action::EventSaved,
        Action::EventPublished,
        Action::EventCancelled,
        Action::RegistrationCreated,
        Action::RegistrationCancelled,
        Action::RegistrationPromoted,
        Action::RegistrationLinkSent,
        Action::ParticipantsViewed,
        Action::WaitingListReordered,
        Action::ParticipantsMessaged,
        Action::CapacityRaised,
        Action::RegistrationsCleaned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::SignIn => "sign-in",
            Action::SignInFailed => "sign-in-failed",
            Action::TotpEnrolled => "totp-enrolled",
            Action::RecoveryCodeUsed => "recovery-code-used",
            Action::SignOut => "sign-out",
            Action::SessionExpired => "session-expired",
            Action::AccountCreated => "account-created",
            Action::AccountDeactivated => "account-deactivated",
            Action::AccountReactivated => "account-reactivated",
            Action::RolesChanged => "roles-changed",
            Action::SecondFactorReset => "second-factor-reset",
            Action::InvitationSent => "invitation-sent",
            Action::InvitationAccepted => "invitation-accepted",
            Action::PasswordResetRequested => "password-reset-requested",
            Action::PasswordReset => "password-reset",
            Action::PasswordChanged => "password-changed",
            Action::RecoveryCodesRenewed => "recovery-codes-renewed",
            Action::SessionEnded => "session-ended",
            Action::CaseViewed => "case-viewed",
            Action::CaseAssigned => "case-assigned",
            Action::CaseStatusChanged => "case-status-changed",
            Action::CaseNoteAdded => "case-note-added",
            Action::CaseReplied => "case-replied",
            Action::CaseAnswered => "case-answered",
            Action::ProblemPublished => "problem-published",
            Action::ProblemFixed => "problem-fixed",
            Action::CaseTypeChanged => "case-type-changed",
            Action::MailResent => "mail-resent",
            Action::MailDiscarded => "mail-discarded",
            Action::AuditExported => "audit-exported",
            Action::CasePurged => "case-purged",
            Action::AuditPruned => "audit-pruned",
            Action::PageDraftSaved => "page-draft-saved",
            Action::PagePublished => "page-published",
            Action::PageRevisionRestored => "page-revision-restored",
            Action::ServiceDraftSaved => "service-draft-saved",
            Action::ServicePublished => "service-published",
            Action::ServiceVerified => "service-verified",
            Action::StatementChanged => "statement-changed",
            Action::TranslationSaved => "page-translation-saved",
            Action::OrganizationPublished => "organization-published",
            Action::ServiceTranslationSaved => "service-translation-saved",
            Action::OrganizationTranslationSaved => "organization-translation-saved",
            Action::CampaignSaved => "campaign-saved",
            Action::CampaignCopied => "campaign-copied",
            Action::EventCreated => "event-created",
            Action::EventCopied => "event-copied",
            Action::EventSaved => "event-saved",
            Action::EventPublished => "event-published",
            Action::EventCancelled => "event-cancelled",
            Action::RegistrationCreated => "registration-created",
            Action::RegistrationCancelled => "registration-cancelled",
            Action::RegistrationPromoted => "registration-promoted",
            Action::RegistrationLinkSent => "registration-link-sent",
            Action::ParticipantsViewed => "participants-viewed",
            Action::WaitingListReordered => "waiting-list-reordered",
            Action::ParticipantsMessaged => "participants-messaged",
            Action::CapacityRaised => "event-capacity-raised",
            Action::RegistrationsCleaned => "registrations-purged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::SignIn => "Inloggning",
            Action::SignInFailed => "Misslyckad inloggning",
            Action::TotpEnrolled => "Tvåstegsverifiering registrerad",
            Action::RecoveryCodeUsed => "Återställningskod använd",
            Action::SignOut => "Utloggning",
            Action::SessionExpired => "Session avslutad",
            Action::AccountCreated => "Konto skapat",
            Action::AccountDeactivated => "Konto avstängt",
            Action::AccountReactivated => "Konto återaktiverat",
            Action::RolesChanged => "Roller ändrade",
            Action::SecondFactorReset => "Tvåstegsverifiering nollställd",
            Action::InvitationSent => "Inbjudan skickad",
            Action::InvitationAccepted => "Inbjudan använd, lösenord valt",
            Action::PasswordResetRequested => "Nytt lösenord begärt",
            Action::PasswordReset => "Lösenord bytt via e-postlänk",
            Action::PasswordChanged => "Lösenord bytt",
            Action::RecoveryCodesRenewed => "Nya återställningskoder",
            Action::SessionEnded => "Session avslutad av kontots ägare",
            Action::CaseViewed => "Ärende öppnat",
            Action::CaseAssigned => "Ärende tilldelat",
            Action::CaseStatusChanged => "Ärendets status ändrad",
            Action::CaseNoteAdded => "Anteckning i ärende",
            Action::CaseReplied => "Svar skickat med e-post",
            Action::CaseAnswered => "Svar givet per telefon eller brev",
            Action::ProblemPublished => "Brist publicerad i tillgänglighetsredogörelsen",
            Action::ProblemFixed => "Brist åtgärdad",
            Action::CaseTypeChanged => "Inställningar för ärendetyp ändrade",
            Action::MailResent => "E-post skickas igen",
            Action::MailDiscarded => "E-post kasserad",
            Action::AuditExported => "Granskningsloggen exporterad",
            Action::CasePurged => "Personuppgifter i ärende gallrade",
            Action::AuditPruned => "Gamla händelser i loggen gallrade",
            Action::PageDraftSaved => "Utkast till sida sparat",
            Action::PagePublished => "Sida publicerad",
            Action::PageRevisionRestored => "Tidigare version av sida återställd som utkast",
            Action::ServiceDraftSaved => "Utkast till hjälptjänst sparat",
            Action::ServicePublished => "Hjälptjänst publicerad",
            Action::ServiceVerified => "Hjälptjänst kontrollerad",
            Action::StatementChanged => "Tillgänglighetsredogörelsen ändrad",
            Action::TranslationSaved => "Översättning av sida sparad",
            Action::OrganizationPublished => "Organisation i hjälpkatalogen publicerad",
            Action::ServiceTranslationSaved => "Översättning av hjälptjänst sparad",
            Action::OrganizationTranslationSaved => "Översättning av organisation sparad",
            Action::CampaignSaved => "Kampanj sparad",
            Action::CampaignCopied => "Kampanj kopierad från förra året",
            Action::EventCreated => "Evenemang skapat",
            Action::EventCopied => "Evenemang kopierat",
            Action::EventSaved => "Evenemang ändrat",
            Action::EventPublished => "Evenemang publicerat",
            Action::EventCancelled => "Evenemang inställt",
            Action::RegistrationCreated => "Anmälan till evenemang gjord",
            Action::RegistrationCancelled => "Anmälan till evenemang avbokad",
            Action::RegistrationPromoted => "Anmäld från väntelistan",
            Action::RegistrationLinkSent => "Personlig länk till anmälan skickad igen",
            Action::ParticipantsViewed => "Deltagarlista visad",
            Action::WaitingListReordered => "Väntelistan ändrad",
            Action::ParticipantsMessaged => "Meddelande till deltagare",
            Action::CapacityRaised => "Fler platser på evenemang",
            Action::RegistrationsCleaned => "Anmälningars personuppgifter gallrade",
        }
    }
}

/// The note of a saved translation: its language, the date of the Swedish
/// text it follows and whether a native speaker has reviewed it.
pub fn translation_note(lang: &str, follows: chrono::NaiveDate, reviewed: bool) -> String {
    let review = if reviewed {
        "granskad"
    } else {
        "inte granskad"
    };
    format!("{lang}; följer svensk text från {follows}; {review}")
}

/// One entry to write. `detail` is a short note in Swedish for people
/// reading the log; it must never carry personal data of a requester.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor: Option<i64>,
    pub action: Action,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    pub detail: String,
}

impl Entry {
    pub fn new(actor: Option<i64>, action: Action) -> Entry {
        Entry {
            actor,
            action,
            object_type: None,
            object_id: None,
            detail: String::new(),
        }
    }

    /// The object acted on, e.g. `("konto", "12")`.
    pub fn on(mut self, object_type: &'static str, object_id: impl ToString) -> Entry {
        self.object_type = Some(object_type);
        self.object_id = Some(object_id.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = detail.into();
        self
    }
}
