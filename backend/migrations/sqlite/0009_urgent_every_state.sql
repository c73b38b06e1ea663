-- Every unhandled "call now" report is on the urgent list whatever the case's state:
-- a case whose use was suspended at the person's request included (it is marked on
-- the board). The urgent index therefore covers every case with one waiting.
DROP INDEX cases_urgent;
CREATE INDEX cases_urgent ON cases (centre_id, active, urgent_since, id) WHERE urgent_since IS NOT NULL;
