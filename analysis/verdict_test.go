package analysis

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// scriptDrivenCall: a 250 s call where the rep talks 84% of the time in
// 70 s stretches and talks through five attempts of the customer to speak.
func scriptDrivenCall() []Segment {
	return []Segment{
		rep(0, 70), cust(20, 21.5), cust(45, 46.5),
		cust(70.5, 78.5),
		rep(79, 149), cust(100, 101.5), cust(125, 126.5), cust(140, 141.5),
		cust(149.5, 157.5),
		rep(158, 228),
		cust(228.5, 236.5), cust(240, 248.5),
	}
}

// attentiveCall: a 3-minute call of short rep turns, customer stories, a
// pause before each answer and a few backchannels from the rep.
func attentiveCall() []Segment {
	var segs []Segment
	t := 0.0
	for i := 0; t < 170; i++ {
		segs = append(segs, rep(t, t+6))                          // question
		segs = append(segs, cust(t+6.6, t+20))                    // story
		segs = append(segs, rep(t+10, t+10.4), rep(t+15, t+15.5)) // mm-hm
		t += 20.8
	}
	return segs
}

func TestJudgeScriptDriven(t *testing.T) {
	r := Measure(scriptDrivenCall(), TwoParty, 250*time.Second, DefaultConfig())
	if got := math.Round(r.RepTalkShare * 100); got != 84 {
		t.Fatalf("rep talk share: got %v%%, want 84%%", got)
	}
	var talkedOver int
	for _, in := range r.Interruptions {
		if in.By == Customer && !in.Yielded {
			talkedOver++
		}
	}
	if talkedOver != 5 {
		t.Fatalf("customer attempts talked over: got %d, want 5 (%+v)", talkedOver, r.Interruptions)
	}
	l := r.Listening
	if l.Verdict != VerdictScriptDriven {
		t.Errorf("verdict: got %q (score %d), want script-driven; reasons %q", l.Verdict, l.Score, l.Reasons)
	}
	if l.Score >= DefaultVerdictConfig().MixedMin {
		t.Errorf("score: got %d, want under %d", l.Score, DefaultVerdictConfig().MixedMin)
	}
	want := []string{
		"You talked 84% of the call (target: under 55%)",
		"You talked over the customer 5 times when they tried to speak, 12 per 10 minutes (target: at most 1 per 10 minutes)",
	}
	if len(l.Reasons) < 2 || !slices.Equal(l.Reasons[:2], want) {
		t.Errorf("first reasons:\n got %q\nwant %q", l.Reasons, want)
	}
	t.Logf("score %d, reasons:\n%s", l.Score, strings.Join(l.Reasons, "\n"))
	if len(l.Factors) != 7 {
		t.Fatalf("factors: got %d, want 7", len(l.Factors))
	}
	for _, f := range l.Factors {
		if f.Reason == "" || f.Target == "" || f.Unit == "" {
			t.Errorf("factor %q is missing words: %+v", f.Name, f)
		}
		if !strings.Contains(f.Reason, "(target: "+f.Target+")") {
			t.Errorf("factor %q reason %q does not name its target %q", f.Name, f.Reason, f.Target)
		}
	}
}

func TestJudgeListening(t *testing.T) {
	r := Measure(attentiveCall(), TwoParty, 3*time.Minute, DefaultConfig())
	l := r.Listening
	if l.Verdict != VerdictListening || l.Score < 90 {
		t.Errorf("verdict: got %q score %d, want listening with 90+; reasons %q", l.Verdict, l.Score, l.Reasons)
	}
	for _, f := range l.Factors {
		if !f.OK {
			t.Errorf("factor %s missed: %s", f.Name, f.Reason)
		}
	}
	if len(r.Backchannels) == 0 || r.Patience.Count == 0 {
		t.Errorf("test call lacks backchannels or answers: %d, %+v", len(r.Backchannels), r.Patience)
	}
}

