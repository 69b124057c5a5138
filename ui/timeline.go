package ui

import (
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
)

// Timeline draws a call as two lanes (rep above, customer below) over time,
// with the waveform behind the speech segments, overlaps shaded and
// interruptions, backchannels and long silences marked. Tap to seek (a tap on
// an interruption marker jumps to it), drag to select a range, scroll to zoom.
//
// The heavy drawing is one raster repainted only when the view, the call or
// the theme changes; the playhead and the selection are separate light
// objects, so moving them at 30 Hz costs almost nothing.
type Timeline struct {
	widget.BaseWidget

	// OnSeek is called with the time the user tapped (or the interruption's
	// time when the tap hit one).
	OnSeek func(time.Duration)
	// OnInterruption is called (instead of OnSeek) with the index of an
	// interruption marker the user tapped.
	OnInterruption func(int)
	// OnSelect is called when a drag selects a range (and with an empty
	// Range when a tap clears it).
	OnSelect func(Range)
	// OnViewChange is called after zooming or scrolling.
	OnViewChange func(View)

	res      *analysis.Result
	env      *Envelope
	view     View
	playhead time.Duration
	sel      Range
	marks    []Range
	repeats  []Range // repeated passages (repeats.go)

	dragging  bool
	dragStart time.Duration
	renderer  *timelineRenderer
}

// markerTolerance is how near (in Fyne units) a tap must land to an
// interruption marker to hit it.
const markerTolerance = 6

// NewTimeline returns an empty timeline.
func NewTimeline() *Timeline {
	t := &Timeline{view: FullView(time.Minute)}
	t.ExtendBaseWidget(t)
	return t
}

// SetCall shows a call: its analysis and, when known, its waveform envelope
// (which may arrive later through SetEnvelope). The view resets to the whole
// call and the selection clears.
func (t *Timeline) SetCall(res *analysis.Result, env *Envelope) {
	t.res, t.env = res, env
	total := time.Minute
	if res != nil && res.Duration > 0 {
		total = res.Duration.D()
	} else if env != nil {
		total = env.Duration
	}
	t.view = FullView(total)
	t.sel = Range{}
	t.playhead = 0
	t.Refresh()
}

// SetEnvelope adds the waveform once it has been read.
func (t *Timeline) SetEnvelope(env *Envelope) {
	t.env = env
	t.Refresh()
}

// SetMarks shows the annotated ranges along the timeline.
func (t *Timeline) SetMarks(marks []Range) {
	t.marks = marks
	t.Refresh()
}

// View returns the stretch of time shown.
func (t *Timeline) View() View { return t.view }

// SetView shows another stretch of time.
func (t *Timeline) SetView(v View) {
	t.view = v.clamp()
	t.Refresh()
	if t.OnViewChange != nil {
		t.OnViewChange(t.view)
	}
}

// Zoom narrows (factor < 1) or widens the view around the playhead.
func (t *Timeline) Zoom(factor float64) {
	anchor := t.playhead
	if anchor < t.view.Start || anchor > t.view.End() {
		anchor = t.view.Start + t.view.Span/2
	}
	t.SetView(t.view.Zoom(factor, anchor))
}

// Selection returns the selected range (empty when none).
func (t *Timeline) Selection() Range { return t.sel }

// SetSelection selects a range (an empty Range clears it).
func (t *Timeline) SetSelection(r Range) {
	t.sel = r
	t.Refresh()
}

// Playhead returns the playhead's time.
func (t *Timeline) Playhead() time.Duration { return t.playhead }

// SetPlayhead moves the playhead, scrolling the view to keep it visible. It
// only repositions the line unless the view has to move.
func (t *Timeline) SetPlayhead(at time.Duration) {
	t.playhead = clampDur(at, 0, t.view.Total)
	if nv := t.view.Follow(t.playhead); nv != t.view {
		t.SetView(nv)
		return
	}
	if r := t.renderer; r != nil {
		r.layoutOverlays(t.Size())
		canvas.Refresh(r.playhead)
		return
	}
	t.Refresh()
}

// Tapped seeks, or jumps to a tapped interruption.
func (t *Timeline) Tapped(ev *fyne.PointEvent) {
	w := t.Size().Width
	if t.res != nil {
		if i := HitInterruption(t.res.Interruptions, t.view, w, ev.Position.X, markerTolerance); i >= 0 {
			if t.OnInterruption != nil {
				t.OnInterruption(i)
			} else {
				t.seek(t.res.Interruptions[i].At.D())
			}
			return
		}
	}
	if !t.sel.Empty() {
		t.sel = Range{}
		if t.OnSelect != nil {
			t.OnSelect(t.sel)
		}
	}
	t.seek(t.view.T(ev.Position.X, w))
}

func (t *Timeline) seek(at time.Duration) {
	t.SetPlayhead(at)
	if t.OnSeek != nil {
		t.OnSeek(at)
	}
	t.Refresh()
}

// Dragged extends the selection from where the drag began.
func (t *Timeline) Dragged(ev *fyne.DragEvent) {
	w := t.Size().Width
	if !t.dragging {
		t.dragging = true
		t.dragStart = t.view.T(ev.Position.X-ev.Dragged.DX, w)
	}
	t.sel = RangeBetween(t.dragStart, t.view.T(ev.Position.X, w), t.view.Total)
	t.Refresh()
}

// DragEnd finishes the selection; a very short drag selects nothing.
func (t *Timeline) DragEnd() {
	t.dragging = false
	if t.sel.Len() < MinSelection {
		t.sel = Range{}
	}
	t.Refresh()
	if t.OnSelect != nil {
		t.OnSelect(t.sel)
	}
}

