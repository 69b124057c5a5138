package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow"

	"fyne.io/fyne/v2/test"
)

// TestReviewVoices: a one-channel call opens in Review with its two voices
// on the two lanes (Voice 1, Voice 2) and the voices panel; picking the rep,
// swapping and giving a selection to a voice go through the workflow, are
// stored, and the lanes and figures follow.
func TestReviewVoices(t *testing.T) {
	lib := newTestLibrary(t)
	rep, cust, _ := callgen.Render(callgen.Scenarios()[2], callgen.RenderOptions{Rate: 16000, Seed: 4})
	mix := make([]float32, len(rep))
	for i := range mix {
		mix[i] = (rep[i] + cust[i]) / 2
	}
	path := filepath.Join(t.TempDir(), "mono.wav")
	if err := callgen.WriteWAV(path, 16000, callgen.Int16, mix); err != nil {
		t.Fatal(err)
	}
	c, err := callflow.Import(context.Background(), lib, callflow.ImportRequest{Path: path, Title: "Speakerphone call"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.OpenCall(c.ID, 0)
	r := a.review
	v := r.voices
	if !v.box.Visible() {
		t.Fatal("the voices panel is hidden for a one-channel call")
	}
	rr := test.WidgetRenderer(r.timeline).(*timelineRenderer)
	if rr.repLabel.Text != "Voice 1" || rr.custLabel.Text != "Voice 2" {
		t.Errorf("lanes: %q / %q, want Voice 1 / Voice 2", rr.repLabel.Text, rr.custLabel.Text)
	}
	if v.swap.Disabled() == false {
		t.Error("swap is enabled before the rep is known")
	}
	if dir := os.Getenv("CALLCOACH_SHOT_DIR"); dir != "" {
		shot(t, a, filepath.Join(dir, "review-voices.png"))
	}
	test.Tap(v.isRep[0])
	if d := r.call.Result.Diarization; d == nil || d.Rep != 1 || d.RepBy != analysis.RepByUser {
		t.Fatalf("after 'Voice 1 is the rep': %+v", d)
	}
	if rr.repLabel.Text != "Rep (one channel)" || len(r.call.Result.SegmentsOf(analysis.Rep)) == 0 {
		t.Errorf("lanes %q, rep segments %d", rr.repLabel.Text, len(r.call.Result.SegmentsOf(analysis.Rep)))
	}
	share := r.call.Result.RepTalkShare
	test.Tap(v.swap)
	if r.call.Result.Diarization.Rep != 2 || r.call.Result.RepTalkShare > 1-share+0.01 || r.call.Result.RepTalkShare < 1-share-0.01 {
		t.Errorf("after swap: rep %d share %.3f, want voice 2 and %.3f", r.call.Result.Diarization.Rep, r.call.Result.RepTalkShare, 1-share)
	}
	// Select the first 15 s and give it to voice 2 (the rep now).
	r.timeline.SetSelection(Range{0, 15 * time.Second})
	r.onSelect(Range{0, 15 * time.Second})
	if v.mark[1].Disabled() {
		t.Fatal("mark is disabled with a selection")
	}
	before := r.call.Result.Talk.Rep
	test.Tap(v.mark[1])
	if len(r.call.Result.Diarization.Corrections) != 1 || r.call.Result.Talk.Rep < before {
		t.Errorf("after marking: corrections %v, rep talk %v (was %v)", r.call.Result.Diarization.Corrections, r.call.Result.Talk.Rep, before)
	}
	stored, err := lib.Call(context.Background(), c.ID)
	if err != nil || stored.Result.Diarization.Rep != 2 || len(stored.Result.Diarization.Corrections) != 1 {
		t.Errorf("stored: %+v, %v", stored.Result.Diarization, err)
	}
	if dir := os.Getenv("CALLCOACH_SHOT_DIR"); dir != "" {
		shot(t, a, filepath.Join(dir, "review-voices-rep.png"))
	}
}

func shot(t *testing.T, a *App, path string) {
	img := a.win.Canvas().Capture()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, img)
}
