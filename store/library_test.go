package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

func TestOpenCreatesPrivateLibrary(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib")
	l := MustOpenDir(t, dir)
	addCall(t, l, "first", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 90))

	for _, d := range []string{dir, filepath.Join(dir, CallsDir), filepath.Join(dir, ClipsDir)} {
		if got := mode(t, d); got != 0o700 {
			t.Errorf("%s: got mode %o, want 700", d, got)
		}
	}
	for _, f := range []string{DBName, DBName + "-wal", DBName + "-shm"} {
		if got := mode(t, filepath.Join(dir, f)); got != 0o600 {
			t.Errorf("%s: got mode %o, want 600", f, got)
		}
	}
	calls, _ := l.Calls(ctx, CallFilter{})
	c, _ := l.Call(ctx, calls[0].ID)
	if got := mode(t, l.Abs(c.AudioPath)); got != 0o600 {
		t.Errorf("call audio: got mode %o, want 600", got)
	}

	var journal string
	var fk, busy int
	l.db.QueryRow(`PRAGMA journal_mode`).Scan(&journal)
	l.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	l.db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy)
	if journal != "wal" || fk != 1 || busy != int(busyTimeout.Milliseconds()) {
		t.Errorf("got journal_mode %q, foreign_keys %d, busy_timeout %d; want wal, 1, %d", journal, fk, busy, busyTimeout.Milliseconds())
	}
	if v, err := l.Version(ctx); err != nil || v != SchemaVersion() || v < 3 {
		t.Errorf("got version %d (%v), want %d", v, err, SchemaVersion())
	}
}

func TestOpenUnwritable(t *testing.T) {
	// A regular file where the library folder should be: fails even for root.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o600)
	for _, dir := range []string{file, filepath.Join(file, "lib"), ""} {
		l, err := Open(dir)
		if err == nil {
			l.Close()
			t.Errorf("Open(%q): got no error", dir)
			continue
		}
		if dir != "" && !strings.Contains(err.Error(), file) {
			t.Errorf("Open(%q): got %q, want the path named", dir, err)
		}
	}
}

// schema returns the library's schema (tables and indexes), sorted.
func schema(t *testing.T, l *Library) []string {
	t.Helper()
	rows, err := l.db.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, sql string
		rows.Scan(&typ, &name, &sql)
		out = append(out, typ+" "+name+": "+strings.Join(strings.Fields(sql), " "))
	}
	return out
}

