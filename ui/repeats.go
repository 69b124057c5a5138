package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/callflow"
)

// Repeated passages (issue 10): what of a call's rep speech the rep also
// said in other calls. Review marks them on the rep lane and lists them,
// each with a jump to the other calls at that moment; the Library has a
// script reuse column and Trends a chart of it; the app brings the
// library's fingerprints up to date when it starts.

// repeatColor is the mark of a repeated passage on the rep lane: violet,
// apart from every other colour of the timeline.
func repeatColor(dark bool) color.NRGBA {
	if dark {
		return color.NRGBA{0xc8, 0x8c, 0xff, 0xe0}
	}
	return color.NRGBA{0x8a, 0x2b, 0xd6, 0xd0}
}

// paintRepeats draws repeated passages as a band along the top of the rep
// lane (the strip above the speech segments).
func paintRepeats(img *image.RGBA, v View, repeats []Range, col color.NRGBA) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	y0, y1 := laneBounds(0, h)
	pad := (y1 - y0) / 5
	fw := float32(w)
	for _, r := range repeats {
		if r.End <= v.Start || r.Start >= v.End() {
			continue
		}
		x0, x1 := int(v.X(r.Start, fw)+0.5), int(v.X(r.End, fw)+0.5)
		fill(img, x0, y0+1, max(x1, x0+2), y0+pad-1, col)
	}
}

// SetRepeats shows the call's repeated passages on the rep lane.
func (t *Timeline) SetRepeats(rs []Range) {
	t.repeats = rs
	t.Refresh()
}

// passage is one stretch of this call said in one or more other calls.
type passage struct {
	Start, End time.Duration
	Others     []analysis.Repeat
}

// groupPassages joins the repeats (in order of start) whose stretches of
// this call overlap: one passage, said in several other calls.
func groupPassages(rs []analysis.Repeat) []passage {
	var out []passage
	for _, r := range rs {
		if n := len(out); n > 0 && r.Start.D() < out[n-1].End {
			p := &out[n-1]
			p.End = max(p.End, r.End.D())
			p.Others = append(p.Others, r)
			continue
		}
		out = append(out, passage{Start: r.Start.D(), End: r.End.D(), Others: []analysis.Repeat{r}})
	}
	return out
}

// passageLine is how a passage reads in Review's list.
func passageLine(p passage) string {
	n := map[int64]bool{}
	for _, o := range p.Others {
		n[o.Call] = true
	}
	calls := "1 other call"
	if len(n) != 1 {
		calls = fmt.Sprintf("%d other calls", len(n))
	}
	return fmt.Sprintf("%s–%s  also said in %s", fmtClock(p.Start), fmtClock(p.End), calls)
}

// maxJumps is how many other calls a passage offers a jump to; the rest
// are counted.
const maxJumps = 6

// repeatsPanel is Review's list of repeated passages.
type repeatsPanel struct {
	r     *reviewScreen
	box   *fyne.Container
	title *widget.Label
	list  *fyne.Container
	// passages shown (tests read them).
	passages []passage
}

func newRepeatsPanel(r *reviewScreen) *repeatsPanel {
	p := &repeatsPanel{r: r}
	p.title = widget.NewLabelWithStyle("Repeated passages", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.list = container.NewVBox()
	p.box = container.NewVBox(p.title, p.list, widget.NewSeparator())
	p.box.Hide()
	return p
}

// set shows a call's repeats (none: the panel hides).
func (p *repeatsPanel) set(rs []analysis.Repeat) {
	p.passages = groupPassages(rs)
	p.list.RemoveAll()
	var marks []Range
	for _, ps := range p.passages {
		marks = append(marks, Range{ps.Start, ps.End})
		ps := ps
		head := widget.NewButtonWithIcon(passageLine(ps), theme.MediaPlayIcon(), func() {
			p.r.seek(ps.Start)
			p.r.timeline.SetSelection(Range{ps.Start, ps.End})
			p.r.onSelect(Range{ps.Start, ps.End})
		})
		head.Alignment = widget.ButtonAlignLeading
		head.Importance = widget.LowImportance
		jumps := container.NewHBox()
		for i, o := range ps.Others {
			if i == maxJumps {
				jumps.Add(widget.NewLabel(fmt.Sprintf("and %d more", len(ps.Others)-maxJumps)))
				break
			}
			o := o
			b := widget.NewButton(fmt.Sprintf("Call %d at %s", o.Call, fmtClock(o.OtherStart.D())), func() {
				p.r.app.OpenCall(o.Call, o.OtherStart.D())
			})
			jumps.Add(b)
		}
		p.list.Add(head)
		p.list.Add(container.NewHScroll(jumps))
	}
	p.r.timeline.SetRepeats(marks)
	if len(p.passages) == 0 {
		p.box.Hide()
		return
	}
	p.title.SetText(fmt.Sprintf("Repeated passages: %d (violet on the rep lane)", len(p.passages)))
	p.box.Show()
}

// loadRepeats reads the open call's repeats in the background.
func (r *reviewScreen) loadRepeats(seq int) {
	id := r.call.ID
	lib := r.app.lib
	runAsync(func() {
		rs, err := lib.Repeats(context.Background(), id)
		fyne.Do(func() {
			if seq != r.loadSeq {
				return
			}
			if err != nil {
				r.app.showError("Could not read this call's repeated passages", err)
				return
			}
			r.repeats.set(rs)
		})
	})
}

// updateRepeats brings the library's fingerprints and repeated passages up
// to date in the background (a library from before them, calls the
// command line filed), saying how far it has come in the status bar, and
// reloads the screens that show them when it is done.
func (a *App) updateRepeats() {
	if a.lib == nil {
		return
	}
	lib := a.lib
	runAsync(func() {
		last := time.Time{}
		err := callflow.UpdateRepeats(context.Background(), lib, func(done, total int) {
			if total == 0 || (done < total && time.Since(last) < 250*time.Millisecond) {
				return
			}
			last = time.Now()
			msg := fmt.Sprintf("Matching repeated passages across your calls: %d of %d…", done, total)
			if done == total {
				msg = fmt.Sprintf("Repeated passages matched across %d calls.", total)
			}
			fyne.Do(func() { a.notify(msg) })
		})
		fyne.Do(func() {
			if err != nil {
				a.showError("Could not match the repeated passages across the calls", err)
				return
			}
			a.library.reload()
			a.trends.reload()
			if c := a.review.call; c != nil && c.ID > 0 {
				a.review.loadRepeats(a.review.loadSeq)
			}
		})
	})
}

// reuseCell is the Library's script reuse column.
func reuseCell(share *float64) string {
	if share == nil {
		return "—"
	}
	return fmtPct(*share)
}
