package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"callcoach/analysis"
)

// The timeline picture: the call in rows of a few minutes, each row two
// lanes (rep above, customer below; one "speech" lane for a mono call)
// over a time axis, with a strip above for the annotations. Everything
// drawn on it is a Mark of some MarkKind; a new kind of mark is a
// MarkKind (its legend and how it draws) and a source in markSources
// that finds its marks in the call.

// Lane says where on a row a mark goes.
type Lane uint8

// The lanes of a timeline row.
const (
	LaneRep      Lane = iota // the rep's lane
	LaneCustomer             // the customer's lane
	LaneSpeech               // a mono call's one lane
	LaneBoth                 // across the speech lanes
	LaneNotes                // the strip above the lanes
)

// Mark is one thing drawn on the timeline: a span (End > Start) or a
// moment (End == Start).
type Mark struct {
	Kind       *MarkKind
	Start, End time.Duration
	Lane       Lane
	// Label is printed with the mark where the kind prints labels (the
	// annotation's number).
	Label string
	// Level stacks overlapping marks of the notes strip (0 = top row).
	Level int
}

// MarkKind is one kind of mark: how it reads in the legend and how it
// draws. Layer orders drawing (low first: washes under speech under
// events).
type MarkKind struct {
	Legend string
	Layer  int
	// Swatch draws the legend's sample in a 5 × 3 mm box at x, y.
	Swatch func(p *Picture, x, y float64)
	// Draw draws m on row g, m already clipped to the row.
	Draw func(p *Picture, g *row, m Mark)
}

// The palette: opaque, print-friendly, close to the app's lanes.
const (
	colRep        Color = "#3b7dd8"
	colCustomer   Color = "#2fa36b"
	colMixed      Color = "#8a6fd1"
	colOverlap    Color = "#f6c4df"
	colSilence    Color = "#e3e3e3"
	colRepCut     Color = "#d02020"
	colCustCut    Color = "#e08000"
	colBackch     Color = "#333333"
	colNote       Color = "#b8860b"
	colRead       Color = "#7a3fb0"
	colRepeat     Color = "#0f8f8f"
	colLaneBG     Color = "#f3f5f9"
	colGrid       Color = "#c9ced8"
	colText       Color = "#222222"
	colMuted      Color = "#666666"
	colBandTarget Color = "#dff2e4"
)

func box(fill Color) func(p *Picture, x, y float64) {
	return func(p *Picture, x, y float64) { p.Rect(x, y, 5, 3, fill, "") }
}

