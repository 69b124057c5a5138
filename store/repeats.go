package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"callcoach/analysis"
)

// The rep's fingerprints and the passages found repeated between a rep's
// calls (006_repeats.sql). The store keeps them; computing and matching
// them is callflow's (UpdateRepeats), which reads a call's audio.
//
// Two calls are the same rep's when they name the same rep, or when
// neither names one (a single user's library that never set a name).

// fingerprintChunk is how many frames one fingerprint_chunks row holds
// (16 KiB of frames).
const fingerprintChunk = 1024

// sameRep is the SQL condition that call a (an alias) belongs to the rep
// of the call whose id is the next argument.
const sameRep = `a.rep_id IS (SELECT rep_id FROM calls WHERE id = ?)`

// SaveFingerprint stores call id's fingerprint and the repeated passages
// found matching it against the calls fingerprinted before (Repeat.Call
// names the other call), replacing whatever the call had: its own
// fingerprint and every repeat it takes part in, from either side.
func (l *Library) SaveFingerprint(ctx context.Context, id int64, fp *analysis.Fingerprint, found []analysis.Repeat) error {
	if fp == nil {
		return invalidf("no fingerprint given for call %d", id)
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM calls WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("reading call %d: %w", id, err)
		}
		if n == 0 {
			return notFound("call", id)
		}
		if err := forgetRepeats(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO fingerprints (call_id, version, frames, tokens, created_ms) VALUES (?, ?, ?, ?, ?)`,
			id, analysis.FingerprintVersion, fp.Len(), analysis.AppendTokens(nil, fp.Tokens()), ms(l.now()))
		if err != nil {
			return fmt.Errorf("saving call %d's fingerprint: %w", id, err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO fingerprint_chunks (call_id, chunk, frames) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		var buf []byte
		for c := 0; c*fingerprintChunk < fp.Len(); c++ {
			buf = fp.AppendFrames(buf[:0], c*fingerprintChunk, min(fp.Len(), (c+1)*fingerprintChunk))
			if _, err := st.ExecContext(ctx, id, c, buf); err != nil {
				return fmt.Errorf("saving call %d's fingerprint: %w", id, err)
			}
		}
		rs, err := tx.PrepareContext(ctx, `INSERT INTO repeats (call_id, other_id, start_ns, end_ns, other_start_ns, other_end_ns)
			SELECT ?, id, ?, ?, ?, ? FROM calls WHERE id = ?`)
		if err != nil {
			return err
		}
		defer rs.Close()
		for _, r := range found {
			if r.Call == id || r.End <= r.Start || r.OtherEnd <= r.OtherStart || r.Start < 0 || r.OtherStart < 0 {
				return invalidf("call %d: a repeat %+v is not a passage of another call", id, r)
			}
			// A call deleted meanwhile is skipped (no row to select).
			if _, err := rs.ExecContext(ctx, id, int64(r.Start), int64(r.End), int64(r.OtherStart), int64(r.OtherEnd), r.Call); err != nil {
				return fmt.Errorf("saving call %d's repeats: %w", id, err)
			}
		}
		return nil
	})
}

// forgetRepeats drops call id's fingerprint and every repeat it takes part
// in. The script reuse stays with the result it came from until the call
// is judged again (callflow).
func forgetRepeats(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, q := range []string{
		`DELETE FROM fingerprints WHERE call_id = ?`,
		`DELETE FROM repeats WHERE call_id = ?1 OR other_id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("clearing call %d's repeats: %w", id, err)
		}
	}
	return nil
}

// forgetRepeatsIfRepChanges drops what forgetRepeats drops when call id's
// rep is about to become rid: its passages were matched within the old
// rep's calls.
func forgetRepeatsIfRepChanges(ctx context.Context, tx *sql.Tx, id int64, rid sql.NullInt64) error {
	var same bool
	err := tx.QueryRowContext(ctx, `SELECT rep_id IS ? FROM calls WHERE id = ?`, rid, id).Scan(&same)
	if errors.Is(err, sql.ErrNoRows) || same {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading call %d: %w", id, err)
	}
	return forgetRepeats(ctx, tx, id)
}

