-- Whether a call's analysis tells the rep from the customer
-- (analysis.Result.HasParties). A one-channel call whose speech is not
-- attributed to the parties has speech and silence but no talk share or
-- interruptions; the list and the trends say so (CallSummary.Unattributed)
-- instead of showing 0%. New rows get it from insertCall and setResult;
-- the calls already stored get it from their analysis here (the same
-- statement as backfillParties in calls.go, which repair runs too).
ALTER TABLE calls ADD COLUMN parties INTEGER NOT NULL DEFAULT 1 CHECK (parties IN (0, 1));

UPDATE calls SET parties = 0 WHERE id IN (SELECT call_id FROM call_results WHERE
	coalesce(json_extract(result, '$.channels.one_channel'), json_extract(result, '$.channels.mixed'), '') <> ''
	AND coalesce(json_extract(result, '$.talk_s.rep'), 0) = 0
	AND coalesce(json_extract(result, '$.talk_s.customer'), 0) = 0);

-- Such calls are few in most libraries: the list finds them by this index.
CREATE INDEX calls_no_parties ON calls (id) WHERE parties = 0;
