//! All SQL of staff accounts, second factors, sessions and the sign-in
//! throttle. Reads take the pool; writes take the writer's transaction.

use chrono::{DateTime, Utc};

use super::model::{
    Account, Link, LinkPurpose, OwnSession, Role, Status, NO_PASSWORD, SESSION_HANDLE_LEN,
};
use crate::db::{Db, Tx};
use crate::{on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    password_hash: String,
    status: String,
    totp_secret: Option<String>,
    totp_pending: Option<String>,
    totp_last_step: Option<i64>,
}

const ACCOUNT_COLUMNS: &str =
    "id, email, name, password_hash, status, totp_secret, totp_pending, totp_last_step";

async fn roles(db: &Db, account_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let names: Vec<String> = on_pool!(db, |p| sqlx::query_scalar(
        "SELECT role FROM staff_roles WHERE account_id = $1 ORDER BY role"
    )
    .bind(account_id)
    .fetch_all(p)
    .await)?;
    Ok(names.iter().filter_map(|n| Role::parse(n)).collect())
}

async fn complete(db: &Db, row: Option<AccountRow>) -> Result<Option<Account>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let roles = roles(db, row.id).await?;
    Ok(Some(account_of(row, roles)))
}

/// The account for an address as typed (compared lower-cased), without
/// its roles: sign-in does not need them, and one query whether or not
/// the account exists keeps the timing alike.
pub async fn account_by_email(db: &Db, email: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE email = $1");
    let row = on_pool!(db, |p| sqlx::query_as::<_, AccountRow>(&sql)
        .bind(email.trim().to_lowercase())
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|row| account_of(row, vec![])))
}

fn account_of(row: AccountRow, roles: Vec<Role>) -> Account {
    Account {
        id: row.id,
        email: row.email,
        name: row.name,
        password_hash: row.password_hash,
        // The CHECK constraint allows no other value.
        status: Status::parse(&row.status).unwrap_or(Status::Deactivated),
        totp_secret: row.totp_secret,
        totp_pending: row.totp_pending,
        totp_last_step: row.totp_last_step,
        roles,
    }
}

pub async fn account(db: &Db, id: i64) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = $1");
    let row = on_pool!(db, |p| sqlx::query_as::<_, AccountRow>(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    complete(db, row).await
}

/// Inserts an account with its roles: active with a password (made on the
/// command line), or invited without one. `None` if the address is taken.
pub async fn insert_account(
    tx: &mut Tx<'_>,
    email: &str,
    name: &str,
    password_hash: &str,
    status: Status,
    roles: &[Role],
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let email = email.trim().to_lowercase();
    // ON CONFLICT rather than a look first: two instances inviting the
    // same address at once get "taken", not a constraint error.
    let id: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, name, password_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id"
    )
    .bind(&email)
    .bind(name)
    .bind(password_hash)
    .bind(status.code())
    .bind(now)
    .fetch_optional(c)
    .await)?;
    let Some(id) = id else { return Ok(None) };
    for role in roles {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO staff_roles (account_id, role) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(role.name())
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(Some(id))
}

/// Offers `secret` for enrolment (replacing an earlier offer).
pub async fn offer_totp(tx: &mut Tx<'_>, id: i64, secret: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET totp_pending = $1 WHERE id = $2 AND totp_secret IS NULL"
    )
    .bind(secret)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Makes the offered secret the account's, if it is still the one offered.
