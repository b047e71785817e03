-- Registration for the campaign's events (issue 16).
--
-- A municipality of a campaign has the e-mail domains of its employees
-- (space-separated), for lectures meant for them alone.
ALTER TABLE campaign_municipalities ADD COLUMN domains TEXT NOT NULL DEFAULT '';
UPDATE campaign_municipalities SET domains = CASE slug
    WHEN 'jarfalla' THEN 'jarfalla.se'
    WHEN 'sundbyberg' THEN 'sundbyberg.se'
    WHEN 'sollentuna' THEN 'sollentuna.se'
    WHEN 'solna' THEN 'solna.se'
    WHEN 'sigtuna' THEN 'sigtuna.se'
    WHEN 'upplands-vasby' THEN 'upplandsvasby.se'
    WHEN 'upplands-bro' THEN 'upplands-bro.se'
    ELSE '' END;

-- One person, or one class booked by its teacher, for one event. The
-- personal data (name, address, organisation, school, class, needs) is
-- sealed at rest and bound to the row's token hash; the address is found
-- again only through a keyed fingerprint (email_key), so the same address
-- cannot register twice. The personal link's token is never stored: its
-- SHA-256 finds the row, and the nonce lets the server (which holds the
-- key outside the database) make the same token again for an e-mail.
-- seats: 1 for a person, the number of pupils for a class.
-- status: anmald (has a seat), vantelista (waiting, ordered by queue),
-- avbokad (cancelled by the person or by staff), installd (the event
-- was cancelled). queue: arrival order; staff may reorder the waiting.
CREATE TABLE registrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      INTEGER NOT NULL REFERENCES events(id),
    email_key     TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    token_nonce   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT,
    email         TEXT,
    organisation  TEXT,
    school        TEXT,
    class_name    TEXT,
    needs         TEXT,
    municipality  TEXT,
    seats         INTEGER NOT NULL,
    status        TEXT NOT NULL,
    queue         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    promoted_at   TEXT,
    cancelled_at  TEXT,
    reminded_at   TEXT,
    cleaned_at    TEXT,
    UNIQUE (event_id, email_key)
);
CREATE INDEX registrations_event ON registrations(event_id, status, queue);

-- An e-mail about a registration is deleted with its personal data; an
-- e-mail may carry a calendar file (sealed like the body).
ALTER TABLE outbox ADD COLUMN registration_id INTEGER REFERENCES registrations(id) ON DELETE SET NULL;
ALTER TABLE outbox ADD COLUMN attachment TEXT;
CREATE INDEX outbox_registration ON outbox(registration_id);
