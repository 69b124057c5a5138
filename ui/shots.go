package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"callcoach/store"
)

// OnDropped imports WAV files dropped on the window.
func (a *App) OnDropped(_ fyne.Position, uris []fyne.URI) { a.library.onDropped(uris) }

// shotSettle is how long a screen is given to lay out and paint before it
// is captured.
const shotSettle = 1500 * time.Millisecond

// Screenshots shows the Library and then the Review of the newest call (the
// demo if the library is empty), and at each asks for a screenshot of the
// real screen: it writes dir/NAME.ready and waits until dir/NAME.png
// appears (the real-window test takes it with ImageMagick's import, which
// sees exactly what the X server shows). Then it calls done.
func (a *App) Screenshots(dir string, done func(error)) {
	go func() {
		done(a.screenshots(dir))
	}()
}

func (a *App) screenshots(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	time.Sleep(shotSettle)
	var rows []store.CallSummary
	fyne.DoAndWait(func() {
		a.Show("library")
		rows = a.library.rows
	})
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "library"); err != nil {
		return err
	}
	opened := make(chan struct{})
	fyne.DoAndWait(func() {
		a.review.onEnvelope = func() { close(opened); a.review.onEnvelope = nil }
		if len(rows) > 0 {
			a.OpenCall(rows[0].ID, 0)
		} else if a.opts.Demo != nil {
			a.review.Open(a.opts.Demo, 0)
			a.Show("review")
		} else {
			close(opened)
			a.review.onEnvelope = nil
		}
	})
	select {
	case <-opened:
	case <-time.After(30 * time.Second):
		return errors.New("the call did not open within 30 s")
	}
	fyne.DoAndWait(func() {
		a.Show("review")
		// Put the playhead on the first interruption, as a user exploring would.
		if c := a.review.call; c != nil && c.Result != nil && len(c.Result.Interruptions) > 0 {
			a.review.seek(c.Result.Interruptions[0].At.D())
		}
	})
	time.Sleep(shotSettle)
	return a.askShot(dir, "review")
}

// shotWait is how long askShot waits for the screenshot.
const shotWait = 60 * time.Second

func (a *App) askShot(dir, name string) error {
	ready := filepath.Join(dir, name+".ready")
	if err := os.WriteFile(ready, nil, 0o600); err != nil {
		return err
	}
	png := filepath.Join(dir, name+".png")
	deadline := time.Now().Add(shotWait)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(png); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no screenshot %s arrived within %s", png, shotWait)
}
