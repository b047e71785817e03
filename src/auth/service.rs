//! What can be done with staff accounts and sessions, one writer job per
//! use case, each with its audit entry in the same transaction.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::model::{LinkPurpose, Role, Status, NO_PASSWORD};
use super::store;
use crate::audit::{self, Action, Entry};
use crate::db::crypt::DataKeys;
use crate::db::writer::{WriteError, Writer};
use crate::db::Tx;
use crate::mail::outbox;
use crate::mail::OutgoingMail;

/// Failures allowed before each further attempt has to wait.
pub const FREE_FAILURES: i64 = 5;
/// The longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::minutes(15);

/// How long the next attempt has to wait after `failures` failures: none
/// for the first five, then one minute, doubling up to fifteen.
pub fn wait_after(failures: i64) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10) as u32;
    Some((Duration::minutes(1) * 2i32.pow(doublings)).min(MAX_WAIT))
}

/// An account made on the command line; `None` if the address is taken.
pub async fn create_account(
    writer: &Writer,
    email: String,
    name: String,
    password_hash: String,
    roles: Vec<Role>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, WriteError> {
    writer
        .write(move |tx| {
            let (email, name, hash, roles) = (
                email.clone(),
                name.clone(),
                password_hash.clone(),
                roles.clone(),
            );
            Box::pin(async move {
                let Some(id) =
                    store::insert_account(tx, &email, &name, &hash, Status::Active, &roles, now)
                        .await?
                else {
                    return Ok(None);
                };
                let roles: Vec<_> = roles.iter().map(|r| r.name()).collect();
                let entry = Entry::new(None, Action::AccountCreated)
                    .on("konto", id)
                    .detail(format!("Från kommandoraden, roller: {}", roles.join(", ")));
                audit::store::record(tx, &entry, now).await?;
                Ok(Some(id))
            })
        })
        .await
}

/// Whether an attempt (a password or a code) may be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead; if this attempt fails, the next one waits until then.
    Go {
        next_waits_until: Option<DateTime<Utc>>,
    },
    /// Throttled: answer at once, without checking anything.
    Wait(DateTime<Utc>),
}

/// Counts an attempt for `subject` before it is checked, in one writer
/// job, so that attempts sent in parallel cannot all slip through while
/// the first is being verified: after five, each must wait, from one
/// minute doubling to fifteen. A success takes its count back
/// ([`undo_attempt`]) or clears it ([`complete_sign_in`]).
pub async fn reserve_attempt(
    writer: &Writer,
    subject: String,
    now: DateTime<Utc>,
) -> Result<Attempt, WriteError> {
    writer
        .write(move |tx| {
            let subject = subject.clone();
            Box::pin(async move { reserve_in(tx, &subject, now).await })
        })
        .await
}

/// [`reserve_attempt`] inside a job that does more.
async fn reserve_in(
    tx: &mut Tx<'_>,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, sqlx::Error> {
    if let Some(until) = store::blocked_until_tx(tx, subject).await? {
        if until > now {
            return Ok(Attempt::Wait(until));
        }
    }
    let failures = store::count_failure(tx, subject).await?;
    let next = wait_after(failures).map(|wait| now + wait);
    if let Some(until) = next {
        store::block(tx, subject, until).await?;
    }
    Ok(Attempt::Go {
        next_waits_until: next,
    })
}

/// Takes back the count of an attempt that succeeded.
pub async fn undo_attempt(writer: &Writer, subject: String) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let subject = subject.clone();
            Box::pin(async move { store::forgive_one(tx, &subject, FREE_FAILURES).await })
        })
        .await
}

/// Records a failed attempt in the audit log. `account` is `None` for an
/// address without an account, which the log notes as "okänt konto"
/// without the address typed.
pub async fn record_failure(
    writer: &Writer,
    account: Option<i64>,
    what: &'static str,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            Box::pin(async move {
                let entry = match account {
                    Some(id) => Entry::new(Some(id), Action::SignInFailed)
                        .on("konto", id)
                        .detail(what),
                    None => Entry::new(None, Action::SignInFailed).detail("okänt konto"),
                };
                audit::store::record(tx, &entry, now).await
            })
        })
        .await
}

