-- Staff accounts, their roles, second factor and sessions, the sign-in
-- throttle, and the append-only audit log.

CREATE TABLE staff_accounts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lower-cased, so one address is one account however it is typed.
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'deactivated')),
    -- Base32 TOTP secret once enrolled; the one offered at enrolment
    -- waits in totp_pending until a code confirms it.
    totp_secret     TEXT,
    totp_pending    TEXT,
    -- The last accepted 30-second step: a code is never accepted twice.
    totp_last_step  INTEGER,
    created_at      TEXT NOT NULL,
    last_sign_in_at TEXT
);

CREATE TABLE staff_roles (
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('administrator', 'redaktor', 'handlaggare-tg',
               'handlaggare-af', 'handlaggare-ko', 'evenemangsansvarig', 'inte-ensam-samordnare')),
    PRIMARY KEY (account_id, role)
);

CREATE TABLE staff_recovery_codes (
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (account_id, code_hash)
);

-- Only a SHA-256 of the cookie's token is kept: a copy of the database
-- does not let anyone take over a session. No IP address.
CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    browser      TEXT NOT NULL
);
CREATE INDEX staff_sessions_account ON staff_sessions(account_id);

-- Failed sign-in attempts per keyed fingerprint of the address typed, so
-- known and unknown addresses are throttled alike and every instance
-- sees the same count.
CREATE TABLE signin_throttle (
    subject       TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    blocked_until TEXT
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    account_id  INTEGER,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