// HasFingerprint reports whether call id has a fingerprint of the current
// version.
func (l *Library) HasFingerprint(ctx context.Context, id int64) (bool, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM fingerprints WHERE call_id = ? AND version = ?`, id, analysis.FingerprintVersion).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading call %d's fingerprint: %w", id, err)
	}
	return n > 0, nil
}

// Fingerprint returns call id's whole fingerprint; a *NotFoundError when
// it has none of the current version.
func (l *Library) Fingerprint(ctx context.Context, id int64) (*analysis.Fingerprint, error) {
	var frames int
	err := l.db.QueryRowContext(ctx, `SELECT frames FROM fingerprints WHERE call_id = ? AND version = ?`, id, analysis.FingerprintVersion).Scan(&frames)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{What: "fingerprint of call", ID: id}
	}
	if err != nil {
		return nil, fmt.Errorf("reading call %d's fingerprint: %w", id, err)
	}
	f, err := l.FingerprintFrames(ctx, id, 0, frames)
	if err == nil && f.Len() != frames {
		err = fmt.Errorf("call %d: %w (%d frames of %d)", id, analysis.ErrFingerprint, f.Len(), frames)
	}
	return f, err
}

// FingerprintFrames returns frames [from, to) of call id's fingerprint,
// clipped to the frames it has (an analysis.FrameSource). Only the chunks
// holding them are read.
func (l *Library) FingerprintFrames(ctx context.Context, id int64, from, to int) (*analysis.Fingerprint, error) {
	from = max(from, 0)
	f := &analysis.Fingerprint{}
	if to <= from {
		return f, nil
	}
	rows, err := l.db.QueryContext(ctx, `SELECT chunk, frames FROM fingerprint_chunks WHERE call_id = ? AND chunk BETWEEN ? AND ? ORDER BY chunk`,
		id, from/fingerprintChunk, (to-1)/fingerprintChunk)
	if err != nil {
		return nil, fmt.Errorf("reading call %d's fingerprint: %w", id, err)
	}
	defer rows.Close()
	first := -1
	for rows.Next() {
		var c int
		var b []byte
		if err := rows.Scan(&c, &b); err != nil {
			return nil, fmt.Errorf("reading call %d's fingerprint: %w", id, err)
		}
		if first < 0 {
			first = c
		} else if c != first+f.Len()/fingerprintChunk {
			return nil, fmt.Errorf("call %d: %w (chunk %d missing)", id, analysis.ErrFingerprint, first+f.Len()/fingerprintChunk)
		}
		if err := f.DecodeFrames(b); err != nil {
			return nil, fmt.Errorf("call %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading call %d's fingerprint: %w", id, err)
	}
	if first < 0 {
		return f, nil
	}
	lo := min(from-first*fingerprintChunk, f.Len())
	hi := min(to-first*fingerprintChunk, f.Len())
	f.At, f.Vec = f.At[lo:hi], f.Vec[lo:hi]
	return f, nil
}

// SameRepTokens returns the tokens of every other fingerprinted call of
// call id's rep (trashed calls included: they are still the rep's), by
// call: what a repeats index for matching call id is built from.
func (l *Library) SameRepTokens(ctx context.Context, id int64) (map[int64][]analysis.Token, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT f.call_id, f.tokens FROM fingerprints f JOIN calls a ON a.id = f.call_id
		WHERE f.version = ? AND a.id <> ? AND `+sameRep, analysis.FingerprintVersion, id, id)
	if err != nil {
		return nil, fmt.Errorf("reading the rep's fingerprints: %w", err)
	}
	defer rows.Close()
	out := map[int64][]analysis.Token{}
	for rows.Next() {
		var cid int64
		var b []byte
		if err := rows.Scan(&cid, &b); err != nil {
			return nil, fmt.Errorf("reading the rep's fingerprints: %w", err)
		}
		t, err := analysis.DecodeTokens(b)
		if err != nil {
			return nil, fmt.Errorf("call %d: %w", cid, err)
		}
		out[cid] = t
	}
	return out, rows.Err()
}

// Repeats returns the passages of call id's rep speech also said in the
// rep's other calls that are not in the trash, from both sides (Repeat.Call
// is the other call), in order of start then other call.
func (l *Library) Repeats(ctx context.Context, id int64) ([]analysis.Repeat, error) {
	rows, err := l.db.QueryContext(ctx, `
		SELECT r.other_id, r.start_ns, r.end_ns, r.other_start_ns, r.other_end_ns
			FROM repeats r JOIN calls a ON a.id = r.other_id
			WHERE r.call_id = ?1 AND a.trashed_ms IS NULL AND `+sameRepOf1+`
		UNION ALL
		SELECT r.call_id, r.other_start_ns, r.other_end_ns, r.start_ns, r.end_ns
			FROM repeats r JOIN calls a ON a.id = r.call_id
			WHERE r.other_id = ?1 AND a.trashed_ms IS NULL AND `+sameRepOf1, id)
	if err != nil {
		return nil, fmt.Errorf("reading call %d's repeats: %w", id, err)
	}
	defer rows.Close()
	var out []analysis.Repeat
	for rows.Next() {
		var r analysis.Repeat
		var s, e, os, oe int64
		if err := rows.Scan(&r.Call, &s, &e, &os, &oe); err != nil {
			return nil, fmt.Errorf("reading call %d's repeats: %w", id, err)
		}
		r.Start, r.End, r.OtherStart, r.OtherEnd = analysis.Dur(s), analysis.Dur(e), analysis.Dur(os), analysis.Dur(oe)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b analysis.Repeat) int {
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		return int(a.Call - b.Call)
	})
	return out, rows.Err()
}

