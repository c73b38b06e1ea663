-- The phone's own settings, one row per key (for now `reminder`: the daily reminder's
-- local time `HH:MM`, or `off`). Nothing personal is kept here.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
