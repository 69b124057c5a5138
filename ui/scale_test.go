package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/assets"
	"callcoach/store"
)

// bigLibrary serves a library of n calls from memory (the store's own
// benchmark covers the query; this measures the app's side).
type bigLibrary struct {
	rows []store.CallSummary
}

var _ callLister = (*bigLibrary)(nil)

func (b *bigLibrary) Calls(ctx context.Context, q store.CallFilter) ([]store.CallSummary, error) {
	if q.Limit > 0 && q.Limit < len(b.rows) {
		return b.rows[:q.Limit], nil
	}
	return b.rows, nil
}
func (b *bigLibrary) Reps(context.Context) ([]store.Rep, error) {
	return []store.Rep{{ID: 1, Name: "Ann"}, {ID: 2, Name: "Bob"}}, nil
}

func newBigLibrary(n int) *bigLibrary {
	b := &bigLibrary{}
	verdicts := []analysis.Verdict{analysis.VerdictListening, analysis.VerdictMixed, analysis.VerdictScriptDriven}
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		b.rows = append(b.rows, store.CallSummary{ID: int64(n - i), Title: fmt.Sprintf("Call %d", n-i), Rep: "Ann",
			RecordedAt: t0.Add(time.Duration(n-i) * time.Hour), Duration: 25 * time.Minute,
			RepTalkShare: 0.4 + float64(i%40)/100, Interruptions: i % 7, Verdict: verdicts[i%3], Tags: []string{"interrupted"}})
	}
	return b
}

// scrollCost lists n calls and returns how long listing took and the mean
// time of a scroll step (ScrollTo and the table's redraw).
func scrollCost(t *testing.T, n int) (list, step time.Duration) {
	a := newTestApp(t, Options{calls: newBigLibrary(n)})
	a.Show("library")
	l := a.library
	list = onCPU(l.reload)
	if len(l.rows) != n {
		t.Fatalf("listed %d calls, want %d", len(l.rows), n)
	}
	// CPU time, not wall time: on the shared CI machine a step measured by
	// the clock took 586 ms at a load of 10 (110 ms for 20 calls).
	const steps = 8
	step = onCPU(func() {
		for i := range steps {
			l.table.ScrollTo(widget.TableCellID{Row: i * (n - 1) / (steps - 1), Col: 0})
			l.table.Refresh()
		}
	})
	return list, step / steps
}

// TestLibraryTenThousandCalls lists 10,000 calls and scrolls through them:
// the table is virtual, so a scroll step costs what it costs for 20 calls.
func TestLibraryTenThousandCalls(t *testing.T) {
	list, step := scrollCost(t, 10000)
	_, small := scrollCost(t, 20)
	t.Logf("10,000 calls: listed in %v, %v per scroll step (20 calls: %v)", list, step, small)
	if list > 500*time.Millisecond {
		t.Errorf("listing 10,000 calls took %v", list)
	}
	if step > 3*small+10*time.Millisecond {
		t.Errorf("a scroll step through 10,000 calls took %v, through 20 %v: not virtual", step, small)
	}
}

func TestDemoCallFromAssets(t *testing.T) {
	wav, truth, ok := assets.Demo()
	if !ok {
		t.Fatal("the demo call is not embedded (assets/demo.wav)")
	}
	demo, err := DemoCall(wav, truth, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := demo.Result
	if len(res.Segments) == 0 || len(res.Interruptions) == 0 || len(res.Backchannels) == 0 {
		t.Errorf("demo: %d segments, %d interruptions, %d backchannels; want all three", len(res.Segments), len(res.Interruptions), len(res.Backchannels))
	}
	if res.Listening.Verdict == analysis.NoVerdict {
		t.Error("the demo has no verdict")
	}
	env, err := LoadEnvelope(demo.AudioPath)
	if err != nil || env.Duration < 30*time.Second {
		t.Errorf("demo audio: %v, %v", env, err)
	}
	// Shown on first run in the real window size, the review is ready.
	a := newTestApp(t, Options{Demo: demo})
	if a.Current() != "review" || a.review.call != demo {
		t.Errorf("first run shows %q", a.Current())
	}
	if a.review.timeline.env == nil {
		t.Error("the demo's waveform was not loaded")
	}
}
