package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"callcoach/callflow"
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
	// The list loads in the background: give a library with calls time to
	// show them (on a busy machine the first query can take seconds).
	if a.lib != nil {
		n, _ := a.lib.CallCount(context.Background(), store.CallFilter{})
		for deadline := time.Now().Add(20 * time.Second); n > 0 && len(rows) == 0 && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			fyne.DoAndWait(func() { rows = a.library.rows })
		}
	}
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
	if err := a.askShot(dir, "review"); err != nil {
		return err
	}
	return a.shareShots(dir)
}

// shareShots shows the sharing forms (Review's Report… and Export…,
// Trends' Report…) for screenshots, and writes the open call's report
// from the app as a coach would once the file is chosen (dir/app-report.html
// and .pdf).
func (a *App) shareShots(dir string) error {
	var id int64
	fyne.DoAndWait(func() {
		if c := a.review.call; c != nil && c.ID > 0 {
			id = c.ID
			a.review.onReport()
		}
	})
	if id == 0 {
		log.Printf("callcoach: screenshots: no library call under review, no sharing forms to show")
		return nil
	}
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "review-report"); err != nil {
		return err
	}
	if _, err := a.review.writeReport(id, filepath.Join(dir, "app-report.html"), callflow.ReportHTML, callflow.DefaultPaper()); err != nil {
		return err
	}
	if _, err := a.review.writeReport(id, filepath.Join(dir, "app-report.pdf"), callflow.ReportPDF, callflow.DefaultPaper()); err != nil {
		return err
	}
	fyne.DoAndWait(func() {
		a.dismissDialogs()
		a.review.onExport()
	})
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "review-export"); err != nil {
		return err
	}
	fyne.DoAndWait(func() {
		a.dismissDialogs()
		a.Show("trends")
	})
	time.Sleep(shotSettle)
	fyne.DoAndWait(func() { a.trends.onReport() })
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "trends-report"); err != nil {
		return err
	}
	fyne.DoAndWait(a.dismissDialogs)
	time.Sleep(shotSettle)
	return a.askShot(dir, "trends")
}

// dismissDialogs closes the dialogs on screen.
func (a *App) dismissDialogs() {
	ov := a.win.Canvas().Overlays()
	for top := ov.Top(); top != nil; top = ov.Top() {
		ov.Remove(top)
	}
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
