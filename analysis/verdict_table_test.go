package analysis

import (
	"strings"
	"testing"
	"time"
)

// coachCall is a call as a coach sees it at a glance: its figures and the
// verdict they would give without a second thought.
type coachCall struct {
	name       string
	dur        time.Duration
	share      float64 // rep talk share, %
	repInt     int     // rep interruptions
	talkedOver int     // customer attempts the rep talked over
	mono       float64 // rep's longest monologue, % of call
	story      float64 // customer's longest story, s
	inter      float64 // floor changes per minute
	patience   float64 // mean wait before answering, s (0: never answered)
	script     *ScriptEvidence
	read       float64 // % of the rep's talk in a monologue that sounds read (0: none measured)
	want       Verdict
}

// result builds the figures Judge reads.
func (c coachCall) result() Result {
	talk := 0.8 * c.dur.Seconds()
	rep := time.Duration(talk * c.share / 100 * float64(time.Second))
	r := Result{
		Duration:         Dur(c.dur),
		Talk:             PerParty{Rep: Dur(rep), Customer: Dur(time.Duration(talk*float64(time.Second)) - rep)},
		RepTalkShare:     c.share / 100,
		LongestMonologue: PerParty{Rep: Dur(time.Duration(c.mono / 100 * float64(c.dur))), Customer: Dur(time.Duration(c.story * float64(time.Second)))},
		Interactivity:    c.inter,
		Script:           c.script,
	}
	for i := range c.repInt {
		r.Interruptions = append(r.Interruptions, Interruption{At: Dur(time.Duration(i+1) * time.Second), By: Rep, Yielded: true})
	}
	for i := range c.talkedOver {
		r.Interruptions = append(r.Interruptions, Interruption{At: Dur(time.Duration(i+20) * time.Second), By: Customer})
	}
	if c.patience > 0 {
		r.Patience = Patience{Mean: Dur(time.Duration(c.patience * float64(time.Second))), Count: 5}
	}
	// One rep segment holds all of the rep's talk; a monologue at its start
	// holding c.read% of it sounds read (likelihood 0.95), and another
	// after it does not (0.2).
	r.Segments = []Segment{{Speaker: Rep, Start: 0, End: Dur(rep)}}
	if c.read > 0 {
		end := Dur(time.Duration(float64(rep) * c.read / 100))
		r.Delivery = []DeliveryCue{
			{Start: 0, End: end, ReadLikelihood: ptr(0.95), RateCV: ptr(0.08), Phrase: ptr(2.4)},
			{Start: end, End: end + Dur(10*time.Second), ReadLikelihood: ptr(0.2)},
		}
	}
	return r
}

// reuse is the evidence of a rep who says the same pitch call after call.
func reuse(share float64, longest time.Duration, sharing, considered int) *ScriptEvidence {
	return &ScriptEvidence{ReusedShare: share, Longest: Dur(longest), LongestAt: Dur(35 * time.Second), CallsSharing: sharing, CallsConsidered: considered}
}

