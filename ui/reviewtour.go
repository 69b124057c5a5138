package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
)

// ReviewShot is what the app's own widget tree held when a ReviewTour
// screenshot was taken: whether the warnings banner was on screen, where,
// what it said, and where the timeline and the figures were (window
// coordinates), so a test of the real window can check the banner is
// there, above the timeline, and not just somewhere in memory.
type ReviewShot struct {
	CallID         int64    `json:"call_id"`
	Banner         bool     `json:"banner"`
	BannerMessages []string `json:"banner_messages"`
	BannerTop      float32  `json:"banner_top"`
	BannerBottom   float32  `json:"banner_bottom"`
	BannerWidth    float32  `json:"banner_width"`
	SwapButton     bool     `json:"swap_button"`
	TimelineTop    float32  `json:"timeline_top"`
	Verdict        string   `json:"verdict"`
	Figures        []string `json:"figures"`
	// WindowWidth is the window's content width; MinWidths each screen's
	// narrowest (the window cannot be narrower than the widest of them).
	WindowWidth float32            `json:"window_width"`
	MinWidths   map[string]float32 `json:"min_widths"`
}

// ReviewTour shows the Library (a screenshot: dir/library-warnings.png),
// then opens each call in Review in turn and, once its waveform is
// in, asks for a screenshot of the real screen (dir/review-ID.png, as
// Screenshots does) after writing dir/review-ID.json, a ReviewShot of the
// widget tree at that moment. Then it calls done.
func (a *App) ReviewTour(dir string, ids []int64, done func(error)) {
	go func() { done(a.reviewTour(dir, ids)) }()
}

func (a *App) reviewTour(dir string, ids []int64) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	time.Sleep(shotSettle)
	fyne.DoAndWait(func() { a.Show("library") })
	if !waitUI(20*time.Second, func() bool { return len(a.library.rows) >= len(ids) }) {
		return fmt.Errorf("the Library did not list the %d calls within 20 s", len(ids))
	}
	time.Sleep(shotSettle)
	if err := a.askShot(dir, "library-warnings"); err != nil {
		return err
	}
	for _, id := range ids {
		opened := make(chan struct{})
		fyne.DoAndWait(func() {
			a.review.onEnvelope = func() { close(opened); a.review.onEnvelope = nil }
			a.OpenCall(id, 0)
		})
		select {
		case <-opened:
		case <-time.After(30 * time.Second):
			return fmt.Errorf("call %d did not open within 30 s", id)
		}
		time.Sleep(shotSettle)
		var shot ReviewShot
		fyne.DoAndWait(func() { shot = a.review.shot() })
		if shot.CallID != id {
			return fmt.Errorf("Review shows call %d, not %d", shot.CallID, id)
		}
		b, err := json.MarshalIndent(shot, "", "  ")
		if err != nil {
			return err
		}
		name := fmt.Sprintf("review-%d", id)
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o600); err != nil {
			return err
		}
		if err := a.askShot(dir, name); err != nil {
			return err
		}
	}
	return nil
}

// shot reads the Review screen's widget tree (on the UI goroutine).
func (r *reviewScreen) shot() ReviewShot {
	var s ReviewShot
	if r.call == nil {
		return s
	}
	s.CallID = r.call.ID
	s.Verdict = r.verdict.Text
	if r.call.Result != nil {
		for _, f := range figureRows(r.call.Result) {
			s.Figures = append(s.Figures, f.name+": "+f.value)
		}
	}
	a := r.app
	s.WindowWidth = a.win.Canvas().Size().Width
	s.MinWidths = map[string]float32{"library": a.library.content.MinSize().Width, "review": r.content.MinSize().Width,
		"record": a.record.content.MinSize().Width, "window": a.win.Content().MinSize().Width}
	driver := fyne.CurrentApp().Driver()
	s.TimelineTop = driver.AbsolutePositionForObject(r.timeline).Y
	box := r.warnings.box
	if box.Visible() && isShown(box) {
		s.Banner = true
		s.BannerMessages = r.warnings.messages
		top := driver.AbsolutePositionForObject(box).Y
		s.BannerTop, s.BannerBottom, s.BannerWidth = top, top+box.Size().Height, box.Size().Width
		s.SwapButton = r.warnings.swap != nil && r.warnings.swap.Visible()
	}
	return s
}

// isShown reports whether o has a size to be seen at.
func isShown(o fyne.CanvasObject) bool {
	sz := o.Size()
	return sz.Width > 0 && sz.Height > 0
}
