-- Cases sent through the public forms, their reference counters and the
-- e-mail outbox written in the same transaction as the case.

CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('TG', 'AF', 'KO')),
    created_at        TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'new',
    page              TEXT,
    topic             TEXT,
    format            TEXT,
    organisation      TEXT,
    message           TEXT NOT NULL,
    name              TEXT,
    email             TEXT,
    phone             TEXT,
    postal_address    TEXT,
    preferred_contact TEXT
);
CREATE INDEX cases_kind_created ON cases(kind, created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    message_id      TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);
