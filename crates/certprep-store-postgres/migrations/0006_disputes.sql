-- The same as the SQLite store's 0006: reports of a problem with an item and their resolution.

CREATE TABLE disputes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    item_id TEXT NOT NULL,
    item_version BIGINT NOT NULL,
    session_id TEXT,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolution TEXT,
    resolution_note TEXT,
    resolved_by TEXT REFERENCES users (id),
    resolved_at BIGINT
);

CREATE INDEX disputes_by_item ON disputes (item_id);
CREATE INDEX disputes_by_user ON disputes (user_id);
