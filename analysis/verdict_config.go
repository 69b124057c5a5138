package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Better says which way a goal's figure improves.
type Better string

// The two directions.
const (
	LowerBetter  Better = "lower"
	HigherBetter Better = "higher"
)

// Goal is one input of the listening score: which way the figure improves,
// its target, the value at which it costs all of its weight, and that
// weight.
//
// With LowerBetter the factor is met at Target or below, and Worst must
// not lie below Target; with HigherBetter it is met at Target or above,
// and Worst must not lie above it (Validate refuses a target past its
// worst). Between Target and Worst the cost grows linearly from 0 to
// Weight; beyond Worst it stays at Weight. Target == Worst makes the factor
// all or nothing.
type Goal struct {
	Better Better  `json:"better"`
	Target float64 `json:"target"`
	Worst  float64 `json:"worst"`
	Weight float64 `json:"weight"`

	legacy bool // decoded without "better" (see VerdictConfig.UnmarshalJSON)
}

// UnmarshalJSON reads a goal. Settings saved before goals carried their
// direction have no "better": the direction already in g is kept (loaders
// decode over the defaults, so a known goal keeps the direction of its
// figure: a higher talk share is never better), and a goal decoded over
// nothing infers it from target and worst (target above worst: higher is
// better). From then on it is explicit and saved with the goal.
func (g *Goal) UnmarshalJSON(b []byte) error {
	type plain Goal
	v := plain(*g)
	v.Better, v.legacy = "", false
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Better == "" {
		v.legacy = true
		switch {
		case g.Better != "":
			v.Better = g.Better
		case v.Target > v.Worst:
			v.Better = HigherBetter
		default:
			v.Better = LowerBetter
		}
	}
	*g = Goal(v)
	return nil
}

// cost returns the points the measured value v takes off, 0..Weight, and
// whether v meets the target.
func (g Goal) cost(v float64) (points float64, ok bool) {
	ok = v <= g.Target
	if g.Better == HigherBetter {
		ok = v >= g.Target
	}
	if ok {
		return 0, true
	}
	if g.Target == g.Worst {
		return g.Weight, false
	}
	f := (v - g.Target) / (g.Worst - g.Target)
	return g.Weight * min(max(f, 0), 1), false
}

// check says in a sentence what is wrong with the goal called name.
func (g Goal) check(name string) error {
	for _, v := range []float64{g.Target, g.Worst, g.Weight} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("the %s goal needs target, worst and weight of zero or more", name)
		}
	}
	switch g.Better {
	case LowerBetter:
		if g.Target > g.Worst {
			return fmt.Errorf("the %s goal's target (%s) is past its worst (%s): lower is better here, so the target must be at or below the worst", name, num(g.Target), num(g.Worst))
		}
	case HigherBetter:
		if g.Target < g.Worst {
			return fmt.Errorf("the %s goal's target (%s) is past its worst (%s): higher is better here, so the target must be at or above the worst", name, num(g.Target), num(g.Worst))
		}
	default:
		return fmt.Errorf("the %s goal must say whether lower or higher is better, not %q", name, g.Better)
	}
	return nil
}

