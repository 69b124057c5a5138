package analysis

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Goal is one input of the listening score: the figure's target, the value
// at which it costs all of its weight, and that weight.
//
// Target above Worst means higher is better (the factor is met at Target or
// above); Target below Worst means lower is better. Between Target and Worst
// the cost grows linearly from 0 to Weight; beyond Worst it stays at Weight.
// Target == Worst makes the factor all or nothing.
type Goal struct {
	Target float64 `json:"target"`
	Worst  float64 `json:"worst"`
	Weight float64 `json:"weight"`
}

// cost returns the points the measured value v takes off, 0..Weight, and
// whether v meets the target.
func (g Goal) cost(v float64) (points float64, ok bool) {
	higherBetter := g.Target > g.Worst
	ok = v <= g.Target
	if higherBetter {
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

// VerdictConfig holds the listening score's targets, weights and bands. The
// weights of the defaults add up to 100, so a factor's weight is the most
// points it can cost; other weights work too (the score is scaled by the sum
// of the weights of the factors that apply to a call).
//
// Rates "per 10 minutes" count a call shorter than RateMinCall as that
// long: one interruption in a 1-minute call is not ten per 10 minutes.
type VerdictConfig struct {
	// RepTalkShare: the rep's share of all talk, in percent. Default:
	// target under 55%, worst 80%, weight 30. Gong Labs' talk-to-listen
	// ratio (519,000 discovery calls): top reps sit near 43%, and results
	// fall off above 65%; 55% leaves room for a demo or an explanation.
	RepTalkShare Goal `json:"rep_talk_share_pct"`
	// RepInterruptions: the rep's interruptions of the customer per 10
	// minutes, yielded or not. Default: at most 2, worst 8, weight 10
	// (CallCoach's choice: an occasional eager start is human; one every
	// minute or two is a habit).
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
	// at least 10 s, worst 2 s, weight 10 (after Gong's finding that longer
	// customer stories go with successful calls; 10 s is a few full
	// sentences).
	CustomerStory Goal `json:"longest_customer_story_s"`
	// Interactivity: floor changes per minute. Default: at least 2, worst
	// 0.5, weight 10 (CallCoach's choice: a back-and-forth of turns under
	// half a minute each meets it; one hand-over in two minutes is a
	// lecture).
	Interactivity Goal `json:"interactivity_per_min"`
	// Patience: the rep's mean wait, in seconds, between the end of the
	// customer's speech and taking the floor. Default: at least 0.3 s,
	// worst 0.05 s, weight 5. Conversation's usual turn gap is about
	// 0.2 s (Stivers et al., PNAS 2009); Gong reports that top reps wait a
	// little longer before answering. Left out of calls where the rep never
	// answered a customer turn.
	Patience Goal `json:"patience_s"`

	// ListeningMin: a score at or above this is "listening" (default 75:
	// talking 84% of the time costs 30 points, so such a call cannot be
	// "listening" however well it does otherwise).
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
		RepTalkShare:     Goal{Target: 55, Worst: 80, Weight: 30},
		RepInterruptions: Goal{Target: 2, Worst: 8, Weight: 10},
		TalkedOver:       Goal{Target: 1, Worst: 4, Weight: 25},
		LongestMonologue: Goal{Target: 25, Worst: 60, Weight: 10},
		CustomerStory:    Goal{Target: 10, Worst: 2, Weight: 10},
		Interactivity:    Goal{Target: 2, Worst: 0.5, Weight: 10},
		Patience:         Goal{Target: 0.3, Worst: 0.05, Weight: 5},
		ListeningMin:     75,
		MixedMin:         50,
		RateMinCall:      3 * time.Minute,
		MinCall:          30 * time.Second,
		MinPartyTalk:     3 * time.Second,
	}
}

// Validate says, in a sentence for the settings screen, what is wrong with
// c, or returns nil. Judge copes with any values; Validate catches those
// that would make the verdict meaningless.
func (c VerdictConfig) Validate() error {
	goals := []struct {
		name string
		g    Goal
	}{
		{"rep talk share", c.RepTalkShare},
		{"rep interruptions", c.RepInterruptions},
		{"customer talked over", c.TalkedOver},
		{"longest monologue", c.LongestMonologue},
		{"longest customer story", c.CustomerStory},
		{"interactivity", c.Interactivity},
		{"patience", c.Patience},
	}
	var sum float64
	for _, x := range goals {
		for _, v := range []float64{x.g.Target, x.g.Worst, x.g.Weight} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("the %s goal needs target, worst and weight of zero or more", x.name)
			}
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
	case c.MinCall < 0 || c.MinPartyTalk < 0 || c.RateMinCall < 0:
		return errors.New("the minimum call length, talk and rate length cannot be negative")
	}
	return nil
}
