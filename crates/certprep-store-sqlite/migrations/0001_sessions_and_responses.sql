-- Times are Unix milliseconds (UTC). The engine's session is stored whole as JSON in `state`;
-- the other columns of `sessions` are copies for listing and querying.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    outline TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    deadline INTEGER,
    submitted_at INTEGER,
    items INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    scaled_score INTEGER,
    passed INTEGER,
    points INTEGER,
    max_points INTEGER,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id, started_at DESC);

-- Items marked for review, per session (for "only marked" practice across sessions).
CREATE TABLE marks (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    item_id TEXT NOT NULL,
    PRIMARY KEY (session_id, item_id)
);

-- The append-only response log that spaced repetition and calibration read.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    item_id TEXT NOT NULL,
    item_version INTEGER NOT NULL,
    outline TEXT NOT NULL,
    answer TEXT NOT NULL,
    points INTEGER NOT NULL,
    max_points INTEGER NOT NULL,
    time_spent_ms INTEGER NOT NULL,
    answered_at INTEGER NOT NULL
);

CREATE INDEX responses_by_user ON responses (user_id, id);

CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses
BEGIN
    SELECT RAISE(ABORT, 'the response log is append-only');
END;

CREATE TRIGGER responses_no_delete BEFORE DELETE ON responses
BEGIN
    SELECT RAISE(ABORT, 'the response log is append-only');
END;
