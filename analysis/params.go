package analysis

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Param is one setting of the analysis a person may change: the one table
// that both the settings screen and the README's table of parameters are
// made from (TestParamsDoc keeps the README in step).
type Param struct {
	// Key is the setting's path in Config's JSON, e.g.
	// "verdict.rep_talk_share_pct.target".
	Key string
	// Label names it on the settings screen, Unit says in what it counts
	// ("s", "%", "per 10 min", "points", or "" for a plain number).
	Label, Unit string
	// Source says where the default comes from.
	Source string
	// Whole: only whole numbers make sense.
	Whole bool
	// Get reads the value from a Config, Set writes it (durations in
	// seconds).
	Get func(*Config) float64
	Set func(*Config, float64)

	dur bool // a time.Duration (nanoseconds in JSON)
}

// Default returns the parameter's default value.
func (p Param) Default() float64 {
	c := DefaultConfig()
	return p.Get(&c)
}

func durParam(key, label, source string, f func(*Config) *time.Duration) Param {
	return Param{Key: key, Label: label, Unit: "s", Source: source, dur: true,
		Get: func(c *Config) float64 { return f(c).Seconds() },
		Set: func(c *Config, v float64) { *f(c) = time.Duration(math.Round(v * float64(time.Second))) },
	}
}

func intParam(key, label, unit, source string, f func(*Config) *int) Param {
	return Param{Key: key, Label: label, Unit: unit, Source: source, Whole: true,
		Get: func(c *Config) float64 { return float64(*f(c)) },
		Set: func(c *Config, v float64) { *f(c) = int(math.Round(v)) },
	}
}

func floatParam(key, label, unit, source string, f func(*Config) *float64) Param {
	return Param{Key: key, Label: label, Unit: unit, Source: source,
		Get: func(c *Config) float64 { return *f(c) },
		Set: func(c *Config, v float64) { *f(c) = v },
	}
}

// goalParams are a goal's target, worst and weight. The direction is not a
// parameter: it belongs to the figure (a higher talk share is never
// better), so no edit can invert a goal.
func goalParams(key, label, unit, source string, f func(*Config) *Goal) []Param {
	dir := func() string {
		c := DefaultConfig()
		if f(&c).Better == HigherBetter {
			return "higher is better"
		}
		return "lower is better"
	}()
	return []Param{
		floatParam("verdict."+key+".target", label+": target ("+dir+")", unit, source, func(c *Config) *float64 { return &f(c).Target }),
		floatParam("verdict."+key+".worst", label+": worst (costs the whole weight)", unit, source, func(c *Config) *float64 { return &f(c).Worst }),
		floatParam("verdict."+key+".weight", label+": weight", "points", source, func(c *Config) *float64 { return &f(c).Weight }),
	}
}

