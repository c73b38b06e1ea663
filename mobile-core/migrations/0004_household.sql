-- Household members (代理入力) linked to this phone's account on the server: the local
-- person id their reports carry, the server's member id the upload names, what the
-- person typed as their name, and their case's profile. Unlinking keeps the row (and
-- every report) and stops uploads for the member.
CREATE TABLE household (
    person_id        TEXT PRIMARY KEY,
    member_id        TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    centre_name      TEXT NOT NULL,
    emergency_number TEXT NOT NULL,
    linked_at        TEXT NOT NULL,
    unlinked_at      TEXT
) STRICT;
