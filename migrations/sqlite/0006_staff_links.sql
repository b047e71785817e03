-- Single-use links sent by e-mail: an invitation (valid 72 hours) and a
-- password reset (valid one hour). Only a SHA-256 of the link's token is
-- kept, so a copy of the database opens no account. A link is used once;
-- a newer link of the same kind voids the older ones, and the row stays
-- so the page can say which of these happened.

CREATE TABLE staff_links (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    -- The administrator who sent an invitation: the page of an expired
    -- one names them as the person to ask.
    created_by INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    voided_at  TEXT
);
CREATE INDEX staff_links_account ON staff_links(account_id, purpose);
