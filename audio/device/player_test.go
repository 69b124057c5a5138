package device_test

import (
	"math"
	"testing"
	"time"

	"callcoach/audio"
	"callcoach/audio/device"
	"callcoach/audio/device/pulsetest"
)

// TestPlayer plays a call into a null sink (the default output of the test
// server) and checks the playhead, pause, seek, and that the sound really
// comes out (recorded from the sink's monitor).
func TestPlayer(t *testing.T) {
	for _, path := range []string{"pulse", "portaudio"} {
		t.Run(path, func(t *testing.T) {
			t.Setenv("CALLCOACH_PLAYBACK", path)
			testPlayer(t)
		})
	}
}

func testPlayer(t *testing.T) {
	pulsetest.Start(t, pulsetest.Sink{Name: "callcoach_speakers", Description: "Speakers", Rate: 48000})
	p, err := device.OpenPlayer(shortFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	r, err := audio.Open(shortFixture)
	if err != nil {
		t.Fatal(err)
	}
	want := r.Info().Duration
	r.Close()
	if d := p.Duration(); d != want {
		t.Fatalf("duration got %v, want %v", d, want)
	}
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
	// A fresh null sink renders its first two seconds ahead (no real
	// device does); wait that out so that the playhead is measured, not
	// the null sink's start-up.
	time.Sleep(2500 * time.Millisecond)
	in.Poll()
	in.Ring().Read(make([]float32, in.Ring().Len()))

	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if pos := p.Position(); pos < 1200*time.Millisecond || pos > 1800*time.Millisecond {
		t.Errorf("position after 1.5 s of play got %v", pos)
	}
	in.Poll()
	got := make([]float32, in.Ring().Len())
	n := in.Ring().Read(got)
	var peak float64
	for _, v := range got[:n] {
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	if peak < 0.05 {
		t.Errorf("the speakers' monitor heard peak %.3f in %d samples, want the call's speech", peak, n)
	}

	p.Pause()
	at := p.Position()
	time.Sleep(300 * time.Millisecond)
	if p.Playing() || p.Position() != at {
		t.Errorf("after Pause: playing %v, position moved from %v to %v", p.Playing(), at, p.Position())
	}
	if err := p.Seek(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if pos := p.Position(); pos != 10*time.Second {
		t.Errorf("position after Seek(10s) got %v", pos)
	}
	p.SetMix(device.Mixed)
	if err := p.Play(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if pos := p.Position(); pos < 10200*time.Millisecond || pos > 10800*time.Millisecond {
		t.Errorf("position 0.5 s after playing from 10 s got %v", pos)
	}
	if err := p.Seek(p.Duration() - 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(800 * time.Millisecond)
	if p.Playing() {
		t.Error("still playing after the end")
	}
	if pos, d := p.Position(), p.Duration(); pos != d {
		t.Errorf("position at the end got %v, want %v", pos, d)
	}
}
