package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Setting keys the app and the command line share. Values are JSON.
const (
	// SettingAnalysis holds the analysis.Config the library analyses with.
	SettingAnalysis = "analysis"
	// SettingAuthor is the name written on new annotations (a string).
	SettingAuthor = "author"
	// SettingRep is the rep name new recordings get (a string).
	SettingRep = "rep"
)

// Setting decodes the JSON value stored under key into v (a pointer). A key
// never set gives an error for which errors.Is(err, ErrNotFound) holds, so a
// caller keeps its default.
func (l *Library) Setting(ctx context.Context, key string, v any) error {
	var raw string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return &NotFoundError{What: "setting", Name: key}
	}
	if err != nil {
		return fmt.Errorf("reading setting %q: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return fmt.Errorf("reading setting %q: %w", key, err)
	}
	return nil
}

// SetSetting stores v, encoded as JSON, under key.
func (l *Library) SetSetting(ctx context.Context, key string, v any) error {
	if key == "" {
		return invalidf("a setting needs a name")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding setting %q: %w", key, err)
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_ms) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`,
			key, string(b), ms(l.now()))
		if err != nil {
			return fmt.Errorf("saving setting %q: %w", key, err)
		}
		return nil
	})
}
