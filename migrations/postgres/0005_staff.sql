-- Staff accounts, their roles, second factor and sessions, the sign-in
-- throttle, and the append-only audit log.

CREATE TABLE staff_accounts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    totp_last_step  BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    last_sign_in_at TIMESTAMPTZ
);

CREATE TABLE staff_roles (
    account_id BIGINT NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('administrator', 'redaktor', 'handlaggare-tg',
               'handlaggare-af', 'handlaggare-ko', 'evenemangsansvarig', 'inte-ensam-samordnare')),
    PRIMARY KEY (account_id, role)
);

CREATE TABLE staff_recovery_codes (
    account_id BIGINT NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (account_id, code_hash)
);

-- Only a SHA-256 of the cookie's token is kept: a copy of the database
-- does not let anyone take over a session. No IP address.
CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    browser      TEXT NOT NULL
);
CREATE INDEX staff_sessions_account ON staff_sessions(account_id);

-- Failed sign-in attempts per keyed fingerprint of the address typed, so
-- known and unknown addresses are throttled alike and every instance
-- sees the same count.
CREATE TABLE signin_throttle (
    subject       TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    blocked_until TIMESTAMPTZ
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    account_id  BIGINT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
