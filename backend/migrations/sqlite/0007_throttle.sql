-- Throttles every server copy shares: one row per limiter and key (the key's SHA-256,
-- never the address or e-mail itself) with its GCRA "theoretical arrival time" in
-- milliseconds; a row whose time has passed is the same as no row and is deleted by
-- upkeep. And the places (hashed addresses) each login account signed in from lately.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE login_places (
    account TEXT NOT NULL,
    place   TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (account, place)
) WITHOUT ROWID;
