package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"callcoach/analysis"
)

// Rep is a person whose calls the library holds. Reps are added when a call
// names them.
type Rep struct {
	ID       int64
	Name     string
	Calls    int       // live (not trashed) calls
	LastCall time.Time // zero without calls
}

// Reps lists the reps by name.
func (l *Library) Reps(ctx context.Context) ([]Rep, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.id, r.name, count(c.id), max(c.recorded_ms)
		FROM reps r LEFT JOIN calls c ON c.rep_id = r.id AND c.trashed_ms IS NULL
		GROUP BY r.id ORDER BY r.name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("listing reps: %w", err)
	}
	defer rows.Close()
	var out []Rep
	for rows.Next() {
		var r Rep
		var last sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Name, &r.Calls, &last); err != nil {
			return nil, fmt.Errorf("listing reps: %w", err)
		}
		if last.Valid {
			r.LastCall = fromMS(last.Int64)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TrendPoint is one call on a rep's trend line.
type TrendPoint struct {
	At        time.Time
	CallID    int64
	TalkShare float64 // rep talk share, 0..1
	// InterruptionsPer10Min: the rep's interruptions per 10 minutes of call.
	InterruptionsPer10Min float64
	Verdict               analysis.Verdict
	Score                 int
	// ScriptReuse is the share of the rep's talk (0..1) repeating their
	// recent calls' passages; nil where the call was not compared.
	ScriptReuse *float64
	// Warnings are the codes of the call's recording warnings: where
	// analysis.PartiesInDoubt finds one, its talk share and interruptions
	// may be the customer's or meaningless, and Trends leaves them out.
	Warnings []analysis.WarningCode
}

// Trend returns a rep's analysed, live calls, oldest first, with each
// call's interruptions per 10 minutes counted as verdict v counts them (the
// library's analysis settings, which callflow.Config reads), so the trend
// shows the same rate as each call's verdict. A one-channel call whose
// speech is not attributed to the parties has no talk share or
// interruptions to plot, and is left out.
func (l *Library) Trend(ctx context.Context, rep string, v analysis.VerdictConfig) ([]TrendPoint, error) {
	var id int64
	err := l.db.QueryRowContext(ctx, `SELECT id FROM reps WHERE name = ?`, strings.TrimSpace(rep)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{What: "rep", Name: rep}
	}
	if err != nil {
		return nil, fmt.Errorf("reading rep %q: %w", rep, err)
	}
	warnings := `''`
	if l.warnings {
		warnings = "warnings"
	}
	rows, err := l.db.QueryContext(ctx, `SELECT id, recorded_ms, duration_ns, rep_talk_share, rep_interruptions, verdict, score,
		(SELECT share FROM script_reuse WHERE call_id = calls.id), `+warnings+`
		FROM calls WHERE rep_id = ? AND trashed_ms IS NULL AND status <> 'recording' AND parties = 1
		ORDER BY recorded_ms, id`, id)
	if err != nil {
		return nil, fmt.Errorf("reading rep %q's calls: %w", rep, err)
	}
	defer rows.Close()
	var out []TrendPoint
	for rows.Next() {
		var p TrendPoint
		var at, dur int64
		var n int
		var verdict string
		var reuse sql.NullFloat64
		var codes string
		if err := rows.Scan(&p.CallID, &at, &dur, &p.TalkShare, &n, &verdict, &p.Score, &reuse, &codes); err != nil {
			return nil, fmt.Errorf("reading rep %q's calls: %w", rep, err)
		}
		p.At = fromMS(at)
		p.Verdict = analysis.Verdict(verdict)
		if reuse.Valid {
			p.ScriptReuse = &reuse.Float64
		}
		p.InterruptionsPer10Min = v.Per10Min(n, time.Duration(dur))
		if codes != "" {
			for _, c := range strings.Split(codes, ",") {
				p.Warnings = append(p.Warnings, analysis.WarningCode(c))
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
