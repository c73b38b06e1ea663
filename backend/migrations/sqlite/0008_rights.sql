-- The person's rights over their data (開示・訂正・利用停止) and retention.
--
-- `rights_requests`: each request a person filed (in the app or on the public page) and
-- the health centre's answer. `corrections`: a corrected value recorded beside the
-- original (a report row is never updated; a profile field is updated and its former
-- value kept here). `cases.suspended_at`: use of the case's data is suspended; the
-- board, the lists, the CSV, the statistics and the automated call leave it out, and
-- their indexes cover only cases in use, so the filter costs nothing.
-- `cases.erased_at`: the retention job removed the case's personal data;
-- `retention_runs`: one row per run, counts only.

CREATE TABLE rights_requests (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    via             TEXT NOT NULL CHECK (via IN ('app', 'page')),
    kind            TEXT NOT NULL CHECK (kind IN ('disclosure', 'correction', 'suspension')),
    item            TEXT,
    report_id       BLOB REFERENCES reports(id),
    requested_value TEXT,
    note            TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'disclosed', 'corrected', 'refused', 'suspended')),
    reason          TEXT,
    answered_by     INTEGER REFERENCES staff(id),
    answered_at     INTEGER,
    filed_at        INTEGER NOT NULL
);
CREATE INDEX rights_by_case ON rights_requests (case_id, id);
CREATE INDEX rights_open ON rights_requests (status, id);

CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES rights_requests(id),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    item       TEXT NOT NULL,
    report_id  BLOB REFERENCES reports(id),
    original   TEXT NOT NULL,
    corrected  TEXT NOT NULL,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    at         INTEGER NOT NULL
);
CREATE INDEX corrections_by_case ON corrections (case_id, at);

ALTER TABLE cases ADD COLUMN suspended_at INTEGER;
ALTER TABLE cases ADD COLUMN erased_at INTEGER;

-- The board's and the statistics' indexes again, over cases in use only.
DROP INDEX cases_board;
DROP INDEX cases_board_reported;
DROP INDEX cases_board_silent;
DROP INDEX cases_urgent;
DROP INDEX cases_stats;
CREATE INDEX cases_board ON cases (centre_id, active, period_end, period_start) WHERE suspended_at IS NULL;
CREATE INDEX cases_board_reported ON cases (centre_id, active, last_received_on, last_received_at DESC, id,
    fever_on, period_end, period_start) WHERE suspended_at IS NULL;
CREATE INDEX cases_board_silent ON cases (centre_id, active, last_received_at, id, period_end, period_start, last_received_on)
    WHERE suspended_at IS NULL;
CREATE INDEX cases_urgent ON cases (centre_id, active, urgent_since, id) WHERE urgent_since IS NOT NULL AND suspended_at IS NULL;
CREATE INDEX cases_stats ON cases (period_end, period_start, centre_id, kind, date_of_birth) WHERE suspended_at IS NULL;
-- Retention looks for cases whose observation ended long ago and are not erased yet.
CREATE INDEX cases_retention ON cases (period_end) WHERE erased_at IS NULL;

CREATE TABLE retention_runs (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    cutoff  TEXT NOT NULL,
    cases   INTEGER NOT NULL,
    reports INTEGER NOT NULL
);
