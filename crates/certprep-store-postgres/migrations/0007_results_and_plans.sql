-- The same as the SQLite store's 0007: real exam results, study plans, advisor profiles.

CREATE TABLE exam_results (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    passed BOOLEAN NOT NULL,
    score BIGINT,
    predicted DOUBLE PRECISION,
    recorded_at BIGINT NOT NULL
);

CREATE INDEX exam_results_by_user ON exam_results (user_id);

CREATE TABLE study_plans (
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    hours_per_week DOUBLE PRECISION NOT NULL,
    starts_on TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, exam)
);

CREATE TABLE advisor_profiles (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    profile TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
