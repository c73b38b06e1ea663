-- Shared throttles and known login places; see the SQLite migration of the same number.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);

CREATE TABLE login_places (
    account TEXT NOT NULL,
    place   TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (account, place)
);