func TestJudgeNoVerdict(t *testing.T) {
	cases := []struct {
		name     string
		segs     []Segment
		duration time.Duration
		layout   Layout
		reason   string
	}{
		{"short call", []Segment{rep(0, 10), cust(10.5, 20)}, 25 * time.Second, TwoParty,
			"No verdict: the call is only 25 s long; CallCoach judges calls of 30 s or more."},
		{"customer silent", []Segment{rep(0, 50), cust(55, 56)}, time.Minute, TwoParty,
			"No verdict: too little conversation to judge (rep 50 s, customer 1 s of speech; each needs 3 s or more)."},
		{"nobody spoke", nil, time.Minute, TwoParty,
			"No verdict: too little conversation to judge (rep 0 s, customer 0 s of speech; each needs 3 s or more)."},
		{"mono", []Segment{rep(0, 50)}, time.Minute, OneChannel,
			"No verdict: the speech of this one-channel recording was not split between the rep and the customer."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := Measure(tc.segs, tc.layout, tc.duration, DefaultConfig()).Listening
			if l.Verdict != NoVerdict || l.Score != 0 {
				t.Errorf("got verdict %q score %d, want none and 0", l.Verdict, l.Score)
			}
			if len(l.Reasons) != 1 || l.Reasons[0] != tc.reason {
				t.Errorf("reasons: got %q, want %q", l.Reasons, tc.reason)
			}
		})
	}
}

func TestGoalCost(t *testing.T) {
	lower := Goal{Better: LowerBetter, Target: 55, Worst: 80, Weight: 30}
	higher := Goal{Better: HigherBetter, Target: 10, Worst: 2, Weight: 10}
	step := Goal{Better: LowerBetter, Target: 1, Worst: 1, Weight: 7}
	stepUp := Goal{Better: HigherBetter, Target: 1, Worst: 1, Weight: 7}
	cases := []struct {
		g      Goal
		v      float64
		points float64
		ok     bool
	}{
		{lower, 40, 0, true},
		{lower, 55, 0, true},
		{lower, 67.5, 15, false},
		{lower, 80, 30, false},
		{lower, 95, 30, false},
		{higher, 12, 0, true},
		{higher, 6, 5, false},
		{higher, 0, 10, false},
		{step, 1, 0, true},
		{step, 1.5, 7, false},
		{stepUp, 1, 0, true},
		{stepUp, 1.5, 0, true},
		{stepUp, 0.5, 7, false},
	}
	for _, tc := range cases {
		p, ok := tc.g.cost(tc.v)
		if math.Abs(p-tc.points) > 1e-9 || ok != tc.ok {
			t.Errorf("%+v.cost(%v): got %v, %v; want %v, %v", tc.g, tc.v, p, ok, tc.points, tc.ok)
		}
	}
}

func TestJudgeBandsAndScaling(t *testing.T) {
	r := Result{
		Duration:         Dur(10 * time.Minute),
		Talk:             PerParty{Rep: Dur(4 * time.Minute), Customer: Dur(4 * time.Minute)},
		RepTalkShare:     0.675, // half way from 55 to 80: costs 15 of 30
		LongestMonologue: PerParty{Rep: Dur(time.Minute), Customer: Dur(time.Minute)},
		Interactivity:    3,
	}
	cfg := DefaultVerdictConfig()
	// Patience does not apply (no answers): 15 lost of 95 -> 84.
	if l := Judge(&r, cfg); l.Score != 84 || l.Verdict != VerdictListening || len(l.Factors) != 6 {
		t.Errorf("got score %d %q with %d factors, want 84 listening with 6", l.Score, l.Verdict, len(l.Factors))
	}
	cfg.ListeningMin = 90
	if l := Judge(&r, cfg); l.Verdict != VerdictMixed {
		t.Errorf("got %q, want mixed with listening_min 90", l.Verdict)
	}
	cfg.MixedMin = 85
	if l := Judge(&r, cfg); l.Verdict != VerdictScriptDriven {
		t.Errorf("got %q, want script-driven with mixed_min 85", l.Verdict)
	}
}

