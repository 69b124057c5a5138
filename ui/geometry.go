package ui

import (
	"time"

	"callcoach/analysis"
)

// View is the stretch of a call the timeline shows: Span of time from Start,
// out of a call Total long. It maps time to a horizontal position and back,
// for any width, so the same View serves the widget (Fyne units) and its
// raster (pixels). It is plain Go so that zoom, scroll and hit tests are
// unit-tested without a window.
type View struct {
	Start time.Duration
	Span  time.Duration
	Total time.Duration
}

// MinSpan is the narrowest zoom: one second across the timeline.
const MinSpan = time.Second

// FullView shows the whole call.
func FullView(total time.Duration) View {
	if total <= 0 {
		total = MinSpan
	}
	return View{Start: 0, Span: total, Total: total}
}

// X returns the position of t across width.
func (v View) X(t time.Duration, width float32) float32 {
	if v.Span <= 0 {
		return 0
	}
	return float32(float64(t-v.Start) / float64(v.Span) * float64(width))
}

// T returns the time at position x across width, clamped to the call.
func (v View) T(x, width float32) time.Duration {
	if width <= 0 {
		return v.Start
	}
	t := v.Start + time.Duration(float64(x)/float64(width)*float64(v.Span))
	return clampDur(t, 0, v.Total)
}

// End is the time at the right edge.
func (v View) End() time.Duration { return v.Start + v.Span }

// Zoom narrows (factor < 1) or widens (factor > 1) the span, keeping the time
// under anchor where it is on screen, and keeps the view inside the call.
func (v View) Zoom(factor float64, anchor time.Duration) View {
	if factor <= 0 {
		return v
	}
	span := time.Duration(float64(v.Span) * factor)
	span = clampDur(span, min(MinSpan, v.Total), v.Total)
	frac := 0.5
	if v.Span > 0 {
		frac = float64(anchor-v.Start) / float64(v.Span)
	}
	v.Start = anchor - time.Duration(frac*float64(span))
	v.Span = span
	return v.clamp()
}

// Scroll moves the view by d (negative: earlier), keeping it inside the call.
func (v View) Scroll(d time.Duration) View {
	v.Start += d
	return v.clamp()
}

// Follow scrolls the view so that t is visible, paging when t leaves it (as
// a playhead does while playing).
func (v View) Follow(t time.Duration) View {
	if t >= v.Start && t < v.End() {
		return v
	}
	v.Start = t - v.Span/10
	return v.clamp()
}

func (v View) clamp() View {
	if v.Span > v.Total {
		v.Span = v.Total
	}
	v.Start = clampDur(v.Start, 0, v.Total-v.Span)
	return v
}

func clampDur(d, lo, hi time.Duration) time.Duration {
	if d < lo {
		return lo
	}
	if d > hi {
		return hi
	}
	return d
}

// HitInterruption returns the index of the interruption whose marker lies
// within tolerance of x (nearest wins), or -1.
func HitInterruption(ints []analysis.Interruption, v View, width, x, tolerance float32) int {
	best, bestDist := -1, tolerance
	for i, in := range ints {
		d := v.X(in.At.D(), width) - x
		if d < 0 {
			d = -d
		}
		if d <= bestDist {
			best, bestDist = i, d
		}
	}
	return best
}

// Range is a selected stretch of the call, Start <= End.
type Range struct {
	Start, End time.Duration
}

// Len is the range's length.
func (r Range) Len() time.Duration { return r.End - r.Start }

// Empty reports whether nothing is selected.
func (r Range) Empty() bool { return r.End <= r.Start }

// RangeBetween returns the range between two times in either order, clamped
// to [0, total].
func RangeBetween(a, b, total time.Duration) Range {
	if b < a {
		a, b = b, a
	}
	return Range{Start: clampDur(a, 0, total), End: clampDur(b, 0, total)}
}

// MinSelection is how far a drag must reach to select a range rather than
// count as a click.
const MinSelection = 200 * time.Millisecond

// TickStep picks a round time step for axis labels so that about n labels
// fit across span.
func TickStep(span time.Duration, n int) time.Duration {
	if n < 1 {
		n = 1
	}
	steps := []time.Duration{
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second,
		15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute,
		5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour,
	}
	want := span / time.Duration(n)
	for _, s := range steps {
		if s >= want {
			return s
		}
	}
	return steps[len(steps)-1]
}
