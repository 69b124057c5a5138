package ui

import (
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"callcoach/audio/device"
	"callcoach/audio/device/pulsetest"
)

// TestPlayRealOutput plays the review's call on a real (PulseAudio null
// sink) output: tapping an interruption plays from just before it, the
// playhead follows the sound, the sound really comes out (heard on the
// sink's monitor), and Space pauses.
func TestPlayRealOutput(t *testing.T) {
	pulsetest.Start(t, pulsetest.Sink{Name: "callcoach_speakers", Description: "Speakers", Rate: 48000})
	lib := newTestLibrary(t)
	id := addCall(t, lib, "Played call", "Ann", nil, time.Now())
	player := &DevicePlayer{}
	defer player.Close()
	a := newTestApp(t, Options{Library: lib, Player: player})
	a.OpenCall(id, 0)
	r := a.review

	devs, err := device.Inputs()
	if err != nil {
		t.Fatal(err)
	}
	mon, err := device.Find(devs, "monitor of speakers")
	if err != nil {
		t.Fatal(err)
	}
	in, err := device.OpenInput(mon, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := in.Start(); err != nil {
		t.Fatal(err)
	}
	heard := func() float64 {
		if p, ok := any(in).(interface{ Poll() }); ok {
			p.Poll()
		}
		buf := make([]float32, in.Ring().Len())
		n := in.Ring().Read(buf)
		var peak float64
		for _, v := range buf[:n] {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		return peak
	}

	ints := r.call.Result.Interruptions
	in0 := ints[len(ints)-1] // the rep's cut-in at 8 s, both parties talking
	from := max(0, in0.At.D()-preRoll)
	heard()
	test.TapAt(r.timeline, timelineAt(r.timeline, in0.At.D()))
	if !player.Playing() {
		t.Fatal("tapping the interruption did not play")
	}
	waitFor(t, "the playhead to pass the interruption", func() bool { return r.timeline.Playhead() > in0.At.D()+200*time.Millisecond })
	if pos := player.Position(); pos < from || pos > in0.At.D()+3*time.Second {
		t.Errorf("player at %v, want just after %v", pos, from)
	}
	if peak := heard(); peak < 0.05 {
		t.Errorf("the output's monitor heard peak %.3f while playing the interruption", peak)
	}
	a.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace})
	if player.Playing() || r.playing {
		t.Error("Space did not pause")
	}
	at := player.Position()
	time.Sleep(300 * time.Millisecond)
	heard()
	time.Sleep(300 * time.Millisecond)
	if player.Position() != at {
		t.Errorf("paused, but the position moved from %v to %v", at, player.Position())
	}
	if peak := heard(); peak > 0.01 {
		t.Errorf("paused, but the output still sounds (peak %.3f)", peak)
	}
}
