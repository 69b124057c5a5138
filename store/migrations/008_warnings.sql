-- The codes of a call's recording warnings (analysis.Recording.Warnings),
-- comma-separated in report order ('' for a clean call), so the list can
-- mark and filter such calls without reading their analyses. New rows get
-- it from insertCall and setResult; the calls already stored get it from
-- their stored analysis here (the same statement as backfillWarnings in
-- calls.go, which repair runs too). A call analysed before warnings
-- existed has none until it is analysed again.
ALTER TABLE calls ADD COLUMN warnings TEXT NOT NULL DEFAULT '';

UPDATE calls SET warnings = (SELECT group_concat(json_extract(w.value, '$.code'), ',')
		FROM call_results cr, json_each(cr.result, '$.recording.warnings') w WHERE cr.call_id = calls.id)
	WHERE id IN (SELECT call_id FROM call_results WHERE json_array_length(result, '$.recording.warnings') > 0);

-- Such calls are few in most libraries: the list finds them by
-- calls_warned, and the "with warnings" filter walks calls_warned_live in
-- list order.
CREATE INDEX calls_warned ON calls (id) WHERE warnings <> '';
CREATE INDEX calls_warned_live ON calls (recorded_ms) WHERE warnings <> '' AND trashed_ms IS NULL;
