-- Editors change pages in the back office. A page has at most one draft
-- (what was saved but not published); every publish is kept as a
-- revision with who and when, so a page's history can be read and an
-- older text restored. The page's review date is a year after its last
-- publish.
CREATE TABLE page_drafts (
    path        TEXT PRIMARY KEY REFERENCES pages(path) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    body_md     TEXT NOT NULL,
    saved_at    TIMESTAMPTZ NOT NULL,
    saved_by    BIGINT REFERENCES staff_accounts(id) ON DELETE SET NULL
);

CREATE TABLE page_revisions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path         TEXT NOT NULL REFERENCES pages(path) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    body_md      TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by BIGINT REFERENCES staff_accounts(id) ON DELETE SET NULL
);
CREATE INDEX page_revisions_path ON page_revisions(path, id);
