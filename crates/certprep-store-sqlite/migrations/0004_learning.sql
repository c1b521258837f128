-- Learning: the confidence a candidate gave with an answer (spaced repetition rates a confident
-- correct answer higher), planned exam dates, per-user spaced-repetition parameters and the
-- latest item calibration. Memory states are not stored: they are replayed from the log.

ALTER TABLE responses ADD COLUMN confidence TEXT;

CREATE TABLE exam_dates (
    user_id TEXT NOT NULL REFERENCES users (id),
    exam TEXT NOT NULL,
    exam_date TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, exam)
);

CREATE TABLE memory_parameters (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    parameters TEXT NOT NULL,
    reviews INTEGER NOT NULL,
    computed_at INTEGER NOT NULL
);

CREATE TABLE item_calibrations (
    item_id TEXT PRIMARY KEY NOT NULL,
    item_version INTEGER NOT NULL,
    a REAL NOT NULL,
    b REAL NOT NULL,
    c REAL NOT NULL,
    respondents INTEGER NOT NULL,
    misfit INTEGER NOT NULL,
    calibrated_at INTEGER NOT NULL
);
