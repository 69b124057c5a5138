package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // also the database/sql driver "sqlite3"
)

// The library's layout on disk, relative to its directory.
const (
	// DBName is the SQLite database file.
	DBName = "callcoach.db"
	// CallsDir holds the calls' audio, one WAV per call.
	CallsDir = "calls"
	// ClipsDir holds the clips' audio, one WAV per clip.
	ClipsDir = "clips"
)

// busyTimeout is how long a write waits for another connection or process
// (the app and the CLI on one library) to finish its transaction.
const busyTimeout = 10 * time.Second

// Library is one CallCoach library: a directory holding the database and the
// audio of its calls and clips. It is safe for concurrent use, and several
// processes may open the same library at once.
type Library struct {
	db  *sql.DB
	dir string

	// sidecars: the schema has the sidecar tables (004_sidecars.sql), so
	// every commit is followed by writing the files it made out of date.
	sidecars bool
	// parties: the schema has calls.parties (007_parties.sql).
	parties bool
	// warnings: the schema has calls.warnings (008_warnings.sql).
	warnings bool

	// watchers stop the Watch goroutines (Close calls them).
	watchMu  sync.Mutex
	watchers []func()

	// Now is the clock behind every stored time (created, edited, trashed,
	// and "now" for PurgeTrash). Tests replace it; it defaults to time.Now.
	Now func() time.Time
}

// DefaultDir returns the library directory used when neither --data nor
// CALLCOACH_DATA names one: $XDG_DATA_HOME/callcoach (else
// ~/.local/share/callcoach) on Linux and the BSDs, ~/Library/Application
// Support/CallCoach on macOS and %AppData%\CallCoach on Windows.
func DefaultDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		base, err := os.UserConfigDir() // AppData / Application Support
		if err != nil {
			return "", fmt.Errorf("finding the user's data folder: %w", err)
		}
		return filepath.Join(base, "CallCoach"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "callcoach"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the user's data folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "callcoach"), nil
}

// Open opens the library in dir, creating it (directories 0700, database
// 0600) and bringing its schema up to date. A library made by a newer
// CallCoach is refused with a *SchemaError (errors.Is ErrNewerSchema), and
// nothing in it is changed.
//
// Open also finishes or removes what a crashed process left behind: audio
// files no row refers to and unfinished copies (see the package doc).
func Open(dir string) (*Library, error) {
	return open(dir, 0)
}

// open opens the library applying migrations up to version upTo (0: all).
func open(dir string, upTo int) (*Library, error) {
	if dir == "" {
		return nil, errors.New("no library folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("library folder %s: %w", dir, err)
	}
	for _, d := range []string{abs, filepath.Join(abs, CallsDir), filepath.Join(abs, ClipsDir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the library folder %s: %w", d, err)
		}
	}
	dbPath := filepath.Join(abs, DBName)
	if err := checkPresent(abs); err != nil {
		return nil, err
	}
	if err := createDB(dbPath); err != nil {
		return nil, err
	}
	db, err := sqlOpen(dbPath)
	if err != nil {
		return nil, fmt.Errorf("opening the library database %s: %w", dbPath, err)
	}
	l := &Library{db: db, dir: abs, Now: time.Now}
	ctx := context.Background()
	fail := func(err error) (*Library, error) {
		db.Close()
		return nil, asDamaged(abs, err)
	}
	if err := l.walMode(ctx); err != nil {
		return fail(fmt.Errorf("opening the library database %s: %w", dbPath, err))
	}
	if err := l.migrate(ctx, upTo); err != nil {
		return fail(err)
	}
	v, err := l.Version(ctx)
	if err != nil {
		return fail(err)
	}
	l.parties = v >= partiesSchema
	l.warnings = v >= warningsSchema
	if l.sidecars = v >= sidecarSchema; l.sidecars {
		if err := l.checkIntact(ctx); err != nil {
			return fail(err)
		}
		// What a crash left unwritten, or every file of a library from
		// before sidecars.
		if err := l.flushSidecars(ctx); err != nil {
			return fail(err)
		}
	}
	if err := l.sweep(ctx); err != nil {
		return fail(err)
	}
	return l, nil
}

// createMu serialises the creation of database files in this process (see
// createDB).
var createMu sync.Mutex

// createDB creates the database file, empty and 0600, if it does not exist;
// SQLite then gives its -wal and -shm files the same mode. It never opens
// an existing database file: closing any descriptor of a file drops every
// POSIX lock this process holds on it, SQLite's included, and another
// Library in this process may be using it (SQLite's "how to corrupt" 2.2).
// The mutex keeps a concurrent Open in this process from connecting to a
// new file before the descriptor that created it is closed.
func createDB(path string) error {
	createMu.Lock()
	defer createMu.Unlock()
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot write the library database %s: %w", path, err)
	}
	return f.Close()
}

// walMode puts the database in WAL mode (readers never block the writer, so
// the app and the command line can share a library). The mode is stored in
// the file, so only Open sets it, not every new connection: switching needs
// a lock that a concurrent open in another process may hold, and SQLite
// reports that as busy at once, so this retries for the busy timeout.
func (l *Library) walMode(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	for {
		var mode string
		err := l.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		if err == nil && mode == "wal" {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("journal mode is %s, not wal", mode)
		} else if !isBusy(err) {
			return err
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// isBusy says whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// dsn builds the driver's data source name: foreign keys on, a busy
// timeout, and BEGIN IMMEDIATE for every transaction so two writers queue
// on the busy timeout instead of failing on a lock upgrade. (WAL is set
// once, by walMode.)
func dsn(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_txlock", "immediate")
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// Close closes the database, first letting SQLite refresh the planner's
// statistics where they are stale (PRAGMA optimize, as SQLite advises).
func (l *Library) Close() error {
	l.stopWatchers()
	l.db.Exec(`PRAGMA optimize`)
	if err := l.db.Close(); err != nil {
		return fmt.Errorf("closing the library: %w", err)
	}
	return nil
}

// Dir returns the library's directory (absolute).
func (l *Library) Dir() string { return l.dir }

// Abs returns the absolute path of a path stored relative to the library.
func (l *Library) Abs(rel string) string {
	if rel == "" || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(l.dir, filepath.FromSlash(rel))
}

// now returns the library clock's time at millisecond precision, which is
// what the database keeps.
func (l *Library) now() time.Time {
	return l.Now().Truncate(time.Millisecond)
}

// tx runs fn in a write transaction (BEGIN IMMEDIATE) and commits it, or
// rolls it back if fn fails.
func (l *Library) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting a transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving to the library: %w", err)
	}
	if l.sidecars {
		// The change is saved; a sidecar not written now stays marked and
		// is written by the next flush (see sidecar.go).
		l.flushSidecars(context.WithoutCancel(ctx))
	}
	return nil
}

// ms and fromMS convert wall-clock times to and from the unix milliseconds
// the database keeps.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v) }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// sqlOpen opens the database at path with the library's settings.
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite3", dsn(path)) }
