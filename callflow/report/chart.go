package report

import (
	"math"
	"strconv"
	"time"
)

// chartPoint is one call on a trend chart.
type chartPoint struct {
	at  time.Time
	y   float64
	col Color
}

// trendChart draws a rep's figure over time, as the app's Trends screen
// does: the target band shaded, a line through the calls, each call a dot
// in its verdict's colour.
type trendChart struct {
	title          string
	pts            []chartPoint
	yMin, yMax     float64
	bandLo, bandHi float64
	bandText       string // "target: under 55%"
	from, to       time.Time
}

const (
	chW      = 180.0
	chH      = 46.0
	chLeft   = 14.0
	chTop    = 7.0
	chBottom = 6.0
	chRight  = 3.0
)

func (c trendChart) picture() *Picture {
	p := NewPicture(chW, chH)
	p.Text(0, 4, c.title, 3.4, true, AnchorStart, colText)
	p.Text(chW, 4, c.bandText, 2.8, false, AnchorEnd, "#2c7a44")
	x0, x1 := chLeft, chW-chRight
	y0, y1 := chTop, chH-chBottom
	if c.yMax <= c.yMin {
		c.yMax = c.yMin + 1
	}
	y := func(v float64) float64 {
		v = math.Min(math.Max(v, c.yMin), c.yMax)
		return y1 - (y1-y0)*(v-c.yMin)/(c.yMax-c.yMin)
	}
	from, to := c.from, c.to
	if !to.After(from) {
		from, to = from.Add(-12*time.Hour), from.Add(12*time.Hour)
	}
	x := func(t time.Time) float64 {
		return x0 + (x1-x0)*float64(t.Sub(from))/float64(to.Sub(from))
	}
	p.Rect(x0, y0, x1-x0, y1-y0, "#fafbfc", colGrid)
	lo, hi := math.Max(c.bandLo, c.yMin), math.Min(c.bandHi, c.yMax)
	if hi > lo {
		p.Rect(x0, y(hi), x1-x0, y(lo)-y(hi), colBandTarget, "")
	}
	for _, v := range []float64{c.yMin, (c.yMin + c.yMax) / 2, c.yMax} {
		p.Line(x0, y(v), x1, y(v), colGrid, 0.12, false)
		p.Text(x0-1.2, y(v)+0.9, strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64), 2.5, false, AnchorEnd, colMuted)
	}
	// Dates: the period's ends, and the middle when there is room.
	p.Text(x0, chH-1.5, from.Local().Format("2 Jan 2006"), 2.5, false, AnchorStart, colMuted)
	p.Text(x1, chH-1.5, to.Local().Format("2 Jan 2006"), 2.5, false, AnchorEnd, colMuted)
	if to.Sub(from) > 48*time.Hour {
		mid := from.Add(to.Sub(from) / 2)
		p.Text((x0+x1)/2, chH-1.5, mid.Local().Format("2 Jan"), 2.5, false, AnchorMiddle, colMuted)
	}
	if len(c.pts) == 0 {
		p.Text((x0+x1)/2, (y0+y1)/2, "no calls to chart", 3, false, AnchorMiddle, colMuted)
		return p
	}
	if len(c.pts) > 1 {
		line := make([]float64, 0, 2*len(c.pts))
		for _, pt := range c.pts {
			line = append(line, x(pt.at), y(pt.y))
		}
		p.Poly(line, "", "#7b8494", 0.3)
	}
	r := 0.9
	if len(c.pts) > 120 {
		r = 0.55 // hundreds of calls: smaller dots, so the line still reads
	}
	for _, pt := range c.pts {
		p.Dot(x(pt.at), y(pt.y), r, pt.col)
	}
	return p
}
