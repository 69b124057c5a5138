-- Annotations mark a range (or a point, end_ns = start_ns) of a call; clips
-- are an annotation's range cut out as a WAV of its own. A clip copies the
-- text it shows (tag, note, rep, call title) and only points at its
-- annotation and call, so it survives both being deleted.

CREATE TABLE annotations (
	id         INTEGER PRIMARY KEY,
	call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	start_ns   INTEGER NOT NULL CHECK (start_ns >= 0),
	end_ns     INTEGER NOT NULL CHECK (end_ns >= start_ns),
	tag_id     INTEGER REFERENCES tags (id) ON DELETE SET NULL,
	note       TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	created_ms INTEGER NOT NULL,
	edited_ms  INTEGER NOT NULL
);

CREATE INDEX annotations_call ON annotations (call_id, start_ns);

CREATE TABLE clips (
	id            INTEGER PRIMARY KEY,
	annotation_id INTEGER REFERENCES annotations (id) ON DELETE SET NULL,
	call_id       INTEGER REFERENCES calls (id) ON DELETE SET NULL,
	path          TEXT NOT NULL UNIQUE,
	start_ns      INTEGER NOT NULL CHECK (start_ns >= 0),
	end_ns        INTEGER NOT NULL CHECK (end_ns > start_ns),
	tag           TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	rep           TEXT NOT NULL DEFAULT '',
	call_title    TEXT NOT NULL DEFAULT '',
	created_ms    INTEGER NOT NULL
);

CREATE INDEX clips_annotation ON clips (annotation_id);
CREATE INDEX clips_call ON clips (call_id);
