-- A rep's voice profile: the merged voice print (analysis.VoicePrint, as
-- JSON) of the rep's own speech in their stereo calls, by which a
-- one-channel call recognises which of its two voices is the rep's. It is
-- derived data, computed by the workflow at import and recording: lost
-- with the database, it comes back as the rep's stereo calls are analysed
-- again, so it has no sidecar.
CREATE TABLE rep_voices (
	rep_id     INTEGER PRIMARY KEY REFERENCES reps (id) ON DELETE CASCADE,
	voice      TEXT NOT NULL,
	calls      INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
