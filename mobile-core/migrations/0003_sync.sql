-- Upload state of each outbox row, what the server answered, the case's profile, and
-- the phone's sync bookkeeping. A report is never dropped: a row the server refused
-- stays in the outbox as 'failed' with the server's reason, so it can be shown.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed'));
ALTER TABLE outbox ADD COLUMN reason_code TEXT;
ALTER TABLE outbox ADD COLUMN reason_text TEXT;
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;

CREATE INDEX outbox_by_state ON outbox (state);

-- Reports the server has committed, with the advice level it stored. Written in the
-- same transaction that removes the report's outbox row.
CREATE TABLE sent (
    report_id   TEXT PRIMARY KEY REFERENCES reports (id),
    advice      TEXT NOT NULL,
    accepted_at TEXT NOT NULL
) STRICT;

-- The case's profile from the server, kept for offline warnings (one row).
CREATE TABLE profile (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    kind             TEXT NOT NULL,
    observation      TEXT NOT NULL,
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    centre_name      TEXT NOT NULL,
    emergency_number TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

-- This installation's random id (names its keystore entry) and the last sync outcome.
CREATE TABLE sync_meta (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    install_id      TEXT NOT NULL,
    last_success_at TEXT,
    last_error      TEXT,
    last_error_at   TEXT
) STRICT;

INSERT INTO sync_meta (id, install_id) VALUES (1, lower(hex(randomblob(16))));
