-- The real exam's result as the candidate records it (issue 14), with certprep's last pass
-- probability before that day, kept as it stood so the accuracy report is never rewritten; the
-- hours a week a study plan is built on; and the advisor's profile (JSON). Dates are YYYY-MM-DD,
-- times milliseconds since the epoch.

CREATE TABLE exam_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    passed INTEGER NOT NULL,
    score INTEGER,
    predicted REAL,
    recorded_at INTEGER NOT NULL
);

CREATE INDEX exam_results_by_user ON exam_results (user_id);

CREATE TABLE study_plans (
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    hours_per_week REAL NOT NULL,
    starts_on TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, exam)
);

CREATE TABLE advisor_profiles (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    profile TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