pub async fn confirm_totp(
    tx: &mut Tx<'_>,
    id: i64,
    secret: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET totp_secret = totp_pending, totp_pending = NULL, \
         totp_last_step = $1 WHERE id = $2 AND totp_pending = $3 AND totp_secret IS NULL"
    )
    .bind(step)
    .bind(id)
    .bind(secret)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Records `step` as used, unless a later one already was (another
/// instance accepting the same code at the same moment loses here).
pub async fn use_totp_step(tx: &mut Tx<'_>, id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET totp_last_step = $1 \
         WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)"
    )
    .bind(step)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn replace_recovery_codes(
    tx: &mut Tx<'_>,
    id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_recovery_codes WHERE account_id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    for hash in hashes {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO staff_recovery_codes (account_id, code_hash) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(hash)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Uses up a recovery code; `false` if it is not one of the account's
/// unused codes.
pub async fn use_recovery_code(
    tx: &mut Tx<'_>,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_recovery_codes SET used_at = $1 \
         WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .bind(hash)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn set_signed_in(
    tx: &mut Tx<'_>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET last_sign_in_at = $1 WHERE id = $2"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

// --- the throttle -------------------------------------------------------

/// When the subject may try again, if it has to wait (read inside the
/// writer's transaction that counts the attempt).
pub async fn blocked_until_tx(
    tx: &mut Tx<'_>,
    subject: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let until: Option<Option<DateTime<Utc>>> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT blocked_until FROM signin_throttle WHERE subject = $1"
    )
    .bind(subject)
    .fetch_optional(c)
    .await)?;
    Ok(until.flatten())
}

/// Takes one counted attempt back; below `free` the wait is lifted.
pub async fn forgive_one(tx: &mut Tx<'_>, subject: &str, free: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE signin_throttle SET failures = failures - 1, \
         blocked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE blocked_until END \
         WHERE subject = $1 AND failures > 0"
    )
    .bind(subject)
    .bind(free)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Counts one more failure (atomically, whichever instance) and returns
/// the new count.
pub async fn count_failure(tx: &mut Tx<'_>, subject: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO signin_throttle (subject, failures) VALUES ($1, 1) \
         ON CONFLICT (subject) DO UPDATE SET failures = signin_throttle.failures + 1 \
         RETURNING failures"
    )
    .bind(subject)
    .fetch_one(c)
    .await)
}

pub async fn block(
    tx: &mut Tx<'_>,
    subject: &str,
    until: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE signin_throttle SET blocked_until = $1 WHERE subject = $2"
    )
    .bind(until)
    .bind(subject)
    .execute(c)
    .await
    .map(|_| ()))
}

pub async fn clear_failures(tx: &mut Tx<'_>, subject: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM signin_throttle WHERE subject = $1"
    )
    .bind(subject)
    .execute(c)
    .await
    .map(|_| ()))
}

// --- sessions -------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub account_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub browser: String,
}

pub async fn insert_session(
    tx: &mut Tx<'_>,
    id_hash: &str,
    account_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    browser: &str,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO staff_sessions (id_hash, account_id, created_at, last_seen_at, expires_at, browser) \
         VALUES ($1, $2, $3, $3, $4, $5)"
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .bind(browser)
    .execute(c)
    .await
    .map(|_| ())
    })
}

pub async fn session(db: &Db, id_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as::<_, SessionRow>(
        "SELECT account_id, created_at, last_seen_at, expires_at, browser \
         FROM staff_sessions WHERE id_hash = $1"
    )
    .bind(id_hash)
    .fetch_optional(p)
    .await)
}

pub async fn touch_session(
    tx: &mut Tx<'_>,
    id_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2"
    )
    .bind(now)
    .bind(id_hash)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Ends a session; `true` if it still existed.
pub async fn delete_session(tx: &mut Tx<'_>, id_hash: &str) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_sessions WHERE id_hash = $1"
    )
    .bind(id_hash)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

// --- managing accounts ------------------------------------------------------

/// An account as the staff list shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub status: Status,
    pub enrolled: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    pub roles: Vec<Role>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    email: String,
    status: String,
    enrolled: bool,
    last_sign_in_at: Option<DateTime<Utc>>,
}

/// Every account with its roles, by name.
pub async fn accounts(db: &Db) -> Result<Vec<Summary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT id, name, email, status, (totp_secret IS NOT NULL) AS enrolled, last_sign_in_at \
         FROM staff_accounts ORDER BY name, id"
    )
    .fetch_all(p)
    .await
    })?;
    let pairs: Vec<(i64, String)> = on_pool!(db, |p| sqlx::query_as(
        "SELECT account_id, role FROM staff_roles ORDER BY account_id, role"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Summary {
            roles: pairs
                .iter()
                .filter(|(id, _)| *id == r.id)
                .filter_map(|(_, name)| Role::parse(name))
                .collect(),
            id: r.id,
            name: r.name,
            email: r.email,
            status: Status::parse(&r.status).unwrap_or(Status::Deactivated),
            enrolled: r.enrolled,
            last_sign_in_at: r.last_sign_in_at,
        })
        .collect())
}

/// Active administrators other than `except`.
pub async fn other_active_admins(tx: &mut Tx<'_>, except: i64) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_accounts a JOIN staff_roles r ON r.account_id = a.id \
         WHERE r.role = 'administrator' AND a.status = 'active' AND a.id <> $1"
    )
    .bind(except)
    .fetch_one(c)
    .await)
}