/// Offers a new secret to an account that has none yet.
pub async fn offer_totp(writer: &Writer, account: i64, secret: String) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let secret = secret.clone();
            Box::pin(async move { store::offer_totp(tx, account, &secret).await })
        })
        .await
}

/// How the second step of a sign-in was passed.
#[derive(Debug, Clone)]
pub enum SecondFactor {
    /// A code from the app, for this step.
    Totp { step: i64 },
    /// One of the recovery codes (its hash).
    Recovery { hash: String },
    /// First sign-in: the offered secret confirmed by a code for `step`,
    /// with the new recovery codes' hashes.
    Enrol {
        secret: String,
        step: i64,
        recovery: Vec<String>,
    },
}

/// A session to start.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub expires_at: DateTime<Utc>,
    pub browser: String,
    /// The hash of the session cookie the request carried, if any.
    pub replaces: Option<String>,
}

/// The second step: uses up the factor and starts the session, or changes
/// nothing and returns `false` if the factor was already used (a replayed
/// code, a spent recovery code, an enrolment that moved on).
pub async fn complete_sign_in(
    writer: &Writer,
    account: i64,
    factor: SecondFactor,
    subjects: Vec<String>,
    session: NewSession,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let (factor, subjects, session) = (factor.clone(), subjects.clone(), session.clone());
            Box::pin(async move {
                match &factor {
                    SecondFactor::Totp { step } => {
                        if !store::use_totp_step(tx, account, *step).await? {
                            return Ok(false);
                        }
                    }
                    SecondFactor::Recovery { hash } => {
                        if !store::use_recovery_code(tx, account, hash, now).await? {
                            return Ok(false);
                        }
                        let entry = Entry::new(Some(account), Action::RecoveryCodeUsed)
                            .on("konto", account);
                        audit::store::record(tx, &entry, now).await?;
                    }
                    SecondFactor::Enrol {
                        secret,
                        step,
                        recovery,
                    } => {
                        if !store::confirm_totp(tx, account, secret, *step).await? {
                            return Ok(false);
                        }
                        store::replace_recovery_codes(tx, account, recovery).await?;
                        let entry =
                            Entry::new(Some(account), Action::TotpEnrolled).on("konto", account);
                        audit::store::record(tx, &entry, now).await?;
                    }
                }
                for subject in &subjects {
                    store::clear_failures(tx, subject).await?;
                }
                // A session the browser still presented ends here: a
                // sign-in never leaves an earlier id alive.
                if let Some(old) = &session.replaces {
                    store::delete_session(tx, old).await?;
                }
                store::insert_session(
                    tx,
                    &session.id_hash,
                    account,
                    now,
                    session.expires_at,
                    &session.browser,
                )
                .await?;
                store::set_signed_in(tx, account, now).await?;
                let entry = Entry::new(Some(account), Action::SignIn)
                    .on("konto", account)
                    .detail(session.browser.clone());
                audit::store::record(tx, &entry, now).await?;
                Ok(true)
            })
        })
        .await
}