// TestMigrationsFromEachVersion builds a library at each earlier schema
// version, fills what that version holds, and opens it with this app: the
// schema must equal a fresh library's and the data must survive.
func TestMigrationsFromEachVersion(t *testing.T) {
	want := schema(t, MustOpen(t))
	n := SchemaVersion()
	for from := 0; from < n; from++ {
		t.Run("from"+strconv.Itoa(from), func(t *testing.T) {
			dir := t.TempDir()
			var callID int64
			if from > 0 {
				old, err := open(dir, from)
				if err != nil {
					t.Fatalf("open at version %d: %v", from, err)
				}
				if v, _ := old.Version(ctx); v != from {
					t.Fatalf("got version %d, want %d", v, from)
				}
				old.Now = func() time.Time { return t0 }
				// Insert at the row level: the newer read paths may need
				// tables this version lacks.
				left, right := ramp(2*testRate, 1)
				writeWAV(t, old.Abs("calls/old.wav"), testRate, left, right)
				err = old.tx(ctx, func(tx *sql.Tx) error {
					callID, err = old.insertCall(ctx, tx, newCall{Title: "old call", Rep: "Ana", RecordedAt: t0,
						AudioPath: "calls/old.wav", Source: SourceImported, Status: StatusComplete, Hash: "abc",
						Result: testResult(2*time.Second, .7, 2, 1, analysis.VerdictMixed, 55)})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := old.SetSetting(ctx, SettingAuthor, "Coach"); err != nil {
					t.Fatal(err)
				}
				if from >= 2 {
					if err := old.AddAnnotation(ctx, &Annotation{CallID: callID, Start: time.Second, End: 2 * time.Second, Tag: "missed cue"}); err != nil {
						t.Fatal(err)
					}
				}
				old.Close()
			}
			l := MustOpenDir(t, dir)
			if v, _ := l.Version(ctx); v != n {
				t.Errorf("got version %d, want %d", v, n)
			}
			if got := schema(t, l); !slices.Equal(got, want) {
				t.Errorf("schema after migrating from %d:\n%s\nwant\n%s", from, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			tags, _ := l.Tags(ctx)
			if len(tags) != 5 {
				t.Errorf("got %d tags, want the 5 seeded", len(tags))
			}
			if from == 0 {
				return
			}
			c, err := l.Call(ctx, callID)
			if err != nil {
				t.Fatalf("old call: %v", err)
			}
			if c.Title != "old call" || c.Rep != "Ana" || c.Result == nil || len(c.Result.Interruptions) != 3 {
				t.Errorf("old call came through as %+v", c)
			}
			if _, err := os.Stat(l.Abs(c.AudioPath)); err != nil {
				t.Errorf("old call's audio: %v", err)
			}
			var author string
			if err := l.Setting(ctx, SettingAuthor, &author); err != nil || author != "Coach" {
				t.Errorf("got author %q (%v), want Coach", author, err)
			}
			as, err := l.Annotations(ctx, callID)
			if err != nil {
				t.Fatal(err)
			}
			if wantN := map[bool]int{true: 1, false: 0}[from >= 2]; len(as) != wantN {
				t.Errorf("got %d annotations, want %d", len(as), wantN)
			}
			// The migrated library works: annotate, list by tag.
			if err := l.AddAnnotation(ctx, &Annotation{CallID: callID, Start: 0, End: time.Second, Tag: "good question"}); err != nil {
				t.Fatal(err)
			}
			if got, _ := l.Calls(ctx, CallFilter{Tag: "good question"}); len(got) != 1 {
				t.Errorf("got %d calls tagged, want 1", len(got))
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	l := MustOpenDir(t, dir)
	know := SchemaVersion()
	if _, err := l.db.Exec(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, 'x', 0), (?, 'y', 0)`, know+1, know+2); err != nil {
		t.Fatal(err)
	}
	before := schema(t, l)
	l.Close()

	_, err := Open(dir)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
	want := fmt.Sprintf("this library was made by a newer CallCoach (schema %d, this app knows %d): update the app", know+2, know)
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	// Nothing changed: reopen at the raw level and compare.
	raw, err := open(dir, 1) // still refused: the check comes before any migration
	if err == nil {
		raw.Close()
		t.Fatal("open at version 1 of a newer library: got no error")
	}
	l2 := MustOpenDirRaw(t, dir)
	if got := schema(t, l2); !slices.Equal(got, before) {
		t.Errorf("schema changed by a refused open")
	}
}

// MustOpenDirRaw opens a library's database without migrating or sweeping.
func MustOpenDirRaw(t *testing.T, dir string) *Library {
	t.Helper()
	l := &Library{dir: dir, Now: time.Now}
	var err error
	l.db, err = sqlOpen(filepath.Join(dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.db.Close() })
	return l
}

// TestSweep plants what crashed processes leave behind and checks Open
// cleans it: an unreferenced final file (its call was deleted, the process
// died before removing it), a partial whose writer died before committing,
// and a partial whose row was committed but not yet renamed.
func TestSweep(t *testing.T) {
	old := partialGrace
	partialGrace = 0
	t.Cleanup(func() { partialGrace = old })

	dir := t.TempDir()
	l := MustOpenDir(t, dir)
	keep := addCall(t, l, "keep", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	moved := addCall(t, l, "renamed late", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	// Undo the last step of moved's import: the file is still partial.
	if err := os.Rename(l.Abs(moved.AudioPath), l.Abs(moved.AudioPath)+partialSuffix); err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(dir, CallsDir, "20260101-000000-deadbeef.wav")
	orphanPartial := filepath.Join(dir, ClipsDir, "20260101-000000-cafef00d.wav"+partialSuffix)
	other := filepath.Join(dir, CallsDir, "notes.txt")
	for _, f := range []string{orphan, orphanPartial, other} {
		os.WriteFile(f, []byte("x"), 0o600)
	}
	// A partial held (locked) by a live writer stays.
	live, err := l.newPending(CallsDir)
	if err != nil {
		t.Fatal(err)
	}
	defer live.abort()
	l.Close()

	MustOpenDir(t, dir)
	for _, c := range []struct {
		path   string
		exists bool
	}{
		{l.Abs(keep.AudioPath), true},
		{l.Abs(moved.AudioPath), true},
		{l.Abs(moved.AudioPath) + partialSuffix, false},
		{orphan, false},
		{orphanPartial, false},
		{other, true},
		{live.Partial, true},
	} {
		_, err := os.Stat(c.path)
		if got := err == nil; got != c.exists {
			t.Errorf("%s: got exists=%v, want %v", filepath.Base(c.path), got, c.exists)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my lib #1?x=%20")
	l := MustOpenDir(t, dir)
	c := addCall(t, l, "odd", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	if _, err := os.Stat(filepath.Join(dir, DBName)); err != nil {
		t.Fatalf("database not at %s: %v", dir, err)
	}
	if _, err := os.Stat(l.Abs(c.AudioPath)); err != nil || !strings.HasPrefix(l.Abs(c.AudioPath), dir) {
		t.Errorf("audio %s: %v", l.Abs(c.AudioPath), err)
	}
}

func TestDefaultDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the XDG rule is Linux's") // other systems: os.UserConfigDir
	}
	t.Setenv("XDG_DATA_HOME", "/data/x")
	if d, err := DefaultDir(); err != nil || d != "/data/x/callcoach" {
		t.Errorf("got %q, %v; want /data/x/callcoach", d, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, err := DefaultDir(); err != nil || d != "/home/u/.local/share/callcoach" {
		t.Errorf("got %q, %v; want /home/u/.local/share/callcoach", d, err)
	}
}

func TestCleanText(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, " Line one\nline\x1ftwo\t", " Ana\n", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	s, err := l.Calls(ctx, CallFilter{})
	if err != nil || len(s) != 1 || s[0].Title != "Line one line two" || s[0].Rep != "Ana" || c.Title != s[0].Title {
		t.Errorf("got %+v, %v", s, err)
	}
}

// TestMoveLibrary moves a library folder and uses it from its new place.
func TestMoveLibrary(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old")
	l := MustOpenDir(t, old)
	c := addCall(t, l, "moved", "Ana", t0, 2*time.Second, testResult(2*time.Second, .5, 0, 0, "", 0))
	a := &Annotation{CallID: c.ID, Start: 0, End: time.Second}
	l.AddAnnotation(ctx, a)
	l.Close()
	moved := filepath.Join(t.TempDir(), "new")
	if err := os.Rename(old, moved); err != nil {
		t.Fatal(err)
	}
	m := MustOpenDir(t, moved)
	got, err := m.Call(ctx, c.ID)
	if err != nil || got.AudioPath != c.AudioPath {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := os.Stat(m.Abs(got.AudioPath)); err != nil {
		t.Errorf("audio after the move: %v", err)
	}
	if _, err := m.SaveClip(ctx, a.ID); err != nil {
		t.Errorf("clip after the move: %v", err)
	}
	assertNoStrays(t, m)
}
