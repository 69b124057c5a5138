package analysis

import (
	"encoding/json"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sec returns x seconds as a Dur, exact to the millisecond.
func sec(x float64) Dur { return Dur(time.Duration(math.Round(x*1000)) * time.Millisecond) }

func rep(start, end float64) Segment { return Segment{Speaker: Rep, Start: sec(start), End: sec(end)} }
func cust(start, end float64) Segment {
	return Segment{Speaker: Customer, Start: sec(start), End: sec(end)}
}

func intr(at float64, by Speaker, yielded bool, overlap float64) Interruption {
	return Interruption{At: sec(at), By: by, Yielded: yielded, Overlap: sec(overlap)}
}
func bc(at float64, by Speaker, d float64) Backchannel {
	return Backchannel{At: sec(at), By: by, Duration: sec(d)}
}
func mono(s Speaker, start, end float64) Monologue {
	return Monologue{Speaker: s, Start: sec(start), End: sec(end)}
}
func span(start, end float64) Span { return Span{Start: sec(start), End: sec(end)} }

// turnWant is what one table case knows to be true of its call.
type turnWant struct {
	talkRep, talkCust float64
	overlap, silence  float64
	longSilences      []Span
	interruptions     []Interruption
	backchannels      []Backchannel
	monologues        []Monologue
	floorChanges      int
	patience          Patience
}

var turnCases = []struct {
	name     string
	segs     []Segment
	duration float64
	want     turnWant
}{
	{
		name: "backchannel, then an attempt the rep talks through",
		// The customer's 0.5 s "mm-hm" is a backchannel; the 1.2 s attempt
		// lies wholly inside the rep's speech: an interruption the rep did
		// not yield to, and the rep keeps the floor.
		segs:     []Segment{rep(0, 10), cust(3, 3.5), cust(6, 7.2)},
		duration: 10,
		want: turnWant{
			talkRep: 10, talkCust: 1.7, overlap: 1.7,
			interruptions: []Interruption{intr(6, Customer, false, 1.2)},
			backchannels:  []Backchannel{bc(3, Customer, 0.5)},
			monologues:    []Monologue{mono(Rep, 0, 10)},
		},
	},
	{
		name: "interruption yielded: rep stops 1 s after the customer's onset",
		segs: []Segment{rep(0, 10), cust(9, 15)}, duration: 15,
		want: turnWant{
			talkRep: 10, talkCust: 6, overlap: 1,
			interruptions: []Interruption{intr(9, Customer, true, 1)},
			monologues:    []Monologue{mono(Rep, 0, 10), mono(Customer, 9, 15)},
			floorChanges:  1,
		},
	},
	{
		name: "interruption talked on: rep goes on 3 s, customer outlasts and takes the floor",
		segs: []Segment{rep(0, 10), cust(7, 15)}, duration: 15,
		want: turnWant{
			talkRep: 10, talkCust: 8, overlap: 3,
			interruptions: []Interruption{intr(7, Customer, false, 3)},
			monologues:    []Monologue{mono(Rep, 0, 10), mono(Customer, 7, 15)},
			floorChanges:  1,
		},
	},
	{
		name: "early start: 0.4 s overlap at the end of the rep's utterance",
		segs: []Segment{rep(0, 10), cust(9.6, 15)}, duration: 15,
		want: turnWant{
			talkRep: 10, talkCust: 5.4, overlap: 0.4,
			monologues:   []Monologue{mono(Rep, 0, 10), mono(Customer, 9.6, 15)},
			floorChanges: 1,
		},
	},
	{
		name: "thresholds inclusive: 0.5 s overlap is an interruption, stopping at 1.5 s is yielding",
		segs: []Segment{
			rep(0, 10), cust(9.5, 15), // overlap exactly 0.5
			rep(14, 20),    // rep cuts in, customer stops 1.0 later
			cust(18.5, 25), // customer cuts in, rep stops exactly 1.5 later
		},
		duration: 25,
		want: turnWant{
			talkRep: 16, talkCust: 12, overlap: 0.5 + 1 + 1.5,
			interruptions: []Interruption{
				intr(9.5, Customer, true, 0.5),
				intr(14, Rep, true, 1),
				intr(18.5, Customer, true, 1.5),
			},
			monologues:   []Monologue{mono(Rep, 0, 10), mono(Customer, 9.5, 15), mono(Rep, 14, 20), mono(Customer, 18.5, 25)},
			floorChanges: 3,
			// The rep's take at 14 starts in overlap: a negative gap, left out.
		},
	},
	{
		name: "yield just past 1.5 s is talking on",
		segs: []Segment{rep(0, 10), cust(8.49, 15)}, duration: 15,
		want: turnWant{
			talkRep: 10, talkCust: 6.51, overlap: 1.51,
			interruptions: []Interruption{intr(8.49, Customer, false, 1.51)},
			monologues:    []Monologue{mono(Rep, 0, 10), mono(Customer, 8.49, 15)},
			floorChanges:  1,
		},
	},
	{
		name: "monologue broken by a 3 s silence",
		segs: []Segment{rep(0, 5), rep(8, 12)}, duration: 12,
		want: turnWant{
			talkRep: 9, silence: 3,
			monologues: []Monologue{mono(Rep, 0, 5), mono(Rep, 8, 12)},
		},
	},
	{
		name: "monologue not broken by a 2.9 s silence",
		segs: []Segment{rep(0, 5), rep(7.9, 12)}, duration: 12,
		want: turnWant{
			talkRep: 9.1, silence: 2.9,
			monologues: []Monologue{mono(Rep, 0, 12)},
		},
	},
	{
		name: "monologue not broken by a backchannel, even one splitting a 4 s pause",
		segs: []Segment{rep(0, 5), cust(6.5, 7), rep(9, 12)}, duration: 12,
		want: turnWant{
			talkRep: 8, talkCust: 0.5, silence: 3.5,
			backchannels: []Backchannel{bc(6.5, Customer, 0.5)},
			monologues:   []Monologue{mono(Rep, 0, 12)},
		},
	},
	{
		name: "after a break the holder's next speech, however short, opens a new monologue",
		segs: []Segment{cust(0, 4), cust(8, 8.5), rep(9, 9.4)}, duration: 10,
		want: turnWant{
			talkCust: 4.5, talkRep: 0.4, silence: 4 + 0.5 + 0.6,
			longSilences: []Span{span(4, 8)},
			backchannels: []Backchannel{bc(9, Rep, 0.4)},
			monologues:   []Monologue{mono(Customer, 0, 4), mono(Customer, 8, 8.5)},
		},
	},
	{
		name: "patience: mean and median of gaps >= 0, overlaps left out, touching counts 0",
		segs: []Segment{
			cust(0, 5), rep(5.5, 10), // gap 0.5
			cust(10, 15), rep(14.8, 20), // early start: -0.2, left out
			cust(21, 25), rep(26, 30), // gap 1.0
			cust(30.5, 35), rep(35, 40), // touching: gap 0
		},
		duration: 40,
		want: turnWant{
			talkRep: 18.7, talkCust: 18.5, overlap: 0.2, silence: 0.5 + 1 + 1 + 0.5,
			monologues: []Monologue{
				mono(Customer, 0, 5), mono(Rep, 5.5, 10), mono(Customer, 10, 15), mono(Rep, 14.8, 20),
				mono(Customer, 21, 25), mono(Rep, 26, 30), mono(Customer, 30.5, 35), mono(Rep, 35, 40),
			},
			floorChanges: 7,
			patience:     Patience{Mean: sec(0.5), Median: sec(0.5), Count: 3},
		},
	},
	{
		name: "long silences include the start and the end of the recording",
		segs: []Segment{rep(5, 10), cust(14, 16), cust(16.5, 20)}, duration: 30,
		want: turnWant{
			talkRep: 5, talkCust: 5.5, silence: 5 + 4 + 0.5 + 10,
			longSilences: []Span{span(0, 5), span(10, 14), span(20, 30)},
			monologues:   []Monologue{mono(Rep, 5, 10), mono(Customer, 14, 20)},
			floorChanges: 1,
			patience:     Patience{},
		},
	},
	{
		name:     "interactivity: six 10 s turns in a minute are five floor changes",
		segs:     []Segment{rep(0, 10), cust(10, 20), rep(20, 30), cust(30, 40), rep(40, 50), cust(50, 60)},
		duration: 60,
		want: turnWant{
			talkRep: 30, talkCust: 30,
			monologues: []Monologue{
				mono(Rep, 0, 10), mono(Customer, 10, 20), mono(Rep, 20, 30),
				mono(Customer, 30, 40), mono(Rep, 40, 50), mono(Customer, 50, 60),
			},
			floorChanges: 5,
			patience:     Patience{Mean: 0, Median: 0, Count: 2},
		},
	},
	{
		name: "talking over a backchannel is no interruption",
		segs: []Segment{rep(0, 5), cust(5.2, 6), rep(5.4, 9)}, duration: 9,
		want: turnWant{
			talkRep: 8.6, talkCust: 0.8, overlap: 0.6, silence: 0.2,
			backchannels: []Backchannel{bc(5.2, Customer, 0.8)},
			monologues:   []Monologue{mono(Rep, 0, 9)},
		},
	},
	{
		name: "simultaneous starts: nobody interrupts, the longer takes the floor",
		segs: []Segment{rep(0, 5), cust(0, 3)}, duration: 5,
		want: turnWant{
			talkRep: 5, talkCust: 3, overlap: 3,
			monologues: []Monologue{mono(Rep, 0, 5)},
		},
	},
	{
		name: "touching and overlapping segments of one party merge; a short first word is no backchannel",
		segs: []Segment{rep(0, 0.6), rep(0.6, 1.2), cust(2, 2.5), cust(2.4, 2.8)}, duration: 3,
		want: turnWant{
			talkRep: 1.2, talkCust: 0.8, silence: 1,
			backchannels: []Backchannel{bc(2, Customer, 0.8)},
			monologues:   []Monologue{mono(Rep, 0, 1.2)},
		},
	},
	{
		name: "no floor yet: short utterances are plain talk",
		segs: []Segment{cust(0, 0.5), rep(0.8, 1.3), cust(1.5, 3)}, duration: 4,
		want: turnWant{
			talkRep: 0.5, talkCust: 2, silence: 0.3 + 0.2 + 1,
			monologues: []Monologue{mono(Customer, 1.5, 3)},
		},
	},
	{
		name: "segments past the end are clipped, unsorted input sorted",
		segs: []Segment{cust(6, 12), rep(0, 5), rep(-1, 0.5)}, duration: 10,
		want: turnWant{
			talkRep: 5, talkCust: 4, silence: 1,
			monologues:   []Monologue{mono(Rep, 0, 5), mono(Customer, 6, 10)},
			floorChanges: 1,
		},
	},
	{
		name: "one party only", segs: []Segment{rep(2, 20)}, duration: 30,
		want: turnWant{
			talkRep: 18, silence: 12,
			longSilences: []Span{span(20, 30)},
			monologues:   []Monologue{mono(Rep, 2, 20)},
		},
	},
	{
		name: "no segments", duration: 60,
		want: turnWant{silence: 60, longSilences: []Span{span(0, 60)}},
	},
	{
		name: "zero duration clips everything", segs: []Segment{rep(0, 5)}, duration: 0,
		want: turnWant{},
	},
}

func TestMeasureTurns(t *testing.T) {
	cfg := DefaultConfig()
	for _, tc := range turnCases {
		t.Run(tc.name, func(t *testing.T) {
			r := Measure(tc.segs, TwoParty, sec(tc.duration).D(), cfg)
			w := tc.want
			checkDur(t, "talk rep", r.Talk.Rep, w.talkRep)
			checkDur(t, "talk customer", r.Talk.Customer, w.talkCust)
			checkDur(t, "overlap", r.Overlap, w.overlap)
			checkDur(t, "silence", r.Silence, w.silence)
			checkSlice(t, "long silences", r.LongSilences, w.longSilences)
			checkSlice(t, "interruptions", r.Interruptions, w.interruptions)
			checkSlice(t, "backchannels", r.Backchannels, w.backchannels)
			checkSlice(t, "monologues", r.Monologues, w.monologues)
			if r.FloorChanges != w.floorChanges {
				t.Errorf("floor changes: got %d, want %d", r.FloorChanges, w.floorChanges)
			}
			if r.Patience != w.patience {
				t.Errorf("patience: got %+v, want %+v", r.Patience, w.patience)
			}
			checkInvariants(t, tc.segs, r, sec(tc.duration).D())
		})
	}
}

func checkDur(t *testing.T, what string, got Dur, want float64) {
	t.Helper()
	if got != sec(want) {
		t.Errorf("%s: got %v, want %v", what, got.D(), sec(want).D())
	}
}

func checkSlice[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: got nil slice, want non-nil", what)
	}
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestMeasureLongestMonologueAndInteractivity(t *testing.T) {
	// Rep: 0-20 (20 s) and 40-45; customer: 20-38 story (18 s).
	segs := []Segment{rep(0, 20), cust(20, 38), rep(40, 45), cust(41, 41.4)}
	r := Measure(segs, TwoParty, 2*time.Minute, DefaultConfig())
	checkDur(t, "longest rep monologue", r.LongestMonologue.Rep, 20)
	checkDur(t, "longest customer story", r.LongestMonologue.Customer, 18)
	if r.FloorChanges != 2 {
		t.Errorf("floor changes: got %d, want 2", r.FloorChanges)
	}
	if got, want := r.Interactivity, 1.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("interactivity: got %v, want %v", got, want)
	}
	if got, want := r.RepTalkShare, 25.0/43.4; math.Abs(got-want) > 1e-9 {
		t.Errorf("rep talk share: got %v, want %v", got, want)
	}
	checkSlice(t, "backchannels", r.Backchannels, []Backchannel{bc(41, Customer, 0.4)})
	if r.Patience != (Patience{Mean: sec(2), Median: sec(2), Count: 1}) {
		t.Errorf("patience: got %+v, want mean 2 s, count 1", r.Patience)
	}
}

