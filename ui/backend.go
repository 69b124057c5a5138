package ui

import (
	"context"
	"time"

	"callcoach/audio/device"
	"callcoach/callflow"
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

// Recorder is what the Record screen records through: callflow's sessions
// on real devices in the app (DeviceRecorder), a fake in widget tests.
type Recorder interface {
	// Inputs lists the input devices.
	Inputs() ([]device.Device, error)
	// Open opens a choice of inputs and starts watching them (see
	// callflow.Open): levels at once, live figures once recording.
	Open(in callflow.Inputs, w callflow.Watch) (Session, error)
}

// Session is an open choice of inputs (callflow.Session, bound to the
// app's library).
type Session interface {
	// Record files a call from now on, once both devices deliver sound;
	// it returns the call as begun.
	Record(ctx context.Context, info store.CallInfo) (*store.Call, error)
	// Stop ends the session and, if recording, finishes and files the
	// call.
	Stop() (*callflow.Recorded, error)
}
