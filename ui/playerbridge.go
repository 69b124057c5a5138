package ui

import (
	"errors"
	"sync"
	"time"

	"callcoach/audio/device"
)

// DevicePlayer plays calls and clips on the default sound output through
// device.Player, one file at a time.
type DevicePlayer struct {
	mu     sync.Mutex
	p      *device.Player
	stereo bool // rep left, customer right (else both in both ears)
}

var _ Player = (*DevicePlayer)(nil)

var errNothingLoaded = errors.New("no call is loaded for playback")

// Load opens path for playback, paused at its start, closing the file
// played before.
func (d *DevicePlayer) Load(path string) error {
	p, err := device.OpenPlayer(path)
	if err != nil {
		return err
	}
	d.mu.Lock()
	old := d.p
	d.p = p
	p.SetEars(d.ears())
	d.mu.Unlock()
	if old != nil {
		return old.Close()
	}
	return nil
}

func (d *DevicePlayer) get() *device.Player {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.p
}

// SetBothEars plays both parties in both ears (on) or the rep on the left
// and the customer on the right.
func (d *DevicePlayer) SetBothEars(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stereo = !on
	if d.p != nil {
		d.p.SetEars(d.ears())
	}
}

func (d *DevicePlayer) ears() device.Ears {
	if d.stereo {
		return device.Stereo
	}
	return device.BothEars
}

// Play plays from the playhead.
func (d *DevicePlayer) Play() error {
	p := d.get()
	if p == nil {
		return errNothingLoaded
	}
	return p.Play()
}

// Pause pauses at the playhead.
func (d *DevicePlayer) Pause() error {
	if p := d.get(); p != nil {
		p.Pause()
	}
	return nil
}

// Seek moves the playhead.
func (d *DevicePlayer) Seek(at time.Duration) error {
	p := d.get()
	if p == nil {
		return errNothingLoaded
	}
	return p.Seek(at)
}

// Position is the playhead.
func (d *DevicePlayer) Position() time.Duration {
	if p := d.get(); p != nil {
		return p.Position()
	}
	return 0
}

// Playing reports whether sound is playing.
func (d *DevicePlayer) Playing() bool {
	p := d.get()
	return p != nil && p.Playing()
}

// Close releases the output.
func (d *DevicePlayer) Close() error {
	d.mu.Lock()
	p := d.p
	d.p = nil
	d.mu.Unlock()
	if p != nil {
		return p.Close()
	}
	return nil
}
