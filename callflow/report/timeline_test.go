package report

import (
	"math"
	"slices"
	"testing"
	"time"

	"callcoach/analysis"
)

// drawnTime adds up, over the rows, the call time covered by rectangles
// of colour c (a row is tlWidth-tlGutter-tlRightPad mm for its span).
func drawnTime(rows []*Picture, span time.Duration, c Color) time.Duration {
	perMM := float64(span) / (tlWidth - tlGutter - tlRightPad)
	var total float64
	for _, p := range rows {
		for _, s := range p.shapes {
			if s.kind == shapeRect && s.fill == c {
				total += s.w * perMM
			}
		}
	}
	return time.Duration(total)
}

func countShapes(rows []*Picture, kind shapeKind, fill Color) int {
	n := 0
	for _, p := range rows {
		for _, s := range p.shapes {
			if s.kind == kind && s.fill == fill {
				n++
			}
		}
	}
	return n
}

// TestTimelineDrawsTheCall: the timeline's rectangles cover exactly the
// talk time of each party, the overlaps and the long silences; there is a
// triangle per interruption in the interrupter's colour, a dot per
// backchannel, a numbered badge per annotation, and rows of the span the
// call's length asks for.
func TestTimelineDrawsTheCall(t *testing.T) {
	length := 9 * time.Minute
	segs := synthSegments(length, 5, false)
	// A long silence: nobody speaks from 4:00 to 4:12.
	var cut []analysis.Segment
	for _, s := range segs {
		if s.End <= dur(240) || s.Start >= dur(252) {
			cut = append(cut, s)
		}
	}
	r := analysis.Measure(cut, analysis.TwoParty, length, analysis.DefaultConfig())
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	if len(r.LongSilences) == 0 || len(r.Interruptions) == 0 || len(r.Backchannels) == 0 {
		t.Fatalf("fixture lacks silences (%d), interruptions (%d) or backchannels (%d)", len(r.LongSilences), len(r.Interruptions), len(r.Backchannels))
	}
	notes := []noteMark{{sec(10), sec(20), 1}, {sec(15), sec(15), 2}, {sec(100), sec(130), 3}}
	_, rows := timeline(&markInput{r: &r, notes: notes}, length)
	span := rowSpan(length)
	if span != 2*time.Minute || len(rows) != 5 {
		t.Fatalf("a 9-minute call: %d rows of %v, want 5 of 2m", len(rows), span)
	}
	near := func(what string, got, want time.Duration) {
		t.Helper()
		if math.Abs(float64(got-want)) > float64(50*time.Millisecond) {
			t.Errorf("%s drawn over %v, want %v", what, got, want)
		}
	}
	near("rep speech", drawnTime(rows, span, colRep), r.Talk.Rep.D())
	near("customer speech", drawnTime(rows, span, colCustomer), r.Talk.Customer.D())
	near("overlap", drawnTime(rows, span, colOverlap), r.Overlap.D())
	var long time.Duration
	for _, s := range r.LongSilences {
		long += s.Len()
	}
	near("long silence", drawnTime(rows, span, colSilence), long)
	var repCuts, custCuts int
	for _, in := range r.Interruptions {
		if in.By == analysis.Rep {
			repCuts++
		} else {
			custCuts++
		}
	}
	if got := countShapes(rows, shapePoly, colRepCut); got != repCuts {
		t.Errorf("%d rep-cut triangles, want %d", got, repCuts)
	}
	if got := countShapes(rows, shapePoly, colCustCut); got != custCuts {
		t.Errorf("%d customer-cut triangles, want %d", got, custCuts)
	}
	if got := countShapes(rows, shapePoly, colBackch); got != len(r.Backchannels) {
		t.Errorf("%d backchannel dots, want %d", got, len(r.Backchannels))
	}
	var badges []string
	for _, p := range rows {
		for _, s := range p.shapes {
			if s.kind == shapeText && s.fill == "#ffffff" {
				badges = append(badges, s.text)
			}
		}
	}
	if !slices.Equal(badges, []string{"1", "2", "3"}) {
		t.Errorf("annotation badges %q, want 1 2 3", badges)
	}

	for _, tc := range []struct {
		length time.Duration
		span   time.Duration
		rows   int
	}{{40 * time.Second, 15 * time.Second, 3}, {30 * time.Minute, 5 * time.Minute, 6}, {time.Hour, 5 * time.Minute, 12}, {3 * time.Hour, 15 * time.Minute, 12}, {8 * time.Hour, time.Hour, 8}} {
		if s := rowSpan(tc.length); s != tc.span {
			t.Errorf("rowSpan(%v) = %v, want %v", tc.length, s, tc.span)
		}
	}
}

// TestTimelineMono: a mono call has one lane, called Speech, and no
// interruptions or overlaps.
func TestTimelineMono(t *testing.T) {
	segs := []analysis.Segment{{Speaker: analysis.Mixed, Start: dur(1), End: dur(20)}, {Speaker: analysis.Mixed, Start: dur(22), End: dur(50)}}
	r := analysis.Measure(segs, analysis.OneChannel, time.Minute, analysis.DefaultConfig())
	r.Channels = analysis.Channels{OneChannel: "mono"}
	legend, rows := timeline(&markInput{r: &r}, time.Minute)
	var labels []string
	for _, s := range rows[0].shapes {
		if s.kind == shapeText && s.x < tlGutter { // the lane labels, left of the lanes
			labels = append(labels, s.text)
		}
	}
	if !slices.Equal(labels, []string{"Speech"}) {
		t.Errorf("mono lanes %q", labels)
	}
	if d := drawnTime(rows, rowSpan(time.Minute), colMixed); math.Abs(float64(d-r.Talk.Unattributed.D())) > float64(50*time.Millisecond) {
		t.Errorf("mono speech drawn over %v, want %v", d, r.Talk.Unattributed.D())
	}
	if slices.Contains(legend.Texts(), kindRepCut.Legend) || slices.Contains(legend.Texts(), kindOverlap.Legend) {
		t.Errorf("mono legend: %q", legend.Texts())
	}
}

