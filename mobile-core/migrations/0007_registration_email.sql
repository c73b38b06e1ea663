-- The e-mail address a registration in progress mailed its code to, so that "send the
-- code again" after an app restart needs no retyping. Forgotten with the registration.
ALTER TABLE registration ADD COLUMN email TEXT NOT NULL DEFAULT '';