/// The account's status and whether it holds the administrator role, read
/// inside the transaction that changes it.
pub async fn status_and_admin(
    tx: &mut Tx<'_>,
    id: i64,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT status, EXISTS (SELECT 1 FROM staff_roles r WHERE r.account_id = a.id \
         AND r.role = 'administrator') FROM staff_accounts a WHERE a.id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

pub async fn set_status(tx: &mut Tx<'_>, id: i64, status: Status) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET status = $1 WHERE id = $2"
    )
    .bind(status.code())
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Ends every session of the account; returns how many there were.
pub async fn end_sessions(tx: &mut Tx<'_>, id: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_sessions WHERE account_id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn replace_roles(tx: &mut Tx<'_>, id: i64, roles: &[Role]) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_roles WHERE account_id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    for role in roles {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO staff_roles (account_id, role) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(role.name())
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Forgets the second factor: the person enrols again at the next sign-in.
pub async fn reset_totp(tx: &mut Tx<'_>, id: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL \
         WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))?;
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_recovery_codes WHERE account_id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The id of the account with this address (compared lower-cased).
pub async fn account_id_by_email(tx: &mut Tx<'_>, email: &str) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM staff_accounts WHERE email = $1"
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(c)
    .await)
}

/// Whether the account has chosen a password (an invited one has not).
pub async fn has_password(tx: &mut Tx<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let hash: Option<String> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT password_hash FROM staff_accounts WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    Ok(hash.is_some_and(|h| h != NO_PASSWORD))
}

pub async fn set_password(tx: &mut Tx<'_>, id: i64, hash: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_accounts SET password_hash = $1 WHERE id = $2"
    )
    .bind(hash)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

// --- e-mailed links ---------------------------------------------------------

/// Stores a new link (its token's hash) and voids the account's earlier
/// unused links of the same kind: only the newest one works.
pub async fn insert_link(
    tx: &mut Tx<'_>,
    token_hash: &str,
    account_id: i64,
    purpose: LinkPurpose,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    void_links(tx, account_id, Some(purpose), now).await?;
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO staff_links (token_hash, account_id, purpose, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose.code())
    .bind(created_by)
    .bind(now)
    .bind(now + purpose.lifetime())
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Voids the account's unused links (of one kind, or all).
pub async fn void_links(
    tx: &mut Tx<'_>,
    account_id: i64,
    purpose: Option<LinkPurpose>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE staff_links SET voided_at = $1 WHERE account_id = $2 \
         AND ($3 IS NULL OR purpose = $3) AND used_at IS NULL AND voided_at IS NULL"
    )
    .bind(now)
    .bind(account_id)
    .bind(purpose.map(LinkPurpose::code))
    .execute(c)
    .await
    .map(|_| ()))
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    account_id: i64,
    purpose: String,
    expires_at: DateTime<Utc>,
    used: bool,
    voided: bool,
    account_name: String,
    account_email: String,
    account_status: String,
    account_enrolled: bool,
    inviter_name: Option<String>,
    inviter_email: Option<String>,
}

/// The link whose token hashes to `token_hash`, whatever its state.
pub async fn link(db: &Db, token_hash: &str) -> Result<Option<Link>, sqlx::Error> {
    let row: Option<LinkRow> = on_pool!(db, |p| sqlx::query_as(
        "SELECT l.account_id, l.purpose, l.expires_at, (l.used_at IS NOT NULL) AS used, \
         (l.voided_at IS NOT NULL) AS voided, a.name AS account_name, a.email AS account_email, \
         a.status AS account_status, (a.totp_secret IS NOT NULL) AS account_enrolled, \
         i.name AS inviter_name, i.email AS inviter_email \
         FROM staff_links l JOIN staff_accounts a ON a.id = l.account_id \
         LEFT JOIN staff_accounts i ON i.id = l.created_by WHERE l.token_hash = $1"
    )
    .bind(token_hash)
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|r| {
        Some(Link {
            account_id: r.account_id,
            purpose: LinkPurpose::parse(&r.purpose)?,
            expires_at: r.expires_at,
            used: r.used,
            voided: r.voided,
            account_name: r.account_name,
            account_email: r.account_email,
            account_status: Status::parse(&r.account_status).unwrap_or(Status::Deactivated),
            account_enrolled: r.account_enrolled,
            inviter: r.inviter_name.zip(r.inviter_email),
        })
    }))
}

