-- The fixed form a session was started on (a published practice test, so attempts and team
-- members can be compared on the same items), and the score report as it stood when the
-- session was submitted: a report's verdict never changes afterwards, even when the items are
-- calibrated later.

ALTER TABLE sessions ADD COLUMN form TEXT;
ALTER TABLE sessions ADD COLUMN report TEXT;
