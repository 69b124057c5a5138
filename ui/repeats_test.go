package ui

import (
	"context"
	"image"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
)

// TestReviewRepeats: a call whose passages the rep also said in two other
// calls lists them in Review ("also said in 2 other calls"), marks them in
// violet on the rep lane (and nowhere else), and each jump opens the
// other call at its moment; the Library shows the script reuse, Trends
// charts it.
func TestReviewRepeats(t *testing.T) {
	lib := newTestLibrary(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.Local) }
	a1 := addCall(t, lib, "first", "Ann", nil, day(1))
	a2 := addCall(t, lib, "second", "Ann", nil, day(2))
	res := sampleResult(t)
	res.Script = &analysis.ScriptEvidence{ReusedShare: 0.4, Longest: sec(5), LongestAt: sec(2), CallsSharing: 2, CallsConsidered: 2}
	a3 := addCall(t, lib, "third", "Ann", res, day(3))
	ctx := context.Background()
	fp := &analysis.Fingerprint{At: []int32{1, 2, 3}, Vec: make([]analysis.FPVec, 3)}
	for _, id := range []int64{a1, a2} {
		if err := lib.SaveFingerprint(ctx, id, fp, nil); err != nil {
			t.Fatal(err)
		}
	}
	found := []analysis.Repeat{
		{Start: sec(2), End: sec(7), Call: a1, OtherStart: sec(11), OtherEnd: sec(16)},
		{Start: sec(2.2), End: sec(7), Call: a2, OtherStart: sec(3), OtherEnd: sec(8)},
	}
	if err := lib.SaveFingerprint(ctx, a3, fp, found); err != nil {
		t.Fatal(err)
	}

	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.OpenCall(a3, 0)
	p := a.review.repeats
	if len(p.passages) != 1 || len(p.passages[0].Others) != 2 || !p.box.Visible() {
		t.Fatalf("Review's passages: %+v (visible %v), want one passage said in 2 other calls", p.passages, p.box.Visible())
	}
	if got := passageLine(p.passages[0]); got != "0:02–0:07  also said in 2 other calls" {
		t.Errorf("passage line: got %q", got)
	}
	// Violet on the rep lane's top strip over 2–7 s, none in the customer's.
	img := a.review.timeline.renderer.paint(1000, 200).(*image.RGBA)
	v := a.review.timeline.View()
	violet := func(x0, x1, y0, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				c := img.RGBAAt(x, y)
				if int(c.B) > int(c.G)+80 && int(c.R) > int(c.G)+40 && c.B > 150 {
					n++
				}
			}
		}
		return n
	}
	x := func(s float64) int { return int(v.X(sec(s).D(), 1000)) }
	_, repEnd := laneBounds(0, 200)
	if n := violet(x(2.5), x(6.5), 0, repEnd); n < 100 {
		t.Errorf("rep lane over the passage: %d violet pixels", n)
	}
	if n := violet(0, 1000, repEnd, 200); n != 0 {
		t.Errorf("customer lane: %d violet pixels, want none", n)
	}
	if n := violet(x(8), 1000, 0, repEnd); n != 0 {
		t.Errorf("rep lane after the passage: %d violet pixels, want none", n)
	}
	// The jump to the second other call opens it at its moment.
	var jumps []*widget.Button
	for _, o := range p.list.Objects {
		if s, ok := o.(*container.Scroll); ok {
			for _, b := range s.Content.(*fyne.Container).Objects {
				if b, ok := b.(*widget.Button); ok {
					jumps = append(jumps, b)
				}
			}
		}
	}
	if len(jumps) != 2 || !strings.HasPrefix(jumps[1].Text, "Call ") {
		t.Fatalf("jump buttons: %d", len(jumps))
	}
	test.Tap(jumps[1])
	if c := a.review.call; c == nil || c.ID != found[1].Call || a.review.timeline.Playhead() != found[1].OtherStart.D() {
		t.Errorf("after the jump: call %v at %v, want call %d at %v", a.review.call.ID, a.review.timeline.Playhead(), found[1].Call, found[1].OtherStart.D())
	}
	// That call, from its side, names the third.
	if len(a.review.repeats.passages) != 1 || a.review.repeats.passages[0].Others[0].Call != a3 {
		t.Errorf("the other call's passages: %+v", a.review.repeats.passages)
	}

	// Library: the column; Trends: the chart.
	a.library.reload()
	for _, r := range a.library.rows {
		text, _ := cellText(r, 8)
		want := "—"
		if r.ID == a3 {
			want = "40%"
		}
		if text != want {
			t.Errorf("script reuse of %q: got %q, want %q", r.Title, text, want)
		}
	}
	a.trends.rep.SetSelected("Ann")
	if pts := a.trends.reuse.pts; len(pts) != 1 || pts[0].Y != 40 {
		t.Errorf("script reuse chart: %+v, want one point at 40%%", pts)
	}
}