// TestTimelineNewMarkKind: a new kind of mark is a MarkKind and a source;
// it then shows in the legend and on the rows without other changes.
func TestTimelineNewMarkKind(t *testing.T) {
	kind := &MarkKind{Legend: "repeated passage", Layer: 3, Swatch: box("#00aaaa"),
		Draw: func(p *Picture, g *row, m Mark) {
			y, h := g.lane(m.Lane)
			p.Rect(g.x(m.Start), y, g.x(m.End)-g.x(m.Start), h/4, "#00aaaa", "")
		}}
	old := markSources
	markSources = append(slices.Clone(markSources), func(*markInput) []Mark {
		return []Mark{{Kind: kind, Start: sec(30), End: sec(75), Lane: LaneRep}}
	})
	defer func() { markSources = old }()
	in := fixtureInput(t, 3*time.Minute, false)
	legend, rows := timeline(&markInput{r: in.Call.Result}, 3*time.Minute)
	if !slices.Contains(legend.Texts(), "repeated passage") {
		t.Errorf("legend lacks the new kind: %q", legend.Texts())
	}
	if d := drawnTime(rows, rowSpan(3*time.Minute), "#00aaaa"); d != 45*time.Second {
		t.Errorf("new kind drawn over %v, want 45s", d)
	}
}

// TestTimelineSoundsRead: a stretch is underlined as read from the
// verdict's SoundsRead setting on, the same line the verdict draws.
func TestTimelineSoundsRead(t *testing.T) {
	in := fixtureInput(t, 3*time.Minute, false)
	r := in.Call.Result
	r.Delivery = []analysis.DeliveryCue{{Start: dur(10), End: dur(40), ReadLikelihood: ptr(0.7)}}
	span := rowSpan(3 * time.Minute)
	for _, tc := range []struct {
		setting float64
		want    time.Duration
	}{{0, 0}, {0.8, 0}, {0.6, 30 * time.Second}} {
		_, rows := timeline(&markInput{r: r, soundsRead: tc.setting}, 3*time.Minute)
		if got := drawnTime(rows, span, colRead); math.Abs(float64(got-tc.want)) > float64(50*time.Millisecond) {
			t.Errorf("SoundsRead %v: %v underlined as read, want %v", tc.setting, got, tc.want)
		}
	}
}

// TestTimelineInsidePicture: no text of the timeline runs past the
// picture's edges (an SVG clips there).
func TestTimelineInsidePicture(t *testing.T) {
	for _, l := range []time.Duration{40 * time.Second, 6 * time.Minute, time.Hour, 3 * time.Hour} {
		in := fixtureInput(t, l, false)
		legend, rows := timeline(&markInput{r: in.Call.Result}, l)
		for _, p := range append(rows, legend) {
			for _, s := range p.shapes {
				if s.kind != shapeText {
					continue
				}
				w := textWidth(s.text, s.size, s.bold)
				x0 := s.x - [...]float64{0, w / 2, w}[s.anchor]
				if x0 < -0.01 || x0+w > p.W+0.01 {
					t.Errorf("%v call: %q spans %.1f–%.1f mm of a %.0f mm picture", l, s.text, x0, x0+w, p.W)
				}
			}
		}
	}
}

// TestTimelineNoStubRow: a call just past a whole number of rows (the
// 46-second demo: 15 s rows) does not get a row of its last second; the
// last row takes it.
func TestTimelineNoStubRow(t *testing.T) {
	in := fixtureInput(t, 45856*time.Millisecond, false)
	_, rows := timeline(&markInput{r: in.Call.Result}, 45856*time.Millisecond)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	var last string
	for _, s := range rows[2].shapes {
		if s.kind == shapeText && s.size == 2.5 { // the axis labels
			last = s.text
		}
	}
	if last != "0:45" && last != "0:46" {
		t.Errorf("the last row's last label is %q, want the call's end", last)
	}
}

// TestTimelineRepeats: the rep's passages also said in other calls are
// overlined once per stretch, and the report lists them with the calls.
func TestTimelineRepeats(t *testing.T) {
	in := fixtureInput(t, 6*time.Minute, true)
	_, rows := timeline(&markInput{r: in.Call.Result, repeats: in.Repeats}, 6*time.Minute)
	// 36–55 s (two calls, one stretch) and 125–139 s.
	if got := drawnTime(rows, rowSpan(6*time.Minute), colRepeat); math.Abs(float64(got-33*time.Second)) > float64(50*time.Millisecond) {
		t.Errorf("repeats drawn over %v, want 33s", got)
	}
	d, _ := CallDocument(in)
	var tbl Table
	for i, b := range d.Blocks {
		if h, ok := b.(Heading); ok && h.Text == "Passages also said in other calls" {
			tbl = d.Blocks[i+1].(Table)
		}
	}
	if len(tbl.Rows) != 2 || tbl.Rows[0][0].Text != "0:36–0:55" || tbl.Rows[0][2].Text != "call #12 Renewal — Acme at 1:10; call #17 at 0:05" {
		t.Errorf("repeats table: %+v", tbl.Rows)
	}
}