// TestVerdictConfigJSON: the settings screen edits the config as JSON; the
// names are part of the file format.
func TestVerdictConfigJSON(t *testing.T) {
	b, err := json.Marshal(DefaultVerdictConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"rep_talk_share_pct":{"better":"lower","target":55,"worst":80,"weight":30}`, `"longest_customer_story_s":{"better":"higher"`, `"customer_talked_over_per_10min"`, `"listening_min":80`, `"patience_s"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
	var back VerdictConfig
	if err := json.Unmarshal(b, &back); err != nil || back != DefaultVerdictConfig() {
		t.Errorf("round trip: got %+v, %v", back, err)
	}
	var sum float64
	d := DefaultVerdictConfig()
	for _, g := range []Goal{d.RepTalkShare, d.RepInterruptions, d.TalkedOver, d.LongestMonologue, d.CustomerStory, d.Interactivity, d.Patience} {
		sum += g.Weight
	}
	if sum != 100 {
		t.Errorf("default weights: got sum %v, want 100", sum)
	}
}

func TestVerdictConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*VerdictConfig)
		want   string // "" for valid
	}{
		{"defaults", func(*VerdictConfig) {}, ""},
		{"negative weight", func(c *VerdictConfig) { c.Patience.Weight = -1 }, "the patience goal needs"},
		{"NaN target", func(c *VerdictConfig) { c.RepTalkShare.Target = math.NaN() }, "the rep talk share goal needs"},
		{"no weights", func(c *VerdictConfig) {
			for _, x := range c.goals() {
				x.g.Weight = 0
			}
		}, "needs a weight above zero"},
		{"bands crossed", func(c *VerdictConfig) { c.MixedMin = 85 }, "must start at or below"},
		{"target past worst, lower better", func(c *VerdictConfig) { c.RepTalkShare.Target = 85 },
			"the rep talk share goal's target (85) is past its worst (80): lower is better here, so the target must be at or below the worst"},
		{"target past worst, higher better", func(c *VerdictConfig) { c.CustomerStory.Target = 1 },
			"the longest customer story goal's target (1) is past its worst (2): higher is better here"},
		{"no direction", func(c *VerdictConfig) { c.Patience.Better = "" }, "must say whether lower or higher is better"},
		{"equal target and worst", func(c *VerdictConfig) { c.Interactivity.Target = 0.5 }, ""},
		{"band over 100", func(c *VerdictConfig) { c.ListeningMin = 101 }, "between 0 and 100"},
		{"negative minimum", func(c *VerdictConfig) { c.MinCall = -time.Second }, "cannot be negative"},
	}
	for _, tc := range cases {
		c := DefaultVerdictConfig()
		tc.change(&c)
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: got %v, want valid", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

func TestPctNear(t *testing.T) {
	for _, tc := range []struct {
		v, target float64
		want      string
	}{
		{84.2, 55, "84%"},
		{54.5, 55, "54.5%"},
		{55.4, 55, "55.4%"},
		{55, 55, "55%"},
		{54.4, 50, "54%"},
		{54.5, 50, "55%"},
	} {
		if got := pctNear(tc.v, tc.target); got != tc.want {
			t.Errorf("pctNear(%v, %v): got %q, want %q", tc.v, tc.target, got, tc.want)
		}
	}
}

// TestVerdictConfigLegacy: settings saved before goals carried their
// direction still load, with the direction of each figure, and a goal the
// old screen inverted (target moved past the worst) is repaired once.
func TestVerdictConfigLegacy(t *testing.T) {
	old := `{"rep_talk_share_pct":{"target":85,"worst":80,"weight":30},` +
		`"longest_customer_story_s":{"target":12,"worst":2,"weight":10},` +
		`"interactivity_per_min":{"target":1,"worst":1,"weight":10},` +
		`"listening_min":75,"mixed_min":50}`
	c := DefaultVerdictConfig()
	if err := json.Unmarshal([]byte(old), &c); err != nil {
		t.Fatal(err)
	}
	want := []Goal{
		{Better: LowerBetter, Target: 85, Worst: 110, Weight: 30},
		{Better: HigherBetter, Target: 12, Worst: 2, Weight: 10},
		{Better: HigherBetter, Target: 1, Worst: 1, Weight: 10},
	}
	for i, g := range []Goal{c.RepTalkShare, c.CustomerStory, c.Interactivity} {
		if g != want[i] {
			t.Errorf("goal %d: got %+v, want %+v", i, g, want[i])
		}
	}
	if err := c.Validate(); err != nil {
		t.Errorf("loaded legacy settings: %v", err)
	}
	// A rep at 40% now meets the target; one at 90% loses a little.
	if p, ok := c.RepTalkShare.cost(40); !ok || p != 0 {
		t.Errorf("40%% talk: got %v points, ok %v; want 0, met", p, ok)
	}
	if p, ok := c.RepTalkShare.cost(90); ok || p != 6 {
		t.Errorf("90%% talk: got %v points, ok %v; want 6, missed", p, ok)
	}
	// Saved again, the direction is explicit, and loads unchanged.
	b, _ := json.Marshal(c)
	if !strings.Contains(string(b), `"rep_talk_share_pct":{"better":"lower","target":85,"worst":110`) {
		t.Errorf("saved: %s", b)
	}
	back := DefaultVerdictConfig()
	if err := json.Unmarshal(b, &back); err != nil || back != c {
		t.Errorf("round trip: got %+v, %v; want %+v", back, err, c)
	}
	// A goal decoded on its own infers its direction from target and worst.
	var g Goal
	if err := json.Unmarshal([]byte(`{"target":10,"worst":2,"weight":5}`), &g); err != nil || g.Better != HigherBetter {
		t.Errorf("bare goal: got %+v, %v; want higher better", g, err)
	}
}
