-- Limits on acknowledgement e-mails, per-type case settings and the
-- privacy notice's editable facts.

-- A keyed fingerprint of an acknowledgement's recipient (never the address
-- itself), so the number of acknowledgements to one address can be capped
-- across instances.
ALTER TABLE outbox ADD COLUMN recipient_key TEXT;
CREATE INDEX outbox_recipient_key ON outbox(recipient_key, created_at);

-- Whether the case's acknowledgement went out: none (no address given),
-- queued, or limited (the address or the client had reached its cap).
ALTER TABLE cases ADD COLUMN ack_mail TEXT NOT NULL DEFAULT 'none'
    CHECK (ack_mail IN ('none', 'queued', 'limited'));

-- Per case type: the promised answer time in working days and how long a
-- closed case is kept. Part of the product, not demo content.
CREATE TABLE case_types (
    kind             TEXT PRIMARY KEY CHECK (kind IN ('TG', 'AF', 'KO')),
    answer_days      BIGINT NOT NULL CHECK (answer_days BETWEEN 1 AND 60),
    retention_months BIGINT NOT NULL CHECK (retention_months BETWEEN 1 AND 240)
);
INSERT INTO case_types (kind, answer_days, retention_months) VALUES
    ('TG', 5, 24), ('AF', 5, 24), ('KO', 5, 24);

-- What following a service's web address gives, when it is more than its
-- website ("Chatta med BRIS").
ALTER TABLE services ADD COLUMN url_label TEXT;

-- The privacy notice's facts that differ per municipality (one row).
CREATE TABLE privacy_notice (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    board       TEXT NOT NULL,
    dpo_contact TEXT NOT NULL,
    is_example  BOOLEAN NOT NULL DEFAULT false,
    updated_on  DATE NOT NULL
);

-- The accessibility statement lists what is lacking but is not a WCAG
-- criterion (languages, easy-to-read) apart from the nonconformities.
ALTER TABLE accessibility_items DROP CONSTRAINT accessibility_items_kind_check;
ALTER TABLE accessibility_items ADD CONSTRAINT accessibility_items_kind_check
    CHECK (kind IN ('nonconformity', 'burden', 'outside_scope', 'other'));
