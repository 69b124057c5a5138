package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/device"
	"callcoach/audio/record"
	"callcoach/store"
)

// DeviceRecorder records calls from PortAudio devices straight into a
// library: the call is begun in the store first (so a crash leaves a row
// that the next start repairs), recorded by device.Record to the file the
// store reserved, and finished with its analysis on Stop.
type DeviceRecorder struct {
	Lib *store.Library
	// Config returns the analysis settings to record with.
	Config func() analysis.Config
}

var _ Recorder = (*DeviceRecorder)(nil)

// Devices lists the inputs by their friendly names.
func (d *DeviceRecorder) Devices() ([]Device, error) {
	devs, err := device.Inputs()
	if err != nil {
		return nil, err
	}
	out := make([]Device, len(devs))
	for i, v := range devs {
		out[i] = Device{Name: v.Name, Channels: v.Channels, Default: v.Default}
	}
	return out, nil
}

// monitorHz is how often a monitor reports a level.
const monitorHz = 30

// Monitor opens a device and reports its peak level about 30 times a
// second, so that the user sees the right device move before recording.
func (d *DeviceRecorder) Monitor(name string, level func(float64)) (func(), error) {
	devs, err := device.Inputs()
	if err != nil {
		return nil, err
	}
	dev, err := device.Find(devs, name)
	if err != nil {
		return nil, err
	}
	in, err := device.OpenInput(dev, 1)
	if err != nil {
		return nil, err
	}
	if err := in.Start(); err != nil {
		in.Close()
		return nil, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]float32, 4096*in.Channels())
		t := time.NewTicker(time.Second / monitorHz)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			// Capture moves audio into the ring when polled (device.Input
			// queues it on the audio thread).
			if p, ok := any(in).(interface{ Poll() }); ok {
				p.Poll()
			}
			var peak float32
			for {
				n := in.Ring().Read(buf)
				for _, v := range buf[:n] {
					peak = max(peak, v, -v)
				}
				if n < len(buf) {
					break
				}
			}
			level(float64(peak))
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-done
			if err := in.Close(); err != nil {
				log.Printf("callcoach: closing %s: %v", dev.Name, err)
			}
		})
	}, nil
}

// Start begins a call in the library and records it.
func (d *DeviceRecorder) Start(req RecordRequest, live func(Live), done func(int64, error)) (Recording, error) {
	ctx := context.Background()
	cfg := analysis.DefaultConfig()
	if d.Config != nil {
		cfg = d.Config()
	}
	call, err := d.Lib.BeginRecording(ctx, store.RecordingStart{Title: req.Title, Rep: req.Rep})
	if err != nil {
		return nil, err
	}
	r := &deviceRecording{lib: d.Lib, id: call.ID, done: done}
	rec, err := device.Record(device.Request{
		RepDevice: req.RepDevice, CustomerDevice: req.CustomerDevice,
		StereoDevice: req.StereoDevice, RepChannel: req.RepChannel,
		Path: d.Lib.Abs(call.AudioPath), Rate: req.Rate, Analysis: &cfg,
		OnLive: func(l record.Live) { live(liveOf(l)) },
	})
	if err != nil {
		if derr := d.Lib.DeleteCall(ctx, call.ID); derr != nil {
			log.Printf("callcoach: removing the unstarted call %d: %v", call.ID, derr)
		}
		return nil, err
	}
	r.rec = rec
	go r.watch()
	return r, nil
}

func liveOf(l record.Live) Live {
	return Live{
		Elapsed: l.Elapsed, RepLevel: l.RepPeak, CustomerLevel: l.CustomerPeak,
		RepTalkShare: l.RepTalkShare, Talked: l.Talk.Rep+l.Talk.Customer > 0,
		LastInterruption: l.LastInterruption, Interruptions: l.Interruptions,
		Dropped: int(l.Dropped + l.Overflows),
	}
}

type deviceRecording struct {
	lib  *store.Library
	id   int64
	rec  *device.Recording
	done func(int64, error)

	once   sync.Once
	stopMu sync.Mutex
	byUser bool
	id2    int64
	err    error
}

// watch finishes a recording that ends by itself (device lost, disk full)
// and tells the app.
func (r *deviceRecording) watch() {
	<-r.rec.Done()
	r.stopMu.Lock()
	byUser := r.byUser
	r.stopMu.Unlock()
	if byUser {
		return
	}
	id, err := r.finish()
	if r.done != nil {
		r.done(id, err)
	}
}

// Stop ends the recording, files its analysis and returns the call id.
func (r *deviceRecording) Stop() (int64, error) {
	r.stopMu.Lock()
	r.byUser = true
	r.stopMu.Unlock()
	return r.finish()
}

func (r *deviceRecording) finish() (int64, error) {
	r.once.Do(func() {
		o, err := r.rec.Stop()
		if err != nil && o == nil {
			r.err = err
			return
		}
		status := store.StatusComplete
		if o.Ended != nil {
			status = store.StatusRecovered
		}
		if ferr := r.lib.FinishRecording(context.Background(), r.id, &o.Result, status); ferr != nil {
			r.err = errors.Join(err, ferr)
			return
		}
		r.id2 = r.id
		r.err = errors.Join(err, o.Ended)
		if o.Dropped > 0 {
			log.Printf("callcoach: call %d: %d buffers dropped, %d late", r.id, o.Dropped, o.Overflows)
		}
	})
	return r.id2, r.err
}

// RecoverRecordings repairs and files the recordings a crash left
// unfinished in lib (the file is repaired in place and analysed; the call is
// kept as "recovered"). It returns how many were kept.
func RecoverRecordings(ctx context.Context, lib *store.Library, cfg analysis.Config) (int, error) {
	calls, err := lib.UnfinishedRecordings(ctx)
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, c := range calls {
		path := lib.Abs(c.AudioPath)
		if _, err := audio.Repair(path); err != nil {
			errs = append(errs, fmt.Errorf("call %d: %w", c.ID, err))
			continue
		}
		res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path}, cfg)
		if err != nil {
			errs = append(errs, fmt.Errorf("call %d: %w", c.ID, err))
			continue
		}
		if err := lib.FinishRecording(ctx, c.ID, &res, store.StatusRecovered); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
