-- Deletion on schedule (gallring). A closed case whose type's retention
-- period has passed loses its personal data; the row stays as the
-- anonymous record (type, dates, status, who handled it) that the
-- dashboard counts, marked with when it was cleaned.
ALTER TABLE cases ADD COLUMN purged_at TEXT;
-- The job looks for closed cases of a type by closing date, among those
-- not yet cleaned.
CREATE INDEX cases_purge_due ON cases(kind, closed_at) WHERE purged_at IS NULL;

-- Background work that runs on a schedule on every instance: the
-- instance that claims a run (started_at moved on) does it, the others
-- find it taken.
CREATE TABLE scheduled_runs (
    name        TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