// Mark kinds.
var (
	kindSilence = &MarkKind{Legend: "long silence", Layer: 0, Swatch: box(colSilence),
		Draw: func(p *Picture, g *row, m Mark) {
			y0, y1 := g.bothSpan()
			p.Rect(g.x(m.Start), y0, g.x(m.End)-g.x(m.Start), y1-y0, colSilence, "")
		}}
	kindOverlap = &MarkKind{Legend: "both at once", Layer: 1, Swatch: box(colOverlap),
		Draw: func(p *Picture, g *row, m Mark) {
			y0, y1 := g.bothSpan()
			p.Rect(g.x(m.Start), y0, g.x(m.End)-g.x(m.Start), y1-y0, colOverlap, "")
		}}
	kindRepSpeech      = speechKind("rep speaks", colRep)
	kindCustomerSpeech = speechKind("customer speaks", colCustomer)
	kindMixedSpeech    = speechKind("speech (one mixed channel)", colMixed)
	kindRead           = &MarkKind{Legend: "sounds read", Layer: 3,
		Swatch: func(p *Picture, x, y float64) { p.Rect(x, y+1.8, 5, 1.2, colRead, "") },
		Draw: func(p *Picture, g *row, m Mark) {
			y0, h := g.lane(m.Lane)
			p.Rect(g.x(m.Start), y0+h-1.2, g.x(m.End)-g.x(m.Start), 1.2, colRead, "")
		}}
	kindRepeat = &MarkKind{Legend: "also said in another call", Layer: 3,
		Swatch: func(p *Picture, x, y float64) { p.Rect(x, y, 5, 1.2, colRepeat, "") },
		Draw: func(p *Picture, g *row, m Mark) {
			y0, _ := g.lane(m.Lane)
			p.Rect(g.x(m.Start), y0, g.x(m.End)-g.x(m.Start), 1.2, colRepeat, "")
		}}
	kindBackchannel = &MarkKind{Legend: "“mm-hm” (backchannel)", Layer: 4,
		Swatch: func(p *Picture, x, y float64) { p.Dot(x+2.5, y+1.5, 0.7, colBackch) },
		Draw: func(p *Picture, g *row, m Mark) {
			y0, h := g.lane(m.Lane)
			p.Dot(g.x(m.Start), y0+h/2, 0.55, colBackch)
		}}
	kindRepCut  = cutKind("rep cuts in", colRepCut)
	kindCustCut = cutKind("customer cuts in", colCustCut)
	kindNote    = &MarkKind{Legend: "annotation (number: see the list)", Layer: 6,
		Swatch: func(p *Picture, x, y float64) {
			p.Rect(x, y+1, 5, 0.8, colNote, "")
			p.Line(x, y+0.2, x, y+2.6, colNote, 0.35, false)
		},
		Draw: func(p *Picture, g *row, m Mark) {
			y := g.noteY(m.Level)
			x0, x1 := g.x(m.Start), g.x(m.End)
			_, bottom := g.bothSpan()
			if m.End == m.Start {
				p.Line(x0, y+1.2, x0, bottom, colNote, 0.2, true)
			} else {
				p.Rect(x0, y+0.85, math.Max(x1-x0, 0.5), 0.8, colNote, "")
				p.Line(x0, y+0.2, x0, y+2.3, colNote, 0.35, false)
			}
			if m.Label != "" {
				// The number in a badge at the start, white on amber.
				w := textWidth(m.Label, 2.1, true) + 1.2
				bx := x0 - w/2
				if m.End > m.Start {
					bx = x0
				}
				p.Rect(bx, y+0.1, w, 2.3, colNote, "")
				p.Text(bx+w/2, y+1.85, m.Label, 2.1, true, AnchorMiddle, "#ffffff")
			}
		}}
)

func speechKind(legend string, c Color) *MarkKind {
	return &MarkKind{Legend: legend, Layer: 2, Swatch: box(c),
		Draw: func(p *Picture, g *row, m Mark) {
			y0, h := g.lane(m.Lane)
			p.Rect(g.x(m.Start), y0+0.8, math.Max(g.x(m.End)-g.x(m.Start), 0.15), h-1.6, c, "")
		}}
}

// cutKind draws an interruption as a triangle pointing down into the lane
// of who cut in, with a line through both lanes.
func cutKind(legend string, c Color) *MarkKind {
	tri := func(p *Picture, x, y float64) { p.Poly([]float64{x - 1.1, y, x + 1.1, y, x, y + 1.9}, c, "", 0) }
	return &MarkKind{Legend: legend, Layer: 5,
		Swatch: func(p *Picture, x, y float64) { tri(p, x+2.5, y+0.4); p.Line(x+2.5, y+0.4, x+2.5, y+3, c, 0.3, false) },
		Draw: func(p *Picture, g *row, m Mark) {
			x := g.x(m.Start)
			y0, y1 := g.bothSpan()
			p.Line(x, y0, x, y1, c, 0.3, false)
			ly, _ := g.lane(m.Lane)
			tri(p, x, ly)
		}}
}

// markSources find the marks of a call, each for its kinds. A new kind
// of mark (repeated passages, say) adds one function here.
var markSources = []func(in *markInput) []Mark{
	speechMarks,
	overlapMarks,
	silenceMarks,
	backchannelMarks,
	interruptionMarks,
	deliveryMarks,
	repeatMarks,
	annotationMarks,
}

// markInput is what the mark sources read: the analysis, the numbered
// annotations, and the settings the marks follow.
type markInput struct {
	r     *analysis.Result
	notes []noteMark
	// soundsRead is the read likelihood from which a stretch "sounds
	// read" (the verdict setting SoundsRead).
	soundsRead float64
	// repeats are the passages of the rep's speech also said in other calls.
	repeats []analysis.Repeat
}

// noteMark is an annotation as the timeline needs it: its range and its
// number in the report's list.
type noteMark struct {
	start, end time.Duration
	number     int
}

func mono(r *analysis.Result) bool { return !r.HasParties() }