/// Ends a session: signed out by its owner, or found expired.
pub async fn end_session(
    writer: &Writer,
    account: i64,
    id_hash: String,
    action: Action,
    detail: &'static str,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let id_hash = id_hash.clone();
            Box::pin(async move {
                // Recorded once, by whichever request or instance ends it.
                if store::delete_session(tx, &id_hash).await? {
                    let entry = Entry::new(Some(account), action)
                        .on("konto", account)
                        .detail(detail);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Notes that the session was used (at most once a minute: see
/// [`super::session`]).
pub async fn touch_session(
    writer: &Writer,
    id_hash: String,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let id_hash = id_hash.clone();
            Box::pin(async move { store::touch_session(tx, &id_hash, now).await })
        })
        .await
}

/// An administrator's change to someone's account.
#[derive(Debug, Clone)]
pub enum Change {
    Deactivate,
    Reactivate,
    Roles(Vec<Role>),
    ResetSecondFactor,
}

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Managed {
    Done,
    /// Refused: it would leave no active administrator.
    LastAdmin,
    NoSuchAccount,
}

/// An administrator's change to an account, as one writer job with its
/// audit entry. The last-administrator rule is checked inside the
/// transaction that makes the change, so two administrators removing each
/// other at the same moment cannot both succeed (the single writer runs
/// one job at a time; on PostgreSQL with several instances the batches
/// still serialise on the rows they update).
pub async fn manage(
    writer: &Writer,
    actor: Option<i64>,
    target: i64,
    change: Change,
    now: DateTime<Utc>,
) -> Result<Managed, WriteError> {
    writer
        .write(move |tx| {
            let change = change.clone();
            Box::pin(async move {
                let Some((status, is_admin)) = store::status_and_admin(tx, target).await? else {
                    return Ok(Managed::NoSuchAccount);
                };
                let active_admin = is_admin && status == "active";
                let loses_admin = match &change {
                    Change::Deactivate => active_admin,
                    Change::Roles(roles) => active_admin && !roles.contains(&Role::Administrator),
                    Change::Reactivate | Change::ResetSecondFactor => false,
                };
                if loses_admin && store::other_active_admins(tx, target).await? == 0 {
                    return Ok(Managed::LastAdmin);
                }
                let (action, detail) = match &change {
                    Change::Deactivate => {
                        store::set_status(tx, target, Status::Deactivated).await?;
                        store::void_links(tx, target, None, now).await?;
                        let ended = store::end_sessions(tx, target).await?;
                        (
                            Action::AccountDeactivated,
                            format!("{ended} sessioner avslutade"),
                        )
                    }
                    Change::Reactivate => {
                        // Someone who never chose a password is invited
                        // again, not active: they need a new invitation.
                        let status = if store::has_password(tx, target).await? {
                            Status::Active
                        } else {
                            Status::Invited
                        };
                        store::set_status(tx, target, status).await?;
                        (Action::AccountReactivated, String::new())
                    }
                    Change::Roles(roles) => {
                        store::replace_roles(tx, target, roles).await?;
                        (
                            Action::RolesChanged,
                            format!("Roller: {}", role_names(roles)),
                        )
                    }
                    Change::ResetSecondFactor => {
                        store::reset_totp(tx, target).await?;
                        // Without the app, a reset link would be the
                        // mailbox alone: an open one stops working.
                        store::void_links(tx, target, Some(LinkPurpose::Reset), now).await?;
                        let ended = store::end_sessions(tx, target).await?;
                        (
                            Action::SecondFactorReset,
                            format!("{ended} sessioner avslutade"),
                        )
                    }
                };
                let detail = if actor.is_none() {
                    format!("Från kommandoraden. {detail}")
                        .trim_end()
                        .to_owned()
                } else {
                    detail
                };
                let entry = Entry::new(actor, action).on("konto", target).detail(detail);
                audit::store::record(tx, &entry, now).await?;
                Ok(Managed::Done)
            })
        })
        .await
}

fn role_names(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "inga".to_owned();
    }
    roles
        .iter()
        .map(|r| r.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A colleague to invite, with the e-mail that carries their link.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// SHA-256 of the link's token; the token itself is only in the mail.
    pub token_hash: String,
    pub mail: OutgoingMail,
}

/// What became of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    /// The account (status invited) and its link are stored, the mail is
    /// in the outbox.
    Sent(i64),
    /// The address already has this account; nothing was sent.
    Taken(i64),
}

/// Invites a colleague: the account, its link and the e-mail in one
/// transaction, so the mail goes out exactly when the account exists.
pub async fn invite(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    actor: i64,
    invitation: Invitation,
    now: DateTime<Utc>,
) -> Result<Invited, WriteError> {
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
            let i = invitation.clone();
            Box::pin(async move {
                let inserted = store::insert_account(
                    tx,
                    &i.email,
                    &i.name,
                    NO_PASSWORD,
                    Status::Invited,
                    &i.roles,
                    now,
                )
                .await?;
                let Some(id) = inserted else {
                    let existing = store::account_id_by_email(tx, &i.email).await?;
                    return Ok(Invited::Taken(existing.unwrap_or_default()));
                };
                store::insert_link(
                    tx,
                    &i.token_hash,
                    id,
                    LinkPurpose::Invitation,
                    Some(actor),
                    now,
                )
                .await?;
                outbox::enqueue(tx, &keys, None, &i.mail, now).await?;
                let entry = Entry::new(Some(actor), Action::InvitationSent)
                    .on("konto", id)
                    .detail(format!("Roller: {}", role_names(&i.roles)));
                audit::store::record(tx, &entry, now).await?;
                Ok(Invited::Sent(id))
            })
        })
        .await
}

