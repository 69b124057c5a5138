-- Every call and clip also keeps its rows in a JSON file beside its audio
-- (calls/NAME.json, clips/NAME.json), and the library its tags, reps and
-- settings in library.json, so `callcoach repair` can bring everything back
-- when this database is damaged or lost (sidecar.go, repair.go).
--
-- The triggers below mark, inside the writing transaction, whose file is
-- now out of date: sidecar_dirty holds the audio path of each such call or
-- clip ('' for library.json). After each commit the store rewrites those
-- files and clears their marks; Open finishes marks a crash left behind.
-- A table holding more per-call data adds the same three one-line triggers
-- (see sidecarParts in sidecar.go).
--
-- The triggers are kept short: the schema is read before any row, so the
-- fewer pages it takes, the less of the file a damaged page can make
-- unreadable as a whole.
--
-- library_state.changes counts changed rows. library.json records the count
-- its files had reached when last written, so Open can tell a database that
-- lost committed changes (a deleted WAL, an old copy put back): its count
-- is then below the file's.

CREATE TABLE sidecar_dirty (
	path TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE library_state (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	changes INTEGER NOT NULL
);

INSERT INTO library_state (id, changes) VALUES (1, 1);

-- A library from before this version gets all its files written on its
-- first open.
INSERT INTO sidecar_dirty (path) SELECT audio_path FROM calls;
INSERT INTO sidecar_dirty (path) SELECT path FROM clips;
INSERT INTO sidecar_dirty (path) VALUES ('');

-- Marking goes through one view: inserting a path into sidecar_mark counts
-- a change and marks the path (NOT EXISTS rather than INSERT OR IGNORE: a
-- trigger's conflict clause gives way to the outer statement's).
CREATE VIEW sidecar_mark (path) AS SELECT path FROM sidecar_dirty;
CREATE TRIGGER sidecar_mark INSTEAD OF INSERT ON sidecar_mark BEGIN
	UPDATE library_state SET changes = changes + 1;
	INSERT INTO sidecar_dirty SELECT new.path WHERE NOT EXISTS (SELECT 1 FROM sidecar_dirty WHERE path = new.path);
END;

CREATE TRIGGER calls_si AFTER INSERT ON calls BEGIN INSERT INTO sidecar_mark VALUES (new.audio_path); END;
CREATE TRIGGER calls_su AFTER UPDATE ON calls BEGIN INSERT INTO sidecar_mark VALUES (new.audio_path); END;
CREATE TRIGGER calls_sd AFTER DELETE ON calls BEGIN INSERT INTO sidecar_mark VALUES (old.audio_path); END;
CREATE TRIGGER call_results_si AFTER INSERT ON call_results BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
CREATE TRIGGER call_results_su AFTER UPDATE ON call_results BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
CREATE TRIGGER call_results_sd AFTER DELETE ON call_results BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = old.call_id; END;
CREATE TRIGGER annotations_si AFTER INSERT ON annotations BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
CREATE TRIGGER annotations_su AFTER UPDATE ON annotations BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
CREATE TRIGGER annotations_sd AFTER DELETE ON annotations BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = old.call_id; END;
CREATE TRIGGER clips_si AFTER INSERT ON clips BEGIN INSERT INTO sidecar_mark VALUES (new.path); END;
CREATE TRIGGER clips_su AFTER UPDATE ON clips BEGIN INSERT INTO sidecar_mark VALUES (new.path); END;
CREATE TRIGGER clips_sd AFTER DELETE ON clips BEGIN INSERT INTO sidecar_mark VALUES (old.path); END;

-- Tags, reps and settings live in library.json; a tag or rep renamed also
-- changes the calls that show its name.
CREATE TRIGGER tags_si AFTER INSERT ON tags BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER tags_su AFTER UPDATE ON tags BEGIN INSERT INTO sidecar_mark VALUES ('');
	INSERT INTO sidecar_mark SELECT DISTINCT c.audio_path FROM annotations a JOIN calls c ON c.id = a.call_id WHERE a.tag_id = new.id; END;
CREATE TRIGGER tags_sd AFTER DELETE ON tags BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER reps_si AFTER INSERT ON reps BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER reps_su AFTER UPDATE ON reps BEGIN INSERT INTO sidecar_mark VALUES ('');
	INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE rep_id = new.id; END;
CREATE TRIGGER reps_sd AFTER DELETE ON reps BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER settings_si AFTER INSERT ON settings BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER settings_su AFTER UPDATE ON settings BEGIN INSERT INTO sidecar_mark VALUES (''); END;
CREATE TRIGGER settings_sd AFTER DELETE ON settings BEGIN INSERT INTO sidecar_mark VALUES (''); END;