func TestMeasurePatienceMedian(t *testing.T) {
	// Gaps 0.2, 0.4, 1.5: mean 0.7, median 0.4.
	segs := []Segment{
		cust(0, 5), rep(5.2, 10),
		cust(11, 15), rep(15.4, 20),
		cust(21, 25), rep(26.5, 30),
	}
	r := Measure(segs, TwoParty, 30*time.Second, DefaultConfig())
	want := Patience{Mean: sec(0.7), Median: sec(0.4), Count: 3}
	if r.Patience != want {
		t.Errorf("patience: got %+v, want %+v", r.Patience, want)
	}
}

func TestMeasureMono(t *testing.T) {
	segs := []Segment{
		{Speaker: Unattributed, Start: sec(1), End: sec(5)},
		{Speaker: Rep, Start: sec(4), End: sec(8)}, // any party counts as mixed
		{Speaker: Unattributed, Start: sec(15), End: sec(16)},
	}
	r := Measure(segs, OneChannel, 20*time.Second, DefaultConfig())
	checkDur(t, "talk mixed", r.Talk.Unattributed, 8)
	checkDur(t, "talk rep", r.Talk.Rep, 0)
	checkDur(t, "silence", r.Silence, 12)
	checkSlice(t, "long silences", r.LongSilences, []Span{span(8, 15), span(16, 20)})
	checkSlice(t, "segments", r.Segments, []Segment{
		{Speaker: Unattributed, Start: sec(1), End: sec(8)},
		{Speaker: Unattributed, Start: sec(15), End: sec(16)},
	})
	if r.Listening.Verdict != NoVerdict {
		t.Errorf("verdict: got %q, want none", r.Listening.Verdict)
	}
	if len(r.Notes) != 1 || r.Notes[0] != MonoNote {
		t.Errorf("notes: got %q, want the mono note", r.Notes)
	}
	if len(r.Interruptions)+len(r.Backchannels)+len(r.Monologues) != 0 || r.RepTalkShare != 0 {
		t.Errorf("mono result has turn figures: %+v", r)
	}
}

