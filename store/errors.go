package store

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// Errors a caller can test for with errors.Is. The concrete errors carry a
// sentence fit to show the user.
var (
	// ErrNotFound: no row with that id (or name).
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: the audio is already in the library (*DuplicateError).
	ErrDuplicate = errors.New("already in the library")
	// ErrNewerSchema: the library was made by a newer CallCoach (*SchemaError).
	ErrNewerSchema = errors.New("library made by a newer CallCoach")
	// ErrInvalid: the request makes no sense (a range outside the call, an
	// end before a start, an empty tag, ...); nothing was changed.
	ErrInvalid = errors.New("invalid request")
)

// NotFoundError says which row is missing.
type NotFoundError struct {
	What string // "call", "annotation", "clip", "tag", "rep", "setting"
	ID   int64  // or 0 when Name is set
	Name string
}

func (e *NotFoundError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("there is no %s %q in this library", e.What, e.Name)
	}
	return fmt.Sprintf("there is no %s %d in this library", e.What, e.ID)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func notFound(what string, id int64) error { return &NotFoundError{What: what, ID: id} }

// DuplicateError says an import's audio is already in the library, and as
// which call.
type DuplicateError struct {
	ID      int64  // the call already holding this audio
	Title   string // its title
	Trashed bool   // it is in the trash
}

func (e *DuplicateError) Error() string {
	where := ""
	if e.Trashed {
		where = " (in the trash)"
	}
	title := ""
	if e.Title != "" {
		title = fmt.Sprintf(" %q", e.Title)
	}
	return fmt.Sprintf("this audio is already in the library as call %d%s%s", e.ID, title, where)
}

// Is makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// SchemaError says the library's schema is newer than this program knows.
type SchemaError struct {
	Have int // the library's schema version
	Know int // the newest version this program knows
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("this library was made by a newer CallCoach (schema %d, this app knows %d): update the app", e.Have, e.Know)
}

// Is makes errors.Is(err, ErrNewerSchema) true.
func (e *SchemaError) Is(target error) bool { return target == ErrNewerSchema }

// InvalidError is a request the store refuses; its text says why.
type InvalidError struct{ msg string }

func (e *InvalidError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, a ...any) error { return &InvalidError{fmt.Sprintf(format, a...)} }

// ErrDamaged: the library's database is damaged or lost (*DamagedError);
// Repair rebuilds it from what survives.
var ErrDamaged = errors.New("library database damaged")

// DamagedError says the library's database cannot be trusted, and why. Its
// text names the command that repairs it.
type DamagedError struct {
	Dir string // the library folder
	Why string // what is wrong, in words: "the database file is missing", ...
	Err error  // SQLite's error, if one said so
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the library database in %s is damaged (%s): run 'callcoach repair' (or Repair in the app) to rebuild it from what survives; the damaged file is kept aside", e.Dir, e.Why)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func (e *DamagedError) Unwrap() error { return e.Err }

// IsDamaged says whether err comes from a damaged database: a *DamagedError,
// or SQLite reporting a malformed file (SQLITE_CORRUPT, SQLITE_NOTADB) from
// any read or write.
func IsDamaged(err error) bool {
	if errors.Is(err, ErrDamaged) {
		return true
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB)
}

// asDamaged turns SQLite's corruption errors into a *DamagedError for dir;
// other errors pass unchanged.
func asDamaged(dir string, err error) error {
	if err == nil || errors.Is(err, ErrDamaged) || !IsDamaged(err) {
		return err
	}
	return &DamagedError{Dir: dir, Why: "SQLite says: " + sqliteText(err), Err: err}
}

// sqliteText is SQLite's own words for err ("database disk image is
// malformed", "file is not a database").
func sqliteText(err error) string {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code.Error()
	}
	var g garbled
	if errors.As(err, &g) {
		return "what it stores no longer decodes"
	}
	return err.Error()
}

// garbled wraps the error of decoding what the store itself encoded (the
// JSON columns are checked valid on the way in): the bytes changed on disk.
type garbled struct{ err error }

func (g garbled) Error() string { return "garbled in the database: " + g.err.Error() }

func (g garbled) Unwrap() error { return g.err }

// Is makes errors.Is(err, ErrDamaged) true.
func (g garbled) Is(target error) bool { return target == ErrDamaged }