func laneOf(r *analysis.Result, who analysis.Speaker) Lane {
	switch {
	case mono(r):
		return LaneSpeech
	case who == analysis.Customer:
		return LaneCustomer
	}
	return LaneRep
}

func speechMarks(in *markInput) []Mark {
	r := in.r
	out := make([]Mark, 0, len(r.Segments))
	for _, s := range r.Segments {
		k := kindRepSpeech
		switch {
		case mono(r):
			k = kindMixedSpeech
		case s.Speaker == analysis.Customer:
			k = kindCustomerSpeech
		}
		out = append(out, Mark{Kind: k, Start: s.Start.D(), End: s.End.D(), Lane: laneOf(r, s.Speaker)})
	}
	return out
}

// overlapMarks are the stretches where both parties speak: the
// intersections of their segments.
func overlapMarks(in *markInput) []Mark {
	r := in.r
	if mono(r) {
		return nil
	}
	rep, cust := r.SegmentsOf(analysis.Rep), r.SegmentsOf(analysis.Customer)
	var out []Mark
	for i, j := 0, 0; i < len(rep) && j < len(cust); {
		s, e := max(rep[i].Start, cust[j].Start), min(rep[i].End, cust[j].End)
		if e > s {
			out = append(out, Mark{Kind: kindOverlap, Start: s.D(), End: e.D(), Lane: LaneBoth})
		}
		if rep[i].End < cust[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}

func silenceMarks(in *markInput) []Mark {
	r := in.r
	var out []Mark
	for _, s := range r.LongSilences {
		out = append(out, Mark{Kind: kindSilence, Start: s.Start.D(), End: s.End.D(), Lane: LaneBoth})
	}
	return out
}

func backchannelMarks(in *markInput) []Mark {
	r := in.r
	var out []Mark
	for _, b := range r.Backchannels {
		out = append(out, Mark{Kind: kindBackchannel, Start: b.At.D(), End: b.At.D(), Lane: laneOf(r, b.By)})
	}
	return out
}

func interruptionMarks(in *markInput) []Mark {
	r := in.r
	if mono(r) {
		return nil
	}
	var out []Mark
	for _, in := range r.Interruptions {
		k := kindRepCut
		if in.By == analysis.Customer {
			k = kindCustCut
		}
		out = append(out, Mark{Kind: k, Start: in.At.D(), End: in.At.D(), Lane: laneOf(r, in.By)})
	}
	return out
}

// deliveryMarks underline the rep's stretches whose delivery sounds read
// (ReadLikelihood at least the SoundsRead setting, as the verdict counts).
func deliveryMarks(in *markInput) []Mark {
	r := in.r
	var out []Mark
	for _, d := range r.Delivery {
		if d.ReadLikelihood != nil && *d.ReadLikelihood >= in.soundsRead {
			out = append(out, Mark{Kind: kindRead, Start: d.Start.D(), End: d.End.D(), Lane: laneOf(r, analysis.Rep)})
		}
	}
	return out
}

// repeatMarks overline the rep's passages also said in another call (one
// mark per stretch, however many calls share it).
func repeatMarks(in *markInput) []Mark {
	var out []Mark
	for _, g := range groupRepeats(in.repeats) {
		out = append(out, Mark{Kind: kindRepeat, Start: g[0].Start.D(), End: g[0].End.D(), Lane: laneOf(in.r, analysis.Rep)})
	}
	return out
}

// groupRepeats groups the passages of this call that overlap (one passage
// said in several other calls); each group's first element spans them all.
func groupRepeats(rs []analysis.Repeat) [][]analysis.Repeat {
	rs = append([]analysis.Repeat(nil), rs...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
	var out [][]analysis.Repeat
	for _, r := range rs {
		if n := len(out); n > 0 && r.Start < out[n-1][0].End {
			out[n-1] = append(out[n-1], r)
			out[n-1][0].End = max(out[n-1][0].End, r.End)
			continue
		}
		out = append(out, []analysis.Repeat{r})
	}
	return out
}

// annotationMarks stack overlapping annotations on levels of the notes
// strip, first fit in time order.
func annotationMarks(in *markInput) []Mark {
	notes := in.notes
	var out []Mark
	var levelEnd []time.Duration
	for _, n := range notes {
		lvl := -1
		for i, e := range levelEnd {
			if e < n.start {
				lvl = i
				break
			}
		}
		if lvl < 0 {
			lvl = len(levelEnd)
			levelEnd = append(levelEnd, 0)
		}
		// A point or a short mark still takes room for its number.
		levelEnd[lvl] = max(n.end, n.start+minLabelRoom)
		out = append(out, Mark{Kind: kindNote, Start: n.start, End: n.end, Lane: LaneNotes, Label: strconv.Itoa(n.number), Level: lvl})
	}
	return out
}

// minLabelRoom keeps marks on one level of the notes strip at least this
// far apart in call time, so their numbers do not collide (for a 5-minute
// row, about 4 mm).
const minLabelRoom = 8 * time.Second

// Timeline geometry, in mm.
const (
	tlWidth    = 180.0
	tlGutter   = 19.0 // lane labels
	tlLaneH    = 7.0
	tlLaneGap  = 1.0
	tlLevelH   = 2.6
	tlAxisH    = 4.5
	tlMaxRows  = 6
	tlRightPad = 2.0
)

// row is one row of the timeline: a stretch of the call and where things
// go on it.
type row struct {
	t0, t1   time.Duration
	span     time.Duration // the row's full width in call time (the last row is not stretched)
	levels   int
	mono     bool
	notesTop float64
	top      float64 // top of the first lane
}

func (g *row) x(t time.Duration) float64 {
	w := tlWidth - tlGutter - tlRightPad
	return tlGutter + w*float64(t-g.t0)/float64(g.span)
}

// lane returns the top and height of a lane.
func (g *row) lane(l Lane) (float64, float64) {
	switch l {
	case LaneCustomer:
		return g.top + tlLaneH + tlLaneGap, tlLaneH
	case LaneNotes:
		return g.notesTop, float64(g.levels) * tlLevelH
	}
	return g.top, tlLaneH
}

// bothSpan is the vertical extent of the speech lanes.
func (g *row) bothSpan() (float64, float64) {
	if g.mono {
		return g.top, g.top + tlLaneH
	}
	return g.top, g.top + 2*tlLaneH + tlLaneGap
}

func (g *row) noteY(level int) float64 { return g.notesTop + float64(level)*tlLevelH }

func (g *row) height() float64 {
	_, bottom := g.bothSpan()
	return bottom + tlAxisH
}

// rowSpans are the row lengths the timeline picks from: the shortest that
// fits the call in tlMaxRows rows.
var rowSpans = []time.Duration{15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 20 * time.Minute, 30 * time.Minute, time.Hour}

// A call longer than half an hour gets up to twice as many rows, so a
// row never covers more than it must (an hour: 12 rows of 5 minutes, one
// page).
func rowSpan(length time.Duration) time.Duration {
	pick := func(rows int) time.Duration {
		for _, s := range rowSpans {
			if time.Duration(rows)*s >= length {
				return s
			}
		}
		return rowSpans[len(rowSpans)-1]
	}
	if s := pick(tlMaxRows); s <= 5*time.Minute {
		return s
	}
	return pick(2 * tlMaxRows)
}

// tickStep is the spacing of the axis' labelled ticks on a row of span.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute} {
		if span/s <= 10 {
			return s
		}
	}
	return 15 * time.Minute
}

// timeline draws the call as rows, one picture each (so a page break can
// fall between rows), and returns them with the legend's picture and the
// kinds it used.
func timeline(in *markInput, length time.Duration) (legend *Picture, rows []*Picture) {
	r := in.r
	if in.soundsRead <= 0 {
		in.soundsRead = analysis.DefaultVerdictConfig().SoundsRead
	}
	var marks []Mark
	for _, src := range markSources {
		marks = append(marks, src(in)...)
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].Kind.Layer < marks[j].Kind.Layer })
	levels := 0
	used := map[*MarkKind]bool{}
	for _, m := range marks {
		used[m.Kind] = true
		if m.Lane == LaneNotes {
			levels = max(levels, m.Level+1)
		}
	}
	if length <= 0 {
		length = time.Second
	}
	span := rowSpan(length)
	isMono := mono(r)
	n := int((length + span - 1) / span)
	for i := 0; i < n; i++ {
		t0 := time.Duration(i) * span
		g := &row{t0: t0, t1: min(t0+span, length), span: span, levels: levels, mono: isMono}
		if i == n-2 && length-(t0+span) < span/4 {
			// A stub of less than a quarter row joins the row before it,
			// which is drawn a little denser.
			g.t1, g.span = length, length-t0
			n--
		}
		g.notesTop = 0.5
		g.top = g.notesTop + float64(levels)*tlLevelH + 0.6
		p := NewPicture(tlWidth, g.height())
		y0, y1 := g.bothSpan()
		// Lanes and their labels.
		lanes := []struct {
			l    Lane
			name string
		}{{LaneRep, "Rep"}, {LaneCustomer, "Customer"}}
		if isMono {
			lanes = lanes[:0]
			lanes = append(lanes, struct {
				l    Lane
				name string
			}{LaneSpeech, "Speech"})
		}
		for _, ln := range lanes {
			ly, lh := g.lane(ln.l)
			p.Rect(tlGutter, ly, g.x(g.t1)-tlGutter, lh, colLaneBG, "")
			p.Text(tlGutter-1.5, ly+lh/2+1.1, ln.name, 3, false, AnchorEnd, colMuted)
		}
		// Grid and axis.
		step := tickStep(span)
		ticks := []time.Duration{}
		for t := t0; t <= g.t1; t += step {
			ticks = append(ticks, t)
		}
		if last := ticks[len(ticks)-1]; last < g.t1 && g.x(g.t1)-g.x(last) > 6 {
			ticks = append(ticks, g.t1) // where the call ends
		}
		for _, t := range ticks {
			x := g.x(t)
			p.Line(x, y0, x, y1+0.8, colGrid, 0.15, false)
			if g.x(g.t1)-x > 4 || t == g.t1 {
				label, anchor, lx := clock(t), AnchorMiddle, x
				if x+textWidth(label, 2.5, false)/2 > tlWidth { // the row's end: keep it inside the picture
					anchor, lx = AnchorEnd, tlWidth
				}
				p.Text(lx, y1+tlAxisH-0.6, label, 2.5, false, anchor, colMuted)
			}
		}
		for _, m := range marks {
			if m.End < g.t0 || m.Start >= g.t1 || (m.End == g.t0 && m.End > m.Start) {
				continue
			}
			c := m
			c.Start, c.End = max(m.Start, g.t0), min(m.End, g.t1)
			if m.Start < g.t0 {
				c.Label = "" // the number is printed where the mark starts
			}
			m.Kind.Draw(p, g, c)
		}
		rows = append(rows, p)
	}
	legend = legendPicture(marks, used)
	return legend, rows
}

