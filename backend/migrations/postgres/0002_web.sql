-- Health-centre pages: each case's latest report (kept by report sync in the same
-- transaction, so the today board reads only the cases table), phone contacts,
-- transfers between centres and the access audit.

ALTER TABLE cases ADD COLUMN last_local_date DATE;
ALTER TABLE cases ADD COLUMN last_recorded_at TIMESTAMPTZ;
ALTER TABLE cases ADD COLUMN last_received_at TIMESTAMPTZ;
ALTER TABLE cases ADD COLUMN last_temperature_tenths SMALLINT;
ALTER TABLE cases ADD COLUMN last_advice TEXT;

UPDATE cases SET (last_local_date, last_recorded_at, last_received_at, last_temperature_tenths, last_advice) =
    (SELECT r.local_date, r.recorded_at, r.received_at, r.temperature_tenths, r.advice FROM reports r
     WHERE r.case_id = cases.id ORDER BY r.local_date DESC, r.recorded_at DESC LIMIT 1);

-- The today board: the same three indexes as on SQLite (see there), `cases_board_silent`
-- with NULL first as SQLite sorts it.
CREATE INDEX cases_board ON cases (centre_id, active, period_end, period_start);
CREATE INDEX cases_board_reported ON cases (centre_id, active, last_local_date, last_received_at DESC, id,
    last_temperature_tenths, last_advice, period_end, period_start);
CREATE INDEX cases_board_silent ON cases (centre_id, active, last_received_at NULLS FIRST, id, period_end, period_start, last_local_date);

CREATE TABLE contacts (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id  BIGINT NOT NULL REFERENCES cases(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    at       TIMESTAMPTZ NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'left_message', 'other')),
    note     TEXT NOT NULL
);
CREATE INDEX contacts_by_case ON contacts (case_id, at);

CREATE TABLE transfers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES cases(id),
    from_centre_id BIGINT NOT NULL REFERENCES centres(id),
    to_centre_id   BIGINT NOT NULL REFERENCES centres(id),
    staff_id       BIGINT NOT NULL REFERENCES staff(id),
    at             TIMESTAMPTZ NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX transfers_by_case ON transfers (case_id, at);

CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id BIGINT NOT NULL REFERENCES centres(id),
    staff_id  BIGINT NOT NULL REFERENCES staff(id),
    at        TIMESTAMPTZ NOT NULL,
    action    TEXT NOT NULL,
    case_id   BIGINT REFERENCES cases(id)
);
CREATE INDEX audit_by_centre ON audit_log (centre_id, at);
