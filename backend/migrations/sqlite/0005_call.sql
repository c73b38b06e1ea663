-- The automated morning call (自動架電). A case observed by phone (`cases.observation`)
-- may have another number to call and a language; each centre has its call times,
-- retry and pace; each round of a day is planned once; each person has at most one
-- attempt per day and round (the unique key), which server copies claim with a lease.

-- The number to call when it is not the case's own phone, and the call's language.
CREATE TABLE call_enrolments (
    case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
    phone      TEXT,
    lang       TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
    updated_at INTEGER NOT NULL
);

-- A centre's call settings; a centre without a row has the defaults (09:00, retry at
-- 10:00, 2 calls/s).
CREATE TABLE call_settings (
    centre_id     INTEGER PRIMARY KEY REFERENCES centres(id),
    enabled       INTEGER NOT NULL DEFAULT 1,
    first_at      TEXT NOT NULL,
    retry_at      TEXT NOT NULL,
    retry         INTEGER NOT NULL DEFAULT 1,
    calls_per_sec REAL NOT NULL CHECK (calls_per_sec > 0),
    updated_at    INTEGER NOT NULL
);

-- A round planned for a centre on a day (Japan's day): whoever plans it first (one
-- insert wins) writes its attempts in the same transaction.
CREATE TABLE call_rounds (
    centre_id  INTEGER NOT NULL REFERENCES centres(id),
    day        TEXT NOT NULL,
    round      INTEGER NOT NULL CHECK (round IN (1, 2)),
    planned_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    PRIMARY KEY (centre_id, day, round)
);

-- The shared pace of a centre's calls: the time of the next free slot (milliseconds).
CREATE TABLE call_pacing (
    centre_id    INTEGER PRIMARY KEY REFERENCES centres(id),
    next_slot_at INTEGER NOT NULL
);

-- One call of one person in one round. `status`: due → claimed (a copy took it, with
-- a lease) → dialing (about to be placed: never placed again) → ringing → in_call →
-- completed | incomplete | no_answer | busy | failed | canceled, or skipped (reported
-- or no longer enrolled before the call). `script` is the call's progress between
-- webhooks (cleared when the call ends); `turn` numbers the prompts so a repeated or
-- late webhook changes nothing; `last_seq` is the provider's latest status event.
CREATE TABLE call_attempts (
    id               TEXT PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    centre_id        INTEGER NOT NULL REFERENCES centres(id),
    day              TEXT NOT NULL,
    round            INTEGER NOT NULL CHECK (round IN (1, 2)),
    status           TEXT NOT NULL CHECK (status IN ('due', 'claimed', 'dialing', 'ringing', 'in_call', 'completed',
                         'incomplete', 'no_answer', 'busy', 'failed', 'canceled', 'skipped')),
    claimed_by       TEXT,
    lease_until      INTEGER,
    provider         TEXT,
    provider_call_id TEXT,
    lang             TEXT NOT NULL DEFAULT 'ja',
    script           TEXT,
    turn             INTEGER NOT NULL DEFAULT 0,
    step             TEXT,
    last_seq         INTEGER NOT NULL DEFAULT -1,
    report_id        BLOB,
    created_at       INTEGER NOT NULL,
    dialed_at        INTEGER,
    answered_at      INTEGER,
    ended_at         INTEGER,
    UNIQUE (case_id, day, round)
);
CREATE INDEX call_attempts_open ON call_attempts (status, centre_id, round, created_at)
    WHERE status IN ('due', 'claimed', 'dialing', 'ringing', 'in_call');
CREATE INDEX call_attempts_day ON call_attempts (centre_id, day, round, status);