// coachTable: calls a coach would judge at a glance. The defaults of
// VerdictConfig must agree with every row.
var coachTable = []coachCall{
	// Clear listening.
	{name: "discovery call", dur: 5 * time.Minute, share: 40, mono: 10, story: 25, inter: 4, patience: 0.5, want: VerdictListening},
	{name: "short friendly call", dur: 2 * time.Minute, share: 45, repInt: 1, mono: 15, story: 15, inter: 3, patience: 0.4, want: VerdictListening},
	{name: "46 s call, rep listens", dur: 46 * time.Second, share: 40, mono: 20, story: 12, inter: 4, patience: 0.4, want: VerdictListening},
	{name: "customer complains at length", dur: 5 * time.Minute, share: 25, mono: 8, story: 90, inter: 1, patience: 0.6, want: VerdictListening},
	{name: "rep explains a plan, then listens", dur: 6 * time.Minute, share: 58, repInt: 1, mono: 22, story: 12, inter: 2.5, patience: 0.4, want: VerdictListening},
	{name: "same greeting on every call", dur: 5 * time.Minute, share: 42, mono: 10, story: 25, inter: 4, patience: 0.5,
		script: reuse(0.06, 6*time.Second, 12, 14), want: VerdictListening},

	// Clear script.
	{name: "talks over a customer who tries", dur: 4 * time.Minute, share: 84, repInt: 2, talkedOver: 5, mono: 30, story: 4, inter: 1, patience: 0.1, want: VerdictScriptDriven},
	{name: "pitch read call after call", dur: 5 * time.Minute, share: 78, mono: 45, story: 5, inter: 0.8, patience: 0.6,
		script: reuse(0.6, 40*time.Second, 12, 14), read: 50, want: VerdictScriptDriven},
	{name: "lecture", dur: 10 * time.Minute, share: 88, repInt: 1, talkedOver: 2, mono: 55, story: 3, inter: 0.4, patience: 0.2, want: VerdictScriptDriven},

	// Borderline: mixed.
	{name: "46 s, 63% talk, 3 interruptions (issue 10)", dur: 46 * time.Second, share: 63, repInt: 3, mono: 26, story: 8, inter: 4, patience: 0.3, want: VerdictMixed},
	{name: "polite script reader (turn-taking only)", dur: 5 * time.Minute, share: 75, mono: 45, story: 5, inter: 0.8, patience: 0.6, want: VerdictMixed},
	{name: "eager rep, many interruptions", dur: 5 * time.Minute, share: 45, repInt: 6, talkedOver: 1, mono: 12, story: 15, inter: 3, patience: 0.2, want: VerdictMixed},
	{name: "talks a lot, interrupts sometimes", dur: 5 * time.Minute, share: 66, repInt: 3, talkedOver: 1, mono: 25, story: 8, inter: 1.8, patience: 0.3, want: VerdictMixed},
	{name: "listens, but reuses half the pitch", dur: 5 * time.Minute, share: 50, mono: 20, story: 15, inter: 2.5, patience: 0.4,
		script: reuse(0.5, 30*time.Second, 12, 14), want: VerdictMixed},
	{name: "product demo, long stretches", dur: 8 * time.Minute, share: 70, mono: 40, story: 6, inter: 1.2, patience: 0.5, want: VerdictMixed},
	{name: "talks over the customer twice in 2 min", dur: 2 * time.Minute, share: 52, talkedOver: 2, mono: 20, story: 12, inter: 3, patience: 0.3, want: VerdictMixed},
	{name: "a read stretch in a fair call", dur: 5 * time.Minute, share: 58, repInt: 1, mono: 30, story: 10, inter: 2, patience: 0.4, read: 40, want: VerdictMixed},
}

func TestVerdictCoachTable(t *testing.T) {
	withReadModel(t)
	cfg := DefaultVerdictConfig()
	for _, c := range coachTable {
		r := c.result()
		l := Judge(&r, cfg)
		if l.Verdict != c.want {
			t.Errorf("%s: got %s (%d), want %s; reasons:\n  %s", c.name, l.Verdict, l.Score, c.want, strings.Join(l.Reasons, "\n  "))
			continue
		}
		old := Judge(&r, previousVerdictConfig())
		t.Logf("| %s | %s (%d) | %s (%d) |", c.name, l.Verdict, l.Score, old.Verdict, old.Score)
	}
}

// withReadModel installs a read-likelihood model of two cues for the
// test's length (the shipped one holds only the cues that passed on real
// speech, see TestDeliveryReadVsSpontaneous), so the verdict's "sounds
// read" path is tested whatever the data let in.
func withReadModel(t *testing.T) {
	saved := readLikelihoodModel
	readLikelihoodModel = readModel{Bias: 0, Cues: []readTerm{
		{Name: "rate_cv", Mean: 0.2, SD: 0.08, Weight: -1},
		{Name: "phrase_s", Mean: 1.3, SD: 0.5, Weight: 1},
	}}
	t.Cleanup(func() { readLikelihoodModel = saved })
}

