-- Cases sent through the public forms, their reference counters and the
-- e-mail outbox written in the same transaction as the case.

CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year   BIGINT NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('TG', 'AF', 'KO')),
    created_at        TIMESTAMPTZ NOT NULL,
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
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT REFERENCES cases(id) ON DELETE SET NULL,
    message_id      TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);
