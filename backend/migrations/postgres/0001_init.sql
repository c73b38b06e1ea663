-- Mimamori server schema, PostgreSQL. Same tables as the SQLite schema, with native
-- types: TIMESTAMPTZ, DATE, UUID, BOOLEAN.

CREATE TABLE centres (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              TEXT NOT NULL,
    emergency_number  TEXT NOT NULL,
    jurisdiction_code TEXT NOT NULL UNIQUE,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id     BIGINT NOT NULL REFERENCES centres(id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE cases (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    centre_id     BIGINT NOT NULL REFERENCES centres(id),
    name          TEXT NOT NULL,
    name_reading  TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    phone         TEXT NOT NULL,
    email         TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('infected', 'close_contact', 'awaiting_result')),
    observation   TEXT NOT NULL CHECK (observation IN ('app', 'phone')),
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    input_id      TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    CHECK (period_start <= period_end)
);
-- The smartphone input ID is unique among cases under observation.
CREATE UNIQUE INDEX cases_active_input_id ON cases (input_id) WHERE active;
CREATE INDEX cases_by_centre ON cases (centre_id, id);

CREATE TABLE patients (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    case_id       BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    created_at    TIMESTAMPTZ NOT NULL
);

-- Bearer sessions; only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   BIGINT REFERENCES staff(id),
    patient_id BIGINT REFERENCES patients(id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    CHECK ((staff_id IS NULL) <> (patient_id IS NULL))
);

CREATE TABLE registrations (
    id               UUID PRIMARY KEY,
    email            TEXT NOT NULL,
    code_hash        TEXT NOT NULL,
    code_expires_at  TIMESTAMPTZ NOT NULL,
    tries            BIGINT NOT NULL DEFAULT 0,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'done', 'dead')),
    token_hash       TEXT UNIQUE,
    token_expires_at TIMESTAMPTZ,
    password_hash    TEXT,
    attribute_tries  BIGINT NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL
);

-- Daily reports, append-only, applied exactly once by the phone-made id.
CREATE TABLE reports (
    id                 UUID PRIMARY KEY,
    case_id            BIGINT NOT NULL REFERENCES cases(id),
    local_date         DATE NOT NULL,
    kind               TEXT NOT NULL,
    temperature_tenths SMALLINT NOT NULL CHECK (temperature_tenths BETWEEN 340 AND 420),
    answers            TEXT NOT NULL CHECK (length(answers) = 9),
    recorded_at        TIMESTAMPTZ NOT NULL,
    advice             TEXT NOT NULL CHECK (advice IN ('none', 'watch', 'call_now')),
    received_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX reports_by_case ON reports (case_id, local_date, recorded_at);
