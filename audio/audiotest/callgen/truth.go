package callgen

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"time"

	"callcoach/analysis"
)

// TruthRangeDB: a 10 ms frame of a clean utterance is speech when its
// energy is within this many dB of the utterance's loudest frame. It is
// decided on each utterance alone, before mixing, noise or crosstalk, so
// the truth is known by construction.
const TruthRangeDB = 42

// FrameLen is the spec's activity frame.
const FrameLen = 10 * time.Millisecond

// frameStart returns the first sample of frame k at rate.
func frameStart(k, rate int) int { return k * rate / 100 }

// framesIn returns how many whole or partial frames n samples at rate span.
func framesIn(n, rate int) int {
	k := n * 100 / rate
	if frameStart(k, rate) < n {
		k++
	}
	return k
}

// markActive sets act[k] for every frame k in which the utterance u,
// placed at sample off of the call, has energy within TruthRangeDB of its
// own loudest frame. The frame grid is the call's (frame k covers samples
// [k*rate/100, (k+1)*rate/100)).
func markActive(act []bool, u []float32, off, rate int) {
	if len(u) == 0 {
		return
	}
	k0 := off * 100 / rate
	k1 := framesIn(off+len(u), rate)
	energy := make([]float64, k1-k0)
	peak := 0.0
	for k := k0; k < k1; k++ {
		a, b := frameStart(k, rate), frameStart(k+1, rate)
		var e float64
		for i := max(a, off); i < min(b, off+len(u)); i++ {
			v := float64(u[i-off])
			e += v * v
		}
		e /= float64(b - a)
		energy[k-k0] = e
		peak = math.Max(peak, e)
	}
	if peak == 0 {
		return
	}
	floor := peak * math.Pow(10, -TruthRangeDB/10.0)
	for k := k0; k < k1 && k < len(act); k++ {
		if energy[k-k0] >= floor && energy[k-k0] > 0 {
			act[k] = true
		}
	}
}

// segmentsOf turns per-frame activity into segments, bridging gaps
// shorter than bridge exactly as the spec does.
func segmentsOf(act []bool, who analysis.Speaker, bridge time.Duration) []analysis.Segment {
	maxGap := int((bridge + FrameLen - 1) / FrameLen) // gaps of fewer frames are bridged
	var segs []analysis.Segment
	start, end := -1, -1 // current run [start, end) in frames
	flush := func() {
		if start >= 0 {
			segs = append(segs, analysis.Segment{Speaker: who, Start: frameDur(start), End: frameDur(end)})
		}
	}
	for k, a := range act {
		if !a {
			continue
		}
		if start >= 0 && k-end < maxGap {
			end = k + 1
			continue
		}
		flush()
		start, end = k, k+1
	}
	flush()
	return segs
}

func frameDur(k int) analysis.Dur { return analysis.Dur(time.Duration(k) * FrameLen) }