// VerdictConfig holds the listening score's targets, weights and bands. The
// weights of the turn-taking factors' defaults add up to 100, so such a
// weight is the most points the factor can cost; the voice's evidence of a
// script (ScriptReuse, ReadDelivery) adds its weight only to calls where
// that evidence exists. The score is scaled by the sum of the weights of
// the factors that apply to a call, so other weights work too.
//
// Rates "per 10 minutes" count a call shorter than RateMinCall as that
// long: one interruption in a 1-minute call is not ten per 10 minutes.
type VerdictConfig struct {
	// RepTalkShare: the rep's share of all talk, in percent. Default:
	// under 55%, worst 80%, weight 30. Gong Labs' talk-to-listen ratio
	// (519,000 discovery calls): top reps sit near 43%, and results fall
	// off above 65%; 55% leaves room for a demo or an explanation.
	RepTalkShare Goal `json:"rep_talk_share_pct"`
	// RepInterruptions: the rep's interruptions of the customer per 10
	// minutes, yielded or not. Default: at most 2, worst 8, weight 20
	// (CallCoach's choice: an occasional eager start is human; one every
	// minute or two is a habit. Weighted 20, was 10: three interruptions
	// in a 46 s call cost only 10 points and such a call scored
	// "listening").
	RepInterruptions Goal `json:"rep_interruptions_per_10min"`
	// TalkedOver: the customer's attempts to speak that the rep talked over
	// (customer interruptions the rep did not yield to), per 10 minutes: the
	// classic sign of pushing through a script. Default: at most 1, worst 4,
	// weight 25 (CallCoach's choice; weighted high because it is the most
	// direct sign of not listening).
	TalkedOver Goal `json:"customer_talked_over_per_10min"`
	// LongestMonologue: the rep's longest monologue, in percent of the call.
	// Default: under 25%, worst 60%, weight 10 (CallCoach's choice, after
	// Gong's finding that successful reps keep monologues short).
	LongestMonologue Goal `json:"longest_monologue_pct"`
	// CustomerStory: the customer's longest monologue, in seconds. Default:
	// at least 10 s, worst 2 s, weight 5 (after Gong's finding that longer
	// customer stories go with successful calls; 10 s is a few full
	// sentences. Weighted 5, was 10: a short call or a customer of few
	// words is not the rep's fault).
	CustomerStory Goal `json:"longest_customer_story_s"`
	// Interactivity: floor changes per minute. Default: at least 2, worst
	// 0.5, weight 5 (CallCoach's choice: a back-and-forth of turns under
	// half a minute each meets it; one hand-over in two minutes is a
	// lecture. Weighted 5, was 10: a customer telling a long story lowers
	// it too, and the rep's own long stretches already cost through
	// LongestMonologue).
	Interactivity Goal `json:"interactivity_per_min"`
	// Patience: the rep's mean wait, in seconds, between the end of the
	// customer's speech and taking the floor. Default: at least 0.3 s,
	// worst 0.05 s, weight 5. Conversation's usual turn gap is about
	// 0.2 s (Stivers et al., PNAS 2009); Gong reports that top reps wait a
	// little longer before answering. Left out of calls where the rep never
	// answered a customer turn.
	Patience Goal `json:"patience_s"`

	// ScriptReuse: the share of the rep's talk, in percent, that repeats
	// passages of their other recent calls (Result.Script). Default: under
	// 15%, worst 50%, weight 40 (CallCoach's choice: a greeting and a
	// compliance line said on every call stay under 15% of a few minutes'
	// talk; half the talk said before is a pitch read again, and must make
	// a call of good turn-taking "mixed": with the other weights' 100, 40
	// costs a call at its worst 29 points). Applies only when the call was
	// compared with ScriptMinCalls or more other calls.
	ScriptReuse Goal `json:"script_reuse_pct"`
	// ScriptMinCalls: how many of the rep's other calls must have been
	// compared before reuse is judged (default 3).
	ScriptMinCalls int `json:"script_min_calls"`
	// ScriptMinPassage: the longest repeated passage must be at least this
	// long for the reason to name it (default 4 s, the passage
	// length).
	ScriptMinPassage time.Duration `json:"script_min_passage"`
	// ReadDelivery: the share of the rep's talk, in percent, inside
	// monologues that sound read (read_likelihood at or above SoundsRead).
	// Default: under 10%, worst 40%, weight 30 (CallCoach's choice: 40% of
	// the rep's talk read aloud makes an otherwise fair call "mixed").
	// Applies only to calls with delivery cues and only through the cues
	// that separated real read from real spontaneous speech on held-out
	// speakers (JudgedDeliveryCues); with none, never.
	ReadDelivery Goal `json:"read_delivery_pct"`
	// SoundsRead: the read_likelihood (0..1) at or above which a monologue
	// "sounds read" (default 0.8; at it, see the README for how many held-
	// out read and spontaneous clips pass).
	SoundsRead float64 `json:"sounds_read"`

	// ListeningMin: a score at or above this is "listening" (default 80,
	// was 75: talking 84% of the time costs 30 points, so such a call
	// cannot be "listening" however well it does otherwise; and the calls
	// a coach calls "mixed" at a glance — verdict_table_test.go — score at
	// most 74, so 80 leaves a margin for measurement).
	ListeningMin int `json:"listening_min"`
	// MixedMin: a score at or above this (and below ListeningMin) is
	// "mixed"; below it, "script-driven" (default 50: 84% talk plus a habit of
	// talking over the customer is script-driven).
	MixedMin int `json:"mixed_min"`

	// RateMinCall: rates per 10 minutes count a shorter call as this long
	// (default 3 min), so a single event in a very short call is not
	// blown up tenfold, while two talk-overs in a 2-minute call still are a
	// habit.
	RateMinCall time.Duration `json:"rate_min_call"`
	// MinCall: a call shorter than this gets no verdict (default 30 s).
	MinCall time.Duration `json:"min_call"`
	// MinPartyTalk: each party must speak at least this long for a verdict
	// (default 3 s): a voicemail or a dead line is not a conversation.
	MinPartyTalk time.Duration `json:"min_party_talk"`
}

