package ui

import (
	"context"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// The app reads and writes the library through *store.Library and runs the
// use cases (import, record, re-analyse) through callflow; it keeps no
// types of its own for calls, annotations or clips. The player and the
// recorder sit behind the small interfaces below, where the widget tests
// need fakes; the Library screen lists calls through callLister for the
// same reason (a test scrolls ten thousand calls held in memory).

// callLister is where the Library screen's rows come from.
type callLister interface {
	Calls(ctx context.Context, f store.CallFilter) ([]store.CallSummary, error)
	Reps(ctx context.Context) ([]store.Rep, error)
}

var _ callLister = (*store.Library)(nil)

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
