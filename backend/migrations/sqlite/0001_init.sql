-- Mimamori server schema, SQLite. Times are milliseconds since the Unix epoch (UTC),
-- dates are 'YYYY-MM-DD' text. Registration ids are UUID text; report ids are the 16
-- bytes of the phone-made UUID (a smaller index: report sync writes one random index
-- entry per report).

CREATE TABLE centres (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    emergency_number  TEXT NOT NULL,
    jurisdiction_code TEXT NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    centre_id     INTEGER NOT NULL REFERENCES centres(id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    centre_id     INTEGER NOT NULL REFERENCES centres(id),
    name          TEXT NOT NULL,
    name_reading  TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    phone         TEXT NOT NULL,
    email         TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('infected', 'close_contact', 'awaiting_result')),
    observation   TEXT NOT NULL CHECK (observation IN ('app', 'phone')),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    input_id      TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    CHECK (period_start <= period_end)
);
-- The smartphone input ID is unique among cases under observation.
CREATE UNIQUE INDEX cases_active_input_id ON cases (input_id) WHERE active = 1;
CREATE INDEX cases_by_centre ON cases (centre_id, id);

CREATE TABLE patients (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    case_id       INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    created_at    INTEGER NOT NULL
);

-- Bearer sessions; only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER REFERENCES staff(id),
    patient_id INTEGER REFERENCES patients(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CHECK ((staff_id IS NULL) <> (patient_id IS NULL))
);

CREATE TABLE registrations (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    code_hash        TEXT NOT NULL,
    code_expires_at  INTEGER NOT NULL,
    tries            INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'done', 'dead')),
    token_hash       TEXT UNIQUE,
    token_expires_at INTEGER,
    password_hash    TEXT,
    attribute_tries  INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

-- Daily reports, append-only, applied exactly once by the phone-made id.
CREATE TABLE reports (
    id                 BLOB PRIMARY KEY CHECK (length(id) = 16),
    case_id            INTEGER NOT NULL REFERENCES cases(id),
    local_date         TEXT NOT NULL,
    kind               TEXT NOT NULL,
    temperature_tenths INTEGER NOT NULL CHECK (temperature_tenths BETWEEN 340 AND 420),
    answers            TEXT NOT NULL CHECK (length(answers) = 9),
    recorded_at        INTEGER NOT NULL,
    advice             TEXT NOT NULL CHECK (advice IN ('none', 'watch', 'call_now')),
    received_at        INTEGER NOT NULL
);
CREATE INDEX reports_by_case ON reports (case_id, local_date, recorded_at);
