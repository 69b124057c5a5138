package ui

import (
	"image"
	"image/color"
	"time"

	"callcoach/analysis"
)

// palette holds the timeline's colours for one theme variant. Segment and
// marker colours are chosen to read on both light and dark backgrounds.
type palette struct {
	laneBG, laneAltBG, wave      color.NRGBA
	rep, customer, unattributed  color.NRGBA
	overlap, silence             color.NRGBA
	repInterrupt, custInterr     color.NRGBA
	backchannel, grid, selection color.NRGBA
	mark                         color.NRGBA
}

func lightPalette() palette {
	return palette{
		laneBG:       color.NRGBA{0xf2, 0xf4, 0xf8, 0xff},
		laneAltBG:    color.NRGBA{0xea, 0xf3, 0xec, 0xff},
		wave:         color.NRGBA{0x60, 0x68, 0x78, 0x70},
		rep:          color.NRGBA{0x1f, 0x6f, 0xd1, 0xa0},
		customer:     color.NRGBA{0x1a, 0x9a, 0x5a, 0xa0},
		unattributed: color.NRGBA{0x7a, 0x5a, 0xc8, 0xa0},
		overlap:      color.NRGBA{0xe0, 0x40, 0xa0, 0x50},
		silence:      color.NRGBA{0x90, 0x90, 0x90, 0x40},
		repInterrupt: color.NRGBA{0xd0, 0x20, 0x20, 0xff},
		custInterr:   color.NRGBA{0xe0, 0x80, 0x00, 0xff},
		backchannel:  color.NRGBA{0x30, 0x30, 0x30, 0xc0},
		grid:         color.NRGBA{0x00, 0x00, 0x00, 0x20},
		selection:    color.NRGBA{0x30, 0x80, 0xff, 0x40},
		mark:         color.NRGBA{0xc0, 0x90, 0x00, 0xff},
	}
}

func darkPalette() palette {
	return palette{
		laneBG:       color.NRGBA{0x26, 0x2a, 0x33, 0xff},
		laneAltBG:    color.NRGBA{0x22, 0x2e, 0x28, 0xff},
		wave:         color.NRGBA{0xb0, 0xb8, 0xc8, 0x60},
		rep:          color.NRGBA{0x4a, 0x9a, 0xff, 0xb0},
		customer:     color.NRGBA{0x3c, 0xd0, 0x80, 0xb0},
		unattributed: color.NRGBA{0xa8, 0x8a, 0xff, 0xb0},
		overlap:      color.NRGBA{0xff, 0x60, 0xc0, 0x60},
		silence:      color.NRGBA{0xa0, 0xa0, 0xa0, 0x30},
		repInterrupt: color.NRGBA{0xff, 0x50, 0x50, 0xff},
		custInterr:   color.NRGBA{0xff, 0xb0, 0x30, 0xff},
		backchannel:  color.NRGBA{0xe0, 0xe0, 0xe0, 0xc0},
		grid:         color.NRGBA{0xff, 0xff, 0xff, 0x20},
		selection:    color.NRGBA{0x50, 0xa0, 0xff, 0x50},
		mark:         color.NRGBA{0xff, 0xd0, 0x40, 0xff},
	}
}

// laneBounds returns the vertical pixel extent [y0, y1) of the rep (0) or
// customer (1) lane in an image h pixels high.
func laneBounds(lane, h int) (y0, y1 int) {
	gap := max(2, h/60)
	half := (h - gap) / 2
	if lane == 0 {
		return 0, half
	}
	return half + gap, h
}

