package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/store"
)

// trendsScreen charts one rep's calls over time: talk share, interruptions
// per 10 minutes and the listening score (dots coloured by verdict), each
// with its target band from the verdict settings.
type trendsScreen struct {
	app    *App
	rep    *widget.Select
	info   *widget.Label
	share  *trendChart
	inter  *trendChart
	score  *trendChart
	reuse  *trendChart // script reuse (repeats.go)
	points []store.TrendPoint

	content    fyne.CanvasObject
	reloadSeq  int
	onReloaded func()
}

func newTrendsScreen(a *App) *trendsScreen {
	t := &trendsScreen{app: a}
	t.rep = widget.NewSelect(nil, func(string) { t.loadTrend() })
	t.rep.PlaceHolder = "choose a rep"
	t.info = widget.NewLabel("")
	t.info.Wrapping = fyne.TextWrapWord
	t.share = newTrendChart("Rep talk share (%)")
	t.inter = newTrendChart("Rep interruptions per 10 min")
	t.score = newTrendChart("Listening score (colour: verdict)")
	t.reuse = newTrendChart("Script reuse (% of rep talk said in their recent calls)")
	reportBtn := widget.NewButtonWithIcon("Report…", theme.DocumentPrintIcon(), t.onReport) // share.go
	t.content = container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Rep"), reportBtn, t.rep), t.info),
		nil, nil, nil,
		container.NewGridWithRows(4, t.share, t.inter, t.score, t.reuse))
	return t
}

// reload refreshes the rep list and the chart shown.
func (t *trendsScreen) reload() {
	lib := t.app.lib
	if lib == nil {
		return
	}
	runAsync(func() {
		rs, err := lib.Reps(context.Background())
		fyne.Do(func() {
			if err != nil {
				t.app.showError("Could not list the reps", err)
				return
			}
			reps := repNames(rs)
			t.rep.Options = reps
			t.rep.Refresh()
			if t.rep.Selected == "" && len(reps) > 0 {
				t.rep.SetSelected(reps[0]) // loads the trend
				return
			}
			t.loadTrend()
		})
	})
}

func (t *trendsScreen) loadTrend() {
	lib, rep := t.app.lib, t.rep.Selected
	if lib == nil {
		return
	}
	vc := t.app.analysisConfig().Verdict
	t.reloadSeq++
	seq := t.reloadSeq
	if rep == "" {
		t.show(nil)
		return
	}
	runAsync(func() {
		pts, err := lib.Trend(context.Background(), rep, vc)
		fyne.Do(func() {
			if seq != t.reloadSeq {
				return
			}
			if err != nil {
				t.app.showError("Could not read "+rep+"'s trend", err)
				return
			}
			t.show(pts)
		})
	})
}

// show draws the points with the target bands of the verdict settings.
func (t *trendsScreen) show(pts []store.TrendPoint) {
	t.points = pts
	vc := t.app.analysisConfig().Verdict
	var share, inter, score, reuse []chartPoint
	doubt := 0
	for _, p := range pts {
		col := verdictColor(p.Verdict)
		if analysis.PartiesInDoubt(p.Warnings) != "" {
			// Swapped channels or a silent side: the "rep" figures may be
			// the customer's, or meaningless (Review and the Library hold
			// them back too).
			doubt++
			continue
		}
		share = append(share, chartPoint{p.At, p.TalkShare * 100, col})
		inter = append(inter, chartPoint{p.At, p.InterruptionsPer10Min, col})
		if p.Verdict != analysis.NoVerdict {
			score = append(score, chartPoint{p.At, float64(p.Score), col})
		}
		if p.ScriptReuse != nil {
			reuse = append(reuse, chartPoint{p.At, *p.ScriptReuse * 100, col})
		}
	}
	t.share.Set(share, 0, 100, 0, vc.RepTalkShare.Target, "target: under %.0f%%")
	maxI := max(vc.RepInterruptions.Worst, 1)
	for _, p := range inter {
		maxI = max(maxI, p.Y)
	}
	t.inter.Set(inter, 0, maxI, 0, vc.RepInterruptions.Target, "target: at most %.0f")
	t.score.Set(score, 0, 100, float64(vc.ListeningMin), 100, "listening: %.0f and up")
	t.reuse.Set(reuse, 0, 100, 0, vc.ScriptReuse.Target, "target: under %.0f%%")
	switch {
	case t.rep.Selected == "":
		t.info.SetText("Calls with a rep name appear here, one chart per figure.")
	case len(pts) == 0:
		t.info.SetText("No analysed calls for " + t.rep.Selected + " yet.")
	default:
		n := map[analysis.Verdict]int{}
		for _, p := range pts {
			n[p.Verdict]++
		}
		t.info.SetText(fmt.Sprintf("%d calls from %s to %s: %d listening, %d mixed, %d script-driven. The shaded band is the target.",
			len(pts), pts[0].At.Local().Format("2 Jan 2006"), pts[len(pts)-1].At.Local().Format("2 Jan 2006"),
			n[analysis.VerdictListening], n[analysis.VerdictMixed], n[analysis.VerdictScriptDriven]))
		if doubt > 0 {
			t.info.SetText(t.info.Text + fmt.Sprintf(" %d call%s left out of the charts: the channels look swapped or a side is silent, so whose figures they are is in doubt.",
				doubt, plural(doubt)))
		}
	}
}

