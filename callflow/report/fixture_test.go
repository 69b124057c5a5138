package report

import (
	"math/rand/v2"
	"os/exec"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func dur(s float64) analysis.Dur { return analysis.Dur(sec(s)) }

// synthSegments makes a call of the given length whose turns are known by
// construction: the rep and the customer take turns of 1–11 s (the rep's
// longer when scripted), with a short gap or a cut-in between turns, a
// "mm-hm" now and then, and a long silence every few minutes.
func synthSegments(length time.Duration, seed uint64, scripted bool) []analysis.Segment {
	return synthTurns(length, seed, scripted, 10)
}

// synthTurns is synthSegments with turns of 1 s to 1 + spread s (plus 10 s for a scripted rep).
func synthTurns(length time.Duration, seed uint64, scripted bool, spread float64) []analysis.Segment {
	rng := rand.New(rand.NewPCG(seed, 7))
	var segs []analysis.Segment
	t := 0.5
	who := analysis.Rep
	end := length.Seconds() - 1
	for t < end {
		l := 1 + rng.Float64()*spread
		if who == analysis.Rep && scripted {
			l += 10
		}
		e := min(t+l, end)
		segs = append(segs, analysis.Segment{Speaker: who, Start: dur(t), End: dur(e)})
		if who == analysis.Rep && e-t > 6 && rng.IntN(3) == 0 {
			bc := t + (e-t)/2
			segs = append(segs, analysis.Segment{Speaker: analysis.Customer, Start: dur(bc), End: dur(bc + 0.4)})
		}
		switch r := rng.IntN(10); {
		case r < 2: // the other cuts in
			t = e - 1.2
		case r == 9 && e > 60: // a long silence
			t = e + 5
		default:
			t = e + 0.2 + rng.Float64()*0.8
		}
		who = who.Other()
	}
	// Keep each party's segments apart (the segmenter never overlaps a
	// party with itself).
	var out []analysis.Segment
	last := map[analysis.Speaker]analysis.Dur{}
	for _, s := range segs {
		if s.Start < last[s.Speaker] {
			s.Start = last[s.Speaker] + dur(0.1)
		}
		if s.End > s.Start {
			out = append(out, s)
			last[s.Speaker] = s.End
		}
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// fixtureInput is a 6-minute two-party call with annotations (accents,
// "—", "…", overlaps, a point), a clip, a recording warning and delivery
// cues.
func fixtureInput(t testing.TB, length time.Duration, scripted bool) CallInput {
	t.Helper()
	r := analysis.Measure(synthSegments(length, 1, scripted), analysis.TwoParty, length, analysis.DefaultConfig())
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	r.Recording.Warnings = []analysis.Warning{{Code: analysis.WarnNoisy, Message: "The customer's side is noisy: speech stands only 9 dB above the noise, so their figures are less certain."}}
	r.Delivery = []analysis.DeliveryCue{
		{Start: dur(35), End: dur(100), RateSyl: ptr(4.6), RateCV: ptr(0.12), PauseCV: ptr(0.31), Phrase: ptr(3.4), PitchRange: ptr(4.1), FilledPauses: 0, ReadLikelihood: ptr(0.82)},
		{Start: dur(150), End: dur(162), RateSyl: ptr(3.9), RateCV: ptr(0.4), PauseCV: nil, Phrase: ptr(1.8), PitchRange: ptr(7.5), FilledPauses: 3, ReadLikelihood: ptr(0.2)},
	}
	r.Script = &analysis.ScriptEvidence{ReusedShare: 0.34, Longest: dur(14), LongestAt: dur(125), CallsSharing: 5, CallsConsidered: 12}
	c := &store.Call{ID: 42, Title: "Renewal — Müller GmbH", Rep: "Zoë Ångström", Customer: "Jürgen Müller", RecordedAt: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC),
		Duration: length, Source: store.SourceRecorded, Status: store.StatusComplete, Result: &r, Channels: r.Channels}
	as := []store.Annotation{
		{ID: 1, CallID: 42, Start: sec(20), End: sec(31), Tag: "interrupted", Note: "You cut her off — let José finish…", Author: "Dana Øberg"},
		{ID: 2, CallID: 42, Start: sec(25), End: sec(40), Tag: "read the script", Note: "Straight from the pitch deck.", Author: "Dana Øberg"},
		{ID: 3, CallID: 42, Start: sec(95), End: sec(95), Note: "Price: said too early", Author: "Lee"},
		{ID: 4, CallID: 42, Start: sec(200), End: sec(214), Tag: "good question", Note: `"What would make this easier for your team?" — great.`, Author: "Lee"},
	}
	aid := int64(4)
	cid := int64(42)
	clips := []store.Clip{{ID: 1, AnnotationID: &aid, CallID: &cid, Path: "clips/42-good-question.wav", Start: sec(200), End: sec(214),
		Tag: "good question", Note: as[3].Note, Rep: c.Rep, CallTitle: c.Title, Created: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}}
	repeats := []analysis.Repeat{
		{Start: dur(36), End: dur(52), Call: 12, OtherStart: dur(70), OtherEnd: dur(86)},
		{Start: dur(38), End: dur(55), Call: 17, OtherStart: dur(5), OtherEnd: dur(22)},
		{Start: dur(125), End: dur(139), Call: 12, OtherStart: dur(200), OtherEnd: dur(214)},
	}
	return CallInput{Call: c, Annotations: as, Clips: clips, Repeats: repeats, RepeatTitles: map[int64]string{12: "Renewal — Acme", 17: ""},
		Made: time.Date(2026, 3, 3, 9, 5, 0, 0, time.UTC)}
}

func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run 'make deps' (it installs the Debian package) and test again", name)
	}
	return p
}
