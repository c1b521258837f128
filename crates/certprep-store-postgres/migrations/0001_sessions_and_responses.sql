-- The same schema as the SQLite store. Times are Unix milliseconds (UTC); the engine's session is
-- stored whole as JSON text in `state`, the other columns of `sessions` are copies for listing.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    outline TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    deadline BIGINT,
    submitted_at BIGINT,
    items BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    scaled_score BIGINT,
    passed BOOLEAN,
    points BIGINT,
    max_points BIGINT,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id, started_at DESC);

CREATE TABLE marks (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    item_id TEXT NOT NULL,
    PRIMARY KEY (session_id, item_id)
);

CREATE TABLE responses (
    id BIGSERIAL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    item_id TEXT NOT NULL,
    item_version BIGINT NOT NULL,
    outline TEXT NOT NULL,
    answer TEXT NOT NULL,
    points BIGINT NOT NULL,
    max_points BIGINT NOT NULL,
    time_spent_ms BIGINT NOT NULL,
    answered_at BIGINT NOT NULL
);

CREATE INDEX responses_by_user ON responses (user_id, id);

CREATE FUNCTION responses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the response log is append-only';
END
$$;

CREATE TRIGGER responses_append_only BEFORE UPDATE OR DELETE ON responses
    FOR EACH ROW EXECUTE FUNCTION responses_append_only();
