-- Case handling in the back office: who a case is assigned to, when it
-- must be answered (working days, fixed at arrival), when it was first
-- answered and when it was closed; its history; per-type settings staff
-- edit; undeliverable mail; and the known problems published from
-- accessibility cases into the accessibility statement.

ALTER TABLE cases ADD COLUMN assigned_to INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL;
-- The answer date promised at arrival (Europe/Stockholm, day of receipt
-- is day 0). Rows from before this migration get theirs at start-up.
ALTER TABLE cases ADD COLUMN due_on TEXT;
ALTER TABLE cases ADD COLUMN answered_at TEXT;
ALTER TABLE cases ADD COLUMN closed_at TEXT;
CREATE INDEX cases_status_created ON cases(status, created_at);

-- Everything that happened to a case, in order. `detail` is a code (a
-- status, an account id, a channel); `body` is text staff wrote (a note,
-- a reply), shown only on the case page.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    account_id INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('status', 'assigned', 'note', 'reply',
               'answered', 'published', 'fixed')),
    detail     TEXT NOT NULL DEFAULT '',
    body       TEXT,
    outbox_id  INTEGER REFERENCES outbox(id) ON DELETE SET NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Per type: where notifications go and replies say to answer (NULL: the
-- address from the configuration) and the text a reply starts from.
ALTER TABLE case_types ADD COLUMN handler_address TEXT;
ALTER TABLE case_types ADD COLUMN reply_template TEXT NOT NULL DEFAULT '';
UPDATE case_types SET reply_template = 'Hej,

Tack för att du hörde av dig om bristen i tillgängligheten. Vi har gått igenom det du beskrev.

[Skriv vad ni har kommit fram till och vad som händer nu.]

Med vänliga hälsningar' WHERE kind = 'TG';
UPDATE case_types SET reply_template = 'Hej,

Tack för din beställning av innehåll i ett annat format.

[Skriv vad personen får, i vilket format och när.]

Med vänliga hälsningar' WHERE kind = 'AF';
UPDATE case_types SET reply_template = 'Hej,

Tack för ditt meddelande.

[Skriv ert svar här.]

Med vänliga hälsningar' WHERE kind = 'KO';

-- Mail that will not be delivered: refused for good by the SMTP server or
-- still failing after seven days. It is no longer tried until an
-- administrator sends it again or discards it.
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
ALTER TABLE outbox ADD COLUMN failed_at TEXT;
ALTER TABLE outbox ADD COLUMN discarded_at TEXT;
CREATE INDEX outbox_case ON outbox(case_id);

-- Problems confirmed from accessibility cases, listed in the statement
-- until fixed. Only what staff wrote here is published.
CREATE TABLE known_problems (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    description    TEXT NOT NULL,
    criterion      TEXT NOT NULL,
    reason         TEXT NOT NULL,
    planned_fix_on TEXT NOT NULL,
    published_at   TEXT NOT NULL,
    published_by   INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    fixed_at       TEXT,
    fixed_by       INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL
);
CREATE INDEX known_problems_case ON known_problems(case_id);
