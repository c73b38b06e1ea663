-- Daily reports, append-only, and the outbox of reports still to send.
-- A report and its outbox row are always written in one transaction.
CREATE TABLE reports (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT    NOT NULL UNIQUE,
    person_id          TEXT    NOT NULL,
    local_date         TEXT    NOT NULL,
    recorded_at        TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    temperature_tenths INTEGER NOT NULL CHECK (temperature_tenths BETWEEN 340 AND 420),
    answers            TEXT    NOT NULL CHECK (length(answers) = 9),
    advice_level       TEXT    NOT NULL
) STRICT;

CREATE INDEX reports_by_person_day ON reports (person_id, local_date, seq);

CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;

CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;

CREATE TABLE outbox (
    report_id   TEXT    PRIMARY KEY REFERENCES reports (id),
    enqueued_at TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0
) STRICT;
