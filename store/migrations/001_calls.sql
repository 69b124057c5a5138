-- Calls, the reps who made them, the user-editable tag set and settings.
-- Wall-clock times are unix milliseconds (UTC) in *_ms columns; durations
-- and offsets are nanoseconds in *_ns columns; paths are relative to the
-- library directory.

CREATE TABLE reps (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
	created_ms INTEGER NOT NULL
);

CREATE TABLE calls (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL DEFAULT '',
	rep_id      INTEGER REFERENCES reps (id) ON DELETE RESTRICT,
	customer    TEXT NOT NULL DEFAULT '',
	recorded_ms INTEGER NOT NULL,
	duration_ns INTEGER NOT NULL DEFAULT 0 CHECK (duration_ns >= 0),
	audio_path  TEXT NOT NULL UNIQUE,
	channels    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(channels)),
	source      TEXT NOT NULL CHECK (source IN ('recorded', 'imported')),
	status      TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'recovered')),
	-- hex SHA-256 of the imported audio; '' for recordings.
	hash        TEXT NOT NULL DEFAULT '',
	-- summary columns copied from the analysis (call_results) for fast
	-- listing and filtering.
	rep_talk_share    REAL NOT NULL DEFAULT 0,
	rep_interruptions INTEGER NOT NULL DEFAULT 0,
	verdict           TEXT NOT NULL DEFAULT '',
	score             INTEGER NOT NULL DEFAULT 0,
	trashed_ms  INTEGER,
	created_ms  INTEGER NOT NULL
);

CREATE UNIQUE INDEX calls_hash ON calls (hash) WHERE hash <> '';

-- The full analysis.Result of a call as JSON (tens of kilobytes for a long
-- call), kept out of the calls table so listing reads narrow rows. Every
-- call but one still recording has one.
CREATE TABLE call_results (
	call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
	result  TEXT NOT NULL CHECK (json_valid(result))
);

CREATE TABLE tags (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
	created_ms INTEGER NOT NULL
);

INSERT INTO tags (name, created_ms) VALUES
	('interrupted', 0),
	('read the script', 0),
	('good question', 0),
	('let them talk', 0),
	('missed cue', 0);

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL CHECK (json_valid(value)),
	updated_ms INTEGER NOT NULL
);