// Params lists the analysis' parameters in the order the settings screen
// shows them.
func Params() []Param {
	ps := []Param{
		durParam("bridge_gap", "Bridge gap", "spec: gaps under 0.3 s belong to the segment", func(c *Config) *time.Duration { return &c.BridgeGap }),
		durParam("floor_min", "Floor-taking utterance", "spec: 1.0 s; shorter is a backchannel", func(c *Config) *time.Duration { return &c.FloorMin }),
		durParam("interrupt_overlap", "Interruption overlap", "spec: 0.5 s of both speaking", func(c *Config) *time.Duration { return &c.InterruptOverlap }),
		durParam("yield_within", "Yield within", "spec: 1.5 s", func(c *Config) *time.Duration { return &c.YieldWithin }),
		durParam("long_silence", "Long silence", "spec: VoiceBase silence incident, 4 s", func(c *Config) *time.Duration { return &c.LongSilence }),
		durParam("monologue_break", "Monologue break", "spec: VoiceBase streak rule, 3 s", func(c *Config) *time.Duration { return &c.MonologueBreak }),
	}
	ps = append(ps, goalParams("rep_talk_share_pct", "Rep talk share", "%", "Gong talk-to-listen: top reps ≈43%, over 65% hurts", func(c *Config) *Goal { return &c.Verdict.RepTalkShare })...)
	ps = append(ps, goalParams("rep_interruptions_per_10min", "Rep interruptions", "per 10 min", "CallCoach: an occasional eager start is human", func(c *Config) *Goal { return &c.Verdict.RepInterruptions })...)
	ps = append(ps, goalParams("customer_talked_over_per_10min", "Customer talked over", "per 10 min", "CallCoach: the most direct sign of not listening", func(c *Config) *Goal { return &c.Verdict.TalkedOver })...)
	ps = append(ps, goalParams("longest_monologue_pct", "Longest monologue", "% of call", "after Gong: successful reps keep monologues short", func(c *Config) *Goal { return &c.Verdict.LongestMonologue })...)
	ps = append(ps, goalParams("longest_customer_story_s", "Longest customer story", "s", "after Gong: longer customer stories, better calls", func(c *Config) *Goal { return &c.Verdict.CustomerStory })...)
	ps = append(ps, goalParams("interactivity_per_min", "Interactivity", "per min", "CallCoach: turns under half a minute", func(c *Config) *Goal { return &c.Verdict.Interactivity })...)
	ps = append(ps, goalParams("patience_s", "Patience", "s", "Stivers et al. 2009 (turn gap ≈0.2 s); Gong", func(c *Config) *Goal { return &c.Verdict.Patience })...)
	ps = append(ps, goalParams("script_reuse_pct", "Script reuse", "% of rep talk", "CallCoach: a greeting stays under 15%", func(c *Config) *Goal { return &c.Verdict.ScriptReuse })...)
	ps = append(ps,
		intParam("verdict.script_min_calls", "Script reuse: other calls needed", "calls", "CallCoach", func(c *Config) *int { return &c.Verdict.ScriptMinCalls }),
		durParam("verdict.script_min_passage", "Script reuse: shortest passage named", "CallCoach (issue 10: 4 s)", func(c *Config) *time.Duration { return &c.Verdict.ScriptMinPassage }),
	)
	ps = append(ps,
		durParam("repeats.min_passage", "Repeated passage from", "issue 10: 4 s", func(c *Config) *time.Duration { return &c.Repeats.MinPassage }),
		floatParam("repeats.similarity", "Repeated passage: frame similarity", "0–1", "CallCoach: re-said speech aligns at 0.6–0.95, other words at ≈0.25", func(c *Config) *float64 { return &c.Repeats.Similarity }),
	)
	ps = append(ps, goalParams("read_delivery_pct", "Read delivery", "% of rep talk", "CallCoach; judged only through cues that passed on real speech", func(c *Config) *Goal { return &c.Verdict.ReadDelivery })...)
	ps = append(ps,
		floatParam("verdict.sounds_read", "Sounds read from likelihood", "0–1", "CallCoach", func(c *Config) *float64 { return &c.Verdict.SoundsRead }),
		durParam("delivery.min_monologue", "Delivery cues from monologues of", "issue 10: 8 s", func(c *Config) *time.Duration { return &c.Delivery.MinMonologue }),
		intParam("verdict.listening_min", "Listening from score", "", "CallCoach: the coach's table of calls", func(c *Config) *int { return &c.Verdict.ListeningMin }),
		intParam("verdict.mixed_min", "Mixed from score", "", "CallCoach", func(c *Config) *int { return &c.Verdict.MixedMin }),
		durParam("verdict.rate_min_call", "Rates count a shorter call as", "CallCoach: one event in 30 s is not 20 per 10 min", func(c *Config) *time.Duration { return &c.Verdict.RateMinCall }),
		durParam("verdict.min_call", "No verdict under", "CallCoach", func(c *Config) *time.Duration { return &c.Verdict.MinCall }),
		durParam("verdict.min_party_talk", "Each party must speak at least", "CallCoach: a voicemail is not a conversation", func(c *Config) *time.Duration { return &c.Verdict.MinPartyTalk }),
	)
	return ps
}

// Validate says, in a sentence for the settings screen, what is wrong with
// c's parameters, or returns nil: every parameter must be a number of zero
// or more (and whole where it counts), and the verdict's goals and bands
// must make sense (VerdictConfig.Validate: no goal's target past its
// worst).
func (c Config) Validate() error {
	for _, p := range Params() {
		v := p.Get(&c)
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
			return fmt.Errorf("%s must be a number of zero or more", strings.ToLower(p.Label[:1])+p.Label[1:])
		case p.Whole && v != math.Trunc(v):
			return fmt.Errorf("%s must be a whole number", strings.ToLower(p.Label[:1])+p.Label[1:])
		}
	}
	if c.Delivery.MinMonologue < time.Second {
		return fmt.Errorf("delivery cues need monologues of at least 1 s (got %s)", fmtDur(c.Delivery.MinMonologue))
	}
	if err := c.Repeats.Validate(); err != nil {
		return err
	}
	return c.Verdict.Validate()
}

// ParamsMarkdown returns the parameters as a Markdown table: key, label,
// unit, default and source.
func ParamsMarkdown() string {
	var b strings.Builder
	b.WriteString("| key | setting | unit | default | source |\n|---|---|---|---|---|\n")
	for _, p := range Params() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", p.Key, p.Label, p.Unit, num(p.Default()), p.Source)
	}
	return b.String()
}
