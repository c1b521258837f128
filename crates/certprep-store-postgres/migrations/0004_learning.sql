-- The same as the SQLite store's 0004: answer confidence, planned exam dates, per-user
-- spaced-repetition parameters and the latest item calibration.

ALTER TABLE responses ADD COLUMN confidence TEXT;

CREATE TABLE exam_dates (
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    exam_date TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, exam)
);

CREATE TABLE memory_parameters (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    parameters TEXT NOT NULL,
    reviews BIGINT NOT NULL,
    computed_at BIGINT NOT NULL
);

CREATE TABLE item_calibrations (
    item_id TEXT PRIMARY KEY,
    item_version BIGINT NOT NULL,
    a DOUBLE PRECISION NOT NULL,
    b DOUBLE PRECISION NOT NULL,
    c DOUBLE PRECISION NOT NULL,
    respondents BIGINT NOT NULL,
    misfit BOOLEAN NOT NULL,
    calibrated_at BIGINT NOT NULL
);
