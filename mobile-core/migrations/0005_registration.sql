-- A first registration in progress (one row), so that closing the app after the code
-- mail resumes at the step it left: the server's request id, the step, and until when
-- the code and the registration token are valid. The registration token itself lives
-- in the platform keystore, never here.
CREATE TABLE registration (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    request_id       TEXT NOT NULL,
    step             TEXT NOT NULL CHECK (step IN ('code', 'password', 'attributes')),
    code_expires_at  TEXT NOT NULL,
    token_expires_at TEXT,
    updated_at       TEXT NOT NULL
) STRICT;