// TestMeasureJSONEmptySlices: slices travel as [] rather than null, so a
// reader never has to tell "none" from "missing".
func TestMeasureJSONEmptySlices(t *testing.T) {
	for _, layout := range []Layout{TwoParty, OneChannel} {
		r := Measure(nil, layout, 0, DefaultConfig())
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "null") {
			t.Errorf("layout %d: JSON has null: %s", layout, s)
		}
		for _, k := range []string{`"segments":[]`, `"long_silences":[]`, `"interruptions":[]`, `"backchannels":[]`} {
			if !strings.Contains(s, k) {
				t.Errorf("layout %d: JSON lacks %s: %s", layout, k, s)
			}
		}
	}
}

func TestMeasureDoesNotTouchInput(t *testing.T) {
	segs := []Segment{cust(6, 12), rep(0, 5), rep(4, 6)}
	orig := append([]Segment(nil), segs...)
	r := Measure(segs, TwoParty, 10*time.Second, DefaultConfig())
	if !reflect.DeepEqual(segs, orig) {
		t.Errorf("input changed: got %v, want %v", segs, orig)
	}
	r.Segments[0].End = 0
	if !reflect.DeepEqual(segs, orig) {
		t.Errorf("result shares memory with the input")
	}
}

// checkInvariants holds for any input: what the fuzz target checks.
func checkInvariants(t *testing.T, segs []Segment, r Result, duration time.Duration) {
	t.Helper()
	d := Dur(max(duration, 0))
	if r.Duration != d {
		t.Errorf("duration: got %v, want %v", r.Duration, d)
	}
	if r.Talk.Rep > d || r.Talk.Customer > d || r.Talk.Rep < 0 || r.Talk.Customer < 0 {
		t.Errorf("talk %+v outside [0, %v]", r.Talk, d)
	}
	if r.RepTalkShare < 0 || r.RepTalkShare > 1 || math.IsNaN(r.RepTalkShare) {
		t.Errorf("rep talk share %v outside [0,1]", r.RepTalkShare)
	}
	if r.Overlap < 0 || r.Overlap > min(r.Talk.Rep, r.Talk.Customer) {
		t.Errorf("overlap %v outside [0, min talk %+v]", r.Overlap, r.Talk)
	}
	if got := r.Silence + r.Talk.Rep + r.Talk.Customer - r.Overlap; got != d {
		t.Errorf("silence+talk-overlap: got %v, want duration %v", got.D(), d.D())
	}
	var long time.Duration
	for i, s := range r.LongSilences {
		if s.Len() < DefaultConfig().LongSilence || s.Start < 0 || s.End > d || (i > 0 && s.Start < r.LongSilences[i-1].End) {
			t.Errorf("bad long silence %+v", s)
		}
		long += s.Len()
	}
	if long > r.Silence.D() {
		t.Errorf("long silences %v exceed silence %v", long, r.Silence.D())
	}
	for i, s := range r.Segments {
		if s.End <= s.Start || s.Start < 0 || s.End > d {
			t.Errorf("bad segment %+v", s)
		}
		if i > 0 && s.Start < r.Segments[i-1].Start {
			t.Errorf("segments out of order at %d", i)
		}
	}
	for i, in := range r.Interruptions {
		if in.Overlap.D() < DefaultConfig().InterruptOverlap || in.At < 0 || in.At > d || (i > 0 && in.At < r.Interruptions[i-1].At) {
			t.Errorf("bad interruption %+v", in)
		}
	}
	for _, b := range r.Backchannels {
		if b.Duration >= Dur(DefaultConfig().FloorMin) || b.Duration <= 0 {
			t.Errorf("bad backchannel %+v", b)
		}
		for _, in := range r.Interruptions {
			if in.At == b.At && in.By == b.By {
				t.Errorf("backchannel %+v counted as interruption", b)
			}
		}
	}
	for _, m := range r.Monologues {
		if m.End <= m.Start || m.End-m.Start > r.LongestMonologue.Of(m.Speaker) {
			t.Errorf("bad monologue %+v (longest %+v)", m, r.LongestMonologue)
		}
	}
	if r.FloorChanges < 0 || r.FloorChanges > len(r.Segments) {
		t.Errorf("floor changes %d with %d segments", r.FloorChanges, len(r.Segments))
	}
	if r.Patience.Count < 0 || r.Patience.Mean < 0 || r.Patience.Median < 0 || (r.Patience.Count == 0 && r.Patience != (Patience{})) {
		t.Errorf("bad patience %+v", r.Patience)
	}
	if r.Listening.Score < 0 || r.Listening.Score > 100 {
		t.Errorf("score %d outside 0..100", r.Listening.Score)
	}
	if r.Listening.Reasons == nil {
		t.Errorf("reasons nil")
	}
}

