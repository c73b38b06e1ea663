-- The urgent list as a promise. The server orders and dates reports by the time it
-- received them (the day in Japan), never by the phone's clock; a "call now" report
-- stays on the urgent list until staff handle it (a contact that reached the person,
-- or a note); the fever list holds anyone with a fever in any report received today.

-- The case's latest report is now the latest received; `last_received_on` is its day
-- in Japan (UTC+9, no daylight saving).
ALTER TABLE cases ADD COLUMN last_received_on TEXT;
-- The day in Japan of the latest fever report received, and the highest temperature
-- received that day.
ALTER TABLE cases ADD COLUMN fever_on TEXT;
ALTER TABLE cases ADD COLUMN fever_tenths INTEGER;
-- When the oldest "call now" report not yet handled was received; NULL when none waits.
ALTER TABLE cases ADD COLUMN urgent_since INTEGER;

-- A staff member dealt with a case's urgent reports: by a contact that reached the
-- person (`contact_id`), or by marking them handled with a note.
CREATE TABLE handlings (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    at         INTEGER NOT NULL,
    note       TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id)
);
CREATE INDEX handlings_by_case ON handlings (case_id, at);

-- Which "call now" report which handling covered: exactly the reports stored and
-- shown to the staff member when they acted, never one that arrived afterwards.
CREATE TABLE handled_reports (
    report_id   BLOB PRIMARY KEY REFERENCES reports(id),
    handling_id INTEGER NOT NULL REFERENCES handlings(id)
);

-- Existing data: the latest report by receipt, today's fever, and "call now" reports
-- counted as handled where a contact that reached the person followed them.
UPDATE cases SET (last_local_date, last_recorded_at, last_received_at, last_temperature_tenths, last_advice) =
    (SELECT r.local_date, r.recorded_at, r.received_at, r.temperature_tenths, r.advice FROM reports r
     WHERE r.case_id = cases.id ORDER BY r.received_at DESC, r.local_date DESC, r.recorded_at DESC LIMIT 1);
UPDATE cases SET last_received_on = date(last_received_at / 1000, 'unixepoch', '+9 hours') WHERE last_received_at IS NOT NULL;
UPDATE cases SET fever_on = (SELECT max(date(r.received_at / 1000, 'unixepoch', '+9 hours')) FROM reports r
    WHERE r.case_id = cases.id AND r.temperature_tenths >= 375);
UPDATE cases SET fever_tenths = (SELECT max(r.temperature_tenths) FROM reports r WHERE r.case_id = cases.id
    AND r.temperature_tenths >= 375 AND date(r.received_at / 1000, 'unixepoch', '+9 hours') = cases.fever_on)
    WHERE fever_on IS NOT NULL;
INSERT INTO handlings (case_id, staff_id, at, note, contact_id)
    SELECT case_id, staff_id, at, note, id FROM contacts WHERE outcome = 'reached';
INSERT INTO handled_reports (report_id, handling_id)
    SELECT r.id, (SELECT h.id FROM handlings h WHERE h.case_id = r.case_id AND h.at >= r.received_at ORDER BY h.at, h.id LIMIT 1)
    FROM reports r WHERE r.advice = 'call_now'
    AND EXISTS (SELECT 1 FROM handlings h WHERE h.case_id = r.case_id AND h.at >= r.received_at);
UPDATE cases SET urgent_since = (SELECT min(r.received_at) FROM reports r WHERE r.case_id = cases.id
    AND r.advice = 'call_now' AND NOT EXISTS (SELECT 1 FROM handled_reports hr WHERE hr.report_id = r.id));

-- The board's indexes by the day received. `cases_board_reported`: today's reporters,
-- latest receipt first (reported and fever counts and lists); `cases_board_silent`:
-- the unreported list; `cases_urgent`: only the cases with an unhandled urgent report,
-- oldest first (the urgent count, list and the alert on every page).
DROP INDEX cases_board_reported;
DROP INDEX cases_board_silent;
CREATE INDEX cases_board_reported ON cases (centre_id, active, last_received_on, last_received_at DESC, id,
    fever_on, period_end, period_start);
CREATE INDEX cases_board_silent ON cases (centre_id, active, last_received_at, id, period_end, period_start, last_received_on);
CREATE INDEX cases_urgent ON cases (centre_id, active, urgent_since, id) WHERE urgent_since IS NOT NULL;
