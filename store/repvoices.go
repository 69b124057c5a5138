package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"callcoach/analysis"
)

// RepVoice returns the voice profile of the rep called name and how many
// calls it was learnt from; nil and 0 when the rep has none yet.
func (l *Library) RepVoice(ctx context.Context, name string) (*analysis.VoicePrint, int, error) {
	var text string
	var calls int
	err := l.db.QueryRowContext(ctx, `SELECT v.voice, v.calls FROM rep_voices v JOIN reps r ON r.id = v.rep_id WHERE r.name = ?`,
		cleanText(name)).Scan(&text, &calls)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading the voice profile of %q: %w", name, err)
	}
	var v analysis.VoicePrint
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, 0, fmt.Errorf("reading the voice profile of %q: %w", name, err)
	}
	return &v, calls, nil
}

// AddRepVoice merges one call's voice print of the rep called name into
// their profile (adding the rep if new). A nil print changes nothing.
func (l *Library) AddRepVoice(ctx context.Context, name string, v *analysis.VoicePrint) error {
	if v == nil || cleanText(name) == "" {
		return nil
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		id, err := l.repID(ctx, tx, name)
		if err != nil {
			return err
		}
		var text string
		calls := 0
		err = tx.QueryRowContext(ctx, `SELECT voice, calls FROM rep_voices WHERE rep_id = ?`, id).Scan(&text, &calls)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("reading the voice profile of %q: %w", name, err)
		default:
			var old analysis.VoicePrint
			if err := json.Unmarshal([]byte(text), &old); err == nil {
				v = old.Merge(v)
			}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("writing the voice profile of %q: %w", name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO rep_voices (rep_id, voice, calls, updated_ms) VALUES (?, ?, ?, ?)
			ON CONFLICT (rep_id) DO UPDATE SET voice = excluded.voice, calls = excluded.calls, updated_ms = excluded.updated_ms`,
			id, string(b), calls+1, ms(l.now()))
		if err != nil {
			return fmt.Errorf("writing the voice profile of %q: %w", name, err)
		}
		return nil
	})
}
