package ui

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"callcoach/analysis"
	"callcoach/audio/device/pulsetest"
	"callcoach/store"
)

// TestRecordRealDevices records a call through the Record screen from two
// real (PulseAudio null-sink monitor) devices into a real library: the
// meters move before the call, the live bar fills during it, and Stop files
// the call with an analysis that matches what was played.
func TestRecordRealDevices(t *testing.T) {
	srv := pulsetest.Start(t,
		pulsetest.Sink{Name: "microphone", Description: "Microphone"},
		pulsetest.Sink{Name: "headset", Description: "Headset"})
	call := pulsetest.LoadCall(t, filepath.Join("..", "analysis", "testdata", "calls", "short_call_int24_16k.wav"))
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
	time.Sleep(300 * time.Millisecond) // the streams' first buffers
	wait := srv.PlayCall(t, call, "microphone", "headset")
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
	if c.Title != "Recorded call" || c.Rep != "Ann" || c.Status != "complete" {
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

// TestRecoverRecordings finishes a recording a crash left behind: the file
// (header never updated) is repaired, analysed and kept as "recovered".
func TestRecoverRecordings(t *testing.T) {
	lib := newTestLibrary(t)
	ctx := context.Background()
	c, err := lib.BeginRecording(ctx, store.RecordingStart{Title: "Crashed call", Rep: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	segs, dur := sampleSegments()
	path := lib.Abs(c.AudioPath)
	writeCallWAV(t, path, segs, dur)
	// As after a kill -9 before the first header update: sizes are zero.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	var zero [4]byte
	f.WriteAt(zero[:], 4)
	f.WriteAt(zero[:], 40)
	f.Close()

	n, err := RecoverRecordings(ctx, lib, analysis.DefaultConfig())
	if err != nil || n != 1 {
		t.Fatalf("recovered %d (%v), want 1", n, err)
	}
	got, err := lib.Call(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusRecovered || got.Result == nil || got.Result.Duration.D() < dur-time.Second {
		t.Errorf("recovered call: status %q, result %v", got.Status, got.Result != nil)
	}
	if n, _ := RecoverRecordings(ctx, lib, analysis.DefaultConfig()); n != 0 {
		t.Errorf("a second pass recovered %d more", n)
	}
}
