-- The keys personal data is encrypted with. The keys themselves live in
-- FRIDHEM_DATA_KEY_FILE, never here: this table names them (an id derived
-- from the key) so an instance started with a missing or wrong key file
-- stops instead of serving cases it cannot read. The live key with the
-- highest generation is the one new values are written with; a rotation
-- adds a generation and retires the older keys once nothing uses them.
CREATE TABLE data_keys (
    id         TEXT PRIMARY KEY,
    generation INTEGER NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ
);