// chartPoint is one dot of a trend chart.
type chartPoint struct {
	At  time.Time
	Y   float64
	Col color.Color
}

// trendChart is a small time chart: a line through the points, dots in
// their colours and a shaded target band.
type trendChart struct {
	widget.BaseWidget
	title          string
	pts            []chartPoint
	yMin, yMax     float64
	bandLo, bandHi float64
	bandFmt        string
}

func newTrendChart(title string) *trendChart {
	c := &trendChart{title: title, yMax: 1}
	c.ExtendBaseWidget(c)
	return c
}

// Set shows points on a y axis from yMin to yMax with the band [lo, hi]
// shaded and described by bandFmt (given the band's meaningful edge).
func (c *trendChart) Set(pts []chartPoint, yMin, yMax, lo, hi float64, bandFmt string) {
	c.pts, c.yMin, c.yMax, c.bandLo, c.bandHi, c.bandFmt = pts, yMin, yMax, lo, hi, bandFmt
	c.Refresh()
}

// chartInsets leave room for the labels around the plot.
const (
	chartLeft   = 44
	chartTop    = 22
	chartBottom = 18
)

func (c *trendChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.title = canvas.NewText(c.title, theme.Color(theme.ColorNameForeground))
	r.title.TextStyle.Bold = true
	r.band = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.band.TextSize = theme.CaptionTextSize()
	for i := range r.yLabels {
		r.yLabels[i] = canvas.NewText("", theme.Color(theme.ColorNameForeground))
		r.yLabels[i].TextSize = theme.CaptionTextSize()
		r.yLabels[i].Alignment = fyne.TextAlignTrailing
	}
	for i := range r.xLabels {
		r.xLabels[i] = canvas.NewText("", theme.Color(theme.ColorNameForeground))
		r.xLabels[i].TextSize = theme.CaptionTextSize()
	}
	r.raster = canvas.NewRaster(r.paint)
	return r
}

type chartRenderer struct {
	c       *trendChart
	title   *canvas.Text
	band    *canvas.Text
	yLabels [2]*canvas.Text
	xLabels [2]*canvas.Text
	raster  *canvas.Raster
	scale   float32
}

func (r *chartRenderer) Layout(s fyne.Size) {
	r.title.Move(fyne.NewPos(chartLeft, 2))
	tw := r.title.MinSize().Width
	r.band.Move(fyne.NewPos(chartLeft+tw+12, 5))
	r.raster.Move(fyne.NewPos(chartLeft, chartTop))
	plot := fyne.NewSize(max(s.Width-chartLeft-8, 1), max(s.Height-chartTop-chartBottom, 1))
	r.raster.Resize(plot)
	lh := r.yLabels[0].MinSize().Height
	r.yLabels[0].Move(fyne.NewPos(chartLeft-4, chartTop))
	r.yLabels[1].Move(fyne.NewPos(chartLeft-4, chartTop+plot.Height-lh))
	r.xLabels[0].Move(fyne.NewPos(chartLeft, chartTop+plot.Height+1))
	xw := r.xLabels[1].MinSize().Width
	r.xLabels[1].Move(fyne.NewPos(chartLeft+plot.Width-xw, chartTop+plot.Height+1))
}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 120) }

