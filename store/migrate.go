package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema lives in migrations/NNN_what.sql, applied in order, each in its
// own transaction and recorded in schema_migrations. Never edit a released
// migration: add the next one.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order; versions must run
// 1, 2, 3, ... with no gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with NNN_", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the newest schema version this program knows.
func SchemaVersion() int {
	all, err := migrations()
	if err != nil {
		return 0
	}
	return len(all)
}

// Version returns the schema version of the open library.
func (l *Library) Version(ctx context.Context) (int, error) {
	var v int
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading the library's schema version: %w", err)
	}
	return v, nil
}

// migrate applies the migrations not yet applied, up to version upTo (0:
// all). Another process may migrate the same library at the same moment:
// each migration checks, inside its BEGIN IMMEDIATE transaction, that it is
// still needed.
func (l *Library) migrate(ctx context.Context, upTo int) error {
	all, err := migrations()
	if err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	if upTo == 0 || upTo > len(all) {
		upTo = len(all)
	}
	if _, err := l.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_ms INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("cannot use the library database in %s: %w", l.dir, err)
	}
	have, err := l.Version(ctx)
	if err != nil {
		return err
	}
	if have > len(all) {
		return &SchemaError{Have: have, Know: len(all)}
	}
	for _, m := range all[:upTo] {
		if m.version <= have {
			continue
		}
		err := l.tx(ctx, func(tx *sql.Tx) error {
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)`,
				m.version, m.name, ms(l.now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("updating the library schema (%s): %w", m.name, err)
		}
	}
	return nil
}