// Scrolled zooms with the vertical wheel (around the pointer) and scrolls
// with the horizontal one.
func (t *Timeline) Scrolled(ev *fyne.ScrollEvent) {
	w := t.Size().Width
	switch {
	case ev.Scrolled.DY > 0:
		t.SetView(t.view.Zoom(0.8, t.view.T(ev.Position.X, w)))
	case ev.Scrolled.DY < 0:
		t.SetView(t.view.Zoom(1.25, t.view.T(ev.Position.X, w)))
	case ev.Scrolled.DX != 0:
		t.SetView(t.view.Scroll(-time.Duration(float64(ev.Scrolled.DX) / float64(w) * float64(t.view.Span))))
	}
}

// MinSize keeps the lanes tall enough to read.
func (t *Timeline) MinSize() fyne.Size { return fyne.NewSize(320, 150) }

// CreateRenderer builds the raster and overlays.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t}
	r.raster = canvas.NewRaster(r.paint)
	r.playhead = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.playhead.StrokeWidth = 2
	r.sel = canvas.NewRectangle(color.NRGBA{0x30, 0x80, 0xff, 0x40})
	r.sel.StrokeColor = color.NRGBA{0x30, 0x80, 0xff, 0xc0}
	r.sel.StrokeWidth = 1
	r.repLabel = canvas.NewText("Rep", theme.Color(theme.ColorNameForeground))
	r.custLabel = canvas.NewText("Customer", theme.Color(theme.ColorNameForeground))
	for _, l := range []*canvas.Text{r.repLabel, r.custLabel} {
		l.TextStyle.Bold = true
		l.TextSize = theme.CaptionTextSize()
	}
	t.renderer = r
	return r
}

type timelineRenderer struct {
	t                   *Timeline
	raster              *canvas.Raster
	playhead            *canvas.Line
	sel                 *canvas.Rectangle
	repLabel, custLabel *canvas.Text
	ticks               []*canvas.Text
	img                 *image.RGBA
}

// axisHeight is the band above the lanes that holds the time labels.
func axisHeight() float32 { return theme.CaptionTextSize() + 4 }

func (r *timelineRenderer) paint(w, h int) image.Image {
	if r.img == nil || r.img.Bounds().Dx() != w || r.img.Bounds().Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	pal := lightPalette()
	if isDark() {
		pal = darkPalette()
	}
	paintTimeline(r.img, r.t.view, r.t.res, r.t.env, r.t.marks, pal)
	paintRepeats(r.img, r.t.view, r.t.repeats, repeatColor(isDark()))
	return r.img
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	ah := axisHeight()
	r.raster.Move(fyne.NewPos(0, ah))
	r.raster.Resize(fyne.NewSize(size.Width, size.Height-ah))
	lanesH := size.Height - ah
	r.repLabel.Move(fyne.NewPos(4, ah+2))
	r.custLabel.Move(fyne.NewPos(4, ah+lanesH/2+3))
	r.layoutTicks(size)
	r.layoutOverlays(size)
}

func (r *timelineRenderer) layoutTicks(size fyne.Size) {
	v := r.t.view
	step := TickStep(v.Span, max(1, int(size.Width/140)))
	n := 0
	for at := (v.Start + step - 1) / step * step; at < v.End(); at += step {
		if n == len(r.ticks) {
			tx := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			tx.TextSize = theme.CaptionTextSize()
			r.ticks = append(r.ticks, tx)
		}
		tx := r.ticks[n]
		tx.Text = fmtClock(at)
		tx.Color = theme.Color(theme.ColorNameForeground)
		x := v.X(at, size.Width)
		tx.Move(fyne.NewPos(x+2, 0))
		tx.Show()
		tx.Refresh()
		n++
	}
	for _, tx := range r.ticks[n:] {
		tx.Hide()
	}
}

func (r *timelineRenderer) layoutOverlays(size fyne.Size) {
	v := r.t.view
	ah := axisHeight()
	x := v.X(r.t.playhead, size.Width)
	r.playhead.Position1 = fyne.NewPos(x, ah-2)
	r.playhead.Position2 = fyne.NewPos(x, size.Height)
	if r.t.sel.Empty() {
		r.sel.Hide()
	} else {
		x0 := max(0, v.X(r.t.sel.Start, size.Width))
		x1 := min(size.Width, v.X(r.t.sel.End, size.Width))
		r.sel.Move(fyne.NewPos(x0, ah))
		r.sel.Resize(fyne.NewSize(max(1, x1-x0), size.Height-ah))
		r.sel.Show()
	}
}

func (r *timelineRenderer) MinSize() fyne.Size { return r.t.MinSize() }

func (r *timelineRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	r.playhead.StrokeColor = fg
	r.repLabel.Color, r.custLabel.Color = fg, fg
	switch res := r.t.res; {
	case res != nil && res.Diarization != nil && res.Diarization.Rep == 0:
		r.repLabel.Text, r.custLabel.Text = "Voice 1", "Voice 2"
	case res != nil && res.Diarization != nil:
		r.repLabel.Text, r.custLabel.Text = "Rep (one channel)", "Customer (one channel)"
	case res != nil && len(res.SegmentsOf(analysis.Unattributed)) > 0:
		r.repLabel.Text, r.custLabel.Text = "Both (mono)", ""
	default:
		r.repLabel.Text, r.custLabel.Text = "Rep", "Customer"
	}
	r.Layout(r.t.Size())
	r.raster.Refresh()
	r.repLabel.Refresh()
	r.custLabel.Refresh()
	r.playhead.Refresh()
	r.sel.Refresh()
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.raster, r.repLabel, r.custLabel, r.sel, r.playhead}
	for _, tx := range r.ticks {
		objs = append(objs, tx)
	}
	return objs
}

func (r *timelineRenderer) Destroy() {}
