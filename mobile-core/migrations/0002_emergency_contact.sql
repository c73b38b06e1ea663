-- The health centre's emergency contact from the leaflet, kept on the phone so the
-- urgent-symptom warning works offline and without an account.
CREATE TABLE emergency_contact (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    centre_name  TEXT    NOT NULL,
    phone_number TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
) STRICT;