/// What became of a new invitation to an existing account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reinvited {
    Sent,
    /// The account has chosen a password (or is closed): no invitation.
    NotInvited,
}

/// Sends a new invitation; the earlier link stops working.
pub async fn reinvite(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    actor: i64,
    target: i64,
    token_hash: String,
    mail: OutgoingMail,
    now: DateTime<Utc>,
) -> Result<Reinvited, WriteError> {
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
            let (token_hash, mail) = (token_hash.clone(), mail.clone());
            Box::pin(async move {
                let status = store::status_and_admin(tx, target).await?;
                if status.map(|(s, _)| s).as_deref() != Some(Status::Invited.code()) {
                    return Ok(Reinvited::NotInvited);
                }
                store::insert_link(
                    tx,
                    &token_hash,
                    target,
                    LinkPurpose::Invitation,
                    Some(actor),
                    now,
                )
                .await?;
                outbox::enqueue(tx, &keys, None, &mail, now).await?;
                let entry = Entry::new(Some(actor), Action::InvitationSent)
                    .on("konto", target)
                    .detail("Ny inbjudan; den tidigare länken gäller inte längre");
                audit::store::record(tx, &entry, now).await?;
                Ok(Reinvited::Sent)
            })
        })
        .await
}

/// Follows an invitation link: uses it up and sets the chosen password;
/// the account becomes active. `None` if the link no longer works.
pub async fn accept_invitation(
    writer: &Writer,
    token_hash: String,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<Option<i64>, WriteError> {
    writer
        .write(move |tx| {
            let (token_hash, password_hash) = (token_hash.clone(), password_hash.clone());
            Box::pin(async move {
                let Some(id) =
                    store::use_link(tx, &token_hash, LinkPurpose::Invitation, now).await?
                else {
                    return Ok(None);
                };
                store::set_password(tx, id, &password_hash).await?;
                store::set_status(tx, id, Status::Active).await?;
                let entry = Entry::new(Some(id), Action::InvitationAccepted).on("konto", id);
                audit::store::record(tx, &entry, now).await?;
                Ok(Some(id))
            })
        })
        .await
}

/// A reset link for an active account, with its e-mail.
#[derive(Debug, Clone)]
pub struct ResetLink {
    pub account: i64,
    pub token_hash: String,
    pub mail: OutgoingMail,
}

/// A forgotten-password request, counted against the typed address's
/// throttle. The same job runs for a known and an unknown address (only
/// the link and its mail are added for a known one), so both cost one
/// write; the handler also answers both at the same moment.
pub async fn request_reset(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    subject: String,
    link: Option<ResetLink>,
    now: DateTime<Utc>,
) -> Result<Attempt, WriteError> {
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
            let (subject, link) = (subject.clone(), link.clone());
            Box::pin(async move {
                let attempt = reserve_in(tx, &subject, now).await?;
                if let Attempt::Wait(_) = attempt {
                    return Ok(attempt);
                }
                let entry = match &link {
                    Some(link) => {
                        store::insert_link(
                            tx,
                            &link.token_hash,
                            link.account,
                            LinkPurpose::Reset,
                            None,
                            now,
                        )
                        .await?;
                        outbox::enqueue(tx, &keys, None, &link.mail, now).await?;
                        Entry::new(None, Action::PasswordResetRequested).on("konto", link.account)
                    }
                    None => Entry::new(None, Action::PasswordResetRequested).detail("okänt konto"),
                };
                audit::store::record(tx, &entry, now).await?;
                Ok(attempt)
            })
        })
        .await
}

