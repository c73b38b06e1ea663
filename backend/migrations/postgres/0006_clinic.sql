-- Medical institutions, outbreak notifications, daily counts and statistics; see the
-- SQLite migration of the same number. The new tables keep times as BIGINT milliseconds
-- and days as YYYY-MM-DD TEXT, as in SQLite, so one SQL text serves both databases.

-- A centre's jurisdiction: the municipalities (5-digit local government codes) it
-- covers. A municipality belongs to one centre at most.
CREATE TABLE centre_municipalities (
    code      TEXT PRIMARY KEY CHECK (length(code) = 5),
    name      TEXT NOT NULL,
    centre_id BIGINT NOT NULL REFERENCES centres(id),
    added_at  BIGINT NOT NULL
);
CREATE INDEX centre_municipalities_by_centre ON centre_municipalities (centre_id, code);

-- A medical institution with its 10-digit institution code and its municipality; the
-- centre whose admin registered it (none when made by the command).
CREATE TABLE institutions (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              TEXT NOT NULL,
    code              TEXT NOT NULL UNIQUE,
    municipality_code TEXT NOT NULL,
    issued_by         BIGINT REFERENCES centres(id),
    created_at        BIGINT NOT NULL
);
CREATE INDEX institutions_by_municipality ON institutions (municipality_code, id);

-- Logins outside the health centres: a clinic's admin or staff (with its institution)
-- or the aggregate statistics role of a prefecture or the ministry (no institution).
CREATE TABLE org_accounts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id BIGINT REFERENCES institutions(id),
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('clinic_admin', 'clinic_staff', 'aggregate')),
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    CHECK ((role = 'aggregate') = (institution_id IS NULL))
);

-- Their sessions (only the SHA-256 of a token), apart from the centres' sessions, so a
-- clinic's token is no centre staff token anywhere.
CREATE TABLE org_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES org_accounts(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Outbreak notifications, routed at filing to the centre covering the patient's
-- municipality. `status`: new → accepted (became `case_id`) or duplicate (of `case_id`).
-- `categories`, `risk_factors`: comma-separated codes. `age`: at diagnosis.
CREATE TABLE notifications (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id    BIGINT NOT NULL REFERENCES institutions(id),
    filed_by          BIGINT NOT NULL REFERENCES org_accounts(id),
    centre_id         BIGINT NOT NULL REFERENCES centres(id),
    status            TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'duplicate')),
    case_id           BIGINT REFERENCES cases(id),
    decided_by        BIGINT REFERENCES staff(id),
    decided_at        BIGINT,
    filed_at          BIGINT NOT NULL,
    filed_on          TEXT NOT NULL,
    doctor            TEXT NOT NULL,
    report_date       TEXT NOT NULL,
    name              TEXT NOT NULL,
    name_reading      TEXT NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    date_of_birth     TEXT NOT NULL,
    age               BIGINT NOT NULL,
    municipality_code TEXT NOT NULL,
    address           TEXT NOT NULL,
    phone             TEXT NOT NULL,
    onset_date        TEXT,
    diagnosis_date    TEXT NOT NULL,
    specimen_date     TEXT NOT NULL,
    categories        TEXT NOT NULL,
    hospitalisation   BIGINT NOT NULL,
    risk_factors      TEXT NOT NULL,
    antivirals        BIGINT NOT NULL,
    oxygen            BIGINT NOT NULL,
    pregnant          BIGINT NOT NULL,
    vaccination       TEXT NOT NULL,
    severity          TEXT NOT NULL
);
CREATE INDEX notifications_queue ON notifications (centre_id, status, filed_at);
CREATE INDEX notifications_by_institution ON notifications (institution_id, filed_at);
CREATE INDEX notifications_by_day ON notifications (filed_on, centre_id, age);

-- A clinic's daily count of patients diagnosed, one row per age band (its lower bound
-- in years; `band_to` the upper bound, none for the last). Rows exist only for days
-- entered: a day without rows is missing, not zero.
CREATE TABLE daily_counts (
    institution_id BIGINT NOT NULL REFERENCES institutions(id),
    day            TEXT NOT NULL,
    band_from      BIGINT NOT NULL,
    band_to        BIGINT,
    count          BIGINT NOT NULL CHECK (count >= 0),
    entered_by     BIGINT NOT NULL REFERENCES org_accounts(id),
    entered_at     BIGINT NOT NULL,
    PRIMARY KEY (institution_id, day, band_from)
);
CREATE INDEX daily_counts_by_day ON daily_counts (day, institution_id);

-- What clinic and aggregate accounts did (the centres' own actions go to audit_log).
CREATE TABLE org_audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES org_accounts(id),
    institution_id  BIGINT REFERENCES institutions(id),
    at              BIGINT NOT NULL,
    action          TEXT NOT NULL,
    notification_id BIGINT REFERENCES notifications(id)
);
CREATE INDEX org_audit_by_institution ON org_audit_log (institution_id, at);

-- Statistics: each day's people under observation, reported and urgent per centre,
-- kind and age in years (no person in it). A day is computed once it has ended; today
-- is computed again when its figures are older than the configured age.
CREATE TABLE stats_days (
    day       TEXT NOT NULL,
    centre_id BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    age       BIGINT NOT NULL,
    observed  BIGINT NOT NULL,
    reported  BIGINT NOT NULL,
    urgent    BIGINT NOT NULL,
    PRIMARY KEY (day, centre_id, kind, age)
);
CREATE TABLE stats_days_done (
    day         TEXT PRIMARY KEY,
    computed_at BIGINT NOT NULL
);

-- Reading one day's reports by receipt for the statistics (receipt times grow, so
-- new entries go to the end of this index).
CREATE INDEX reports_by_received ON reports (received_at, case_id, advice);
-- The people under observation on a day, without reading the case rows.
CREATE INDEX cases_stats ON cases (period_end, period_start, centre_id, kind, date_of_birth);
