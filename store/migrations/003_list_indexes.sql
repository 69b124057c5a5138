-- Indexes behind the call list and its filters (see calls.go and
-- TestQueryPlans): the live list in date order, by rep, by verdict, by
-- annotation tag, the trash, and the clip library by tag and rep.

CREATE INDEX calls_live_recorded ON calls (recorded_ms) WHERE trashed_ms IS NULL;
CREATE INDEX calls_rep_recorded ON calls (rep_id, recorded_ms);
CREATE INDEX calls_verdict_recorded ON calls (verdict, recorded_ms);
CREATE INDEX calls_trashed ON calls (trashed_ms) WHERE trashed_ms IS NOT NULL;
CREATE INDEX calls_status ON calls (status) WHERE status = 'recording';
CREATE INDEX annotations_tag_call ON annotations (tag_id, call_id);
CREATE INDEX clips_tag ON clips (tag COLLATE NOCASE, created_ms);
CREATE INDEX clips_rep ON clips (rep COLLATE NOCASE, created_ms);