// Events applies the spec's turn rules (shared/spec/metrics.md, "Turns")
// to the parties' segments: the interruptions and backchannels the
// analysis must find. It is the test kit's own reading of the spec, kept
// independent of analysis.Measure so that each checks the other.
func Events(segs []analysis.Segment, cfg analysis.Config) ([]analysis.Interruption, []analysis.Backchannel) {
	all := append([]analysis.Segment(nil), segs...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	var ints []analysis.Interruption
	var bcs []analysis.Backchannel
	holder := analysis.Unattributed // nobody holds the floor yet
	for _, s := range all {
		if s.Len() < cfg.FloorMin {
			if holder == s.Speaker.Other() {
				bcs = append(bcs, analysis.Backchannel{At: s.Start, By: s.Speaker, Duration: analysis.Dur(s.Len())})
			}
			continue
		}
		for _, a := range all {
			if a.Speaker != s.Speaker.Other() || !(a.Start < s.Start && s.Start < a.End) {
				continue
			}
			ov := min(a.End, s.End) - s.Start
			if ov.D() >= cfg.InterruptOverlap {
				ints = append(ints, analysis.Interruption{
					At: s.Start, By: s.Speaker, Overlap: ov,
					Yielded: a.End.D()-s.Start.D() <= cfg.YieldWithin,
				})
			}
		}
		holder = s.Speaker
	}
	return ints, bcs
}

// Truth is what a rendered call contains, known by construction. Field
// names and units follow analysis.Result where they overlap (seconds).
type Truth struct {
	Scenario  string `json:"scenario"`
	Condition string `json:"condition,omitempty"`
	Rate      int    `json:"rate_hz"`
	// CustomerRate is set when the customer is a mono file of its own at a
	// different rate (the files are aligned at their first sample).
	CustomerRate int               `json:"customer_rate_hz,omitempty"`
	Duration     analysis.Dur      `json:"duration_s"`
	Channels     analysis.Channels `json:"channels"`

	Segments     []analysis.Segment `json:"segments"`
	Talk         analysis.PerParty  `json:"talk_s"`
	RepTalkShare float64            `json:"rep_talk_share"`
	Overlap      analysis.Dur       `json:"overlap_s"`
	Silence      analysis.Dur       `json:"silence_s"`
	LongSilences []analysis.Span    `json:"long_silences"`

	Interruptions []analysis.Interruption `json:"interruptions"`
	Backchannels  []analysis.Backchannel  `json:"backchannels"`

	// Utterances are the placed utterances as rendered (after any cut).
	Utterances []PlacedTruth `json:"utterances"`
	// Render records the conditions the call was rendered under.
	Render RenderOptions `json:"render"`
}

// PlacedTruth is one utterance of the call as rendered.
type PlacedTruth struct {
	Speaker analysis.Speaker `json:"speaker"`
	ID      string           `json:"id"`
	Kind    string           `json:"kind"`
	Text    string           `json:"text"`
	Start   analysis.Dur     `json:"start_s"`
	End     analysis.Dur     `json:"end_s"`
	Cut     bool             `json:"cut,omitempty"` // cut off (the speaker yielded)
}

// SegmentsOf returns party s's truth segments.
func (t *Truth) SegmentsOf(s analysis.Speaker) []analysis.Segment {
	var out []analysis.Segment
	for _, g := range t.Segments {
		if g.Speaker == s {
			out = append(out, g)
		}
	}
	return out
}

// Frames rasterises segments of party s onto n 10 ms frames.
func Frames(segs []analysis.Segment, s analysis.Speaker, n int) []bool {
	f := make([]bool, n)
	for _, g := range segs {
		if g.Speaker != s {
			continue
		}
		a := int(math.Round(g.Start.D().Seconds() * 100))
		b := int(math.Round(g.End.D().Seconds() * 100))
		for k := max(a, 0); k < min(b, n); k++ {
			f[k] = true
		}
	}
	return f
}

// WriteJSON writes the truth to path (0600), indented.
func (t *Truth) WriteJSON(path string) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encode truth: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write truth: %w", err)
	}
	return nil
}

// ReadTruth reads a truth file written by WriteJSON.
func ReadTruth(path string) (Truth, error) {
	var t Truth
	b, err := os.ReadFile(path)
	if err != nil {
		return t, fmt.Errorf("read truth: %w", err)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("decode truth %s: %w", path, err)
	}
	return t, nil
}

// fillTotals computes talk, share, overlap and silence from the segments.
func (t *Truth) fillTotals(nFrames int) {
	rep := Frames(t.Segments, analysis.Rep, nFrames)
	cust := Frames(t.Segments, analysis.Customer, nFrames)
	var r, c, both, none int
	for k := range rep {
		switch {
		case rep[k] && cust[k]:
			both++
		case !rep[k] && !cust[k]:
			none++
		}
		if rep[k] {
			r++
		}
		if cust[k] {
			c++
		}
	}
	// Long silences: runs of frames in which neither party speaks, this
	// long or longer (including the call's lead and tail).
	long := int(analysis.DefaultConfig().LongSilence / FrameLen)
	t.LongSilences = []analysis.Span{}
	for k := 0; k < nFrames; {
		if rep[k] || cust[k] {
			k++
			continue
		}
		e := k
		for e < nFrames && !rep[e] && !cust[e] {
			e++
		}
		if e-k >= long {
			t.LongSilences = append(t.LongSilences, analysis.Span{Start: frameDur(k), End: frameDur(e)})
		}
		k = e
	}
	t.Talk = analysis.PerParty{Rep: frameDur(r), Customer: frameDur(c)}
	if r+c > 0 {
		t.RepTalkShare = float64(r) / float64(r+c)
	}
	t.Overlap = frameDur(both)
	t.Silence = frameDur(none)
}
