-- The November campaign as a programme (issue 15). A campaign is one year:
-- its theme, period, intro, colour (a class from a fixed palette) and the
-- municipalities that arrange it together. An event belongs to a
-- campaign. Times are instants in UTC; the forms speak Stockholm time.
-- A digital event's meeting link is kept here and nowhere public: only the
-- registration e-mails of part 2 carry it.
CREATE TABLE campaigns (
    year       BIGINT PRIMARY KEY,
    theme      TEXT NOT NULL,
    starts_on  DATE NOT NULL,
    ends_on    DATE NOT NULL,
    intro_md   TEXT NOT NULL,
    colour     TEXT NOT NULL,
    published  BOOLEAN NOT NULL DEFAULT FALSE,
    example    BOOLEAN NOT NULL DEFAULT FALSE,
    updated_on DATE NOT NULL
);

CREATE TABLE campaign_municipalities (
    year BIGINT NOT NULL REFERENCES campaigns(year) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    sort BIGINT NOT NULL,
    PRIMARY KEY (year, slug)
);

CREATE TABLE events (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_year          BIGINT NOT NULL REFERENCES campaigns(year),
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
    starts_at              TIMESTAMPTZ NOT NULL,
    ends_at                TIMESTAMPTZ NOT NULL,
    capacity               BIGINT,
    registration_opens_at  TIMESTAMPTZ,
    registration_closes_at TIMESTAMPTZ,
    status                 TEXT NOT NULL,
    cancel_reason          TEXT,
    meeting_link           TEXT,
    sequence               BIGINT NOT NULL DEFAULT 0,
    example                BOOLEAN NOT NULL DEFAULT FALSE,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_campaign ON events(campaign_year, starts_at);
