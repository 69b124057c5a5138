package ui

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"callcoach/audio"
	"callcoach/audio/device/pulsetest"
	"callcoach/store"
)

var realSinks = []pulsetest.Sink{
	{Name: "microphone", Description: "Microphone"},
	{Name: "headset", Description: "Headset"},
}

// recordApp is the app on a real library recording from the test server's
// two monitors through callflow, on the Record screen with both chosen.
func recordApp(t *testing.T) (*App, *store.Library) {
	t.Helper()
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib, Recorder: &DeviceRecorder{Lib: lib}})
	a.prefs.ConsentShown = true
	a.Show("record")
	r := a.record
	r.repDev.SetSelected("Monitor of Microphone")
	r.custDev.SetSelected("Monitor of Headset")
	if r.repDev.Selected == "" || r.custDev.Selected == "" {
		t.Fatalf("devices not offered: %v", r.repDev.Options)
	}
	return a, lib
}

// TestRecordRealDevices records a call through the Record screen from two
// real (PulseAudio null-sink monitor) devices into a real library: the
// meters move before the call and keep moving during it, the live bar
// fills, and Stop files the call with an analysis that matches what was
// played.
func TestRecordRealDevices(t *testing.T) {
	srv := pulsetest.Start(t, realSinks...)
	call := pulsetest.LoadCall(t, filepath.Join("..", "analysis", "testdata", "calls", "short_call_int24_16k.wav"))
	a, lib := recordApp(t)
	r := a.record

	// Before the call: play into the microphone sink and see its meter move
	// (and not the headset's).
	tone := srv.Play(t, "microphone", call.Rep)
	waitFor(t, "the microphone meter to move", func() bool { return r.repMeter.level > 0.05 })
	if r.custMeter.level > 0.01 {
		t.Errorf("the headset meter moved (%v) with sound only on the microphone", r.custMeter.level)
	}
	tone.Process.Kill()
	tone.Wait()

	r.title.SetText("Recorded call")
	r.repName.SetText("Ann")
	test.Tap(r.startBtn)
	if r.recording == nil {
		t.Fatalf("recording did not start: %s", a.lastNotice)
	}
	wait := srv.PlayCall(t, call, "microphone", "headset")
	// Both meters move while recording (they went blank before).
	var repMax, custMax float64
	for deadline := time.Now().Add(8 * time.Second); time.Now().Before(deadline) && (repMax < 0.05 || custMax < 0.05); {
		time.Sleep(30 * time.Millisecond)
		repMax, custMax = max(repMax, r.repMeter.level), max(custMax, r.custMeter.level)
	}
	if repMax < 0.05 || custMax < 0.05 {
		t.Errorf("meters while recording peaked at %.2f / %.2f, want both moving", repMax, custMax)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	waitFor(t, "the live bar to show talk", func() bool { return r.share.talked && r.share.share > 0 })
	liveShare := r.share.share
	test.Tap(r.startBtn) // Stop
	if a.Current() != "review" || a.review.call == nil {
		t.Fatalf("after Stop: screen %q, notice %q", a.Current(), a.lastNotice)
	}
	c := a.review.call
	if c.Title != "Recorded call" || c.Rep != "Ann" || c.Status != store.StatusComplete {
		t.Errorf("filed call: %+v", c)
	}
	rows, err := lib.Calls(context.Background(), store.CallFilter{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("library holds %d calls (%v), want the recording", len(rows), err)
	}
	rep := pulsetest.Check(t, lib.Abs(c.AudioPath), call)
	t.Logf("recorded %v: talk share %.1f%% (live %.1f%%, truth %.1f%%), interruptions found %d missed %d extra %d, skew %v",
		c.Result.Duration.D(), c.Result.RepTalkShare*100, liveShare*100, call.Truth.RepTalkShare*100, rep.Found, rep.Missed, rep.Extra, rep.Skew)
	if math.Abs(c.Result.RepTalkShare-call.Truth.RepTalkShare) > 0.04 {
		t.Errorf("stored talk share %.3f, truth %.3f", c.Result.RepTalkShare, call.Truth.RepTalkShare)
	}
	if math.Abs(liveShare-c.Result.RepTalkShare) > 0.05 {
		t.Errorf("the live bar ended at %.3f, the stored analysis says %.3f", liveShare, c.Result.RepTalkShare)
	}
}

// TestRecordStartStopTenSeconds clicks Start and, 10.0 s later, Stop on
// the Record screen: the call filed holds at least 9.8 s (nothing between
// the clicks is lost to opening devices), and the screen said
// "recording" only once sound flowed.
func TestRecordStartStopTenSeconds(t *testing.T) {
	srv := pulsetest.Start(t, realSinks...)
	call := pulsetest.LoadCall(t, filepath.Join("..", "analysis", "testdata", "calls", "short_call_int24_16k.wav"))
	a, lib := recordApp(t)
	r := a.record
	// The user has chosen the devices and sees both meters alive.
	waitFor(t, "sound from both devices", func() bool { return r.sess != nil && r.soundFromBoth() })
	srv.PlayCall(t, call, "microphone", "headset")
	click := time.Now()
	test.Tap(r.startBtn)
	started := time.Since(click)
	if r.recording == nil || a.lastNotice != "recording…" {
		t.Fatalf("recording did not start: %q", a.lastNotice)
	}
	time.Sleep(time.Until(click.Add(10 * time.Second)))
	stopAt := time.Since(click)
	test.Tap(r.startBtn)
	c := a.review.call
	if c == nil {
		t.Fatalf("no call opened after Stop: %q", a.lastNotice)
	}
	info, err := audio.Open(lib.Abs(c.AudioPath))
	if err != nil {
		t.Fatal(err)
	}
	got := info.Info().Duration
	info.Close()
	t.Logf("Start took %v to say recording; Start and Stop %v apart; the call filed holds %v (stored %v)", started, stopAt, got, c.Duration)
	if got < 9800*time.Millisecond || c.Duration < 9800*time.Millisecond {
		t.Errorf("Start and Stop %v apart filed %v (stored %v), want at least 9.8 s", stopAt, got, c.Duration)
	}
}
