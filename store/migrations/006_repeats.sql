-- Repeated passages across a rep's calls (issue 10). All of it is derived
-- from the audio and the analysis, so none of it has a sidecar: a library
-- rebuilt by repair, or one from before this version, gets it back when
-- callflow.UpdateRepeats fingerprints the calls that lack it.
--
-- fingerprints: one row per fingerprinted call, the rep's speech as
-- analysis.Fingerprint: its tokens (what the repeats index is built from,
-- ~20 bytes a second of speech) here, its frames (16 bytes per 20 ms of
-- speech) in fingerprint_chunks of fingerprintChunk frames each, so the
-- matcher reads only the stretches it aligns. version is the format
-- (analysis.FingerprintVersion); another version counts as missing.
CREATE TABLE fingerprints (
	call_id    INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	frames     INTEGER NOT NULL CHECK (frames >= 0),
	tokens     BLOB NOT NULL,
	created_ms INTEGER NOT NULL
);

CREATE TABLE fingerprint_chunks (
	call_id INTEGER NOT NULL REFERENCES fingerprints (call_id) ON DELETE CASCADE,
	chunk   INTEGER NOT NULL CHECK (chunk >= 0),
	frames  BLOB NOT NULL,
	PRIMARY KEY (call_id, chunk)
) WITHOUT ROWID;

-- repeats: a passage of call_id's rep speech also said in other_id, found
-- when the later of the two was fingerprinted; each pair of passages is
-- one row, read from both sides. Times are nanoseconds from the start of
-- each call.
CREATE TABLE repeats (
	call_id        INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	other_id       INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	start_ns       INTEGER NOT NULL CHECK (start_ns >= 0),
	end_ns         INTEGER NOT NULL CHECK (end_ns > start_ns),
	other_start_ns INTEGER NOT NULL CHECK (other_start_ns >= 0),
	other_end_ns   INTEGER NOT NULL CHECK (other_end_ns > other_start_ns),
	CHECK (other_id <> call_id)
);

CREATE INDEX repeats_call ON repeats (call_id);
CREATE INDEX repeats_other ON repeats (other_id);

-- script_reuse: the call's Result.Script.ReusedShare (0..1) where the call
-- was compared with other calls, for the Library's column and the Trends
-- (the full evidence is in the call's result).
CREATE TABLE script_reuse (
	call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
	share   REAL NOT NULL CHECK (share >= 0 AND share <= 1)
);
