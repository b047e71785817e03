-- The inbox counts cases per type and status, assigned or not, answered
-- or not and due when: an index holding exactly those columns answers the
-- count without reading the cases themselves (6 ms instead of 23 ms for
-- 10,000 cases on SQLite, scripts/bench-inbox.sh). It also serves lookups
-- by type and status, so the index on status alone from 0007 goes: every
-- index is one more page written, and synced, with each new case.
DROP INDEX cases_status_created;
CREATE INDEX cases_tally ON cases(kind, status, assigned_to, answered_at, due_on);
