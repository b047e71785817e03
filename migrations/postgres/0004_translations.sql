-- The language seam: Swedish is the source text and stays in the tables it
-- lives in today; every other language is a row per item and language in a
-- translations table beside it. A page is served at /{lang}/{swedish path}
-- (Swedish at /), so the key of a translated page is (path, lang).
--
-- Each translation records the date of the Swedish text it follows
-- (source_updated_on): when the Swedish text's updated_on is later, the
-- translation is behind and says so until an editor marks it current. It
-- is also marked as not reviewed by a native speaker until an editor does.
--
-- lang is the code in the URL: fi, en, ar, fa, so, and lattlast for
-- easy-to-read Swedish (lang="sv" in HTML). Adding a language needs a
-- catalogue in the code anyway, so the list is a CHECK here.

CREATE TABLE page_translations (
    path              TEXT NOT NULL REFERENCES pages(path) ON DELETE CASCADE,
    lang              TEXT NOT NULL CHECK (lang IN ('fi', 'en', 'ar', 'fa', 'so', 'lattlast')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    body_md           TEXT NOT NULL,
    source_updated_on DATE NOT NULL,
    reviewed          BOOLEAN NOT NULL DEFAULT FALSE,
    updated_on        DATE NOT NULL,
    PRIMARY KEY (path, lang)
);

-- The help directory's texts. Numbers, hours, audiences and languages are
-- the same in every language; only what is written in words is here.
CREATE TABLE organization_translations (
    organization_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    lang              TEXT NOT NULL CHECK (lang IN ('fi', 'en', 'ar', 'fa', 'so', 'lattlast')),
    description       TEXT NOT NULL,
    source_updated_on DATE NOT NULL,
    reviewed          BOOLEAN NOT NULL DEFAULT FALSE,
    updated_on        DATE NOT NULL,
    PRIMARY KEY (organization_id, lang)
);

CREATE TABLE service_translations (
    service_id        TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    lang              TEXT NOT NULL CHECK (lang IN ('fi', 'en', 'ar', 'fa', 'so', 'lattlast')),
    name              TEXT NOT NULL,
    description       TEXT NOT NULL,
    interpretation    TEXT,
    url_label         TEXT,
    call_safety       TEXT,
    source_updated_on DATE NOT NULL,
    reviewed          BOOLEAN NOT NULL DEFAULT FALSE,
    updated_on        DATE NOT NULL,
    PRIMARY KEY (service_id, lang)
);

-- A phone line's label ("Chatt", "Jourtelefon") and free-text hours.
CREATE TABLE phone_translations (
    phone_id   TEXT NOT NULL REFERENCES phones(id) ON DELETE CASCADE,
    lang       TEXT NOT NULL CHECK (lang IN ('fi', 'en', 'ar', 'fa', 'so', 'lattlast')),
    label      TEXT NOT NULL,
    hours_text TEXT,
    PRIMARY KEY (phone_id, lang)
);
