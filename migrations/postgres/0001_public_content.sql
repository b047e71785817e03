-- Public content: pages, the help directory and the accessibility statement.
-- Dates are DATE (chrono::NaiveDate in Rust).

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE pages (
    path        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    body_md     TEXT NOT NULL,
    updated_on  DATE NOT NULL
);

CREATE TABLE campaign_months (
    year                   BIGINT PRIMARY KEY,
    programme_published_on DATE,
    updated_on             DATE NOT NULL
);

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    website     TEXT,
    updated_on  DATE NOT NULL
);

CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    languages       TEXT NOT NULL DEFAULT '',
    interpretation  TEXT,
    url             TEXT,
    call_safety     TEXT,
    confirmed       BOOLEAN NOT NULL DEFAULT FALSE,
    verified_on     DATE,
    featured        BIGINT NOT NULL DEFAULT 0,
    emergency       BOOLEAN NOT NULL DEFAULT FALSE,
    sort            BIGINT NOT NULL DEFAULT 0,
    area            TEXT NOT NULL CHECK (area IN ('national', 'local')),
    updated_on      DATE NOT NULL
);

CREATE TABLE service_audiences (
    service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    audience   TEXT NOT NULL CHECK (audience IN ('utsatt', 'granne', 'barn', 'utovare', 'yrkesverksam')),
    PRIMARY KEY (service_id, audience)
);

CREATE TABLE phones (
    id              TEXT PRIMARY KEY,
    service_id      TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    label           TEXT NOT NULL,
    number          TEXT NOT NULL,
    languages       TEXT NOT NULL DEFAULT '',
    confirmed       BOOLEAN NOT NULL DEFAULT FALSE,
    always_open     BOOLEAN NOT NULL DEFAULT FALSE,
    hours_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    hours_text      TEXT
);
CREATE INDEX phones_service ON phones(service_id, position);

CREATE TABLE phone_hours (
    phone_id TEXT NOT NULL REFERENCES phones(id) ON DELETE CASCADE,
    weekday  BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens    TEXT NOT NULL,
    closes   TEXT NOT NULL,
    PRIMARY KEY (phone_id, weekday, opens)
);

CREATE TABLE accessibility_statement (
    id               BIGINT PRIMARY KEY CHECK (id = 1),
    service_name     TEXT NOT NULL,
    compliance       TEXT NOT NULL CHECK (compliance IN ('helt', 'delvis', 'inte')),
    compliance_text  TEXT NOT NULL,
    assessed_on      DATE NOT NULL,
    updated_on       DATE NOT NULL,
    method           TEXT NOT NULL,
    feedback_text    TEXT NOT NULL,
    answer_time      TEXT NOT NULL,
    enforcement_text TEXT NOT NULL,
    burden_none      TEXT
);

CREATE TABLE accessibility_items (
    kind        TEXT NOT NULL CHECK (kind IN ('nonconformity', 'burden', 'outside_scope')),
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    criterion   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, position)
);
