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
	created_ms  INTEGER NOT NULL,
	-- The call's row of the call list, packed (fields joined by char(31)) and
	-- kept up to date by SQLite, so listing reads one short text per call:
	-- recorded_ms, duration_ns, rep talk share in 1e-12, rep interruptions,
	-- score, trashed_ms or '', verdict, source, status, title, customer,
	-- rep_id or ''. calls.go (parseSummary) reads it; the free-text fields
	-- never hold control characters.
	list_row    TEXT GENERATED ALWAYS AS (
		recorded_ms || char(31) || duration_ns || char(31) ||
		CAST(round(rep_talk_share * 1e12) AS INTEGER) || char(31) ||
		rep_interruptions || char(31) || score || char(31) || coalesce(trashed_ms, '') || char(31) ||
		verdict || char(31) || source || char(31) || status || char(31) ||
		title || char(31) || customer || char(31) || coalesce(rep_id, '')) STORED
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
