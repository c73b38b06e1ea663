-- The person's rights over their data and retention; see the SQLite migration of the
-- same number.

CREATE TABLE rights_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases(id),
    via             TEXT NOT NULL CHECK (via IN ('app', 'page')),
    kind            TEXT NOT NULL CHECK (kind IN ('disclosure', 'correction', 'suspension')),
    item            TEXT,
    report_id       UUID REFERENCES reports(id),
    requested_value TEXT,
    note            TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'disclosed', 'corrected', 'refused', 'suspended')),
    reason          TEXT,
    answered_by     BIGINT REFERENCES staff(id),
    answered_at     TIMESTAMPTZ,
    filed_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX rights_by_case ON rights_requests (case_id, id);
CREATE INDEX rights_open ON rights_requests (status, id);

CREATE TABLE corrections (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES rights_requests(id),
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    item       TEXT NOT NULL,
    report_id  UUID REFERENCES reports(id),
    original   TEXT NOT NULL,
    corrected  TEXT NOT NULL,
    staff_id   BIGINT NOT NULL REFERENCES staff(id),
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX corrections_by_case ON corrections (case_id, at);

ALTER TABLE cases ADD COLUMN suspended_at TIMESTAMPTZ;
ALTER TABLE cases ADD COLUMN erased_at TIMESTAMPTZ;

DROP INDEX cases_board;
DROP INDEX cases_board_reported;
DROP INDEX cases_board_silent;
DROP INDEX cases_urgent;
DROP INDEX cases_stats;
CREATE INDEX cases_board ON cases (centre_id, active, period_end, period_start) WHERE suspended_at IS NULL;
CREATE INDEX cases_board_reported ON cases (centre_id, active, last_received_on, last_received_at DESC, id,
    fever_on, period_end, period_start) WHERE suspended_at IS NULL;
CREATE INDEX cases_board_silent ON cases (centre_id, active, last_received_at NULLS FIRST, id, period_end, period_start, last_received_on)
    WHERE suspended_at IS NULL;
CREATE INDEX cases_urgent ON cases (centre_id, active, urgent_since, id) WHERE urgent_since IS NOT NULL AND suspended_at IS NULL;
CREATE INDEX cases_stats ON cases (period_end, period_start, centre_id, kind, date_of_birth) WHERE suspended_at IS NULL;
CREATE INDEX cases_retention ON cases (period_end) WHERE erased_at IS NULL;

CREATE TABLE retention_runs (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    cutoff  DATE NOT NULL,
    cases   BIGINT NOT NULL,
    reports BIGINT NOT NULL
);
