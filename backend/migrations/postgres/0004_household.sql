-- Household members (代理入力); see the SQLite migration of the same number.
CREATE TABLE household (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id  BIGINT NOT NULL REFERENCES patients(id),
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    linked_at   TIMESTAMPTZ NOT NULL,
    unlinked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX household_linked ON household (patient_id, case_id) WHERE unlinked_at IS NULL;