// paintTimeline draws the call into img: lane backgrounds, the waveform of
// each channel behind, speech segments, overlaps, long silences,
// backchannels and interruption markers, for the stretch of time v shows.
// It is plain image code so that tests can check pixels.
func paintTimeline(img *image.RGBA, v View, res *analysis.Result, env *Envelope, marks []Range, pal palette) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	clear(img.Pix)
	for lane := range 2 {
		y0, y1 := laneBounds(lane, h)
		bg := pal.laneBG
		if lane == 1 {
			bg = pal.laneAltBG
		}
		fill(img, 0, y0, w, y1, bg)
	}
	fw := float32(w)
	xOf := func(t time.Duration) int { return int(v.X(t, fw) + 0.5) }

	// Grid lines at the tick step.
	step := TickStep(v.Span, max(1, w/140))
	for t := (v.Start + step - 1) / step * step; t < v.End(); t += step {
		x := xOf(t)
		fill(img, x, 0, x+1, h, pal.grid)
	}

	// Overlaps: both lanes shaded where both parties speak, under the
	// waveform and the segments so that those keep their colours.
	if res != nil {
		var rep, cust []analysis.Segment
		for _, s := range res.Segments {
			switch s.Speaker {
			case analysis.Rep:
				rep = append(rep, s)
			case analysis.Customer:
				cust = append(cust, s)
			}
		}
		for _, o := range Overlaps(rep, cust) {
			if o.End <= v.Start || o.Start >= v.End() {
				continue
			}
			x0, x1 := xOf(o.Start), xOf(o.End)
			fill(img, x0, 0, max(x1, x0+1), h, pal.overlap)
		}
	}

	// Waveform behind: channel 0 in the rep lane, channel 1 in the customer
	// lane (a mono file shows its one channel in both).
	if env != nil && env.Buckets() > 0 {
		for lane := range 2 {
			ch := min(lane, env.Channels-1)
			if res != nil && lane == 0 && res.Channels.Rep == "right" {
				ch = min(1, env.Channels-1)
			} else if res != nil && lane == 1 && res.Channels.Customer == "left" {
				ch = 0
			}
			y0, y1 := laneBounds(lane, h)
			mid, amp := float32(y0+y1)/2, float32(y1-y0)/2*0.95
			for x := range w {
				lo, hi := env.Peak(ch, v.T(float32(x), fw), v.T(float32(x+1), fw))
				if hi < lo {
					continue
				}
				ya, yb := int(mid-hi*amp), int(mid-lo*amp)+1
				fill(img, x, max(ya, y0), x+1, min(yb, y1), pal.wave)
			}
		}
	}
	if res == nil {
		return
	}

	visible := func(s, e time.Duration) bool { return e > v.Start && s < v.End() }

	// Speech segments: a band across the middle of the party's lane.
	for _, s := range res.Segments {
		if !visible(s.Start.D(), s.End.D()) {
			continue
		}
		lane, col := 0, pal.rep
		switch s.Speaker {
		case analysis.Customer, analysis.Speaker2:
			lane, col = 1, pal.customer
		case analysis.Unattributed:
			col = pal.unattributed
		}
		y0, y1 := laneBounds(lane, h)
		pad := (y1 - y0) / 5
		x0, x1 := xOf(s.Start.D()), xOf(s.End.D())
		if s.Speaker == analysis.Unattributed {
			// Speech whose speaker is not known: one band across both
			// lanes, in its own colour (not "both at once").
			_, y1 = laneBounds(1, h)
		}
		fill(img, x0, y0+pad, max(x1, x0+1), y1-pad, col)
	}

	// Long silences: a grey wash with a dashed top and bottom edge.
	for _, s := range res.LongSilences {
		if !visible(s.Start.D(), s.End.D()) {
			continue
		}
		x0, x1 := xOf(s.Start.D()), xOf(s.End.D())
		fill(img, x0, 0, x1, h, pal.silence)
		for x := x0; x < x1; x += 6 {
			fill(img, x, 0, min(x+3, x1), 2, pal.silence)
			fill(img, x, h-2, min(x+3, x1), h, pal.silence)
		}
	}

	// Backchannels: a short tick at the bottom of the speaker's lane.
	for _, bc := range res.Backchannels {
		t := bc.At.D()
		if !visible(t, t+bc.Duration.D()+1) {
			continue
		}
		lane := 0
		if bc.By == analysis.Customer || bc.By == analysis.Speaker2 {
			lane = 1
		}
		y0, y1 := laneBounds(lane, h)
		x := xOf(t)
		fill(img, x, y1-(y1-y0)/4, x+2, y1, pal.backchannel)
	}

	// Annotations: a gold bar along the bottom edge (a point gets a short
	// one), so a coach sees what has been marked.
	mh := max(3, h/40)
	for _, m := range marks {
		if !visible(m.Start, m.End+1) {
			continue
		}
		x0, x1 := xOf(m.Start), xOf(m.End)
		fill(img, x0, h-mh, max(x1, x0+3), h, pal.mark)
	}

	// Interruptions: a line through both lanes and a triangle at the top of
	// the interrupter's lane, red for the rep, orange for the customer.
	tri := max(5, h/14)
	for _, in := range res.Interruptions {
		t := in.At.D()
		if !visible(t, t+1) {
			continue
		}
		col, lane := pal.repInterrupt, 0
		if in.By == analysis.Customer {
			col, lane = pal.custInterr, 1
		}
		x := xOf(t)
		fill(img, x-1, 0, x+1, h, col)
		y0, _ := laneBounds(lane, h)
		for i := range tri {
			fill(img, x-tri+i, y0+i, x+tri-i, y0+i+1, col)
		}
	}
}

// fill blends col over the rectangle [x0,x1)×[y0,y1) of img. It writes
// the pixels directly: the timeline makes thousands of small fills per
// paint, and draw.Draw with an image.Uniform allocates for each.
func fill(img *image.RGBA, x0, y0, x1, y1 int, col color.NRGBA) {
	r := image.Rect(x0, y0, x1, y1).Intersect(img.Bounds())
	if r.Empty() || col.A == 0 {
		return
	}
	a := uint32(col.A)
	// Premultiplied source, as image.RGBA stores colours.
	sr, sg, sb := uint32(col.R)*a/255, uint32(col.G)*a/255, uint32(col.B)*a/255
	ia := 255 - a
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		row := img.Pix[i : i+4*r.Dx() : i+4*r.Dx()]
		for j := 0; j < len(row); j += 4 {
			p := row[j : j+4 : j+4]
			if a == 255 {
				p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
				continue
			}
			p[0] = uint8(sr + uint32(p[0])*ia/255)
			p[1] = uint8(sg + uint32(p[1])*ia/255)
			p[2] = uint8(sb + uint32(p[2])*ia/255)
			p[3] = uint8(a + uint32(p[3])*ia/255)
		}
	}
}

// Interval is a stretch of time.
type Interval struct{ Start, End time.Duration }

// Overlaps returns the stretches where a segment of a and one of b both run.
// Both lists must be in time order.
func Overlaps(a, b []analysis.Segment) []Interval {
	var out []Interval
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		s := max(a[i].Start.D(), b[j].Start.D())
		e := min(a[i].End.D(), b[j].End.D())
		if e > s {
			out = append(out, Interval{s, e})
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}
