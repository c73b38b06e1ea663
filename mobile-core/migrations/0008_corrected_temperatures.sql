-- Temperatures the health centre corrected at the person's request, as the server's
-- answers and disclosure say: the phone's history and today show them, while the
-- report rows stay as sent (they are append-only).
CREATE TABLE corrected_temperatures (
    report_id TEXT    PRIMARY KEY,
    tenths    INTEGER NOT NULL CHECK (tenths BETWEEN 340 AND 420),
    at        TEXT    NOT NULL
) STRICT;
