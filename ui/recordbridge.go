package ui

import (
	"context"

	"callcoach/analysis"
	"callcoach/audio/device"
	"callcoach/callflow"
	"callcoach/store"
)

// DeviceRecorder records calls from the sound devices into a library
// through callflow: the thin bridge between the Record screen and the
// recording use case, which is the same for the command line.
type DeviceRecorder struct {
	Lib *store.Library
	// Config returns the analysis settings to record with (default: the
	// library's, callflow.Config).
	Config func() analysis.Config
}

var _ Recorder = (*DeviceRecorder)(nil)

// Inputs lists the input devices.
func (d *DeviceRecorder) Inputs() ([]device.Device, error) { return device.Inputs() }

// Open opens a session on the chosen inputs.
func (d *DeviceRecorder) Open(in callflow.Inputs, w callflow.Watch) (Session, error) {
	var cfg analysis.Config
	if d.Config != nil {
		cfg = d.Config()
	} else {
		cfg, _ = callflow.Config(context.Background(), d.Lib)
	}
	s, err := callflow.Open(in, cfg, w)
	if err != nil {
		return nil, err
	}
	return &librarySession{Session: s, lib: d.Lib}, nil
}

// librarySession is a callflow.Session that records into the app's
// library.
type librarySession struct {
	*callflow.Session
	lib *store.Library
}

func (s *librarySession) Record(ctx context.Context, info store.CallInfo) (*store.Call, error) {
	return s.Session.Record(ctx, s.lib, info)
}
