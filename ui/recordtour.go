package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
)

// RecordTour is the real-window test's walk through a recording, as a new
// user would make it, with screenshots taken by the test from outside
// (askShot's protocol): the Record screen with both meters alive and the
// title field focused ("record"); then the test types a title and presses
// Ctrl+R in that field, and the tour waits for the recording to run
// ("record-live", meters and live figures moving); the test presses
// Ctrl+R again and the tour waits for the filed call's Review
// ("record-review"); last, the Review of the one-channel call monoID
// ("review-mono"). It writes the recorded call's id to dir/recorded-id.
func (a *App) RecordTour(dir string, monoID int64, done func(error)) {
	go func() { done(a.recordTour(dir, monoID)) }()
}

// waitUI polls cond on the UI goroutine until it holds or d passes.
func waitUI(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return true
		}
	}
	return false
}

func (a *App) recordTour(dir string, monoID int64) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	time.Sleep(shotSettle)
	fyne.DoAndWait(func() { a.Show("record") })
	if !waitUI(30*time.Second, func() bool { return a.record.sess != nil && a.record.soundFromBoth() }) {
		return errors.New("the Record screen's devices did not both deliver sound within 30 s")
	}
	fyne.DoAndWait(func() { a.win.Canvas().Focus(a.record.title) })
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "record"); err != nil {
		return err
	}
	// The test types the title and presses Ctrl+R, the focus in the field.
	if !waitUI(30*time.Second, func() bool { return a.record.recording != nil }) {
		return errors.New("Ctrl+R in the title field did not start a recording within 30 s")
	}
	var id int64
	fyne.DoAndWait(func() { id = a.record.recording.ID })
	if err := os.WriteFile(filepath.Join(dir, "recorded-id"), fmt.Appendf(nil, "%d", id), 0o600); err != nil {
		return err
	}
	// Both parties have spoken by then (the customer from 6.1 s of the
	// played call): both meters and the live figures move.
	time.Sleep(7 * time.Second)
	if err := a.askShot(dir, "record-live"); err != nil {
		return err
	}
	// The test presses Ctrl+R again: the call is filed and opens.
	if !waitUI(60*time.Second, func() bool { return a.record.recording == nil && a.review.call != nil && a.review.call.ID == id }) {
		return errors.New("the second Ctrl+R did not file the call and open it within 60 s")
	}
	time.Sleep(2 * shotSettle)
	if err := a.askShot(dir, "record-review"); err != nil {
		return err
	}
	opened := make(chan struct{})
	fyne.DoAndWait(func() {
		a.review.onEnvelope = func() { close(opened); a.review.onEnvelope = nil }
		a.OpenCall(monoID, 0)
	})
	select {
	case <-opened:
	case <-time.After(30 * time.Second):
		return errors.New("the one-channel call did not open within 30 s")
	}
	time.Sleep(shotSettle)
	return a.askShot(dir, "review-mono")
}