// DefaultVerdictConfig returns the documented defaults.
func DefaultVerdictConfig() VerdictConfig {
	return VerdictConfig{
		RepTalkShare:     Goal{Better: LowerBetter, Target: 55, Worst: 80, Weight: 30},
		RepInterruptions: Goal{Better: LowerBetter, Target: 2, Worst: 8, Weight: 15},
		TalkedOver:       Goal{Better: LowerBetter, Target: 1, Worst: 4, Weight: 30},
		LongestMonologue: Goal{Better: LowerBetter, Target: 25, Worst: 60, Weight: 10},
		CustomerStory:    Goal{Better: HigherBetter, Target: 10, Worst: 2, Weight: 5},
		Interactivity:    Goal{Better: HigherBetter, Target: 2, Worst: 0.5, Weight: 5},
		Patience:         Goal{Better: HigherBetter, Target: 0.3, Worst: 0.05, Weight: 5},
		ScriptReuse:      Goal{Better: LowerBetter, Target: 15, Worst: 50, Weight: 40},
		ScriptMinCalls:   3,
		ScriptMinPassage: 4 * time.Second,
		ReadDelivery:     Goal{Better: LowerBetter, Target: 10, Worst: 40, Weight: 30},
		SoundsRead:       0.8,
		ListeningMin:     80,
		MixedMin:         50,
		RateMinCall:      3 * time.Minute,
		MinCall:          30 * time.Second,
		MinPartyTalk:     3 * time.Second,
	}
}

// UnmarshalJSON reads settings, also those saved before goals carried
// their direction. Those came from a screen that edited only the target,
// so a target moved past its worst was saved inverted (a talk-share target
// of 85 against a worst of 80 made 40% lose every point): such a goal keeps
// its figure's direction and its target, and its worst moves past the
// target by the default's distance (85 → worst 110), once, on load.
func (c *VerdictConfig) UnmarshalJSON(b []byte) error {
	type plain VerdictConfig
	v := plain(*c)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = VerdictConfig(v)
	def := DefaultVerdictConfig()
	dg := def.goals()
	for i, x := range c.goals() {
		g := x.g
		if !g.legacy {
			continue
		}
		g.legacy = false
		span := math.Abs(dg[i].g.Worst - dg[i].g.Target)
		switch {
		case g.Better == LowerBetter && g.Target > g.Worst:
			g.Worst = g.Target + span
		case g.Better == HigherBetter && g.Target < g.Worst:
			g.Worst = max(0, g.Target-span)
		}
	}
	return nil
}

// goals lists the config's goals with the names sentences use, in the
// order of Listening.Factors.
func (c *VerdictConfig) goals() []struct {
	name string
	g    *Goal
} {
	return []struct {
		name string
		g    *Goal
	}{
		{"rep talk share", &c.RepTalkShare},
		{"rep interruptions", &c.RepInterruptions},
		{"customer talked over", &c.TalkedOver},
		{"longest monologue", &c.LongestMonologue},
		{"longest customer story", &c.CustomerStory},
		{"interactivity", &c.Interactivity},
		{"patience", &c.Patience},
		{"script reuse", &c.ScriptReuse},
		{"read delivery", &c.ReadDelivery},
	}
}

// Validate says, in a sentence for the settings screen, what is wrong with
// c, or returns nil. Judge copes with any values; Validate catches those
// that would make the verdict meaningless, such as a goal whose target lies
// past its worst (which would invert it).
func (c VerdictConfig) Validate() error {
	var sum float64
	for _, x := range c.goals() {
		if err := x.g.check(x.name); err != nil {
			return err
		}
		sum += x.g.Weight
	}
	switch {
	case sum == 0:
		return errors.New("at least one verdict factor needs a weight above zero")
	case c.ListeningMin < 0 || c.ListeningMin > 100 || c.MixedMin < 0 || c.MixedMin > 100:
		return errors.New("the verdict bands must lie between 0 and 100")
	case c.MixedMin > c.ListeningMin:
		return fmt.Errorf("the mixed band (from %d) must start at or below the listening band (from %d)", c.MixedMin, c.ListeningMin)
	case c.MinCall < 0 || c.MinPartyTalk < 0 || c.RateMinCall < 0 || c.ScriptMinPassage < 0:
		return errors.New("the minimum call length, talk, rate length and repeated passage cannot be negative")
	case c.ScriptMinCalls < 1:
		return errors.New("script reuse needs at least one other call to compare with")
	case !(c.SoundsRead >= 0 && c.SoundsRead <= 1):
		return errors.New("the read-likelihood threshold must lie between 0 and 1")
	}
	return nil
}