// legendPicture lists the kinds present, in layer order, wrapped to the
// width.
func legendPicture(marks []Mark, used map[*MarkKind]bool) *Picture {
	var kinds []*MarkKind
	seen := map[*MarkKind]bool{}
	for _, m := range marks {
		if used[m.Kind] && !seen[m.Kind] {
			seen[m.Kind] = true
			kinds = append(kinds, m.Kind)
		}
	}
	// Speech first, then the rest as drawn.
	sort.SliceStable(kinds, func(i, j int) bool { return legendRank(kinds[i]) < legendRank(kinds[j]) })
	const size, rowH = 2.8, 5.0
	type item struct {
		k    *MarkKind
		x, y float64
	}
	var items []item
	x, y := 0.0, 0.0
	for _, k := range kinds {
		w := 6.5 + textWidth(k.Legend, size, false) + 5
		if x+w > tlWidth && x > 0 {
			x, y = 0, y+rowH
		}
		items = append(items, item{k, x, y})
		x += w
	}
	p := NewPicture(tlWidth, y+rowH)
	for _, it := range items {
		it.k.Swatch(p, it.x, it.y+0.6)
		p.Text(it.x+6.5, it.y+3.2, it.k.Legend, size, false, AnchorStart, colText)
	}
	return p
}

func legendRank(k *MarkKind) int {
	switch k {
	case kindRepSpeech, kindMixedSpeech:
		return -3
	case kindCustomerSpeech:
		return -2
	}
	return k.Layer
}

// clock writes a time in the call: "4:05", or "1:02:05" from an hour.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
