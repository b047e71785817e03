-- The November campaign as a programme (issue 15). A campaign is one year:
-- its theme, period, intro, colour (a class from a fixed palette) and the
-- municipalities that arrange it together. An event belongs to a
-- campaign. Times are instants in UTC; the forms speak Stockholm time.
-- A digital event's meeting link is kept here and nowhere public: only the
-- registration e-mails of part 2 carry it.
CREATE TABLE campaigns (
    year       INTEGER PRIMARY KEY,
    theme      TEXT NOT NULL,
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    intro_md   TEXT NOT NULL,
    colour     TEXT NOT NULL,
    published  INTEGER NOT NULL DEFAULT 0,
    example    INTEGER NOT NULL DEFAULT 0,
    updated_on TEXT NOT NULL
);

CREATE TABLE campaign_municipalities (
    year INTEGER NOT NULL REFERENCES campaigns(year) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL,
    PRIMARY KEY (year, slug)
);

CREATE TABLE events (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_year          INTEGER NOT NULL REFERENCES campaigns(year),
    uid                    TEXT NOT NULL UNIQUE,
    slug                   TEXT NOT NULL,
    title                  TEXT NOT NULL,
    description_md         TEXT NOT NULL,
    audience               TEXT NOT NULL,
    format                 TEXT NOT NULL,
    place                  TEXT,
    address                TEXT,
    municipality           TEXT NOT NULL,
    language               TEXT NOT NULL,
    accessibility          TEXT NOT NULL DEFAULT '',
    starts_at              TEXT NOT NULL,
    ends_at                TEXT NOT NULL,
    capacity               INTEGER,
    registration_opens_at  TEXT,
    registration_closes_at TEXT,
    status                 TEXT NOT NULL,
    cancel_reason          TEXT,
    meeting_link           TEXT,
    sequence               INTEGER NOT NULL DEFAULT 0,
    example                INTEGER NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX events_campaign ON events(campaign_year, starts_at);
