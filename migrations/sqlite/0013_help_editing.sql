-- Editors change the help directory in the back office. A service's edit
-- (its own fields, its phone lines and their weekly hours) is kept whole
-- as one JSON document: as the service's one draft until it is published,
-- and as a revision with who and when at every publish. The public tables
-- (services, phones, phone_hours, service_audiences) only ever hold what
-- was published, so /hjalp and Open Referral follow the published data.
CREATE TABLE service_drafts (
    service_id TEXT PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    saved_by   INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL
);

CREATE TABLE service_revisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id   TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL
);
CREATE INDEX service_revisions_service ON service_revisions(service_id, id);
