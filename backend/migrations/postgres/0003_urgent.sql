-- The urgent list as a promise (see the SQLite migration of the same number for the
-- whole story): reports dated and ordered by receipt in Japan, "call now" reports kept
-- until handled, fever kept for the day it was received.

ALTER TABLE cases ADD COLUMN last_received_on DATE;
ALTER TABLE cases ADD COLUMN fever_on DATE;
ALTER TABLE cases ADD COLUMN fever_tenths SMALLINT;
ALTER TABLE cases ADD COLUMN urgent_since TIMESTAMPTZ;

CREATE TABLE handlings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    staff_id   BIGINT NOT NULL REFERENCES staff(id),
    at         TIMESTAMPTZ NOT NULL,
    note       TEXT NOT NULL,
    contact_id BIGINT REFERENCES contacts(id)
);
CREATE INDEX handlings_by_case ON handlings (case_id, at);

CREATE TABLE handled_reports (
    report_id   UUID PRIMARY KEY REFERENCES reports(id),
    handling_id BIGINT NOT NULL REFERENCES handlings(id)
);

UPDATE cases SET (last_local_date, last_recorded_at, last_received_at, last_temperature_tenths, last_advice) =
    (SELECT r.local_date, r.recorded_at, r.received_at, r.temperature_tenths, r.advice FROM reports r
     WHERE r.case_id = cases.id ORDER BY r.received_at DESC, r.local_date DESC, r.recorded_at DESC LIMIT 1);
UPDATE cases SET last_received_on = (last_received_at AT TIME ZONE 'Asia/Tokyo')::date WHERE last_received_at IS NOT NULL;
UPDATE cases SET fever_on = (SELECT max((r.received_at AT TIME ZONE 'Asia/Tokyo')::date) FROM reports r
    WHERE r.case_id = cases.id AND r.temperature_tenths >= 375);
UPDATE cases SET fever_tenths = (SELECT max(r.temperature_tenths) FROM reports r WHERE r.case_id = cases.id
    AND r.temperature_tenths >= 375 AND (r.received_at AT TIME ZONE 'Asia/Tokyo')::date = cases.fever_on)
    WHERE fever_on IS NOT NULL;
INSERT INTO handlings (case_id, staff_id, at, note, contact_id)
    SELECT case_id, staff_id, at, note, id FROM contacts WHERE outcome = 'reached';
INSERT INTO handled_reports (report_id, handling_id)
    SELECT r.id, (SELECT h.id FROM handlings h WHERE h.case_id = r.case_id AND h.at >= r.received_at ORDER BY h.at, h.id LIMIT 1)
    FROM reports r WHERE r.advice = 'call_now'
    AND EXISTS (SELECT 1 FROM handlings h WHERE h.case_id = r.case_id AND h.at >= r.received_at);
UPDATE cases SET urgent_since = (SELECT min(r.received_at) FROM reports r WHERE r.case_id = cases.id
    AND r.advice = 'call_now' AND NOT EXISTS (SELECT 1 FROM handled_reports hr WHERE hr.report_id = r.id));

DROP INDEX cases_board_reported;
DROP INDEX cases_board_silent;
CREATE INDEX cases_board_reported ON cases (centre_id, active, last_received_on, last_received_at DESC, id,
    fever_on, period_end, period_start);
CREATE INDEX cases_board_silent ON cases (centre_id, active, last_received_at NULLS FIRST, id, period_end, period_start, last_received_on);
CREATE INDEX cases_urgent ON cases (centre_id, active, urgent_since, id) WHERE urgent_since IS NOT NULL;
