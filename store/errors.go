package store

import (
	"errors"
	"fmt"
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