// previousVerdictConfig is the defaults before issue 10 (for the README's
// table of what changed).
func previousVerdictConfig() VerdictConfig {
	c := DefaultVerdictConfig()
	c.RepInterruptions.Weight = 10
	c.TalkedOver.Weight = 25
	c.CustomerStory.Weight = 10
	c.Interactivity.Weight = 10
	c.ScriptReuse.Weight = 0
	c.ReadDelivery.Weight = 0
	c.ListeningMin = 75
	return c
}

// TestVerdictVoiceReasons: the script-reuse and read-delivery reasons
// appear only where their evidence holds, each with its figure.
func TestVerdictVoiceReasons(t *testing.T) {
	base := coachCall{dur: 5 * time.Minute, share: 50, mono: 20, story: 15, inter: 2.5, patience: 0.4}
	find := func(l Listening, name string) *Factor {
		for i := range l.Factors {
			if l.Factors[i].Name == name {
				return &l.Factors[i]
			}
		}
		return nil
	}
	cfg := DefaultVerdictConfig()
	for _, tc := range []struct {
		name   string
		script *ScriptEvidence
		want   string // "" for no script factor
	}{
		{"never compared", nil, ""},
		{"too few calls compared", reuse(0.5, 30*time.Second, 2, 2), ""},
		{"reused", reuse(0.38, 10*time.Second, 11, 14),
			"You said the same 10-second passage (at 00:35) in 12 of your last 15 calls; 38% of your talk here was said before (target: under 15% of your talk)"},
		{"only bits under the passage length", reuse(0.05, 3*time.Second, 4, 14),
			"5% of your talk repeats short bits of your last 14 calls (target: under 15% of your talk)"},
		{"nothing repeats", reuse(0, 0, 0, 9), "Nothing you said here repeats your last 9 calls (target: under 15% of your talk)"},
	} {
		c := base
		c.script = tc.script
		r := c.result()
		f := find(Judge(&r, cfg), FactorScriptReuse)
		switch {
		case tc.want == "" && f != nil:
			t.Errorf("%s: got a script factor %q, want none", tc.name, f.Reason)
		case tc.want != "" && (f == nil || f.Reason != tc.want):
			t.Errorf("%s: got %+v, want reason %q", tc.name, f, tc.want)
		}
	}

	// Delivery cues without a judged cue (the shipped state) weigh nothing.
	c := base
	r := c.result()
	r.Delivery = []DeliveryCue{{Start: 0, End: Dur(20 * time.Second), RateCV: ptr(0.05), Phrase: ptr(3)}}
	if f := find(Judge(&r, cfg), FactorReadDelivery); f != nil || len(JudgedDeliveryCues()) > 0 {
		t.Errorf("unjudged cues: got factor %+v (judged %q)", f, JudgedDeliveryCues())
	}
	// With a model, a stretch that sounds read is named with its figures.
	withReadModel(t)
	c.read = 40
	r = c.result()
	l := Judge(&r, cfg)
	f := find(l, FactorReadDelivery)
	want := "00:00–00:48 sounds read: steady pace, long phrases (pace varies 8%, phrases of 2.4 s on average), 40% of your talk (target: under 10% of your talk)"
	if f == nil || f.Reason != want || f.OK {
		t.Errorf("read stretch: got %+v, want missed with %q", f, want)
	}
	// A stretch under the likelihood threshold is not named.
	r.Delivery[0].ReadLikelihood = ptr(0.79)
	if f := find(Judge(&r, cfg), FactorReadDelivery); f == nil || !f.OK || f.Reason != "None of your long monologues sounds read (target: under 10% of your talk)" {
		t.Errorf("likelihood 0.79: got %+v", f)
	}
}
