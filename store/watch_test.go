package store

import (
	"sync/atomic"
	"testing"
	"time"

	"callcoach/analysis"
)

// TestWatch: a change made through another Library on the same folder
// (its own connections, as another process has) is seen within a poll or
// two; no change, no call; stop stops.
func TestWatch(t *testing.T) {
	app := MustOpen(t)
	var n atomic.Int32
	stop := app.Watch(50*time.Millisecond, func() { n.Add(1) })
	time.Sleep(300 * time.Millisecond)
	if got := n.Load(); got != 0 {
		t.Errorf("%d change reports with nothing changed", got)
	}
	cli := MustOpenDir(t, app.Dir())
	c := addCall(t, cli, "from the CLI", "Ana", t0, time.Second, testResult(time.Minute, .5, 0, 0, analysis.VerdictListening, 80))
	deadline := time.Now().Add(5 * time.Second)
	for n.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n.Load() == 0 {
		t.Fatal("the other library's import was not reported within 5 s")
	}
	time.Sleep(300 * time.Millisecond) // the import's own follow-up writes settle
	seen := n.Load()
	if err := cli.Trash(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	for n.Load() == seen && time.Now().Before(deadline.Add(5*time.Second)) {
		time.Sleep(10 * time.Millisecond)
	}
	if n.Load() == seen {
		t.Error("the trash was not reported")
	}
	stop()
	stop()
	after := n.Load()
	cli.Restore(ctx, c.ID)
	time.Sleep(200 * time.Millisecond)
	if n.Load() != after {
		t.Error("reported after stop")
	}
}