func (r *chartRenderer) Refresh() {
	c := r.c
	fg := theme.Color(theme.ColorNameForeground)
	for _, t := range []*canvas.Text{r.title, r.band, r.yLabels[0], r.yLabels[1], r.xLabels[0], r.xLabels[1]} {
		t.Color = fg
	}
	r.title.Text = c.title
	r.band.Text = ""
	if c.bandFmt != "" {
		edge := c.bandHi
		if c.bandHi >= c.yMax {
			edge = c.bandLo
		}
		r.band.Text = fmt.Sprintf(c.bandFmt, edge)
	}
	r.yLabels[0].Text = fmt.Sprintf("%.0f", c.yMax)
	r.yLabels[1].Text = fmt.Sprintf("%.0f", c.yMin)
	r.xLabels[0].Text, r.xLabels[1].Text = "", ""
	if len(c.pts) > 0 {
		r.xLabels[0].Text = c.pts[0].At.Local().Format("2 Jan 2006")
		r.xLabels[1].Text = c.pts[len(c.pts)-1].At.Local().Format("2 Jan 2006")
	} else {
		r.xLabels[0].Text = "no calls"
	}
	r.Layout(c.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *chartRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.raster, r.title, r.band, r.yLabels[0], r.yLabels[1], r.xLabels[0], r.xLabels[1]}
}

func (r *chartRenderer) Destroy() {}

func (r *chartRenderer) paint(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	dark := isDark()
	paintChart(img, r.c.pts, r.c.yMin, r.c.yMax, r.c.bandLo, r.c.bandHi, dark)
	return img
}

// isDark reports whether the current theme has a dark background.
func isDark() bool {
	c := color.NRGBAModel.Convert(theme.Color(theme.ColorNameBackground)).(color.NRGBA)
	return int(c.R)+int(c.G)+int(c.B) < 3*128
}

// paintChart draws the plot area: frame, target band, line and dots. Points
// are spread by time (evenly when they share one instant).
func paintChart(img *image.RGBA, pts []chartPoint, yMin, yMax, lo, hi float64, dark bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	frame := color.NRGBA{0, 0, 0, 0x40}
	band := color.NRGBA{0x2e, 0xa0, 0x4f, 0x30}
	line := color.NRGBA{0x40, 0x40, 0x40, 0xc0}
	if dark {
		frame = color.NRGBA{0xff, 0xff, 0xff, 0x40}
		band = color.NRGBA{0x3c, 0xd0, 0x80, 0x30}
		line = color.NRGBA{0xd0, 0xd0, 0xd0, 0xc0}
	}
	if yMax <= yMin {
		yMax = yMin + 1
	}
	yOf := func(v float64) int {
		f := (v - yMin) / (yMax - yMin)
		return int(float64(h-1) * (1 - min(max(f, 0), 1)))
	}
	fill(img, 0, yOf(hi), w, yOf(lo)+1, band)
	fill(img, 0, 0, w, 1, frame)
	fill(img, 0, h-1, w, h, frame)
	fill(img, 0, 0, 1, h, frame)
	if len(pts) == 0 {
		return
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	pad := 6
	xOf := func(i int) int {
		if len(pts) == 1 {
			return w / 2
		}
		var f float64
		if span := t1.Sub(t0); span > 0 {
			f = float64(pts[i].At.Sub(t0)) / float64(span)
		} else {
			f = float64(i) / float64(len(pts)-1)
		}
		return pad + int(f*float64(w-2*pad))
	}
	for i := 1; i < len(pts); i++ {
		drawLine(img, xOf(i-1), yOf(pts[i-1].Y), xOf(i), yOf(pts[i].Y), line)
	}
	rad := 4
	for i, p := range pts {
		x, y := xOf(i), yOf(p.Y)
		col := color.NRGBAModel.Convert(p.Col).(color.NRGBA)
		for dy := -rad; dy <= rad; dy++ {
			for dx := -rad; dx <= rad; dx++ {
				if dx*dx+dy*dy <= rad*rad {
					fill(img, x+dx, y+dy, x+dx+1, y+dy+1, col)
				}
			}
		}
	}
}

// drawLine draws a 2-pixel line (Bresenham).
func drawLine(img *image.RGBA, x0, y0, x1, y1 int, col color.NRGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		fill(img, x0, y0, x0+2, y0+2, col)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
