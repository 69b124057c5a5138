package audio

import "errors"

// Kinds of bad input, for errors.Is. Every error Open returns for a bad file
// wraps one of them and reads as a sentence saying what is wrong and what to
// do.
var (
	// ErrNotWAV: the file is not a RIFF/WAVE file at all.
	ErrNotWAV = errors.New("not a WAV file")
	// ErrTruncated: the file ends before its header does.
	ErrTruncated = errors.New("truncated WAV file")
	// ErrDamaged: the header contradicts itself beyond repair.
	ErrDamaged = errors.New("damaged WAV header")
	// ErrUnsupported: a valid WAV in a format CallCoach does not read
	// (compressed audio, more than two channels, odd rates or depths).
	ErrUnsupported = errors.New("unsupported WAV format")
	// ErrNoAudio: a valid header but no samples.
	ErrNoAudio = errors.New("no audio in WAV file")
)

// FileError is a bad-input error: Msg is the sentence a user sees, Kind one
// of the Err* values above (for errors.Is), Err an underlying cause if any.
type FileError struct {
	Path string
	Kind error
	Msg  string
	Err  error
}

func (e *FileError) Error() string { return e.Msg }

// Unwrap exposes both the kind and the cause to errors.Is/As.
func (e *FileError) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}