// FuzzMeasure: random segment lists never panic and keep the invariants.
// Each 3 bytes make one segment: party, start (0.1 s steps), length.
func FuzzMeasure(f *testing.F) {
	for _, tc := range turnCases {
		var b []byte
		for _, s := range tc.segs {
			b = append(b, byte(s.Speaker), byte(s.Start.Seconds()*10), byte(s.Len().Seconds()*10))
		}
		f.Add(b, uint16(tc.duration*10))
	}
	f.Fuzz(func(t *testing.T, data []byte, dur uint16) {
		var segs []Segment
		for i := 0; i+2 < len(data); i += 3 {
			start := time.Duration(data[i+1]) * 100 * time.Millisecond
			length := time.Duration(int8(data[i+2])) * 100 * time.Millisecond // may be negative
			segs = append(segs, Segment{Speaker: Speaker(data[i] % 4), Start: Dur(start), End: Dur(start + length)})
		}
		duration := time.Duration(dur) * 10 * time.Millisecond
		r := Measure(segs, TwoParty, duration, DefaultConfig())
		checkInvariants(t, segs, r, duration)
		if err := WriteSummary(io.Discard, &r); err != nil {
			t.Fatal(err)
		}
		m := Measure(segs, OneChannel, duration, DefaultConfig())
		if m.Silence+m.Talk.Unattributed != Dur(duration) {
			t.Errorf("mono silence+talk: got %v, want %v", (m.Silence + m.Talk.Unattributed).D(), duration)
		}
	})
}

// hourOfCall builds about 1,500 segments of a one-hour call: turns of 3 to
// 11 s with backchannels, early starts and interruptions.
func hourOfCall() []Segment {
	var segs []Segment
	t := 0.0
	spk := Rep
	for i := 0; t < 3590; i++ {
		n := 3 + float64(i%9)
		if spk == Rep {
			segs = append(segs, rep(t, t+n/2), rep(t+n/2+0.5, t+n))
		} else {
			segs = append(segs, cust(t, t+n/2), cust(t+n/2+0.5, t+n))
		}
		// A backchannel from the listener in the middle of the turn.
		b := Segment{Speaker: spk.Other(), Start: sec(t + n/4), End: sec(t + n/4 + 0.4)}
		segs = append(segs, b)
		switch i % 5 {
		case 0:
			t += n - 0.7 // interruption
		case 1:
			t += n - 0.2 // early start
		default:
			t += n + 0.6
		}
		spk = spk.Other()
	}
	return segs
}

func BenchmarkMeasure(b *testing.B) {
	segs := hourOfCall()
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		Measure(segs, TwoParty, time.Hour, cfg)
	}
	b.ReportMetric(float64(len(segs)), "segments")
}