// sameRepOf1 is sameRep for the call given as argument ?1.
const sameRepOf1 = `a.rep_id IS (SELECT rep_id FROM calls WHERE id = ?1)`

// Unfingerprinted returns the finished calls not in the trash that have
// no fingerprint of the current version, oldest recorded first: what
// callflow.UpdateRepeats has to do.
func (l *Library) Unfingerprinted(ctx context.Context) ([]int64, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT c.id FROM calls c LEFT JOIN fingerprints f ON f.call_id = c.id AND f.version = ?
		WHERE f.call_id IS NULL AND c.status <> 'recording' AND c.trashed_ms IS NULL ORDER BY c.recorded_ms, c.id`, analysis.FingerprintVersion)
	if err != nil {
		return nil, fmt.Errorf("listing the calls without a fingerprint: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RecentSameRep returns up to n of call id's rep's other fingerprinted
// calls not in the trash recorded before it (newest first): the calls the
// script evidence of call id considers. With after set, it returns
// instead the first n recorded after it (oldest first): the calls whose
// own recent calls include call id.
func (l *Library) RecentSameRep(ctx context.Context, id int64, n int, after bool) ([]int64, error) {
	cmp, order := `(a.recorded_ms, a.id) < (c.recorded_ms, c.id)`, `a.recorded_ms DESC, a.id DESC`
	if after {
		cmp, order = `(a.recorded_ms, a.id) > (c.recorded_ms, c.id)`, `a.recorded_ms, a.id`
	}
	rows, err := l.db.QueryContext(ctx, `SELECT a.id FROM calls a JOIN calls c ON c.id = ?1
		JOIN fingerprints f ON f.call_id = a.id AND f.version = ?2
		WHERE a.rep_id IS c.rep_id AND a.id <> c.id AND a.trashed_ms IS NULL AND `+cmp+`
		ORDER BY `+order+` LIMIT ?3`, id, analysis.FingerprintVersion, n)
	if err != nil {
		return nil, fmt.Errorf("reading the rep's recent calls: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid); err != nil {
			return nil, err
		}
		out = append(out, cid)
	}
	return out, rows.Err()
}

// setScriptReuse keeps call id's script reuse summary in step with its
// result (inside the transaction that stores the result).
func setScriptReuse(ctx context.Context, tx *sql.Tx, id int64, e *analysis.ScriptEvidence) error {
	var err error
	if e == nil || e.CallsConsidered == 0 {
		_, err = tx.ExecContext(ctx, `DELETE FROM script_reuse WHERE call_id = ?`, id)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO script_reuse (call_id, share) VALUES (?, ?)
			ON CONFLICT (call_id) DO UPDATE SET share = excluded.share`, id, max(0, min(1, e.ReusedShare)))
	}
	if err != nil {
		return fmt.Errorf("saving call %d's script reuse: %w", id, err)
	}
	return nil
}

// ScriptReuse returns, for every call compared with others of its rep,
// the share of the rep's talk in it (0..1) that repeats passages of the
// rep's recent calls (Result.Script.ReusedShare): the Library's column.
func (l *Library) ScriptReuse(ctx context.Context) (map[int64]float64, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT call_id, share FROM script_reuse`)
	if err != nil {
		return nil, fmt.Errorf("reading the script reuse: %w", err)
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var id int64
		var s float64
		if err := rows.Scan(&id, &s); err != nil {
			return nil, err
		}
		out[id] = s
	}
	return out, rows.Err()
}

// attachScriptReuse fills in the listed calls' ScriptReuse.
func (l *Library) attachScriptReuse(ctx context.Context, calls []CallSummary) error {
	if len(calls) == 0 {
		return nil
	}
	m, err := l.ScriptReuse(ctx)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return nil // a library held at a version before 006_repeats.sql (tests, repair)
	}
	if err != nil || len(m) == 0 {
		return err
	}
	for i := range calls {
		if v, ok := m[calls[i].ID]; ok {
			calls[i].ScriptReuse = &v
		}
	}
	return nil
}

// RepeatStorage is what a library's repeats take on disk.
type RepeatStorage struct {
	Calls  int           // calls fingerprinted
	Speech time.Duration // rep speech fingerprinted
	Bytes  int64         // fingerprints, chunks and repeats, rows' payload
}

// RepeatStorage measures the repeats tables.
func (l *Library) RepeatStorage(ctx context.Context) (RepeatStorage, error) {
	var s RepeatStorage
	var frames, tok, chunks, reps int64
	err := l.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(frames), 0), coalesce(sum(length(tokens)), 0),
		(SELECT coalesce(sum(length(frames)), 0) FROM fingerprint_chunks), (SELECT count(*) FROM repeats) FROM fingerprints`).
		Scan(&s.Calls, &frames, &tok, &chunks, &reps)
	if err != nil {
		return s, fmt.Errorf("measuring the repeats: %w", err)
	}
	s.Speech = time.Duration(frames) * analysis.FPHop
	s.Bytes = tok + chunks + reps*6*8
	return s, nil
}
