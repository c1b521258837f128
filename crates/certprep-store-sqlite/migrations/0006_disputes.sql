-- Reports of a problem with an item (wrong key, ambiguous, outdated, typo, other), filed by the
-- people who answer it, with the item's version they saw, and an author's resolution (fixed,
-- rejected, duplicate) with a note. Times in milliseconds since the epoch.

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users (id),
    item_id TEXT NOT NULL,
    item_version INTEGER NOT NULL,
    session_id TEXT,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolution TEXT,
    resolution_note TEXT,
    resolved_by TEXT REFERENCES users (id),
    resolved_at INTEGER
);

CREATE INDEX disputes_by_item ON disputes (item_id);
CREATE INDEX disputes_by_user ON disputes (user_id);
