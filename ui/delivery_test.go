package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
)

func ptrF(v float64) *float64 { return &v }

// TestReviewDelivery: Review lists the rep's long monologues with their
// delivery figures and whether the verdict judges by them; a row's play
// button jumps to its monologue. A call without cues shows no section.
func TestReviewDelivery(t *testing.T) {
	lib := newTestLibrary(t)
	res := sampleResult(t)
	res.Delivery = []analysis.DeliveryCue{{Start: sec(12), End: sec(24), Syllables: 50, RateSyl: ptrF(4.2), RateCV: ptrF(0.12), Phrase: ptrF(1.6), PitchRange: ptrF(8.3), FilledPauses: 1}}
	with := addCall(t, lib, "With cues", "Ann", res, time.Now())
	without := addCall(t, lib, "Without", "Ann", nil, time.Now())
	p := &fakePlayer{}
	a := newTestApp(t, Options{Library: lib, Player: p})

	a.OpenCall(with, 0)
	box := a.review.delivery.box
	text := labels(box)
	for _, want := range []string{"Your long monologues: how you spoke (1)", "0:12–0:24  4.2 syllables/s, pace varies 12%, phrases 1.6 s, pitch spans 8.3 semitones, 1 uh/um", analysis.DeliveryJudged()[1:]} {
		if !strings.Contains(text, want) {
			t.Errorf("delivery section lacks %q; shows:\n%s", want, text)
		}
	}
	var jump *widget.Button
	for _, o := range box.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, oo := range c.Objects {
				if b, ok := oo.(*widget.Button); ok {
					jump = b
				}
			}
		}
	}
	if jump == nil {
		t.Fatal("no jump button on the monologue's row")
	}
	test.Tap(jump)
	if got := a.review.timeline.Playhead(); got != 12*time.Second {
		t.Errorf("jump: playhead %v, want 12 s", got)
	}

	a.OpenCall(without, 0)
	if n := len(a.review.delivery.box.Objects); n != 0 {
		t.Errorf("a call without delivery cues shows %d objects in the section", n)
	}
}

// labels gathers the text of every label under o.
func labels(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}
