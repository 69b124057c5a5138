package ui

import (
	"testing"
	"time"

	"callcoach/analysis"
)

func TestViewMapping(t *testing.T) {
	v := View{Start: 10 * time.Second, Span: 20 * time.Second, Total: time.Minute}
	tests := []struct {
		at   time.Duration
		want float32
	}{
		{10 * time.Second, 0},
		{20 * time.Second, 500},
		{30 * time.Second, 1000},
		{15 * time.Second, 250},
	}
	for _, tt := range tests {
		if got := v.X(tt.at, 1000); got != tt.want {
			t.Errorf("X(%v) = %v, want %v", tt.at, got, tt.want)
		}
		if got := v.T(tt.want, 1000); got != tt.at {
			t.Errorf("T(%v) = %v, want %v", tt.want, got, tt.at)
		}
	}
	if got := v.T(-50, 1000); got != 9*time.Second {
		t.Errorf("T left of the view = %v, want 9s", got)
	}
	if got := (View{Start: 0, Span: time.Minute, Total: time.Minute}).T(2000, 1000); got != time.Minute {
		t.Errorf("T past the call = %v, want clamped to 1m", got)
	}
}

func TestViewZoomScroll(t *testing.T) {
	full := FullView(10 * time.Minute)
	tests := []struct {
		name string
		got  View
		want View
	}{
		{"zoom in around the middle keeps the anchor in place",
			full.Zoom(0.5, 5*time.Minute),
			View{Start: 150 * time.Second, Span: 5 * time.Minute, Total: 10 * time.Minute}},
		{"zoom in at the start stays at the start",
			full.Zoom(0.1, 0),
			View{Start: 0, Span: time.Minute, Total: 10 * time.Minute}},
		{"zoom out never shows more than the call",
			full.Zoom(4, time.Minute),
			full},
		{"zoom in stops at MinSpan",
			full.Zoom(0.0001, time.Minute),
			View{Start: time.Minute - MinSpan/10, Span: MinSpan, Total: 10 * time.Minute}},
		{"scroll moves the view",
			full.Zoom(0.1, 0).Scroll(2 * time.Minute),
			View{Start: 2 * time.Minute, Span: time.Minute, Total: 10 * time.Minute}},
		{"scroll stops at the end",
			full.Zoom(0.1, 0).Scroll(time.Hour),
			View{Start: 9 * time.Minute, Span: time.Minute, Total: 10 * time.Minute}},
		{"scroll stops at the start",
			full.Zoom(0.1, 0).Scroll(-time.Hour),
			View{Start: 0, Span: time.Minute, Total: 10 * time.Minute}},
		{"follow pages to a playhead past the view",
			View{Start: 0, Span: time.Minute, Total: 10 * time.Minute}.Follow(90 * time.Second),
			View{Start: 84 * time.Second, Span: time.Minute, Total: 10 * time.Minute}},
		{"follow leaves a visible playhead alone",
			View{Start: 0, Span: time.Minute, Total: 10 * time.Minute}.Follow(30 * time.Second),
			View{Start: 0, Span: time.Minute, Total: 10 * time.Minute}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
}

func TestHitInterruption(t *testing.T) {
	ints := []analysis.Interruption{{At: sec(10)}, {At: sec(12)}, {At: sec(40)}}
	v := FullView(100 * time.Second) // 10 px per second at width 1000
	tests := []struct {
		x    float32
		want int
	}{
		{100, 0}, {104, 0}, {118, 1}, {115, 1}, {106, 0}, {110, -1}, {400, 2}, {250, -1}, {0, -1},
	}
	for _, tt := range tests {
		if got := HitInterruption(ints, v, 1000, tt.x, 6); got != tt.want {
			t.Errorf("HitInterruption(x=%v) = %d, want %d", tt.x, got, tt.want)
		}
	}
}

func TestRangeBetween(t *testing.T) {
	total := 30 * time.Second
	tests := []struct {
		a, b time.Duration
		want Range
	}{
		{2 * time.Second, 5 * time.Second, Range{2 * time.Second, 5 * time.Second}},
		{5 * time.Second, 2 * time.Second, Range{2 * time.Second, 5 * time.Second}},
		{-time.Second, time.Minute, Range{0, total}},
	}
	for _, tt := range tests {
		if got := RangeBetween(tt.a, tt.b, total); got != tt.want {
			t.Errorf("RangeBetween(%v, %v) = %+v, want %+v", tt.a, tt.b, got, tt.want)
		}
	}
	if !(Range{time.Second, time.Second}).Empty() {
		t.Error("a zero-length range is not empty")
	}
}

func TestTickStep(t *testing.T) {
	tests := []struct {
		span time.Duration
		n    int
		want time.Duration
	}{
		{30 * time.Second, 6, 5 * time.Second},
		{time.Hour, 8, 10 * time.Minute},
		{5 * time.Second, 10, time.Second},
		{10 * time.Hour, 2, time.Hour},
	}
	for _, tt := range tests {
		if got := TickStep(tt.span, tt.n); got != tt.want {
			t.Errorf("TickStep(%v, %d) = %v, want %v", tt.span, tt.n, got, tt.want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	rep := []analysis.Segment{seg(analysis.Rep, 0, 5), seg(analysis.Rep, 8, 14)}
	cust := []analysis.Segment{seg(analysis.Customer, 4, 9), seg(analysis.Customer, 13, 20)}
	got := Overlaps(rep, cust)
	want := []Interval{{4 * time.Second, 5 * time.Second}, {8 * time.Second, 9 * time.Second}, {13 * time.Second, 14 * time.Second}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("overlap %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestGradeShare(t *testing.T) {
	tests := []struct {
		share float64
		want  ShareLevel
	}{
		{0.30, ShareOK}, {0.60, ShareOK}, {0.61, ShareAmber}, {0.70, ShareAmber}, {0.71, ShareRed}, {1, ShareRed},
	}
	for _, tt := range tests {
		if got := GradeShare(tt.share, 0.6, 0.7); got != tt.want {
			t.Errorf("GradeShare(%v) = %v, want %v", tt.share, got, tt.want)
		}
	}
}

func TestFmtClock(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"}, {59 * time.Second, "0:59"}, {61 * time.Second, "1:01"}, {time.Hour + 2*time.Minute + 3*time.Second, "1:02:03"}, {-time.Second, "0:00"},
	}
	for _, tt := range tests {
		if got := fmtClock(tt.d); got != tt.want {
			t.Errorf("fmtClock(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
