-- Household members (代理入力): a signed-in patient reports for the people they live
-- with, each their own case with their own input ID, linked to the account by the same
-- attribute match as registration. Unlinking keeps the row (and every report made
-- through it) and stops new reports.
CREATE TABLE household (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    linked_at   INTEGER NOT NULL,
    unlinked_at INTEGER
);
CREATE UNIQUE INDEX household_linked ON household (patient_id, case_id) WHERE unlinked_at IS NULL;