/// Uses up a link: the account it opens, or `None` if it was already
/// used, voided, expired, is of another kind, or its account is no longer
/// in the state the link is for (for a reset: active with its app). Two requests with the
/// same link at once: one gets the account.
pub async fn use_link(
    tx: &mut Tx<'_>,
    token_hash: &str,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "UPDATE staff_links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND voided_at IS NULL AND expires_at > $1 \
         AND account_id IN (SELECT id FROM staff_accounts WHERE status = $4 \
         AND ($5 OR totp_secret IS NOT NULL)) RETURNING account_id"
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose.code())
    .bind(purpose.needs().code())
    // A reset link needs the account's app: the mailbox alone must not be
    // enough to take over an account that has none (yet, or any more).
    .bind(purpose != LinkPurpose::Reset)
    .fetch_optional(c)
    .await)
}

#[derive(sqlx::FromRow)]
pub struct OpenInvitation {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The account's newest invitation that is neither used nor voided.
pub async fn open_invitation(
    db: &Db,
    account_id: i64,
) -> Result<Option<OpenInvitation>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as(
        "SELECT created_at, expires_at FROM staff_links WHERE account_id = $1 \
         AND purpose = 'invitation' AND used_at IS NULL AND voided_at IS NULL \
         ORDER BY created_at DESC LIMIT 1"
    )
    .bind(account_id)
    .fetch_optional(p)
    .await)
}

// --- one's own sessions -----------------------------------------------------

/// The account's sessions, newest first.
pub async fn sessions_of(db: &Db, account_id: i64) -> Result<Vec<OwnSession>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as(
        "SELECT id_hash, created_at, last_seen_at, browser FROM staff_sessions \
         WHERE account_id = $1 ORDER BY created_at DESC"
    )
    .bind(account_id)
    .fetch_all(p)
    .await)
}

/// Ends the account's sessions other than `keep`; returns how many.
pub async fn end_other_sessions(
    tx: &mut Tx<'_>,
    account_id: i64,
    keep: &str,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_sessions WHERE account_id = $1 AND id_hash <> $2"
    )
    .bind(account_id)
    .bind(keep)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}

/// Ends the account's session named by `handle` (see
/// [`OwnSession::handle`], [`SESSION_HANDLE_LEN`] hex digits), unless it
/// is `keep`; `true` if one ended.
pub async fn end_own_session(
    tx: &mut Tx<'_>,
    account_id: i64,
    handle: &str,
    keep: &str,
) -> Result<bool, sqlx::Error> {
    // The SQL names the length; anything but 16 hex digits matches nothing
    // (and a NUL byte never reaches PostgreSQL, which would refuse it).
    if handle.len() != SESSION_HANDLE_LEN || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let done = on_tx!(tx, |c| sqlx::query(
        "DELETE FROM staff_sessions WHERE account_id = $1 AND substr(id_hash, 1, 16) = $2 \
         AND id_hash <> $3"
    )
    .bind(account_id)
    .bind(handle)
    .bind(keep)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done >= 1)
}

/// Active accounts holding `role` (administrators only if they hold it
/// too), by name: whom a case of a type can be assigned to.
pub async fn active_with_role(db: &Db, role: Role) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as(
        "SELECT a.id, a.name FROM staff_accounts a JOIN staff_roles r ON r.account_id = a.id \
         WHERE r.role = $1 AND a.status = 'active' ORDER BY a.name, a.id"
    )
    .bind(role.name())
    .fetch_all(p)
    .await)
}

/// The name of account `id` if it is active and holds one of `roles`,
/// read inside a writer job so the answer holds for the whole job.
pub async fn active_name_with_role_tx(
    tx: &mut Tx<'_>,
    id: i64,
    roles: &[Role],
) -> Result<Option<String>, sqlx::Error> {
    let names: Vec<String> = roles.iter().map(|r| r.name().to_owned()).collect();
    let found: Vec<(String, String)> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT a.name, r.role FROM staff_accounts a JOIN staff_roles r ON r.account_id = a.id \
         WHERE a.id = $1 AND a.status = 'active'"
    )
    .bind(id)
    .fetch_all(c)
    .await
    })?;
    Ok(found
        .into_iter()
        .find(|(_, role)| names.contains(role))
        .map(|(name, _)| name))
}

/// The name of account `id`, whatever its state.
pub async fn name_tx(tx: &mut Tx<'_>, id: i64) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT name FROM staff_accounts WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}
