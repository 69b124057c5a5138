package ui

import (
	"context"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// The app's screens talk to the library, the player and the recorder through
// the small interfaces below, defined here where they are used. The real
// implementations are adapters over store, audio/device and audio/record
// (storebridge.go, devicebridge.go); widget tests use fakes or a real
// temporary library.

// CallRow is one call in the library list.
type CallRow struct {
	ID            int64
	Title         string
	Rep           string
	Customer      string
	RecordedAt    time.Time
	Duration      time.Duration
	RepTalkShare  float64 // 0..1
	Interruptions int     // by the rep
	Verdict       analysis.Verdict
	Score         int
	Tags          []string
	Status        string // complete, recording, recovered
	Trashed       bool
}

// CallQuery filters the library list. Zero fields do not filter.
type CallQuery struct {
	Text    string // in title, rep or customer
	Rep     string
	Tag     string
	Verdict analysis.Verdict
	Since   time.Time
	Until   time.Time
	Trashed bool // list the trash instead of the live calls
	Limit   int
}

// CallDetail is a call opened for review.
type CallDetail struct {
	CallRow
	AudioPath string // absolute
	Result    *analysis.Result
}

// Note is an annotation: a range (or point) of a call with a tag, a note
// and its author.
type Note struct {
	ID      int64
	CallID  int64
	Start   time.Duration
	End     time.Duration
	Tag     string
	Note    string
	Author  string
	Created time.Time
	Edited  time.Time
}

// ClipRow is a clip in the clip library.
type ClipRow struct {
	ID        int64
	NoteID    int64 // 0 once the annotation is deleted
	CallID    int64 // 0 once the call is deleted
	Path      string
	Start     time.Duration
	End       time.Duration
	Tag       string
	Note      string
	Rep       string
	CallTitle string
	Created   time.Time
}

// TrendPoint is one call of a rep's trend.
type TrendPoint struct {
	At                    time.Time
	CallID                int64
	TalkShare             float64 // 0..1
	InterruptionsPer10Min float64
	Verdict               analysis.Verdict
	Score                 int
}

// ImportRequest imports a WAV file (stereo with the rep on RepChannel, or
// mono) or two mono files.
type ImportRequest struct {
	Path         string
	RepChannel   audio.Side
	RepPath      string
	CustomerPath string
	Rep          string
	Customer     string
	Title        string
}

// Backend is the call library as the app uses it.
type Backend interface {
	Dir() string
	Calls(ctx context.Context, q CallQuery) ([]CallRow, error)
	Call(ctx context.Context, id int64) (*CallDetail, error)
	// Import copies, analyses and files a call, reporting progress 0..1.
	Import(ctx context.Context, req ImportRequest, progress func(float64)) (int64, error)
	Trash(ctx context.Context, id int64) error
	Restore(ctx context.Context, id int64) error

	Notes(ctx context.Context, callID int64) ([]Note, error)
	// SaveNote adds a note (ID 0) or updates one, returning it as stored.
	SaveNote(ctx context.Context, n Note) (Note, error)
	DeleteNote(ctx context.Context, id int64) error
	SaveClip(ctx context.Context, noteID int64) (ClipRow, error)
	Clips(ctx context.Context, tag, rep string) ([]ClipRow, error)

	Tags(ctx context.Context) ([]string, error)
	Reps(ctx context.Context) ([]string, error)
	Trend(ctx context.Context, rep string) ([]TrendPoint, error)

	// Setting reads a setting into v, reporting whether it was set.
	Setting(ctx context.Context, key string, v any) (bool, error)
	SetSetting(ctx context.Context, key string, v any) error
}

// Player plays one call's audio (device.Player in the app).
type Player interface {
	// Load opens a WAV file, paused at its start.
	Load(path string) error
	Play() error
	Pause() error
	Seek(at time.Duration) error
	Position() time.Duration
	Playing() bool
	Close() error
}

// Device is an input the recorder can use.
type Device struct {
	Name     string // friendly name shown and stored
	Channels int
	Default  bool
}

// RecordRequest starts a recording: two devices (rep and customer), or one
// stereo device with its rep channel.
type RecordRequest struct {
	RepDevice      string
	CustomerDevice string
	StereoDevice   string
	RepChannel     string // "left" or "right" for a stereo device
	Rate           int
	Rep            string
	Title          string
}

// Live is what the recorder reports while recording.
type Live struct {
	Elapsed       time.Duration
	RepLevel      float64 // 0..1 (peak of the last block)
	CustomerLevel float64
	RepTalkShare  float64 // 0..1 so far
	Talked        bool    // whether anyone has spoken yet (share is meaningful)
	// LastInterruption is the latest interruption so far (nil: none yet).
	LastInterruption *analysis.Interruption
	Interruptions    int // by the rep so far
	Dropped          int // dropped or late buffers
}

// Recording is a recording under way.
type Recording interface {
	// Stop ends the recording, analyses and files it, and returns the new
	// call's id.
	Stop() (int64, error)
}

// Recorder lists inputs, watches levels and records calls.
type Recorder interface {
	Devices() ([]Device, error)
	// Monitor reports a device's input level (0..1) about 30 times a second
	// until stop is called, so the user sees the right device move.
	Monitor(device string, level func(float64)) (stop func(), err error)
	// Start records; live is called from the recorder's goroutine (the UI
	// throttles and moves it onto the UI thread). done is called if the
	// recording ends by itself (device lost, disk full) with the reason.
	Start(req RecordRequest, live func(Live), done func(callID int64, err error)) (Recording, error)
}
