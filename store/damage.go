package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sidecarSchema is the schema version that brought the sidecar files.
const sidecarSchema = 4

// checkPresent refuses to start a new database in a folder that already
// holds a library's files: the database was deleted or truncated to
// nothing, and a fresh one would make Open's sweep delete every call's
// audio as unreferenced. It never opens the database file (see createDB).
func checkPresent(dir string) error {
	fi, err := os.Stat(filepath.Join(dir, DBName))
	if err == nil && fi.Size() > 0 {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil // SQLite will say what is wrong
	}
	n := libraryFiles(dir)
	if n == 0 {
		return nil
	}
	why := "the database file is missing"
	if err == nil {
		why = "the database file is empty"
	}
	return &DamagedError{Dir: dir, Why: fmt.Sprintf("%s, but the library folder holds %d call and clip files", why, n)}
}

// libraryFiles counts the call and clip audio and sidecar files in dir's
// library folders, and library.json.
func libraryFiles(dir string) int {
	n := 0
	if _, err := os.Stat(filepath.Join(dir, LibraryFile)); err == nil {
		n++
	}
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, de := range des {
			name := de.Name()
			if de.Type().IsRegular() && !strings.HasPrefix(name, ".") &&
				(strings.HasSuffix(name, ".wav") || strings.HasSuffix(name, sidecarSuffix)) {
				n++
			}
		}
	}
	return n
}

// checkIntact is Open's quick look for damage: SQLite's structural check of
// the narrow tables (the list, annotations, clips, tags, reps, settings,
// the fingerprints' tokens and the repeats; not the analyses or the
// fingerprints' frames, whose size would make it slow: those are reported
// damaged when read), and the change count, which falls below
// library.json's when the database lost committed changes.
func (l *Library) checkIntact(ctx context.Context) error {
	for _, table := range []string{"calls", "annotations", "clips", "library_state", "sidecar_dirty", "fingerprints", "repeats", "script_reuse"} {
		if table == "fingerprints" { // 006_repeats.sql: a library opened at an older version has none
			var n int
			if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'fingerprints'`).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		rows, err := l.db.QueryContext(ctx, `PRAGMA quick_check(`+table+`)`)
		if err != nil {
			return err
		}
		var res []string
		for rows.Next() {
			var s string
			if rows.Scan(&s) == nil && s != "ok" && !strings.HasPrefix(s, "*** in database") && len(res) < 2 {
				res = append(res, s)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(res) > 0 {
			return &DamagedError{Dir: l.dir, Why: "SQLite's check of the " + table + " table says: " + strings.Join(res, "; ")}
		}
	}
	// library.json first: it is written with a count already committed, so
	// the database read after it is at that count or past it, whatever
	// another process commits and writes between the two reads. Read the
	// other way round, a write landing between them looked like lost
	// changes (TestTwoProcesses on a busy machine: "at change 7, the files
	// at 9").
	files := l.libraryChanges()
	var changes int64
	if err := l.db.QueryRowContext(ctx, `SELECT changes FROM library_state`).Scan(&changes); err != nil {
		return err
	}
	if files > changes {
		return &DamagedError{Dir: l.dir, Why: fmt.Sprintf("it has lost changes the library's files keep: it is at change %d, the files at %d; a lost -wal file or an old copy", changes, files)}
	}
	return nil
}