/// Follows a reset link: uses it up, sets the new password and ends every
/// session; the second factor stays. `subjects` are the address's
/// throttles to clear. `None` if the link no longer works.
pub async fn reset_password(
    writer: &Writer,
    token_hash: String,
    password_hash: String,
    subjects: Vec<String>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, WriteError> {
    writer
        .write(move |tx| {
            let (token_hash, password_hash, subjects) =
                (token_hash.clone(), password_hash.clone(), subjects.clone());
            Box::pin(async move {
                let Some(id) = store::use_link(tx, &token_hash, LinkPurpose::Reset, now).await?
                else {
                    return Ok(None);
                };
                store::set_password(tx, id, &password_hash).await?;
                let ended = store::end_sessions(tx, id).await?;
                for subject in &subjects {
                    store::clear_failures(tx, subject).await?;
                }
                let entry = Entry::new(Some(id), Action::PasswordReset)
                    .on("konto", id)
                    .detail(format!("{ended} sessioner avslutade"));
                audit::store::record(tx, &entry, now).await?;
                Ok(Some(id))
            })
        })
        .await
}

/// A signed-in person changes their password: every other session ends,
/// and a reset link still in a mailbox stops working.
pub async fn change_password(
    writer: &Writer,
    account: i64,
    password_hash: String,
    keep: String,
    now: DateTime<Utc>,
) -> Result<u64, WriteError> {
    writer
        .write(move |tx| {
            let (password_hash, keep) = (password_hash.clone(), keep.clone());
            Box::pin(async move {
                store::set_password(tx, account, &password_hash).await?;
                store::void_links(tx, account, Some(LinkPurpose::Reset), now).await?;
                let ended = store::end_other_sessions(tx, account, &keep).await?;
                let entry = Entry::new(Some(account), Action::PasswordChanged)
                    .on("konto", account)
                    .detail(format!("{ended} andra sessioner avslutade"));
                audit::store::record(tx, &entry, now).await?;
                Ok(ended)
            })
        })
        .await
}

/// New recovery codes, confirmed by a code from the app for `step` (used
/// up, like at sign-in); the old codes stop working. `false` if the step
/// was already used.
pub async fn renew_recovery_codes(
    writer: &Writer,
    account: i64,
    step: i64,
    hashes: Vec<String>,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let hashes = hashes.clone();
            Box::pin(async move {
                if !store::use_totp_step(tx, account, step).await? {
                    return Ok(false);
                }
                store::replace_recovery_codes(tx, account, &hashes).await?;
                let entry =
                    Entry::new(Some(account), Action::RecoveryCodesRenewed).on("konto", account);
                audit::store::record(tx, &entry, now).await?;
                Ok(true)
            })
        })
        .await
}

/// Which of one's own sessions to end.
#[derive(Debug, Clone)]
pub enum Sessions {
    /// The one with this handle (see `OwnSession::handle`).
    One(String),
    AllOthers,
}

/// Ends some of a person's own sessions, never `keep` (the one asking);
/// returns how many ended.
pub async fn end_own_sessions(
    writer: &Writer,
    account: i64,
    which: Sessions,
    keep: String,
    now: DateTime<Utc>,
) -> Result<u64, WriteError> {
    writer
        .write(move |tx| {
            let (which, keep) = (which.clone(), keep.clone());
            Box::pin(async move {
                let ended = match &which {
                    Sessions::One(handle) => {
                        u64::from(store::end_own_session(tx, account, handle, &keep).await?)
                    }
                    Sessions::AllOthers => store::end_other_sessions(tx, account, &keep).await?,
                };
                if ended > 0 {
                    let entry = Entry::new(Some(account), Action::SessionEnded)
                        .on("konto", account)
                        .detail(format!("{ended} avslutade"));
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(ended)
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_five_failures_up_to_fifteen_minutes() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(Duration::minutes(1)));
        assert_eq!(wait_after(6), Some(Duration::minutes(2)));
        assert_eq!(wait_after(8), Some(Duration::minutes(8)));
        assert_eq!(wait_after(9), Some(Duration::minutes(15)));
        assert_eq!(wait_after(1000), Some(Duration::minutes(15)));
    }
}
