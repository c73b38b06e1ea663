-- The automated morning call (自動架電); see the SQLite migration of the same number.
CREATE TABLE call_enrolments (
    case_id    BIGINT PRIMARY KEY REFERENCES cases(id),
    phone      TEXT,
    lang       TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE call_settings (
    centre_id     BIGINT PRIMARY KEY REFERENCES centres(id),
    enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    first_at      TEXT NOT NULL,
    retry_at      TEXT NOT NULL,
    retry         BOOLEAN NOT NULL DEFAULT TRUE,
    calls_per_sec DOUBLE PRECISION NOT NULL CHECK (calls_per_sec > 0),
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE call_rounds (
    centre_id  BIGINT NOT NULL REFERENCES centres(id),
    day        DATE NOT NULL,
    round      SMALLINT NOT NULL CHECK (round IN (1, 2)),
    planned_at TIMESTAMPTZ NOT NULL,
    attempts   BIGINT NOT NULL,
    PRIMARY KEY (centre_id, day, round)
);

CREATE TABLE call_pacing (
    centre_id    BIGINT PRIMARY KEY REFERENCES centres(id),
    next_slot_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE call_attempts (
    id               TEXT PRIMARY KEY,
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    centre_id        BIGINT NOT NULL REFERENCES centres(id),
    day              DATE NOT NULL,
    round            SMALLINT NOT NULL CHECK (round IN (1, 2)),
    status           TEXT NOT NULL CHECK (status IN ('due', 'claimed', 'dialing', 'ringing', 'in_call', 'completed',
                         'incomplete', 'no_answer', 'busy', 'failed', 'canceled', 'skipped')),
    claimed_by       TEXT,
    lease_until      TIMESTAMPTZ,
    provider         TEXT,
    provider_call_id TEXT,
    lang             TEXT NOT NULL DEFAULT 'ja',
    script           TEXT,
    turn             INTEGER NOT NULL DEFAULT 0,
    step             TEXT,
    last_seq         BIGINT NOT NULL DEFAULT -1,
    report_id        UUID,
    created_at       TIMESTAMPTZ NOT NULL,
    dialed_at        TIMESTAMPTZ,
    answered_at      TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    UNIQUE (case_id, day, round)
);
CREATE INDEX call_attempts_open ON call_attempts (status, centre_id, round, created_at)
    WHERE status IN ('due', 'claimed', 'dialing', 'ringing', 'in_call');
CREATE INDEX call_attempts_day ON call_attempts (centre_id, day, round, status);
