package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Factor names, as they appear in Factor.Name.
const (
	FactorRepTalkShare     = "rep_talk_share"
	FactorRepInterruptions = "rep_interruptions"
	FactorTalkedOver       = "customer_talked_over"
	FactorLongestMonologue = "longest_monologue"
	FactorCustomerStory    = "longest_customer_story"
	FactorInteractivity    = "interactivity"
	FactorPatience         = "patience"
	FactorScriptReuse      = "script_reuse"
	FactorReadDelivery     = "read_delivery"
)

// Judge scores how well the rep listened on a two-party call measured into
// r, against cfg's targets: a score 0..100 (100 less the points each factor
// costs, scaled to the weights that apply), the verdict of its band, and the
// reasons in plain words.
//
// Reasons list the factors that missed their target first, costliest first,
// then those that met it; each names the measured figure and its target.
// Factors lists every factor in a fixed order (that of VerdictConfig).
//
// A call too short or with too little speech from either party gets
// NoVerdict, Score 0 and a reason saying why; its Factors are still filled
// in for display. A one-channel result gets NoVerdict unless its voices
// were split with confidence and the rep's is known (Diarization.Judgeable);
// when they were, the reasons open by saying so. A two-party call whose
// recording warns that its channels look swapped or that one side is silent
// gets NoVerdict too (Recording.withheld). Callers should read Score only
// when Verdict is not NoVerdict.
func Judge(r *Result, cfg VerdictConfig) Listening {
	if d := r.Diarization; d != nil {
		if why := d.unjudgeable(); why != "" {
			return Listening{Verdict: NoVerdict, Reasons: []string{why}, Factors: []Factor{}}
		}
	} else if r.Talk.Unattributed > 0 || r.Channels.OneChannel != "" {
		return Listening{
			Verdict: NoVerdict,
			Reasons: []string{"No verdict: the speech of this one-channel recording was not split between the rep and the customer."},
			Factors: []Factor{},
		}
	}
	l := judgeTwoParty(r, cfg)
	if why := r.Recording.withheld(); why != "" && r.Diarization == nil && l.Verdict != NoVerdict {
		// The rep's figures would be the customer's, or one side is not
		// there: no verdict, whatever the figures say. The factors stay
		// for display.
		l.Verdict, l.Score = NoVerdict, 0
		l.Reasons = append([]string{why}, l.Reasons...)
	}
	if d := r.Diarization; d != nil && l.Verdict != NoVerdict {
		l.Reasons = append([]string{d.fromOneChannel()}, l.Reasons...)
	}
	return l
}

// judgeTwoParty is Judge for a call whose parties are known.
func judgeTwoParty(r *Result, cfg VerdictConfig) Listening {
	fs := factors(r, cfg)
	l := Listening{Reasons: []string{}, Factors: fs}

	switch dur := r.Duration.D(); {
	case dur < cfg.MinCall:
		l.Reasons = append(l.Reasons, fmt.Sprintf("No verdict: the call is only %s long; CallCoach judges calls of %s or more.", fmtDur(dur), fmtDur(cfg.MinCall)))
	case r.Talk.Rep.D() < cfg.MinPartyTalk || r.Talk.Customer.D() < cfg.MinPartyTalk:
		l.Reasons = append(l.Reasons, fmt.Sprintf("No verdict: too little conversation to judge (rep %s, customer %s of speech; each needs %s or more).",
			fmtDur(r.Talk.Rep.D()), fmtDur(r.Talk.Customer.D()), fmtDur(cfg.MinPartyTalk)))
	}
	if len(l.Reasons) > 0 {
		l.Verdict = NoVerdict
		return l
	}

	var lost, weight float64
	for _, f := range fs {
		lost += f.Points
	}
	for _, g := range goalsApplied(r, cfg) {
		weight += g.Weight
	}
	score := 100.0
	if weight > 0 {
		score = 100 * (1 - lost/weight)
	}
	l.Score = min(max(int(math.Round(score)), 0), 100)
	switch {
	case l.Score >= cfg.ListeningMin:
		l.Verdict = VerdictListening
	case l.Score >= cfg.MixedMin:
		l.Verdict = VerdictMixed
	default:
		l.Verdict = VerdictScriptDriven
	}

	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := fs[a], fs[b]
		if fa.OK != fb.OK {
			if !fa.OK {
				return -1
			}
			return 1
		}
		switch {
		case fa.Points > fb.Points:
			return -1
		case fa.Points < fb.Points:
			return 1
		}
		return 0
	})
	for _, i := range order {
		l.Reasons = append(l.Reasons, fs[i].Reason)
	}
	return l
}

// goalsApplied returns the goals of the factors that apply to r (patience
// only when the rep answered at least one customer turn; script reuse and
// read delivery only where their evidence exists).
func goalsApplied(r *Result, cfg VerdictConfig) []Goal {
	gs := []Goal{cfg.RepTalkShare, cfg.RepInterruptions, cfg.TalkedOver, cfg.LongestMonologue, cfg.CustomerStory, cfg.Interactivity}
	if r.Patience.Count > 0 {
		gs = append(gs, cfg.Patience)
	}
	if scriptApplies(r, cfg) {
		gs = append(gs, cfg.ScriptReuse)
	}
	if deliveryApplies(r) {
		gs = append(gs, cfg.ReadDelivery)
	}
	return gs
}

// scriptApplies: the call was compared with enough of the rep's other
// calls for reuse to be judged.
func scriptApplies(r *Result, cfg VerdictConfig) bool {
	return r.Script.compared() && r.Script.CallsConsidered >= cfg.ScriptMinCalls
}

// deliveryApplies: some cue that separated read from spontaneous speech on
// held-out speakers was measured on at least one of the rep's monologues.
func deliveryApplies(r *Result) bool {
	for _, d := range r.Delivery {
		if d.ReadLikelihood != nil {
			return true
		}
	}
	return false
}

// factors measures each factor against its goal.
func factors(r *Result, cfg VerdictConfig) []Factor {
	var repInt, talkedOver int
	for _, in := range r.Interruptions {
		switch {
		case in.By == Rep:
			repInt++
		case in.By == Customer && !in.Yielded:
			talkedOver++
		}
	}
	// Rates per 10 minutes; a call shorter than RateMinCall counts as that
	// long.
	per10 := func(n int) float64 { return cfg.Per10Min(n, r.Duration.D()) }
	// rateNote adds the rate to a count when the two differ.
	rateNote := func(n int) string {
		rate := round(per10(n), 1)
		if rate == float64(n) {
			return ""
		}
		return ", " + num(rate) + " per 10 minutes"
	}
	monoPct := 0.0
	if r.Duration > 0 {
		monoPct = 100 * float64(r.LongestMonologue.Rep) / float64(r.Duration)
	}

	fs := make([]Factor, 0, 9)
	add := func(name string, g Goal, value float64, unit, target, reason string) {
		f := Factor{Name: name, Value: value, Unit: unit, Target: target}
		f.Points, f.OK = g.cost(value)
		f.Points = round(f.Points, 2)
		f.Reason = reason + " (target: " + target + ")"
		fs = append(fs, f)
	}

	g := cfg.RepTalkShare
	share := round(100*r.RepTalkShare, 1)
	// Words round the measured figure once, as the summary and the app do
	// (rounding the 0.1-rounded value again would say 54% where they say 55%).
	add(FactorRepTalkShare, g, share, "%", bound(g, num(g.Target)+"%"),
		"You talked "+pctNear(100*r.RepTalkShare, g.Target)+" of the call")

	g = cfg.RepInterruptions
	rate := round(per10(repInt), 1)
	reason := "You never cut in on the customer"
	if repInt > 0 {
		reason = "You cut in on the customer " + times(repInt) + rateNote(repInt)
	}
	add(FactorRepInterruptions, g, rate, "per 10 min", bound(g, num(g.Target)+" per 10 minutes"), reason)

	g = cfg.TalkedOver
	rate = round(per10(talkedOver), 1)
	reason = "You never talked over the customer when they tried to speak"
	if talkedOver > 0 {
		reason = "You talked over the customer " + times(talkedOver) + " when they tried to speak" + rateNote(talkedOver)
	}
	add(FactorTalkedOver, g, rate, "per 10 min", bound(g, num(g.Target)+" per 10 minutes"), reason)

	g = cfg.LongestMonologue
	add(FactorLongestMonologue, g, round(monoPct, 1), "% of call", bound(g, num(g.Target)+"% of the call"),
		fmt.Sprintf("Your longest monologue ran %s, %s of the call", fmtDur(r.LongestMonologue.Rep.D()), pctNear(monoPct, g.Target)))

	g = cfg.CustomerStory
	story := round(r.LongestMonologue.Customer.Seconds(), 1)
	add(FactorCustomerStory, g, story, "s", bound(g, num(g.Target)+" s"),
		fmt.Sprintf("The customer's longest story ran %s", fmtDur(r.LongestMonologue.Customer.D())))

	g = cfg.Interactivity
	inter := round(r.Interactivity, 1)
	add(FactorInteractivity, g, inter, "per min", bound(g, num(g.Target)+" a minute"),
		fmt.Sprintf("The conversation changed hands %s times a minute", num(inter)))

	if r.Patience.Count > 0 {
		g = cfg.Patience
		p := round(r.Patience.Mean.Seconds(), 2)
		add(FactorPatience, g, p, "s", bound(g, num(g.Target)+" s"),
			fmt.Sprintf("You waited %s s on average before answering the customer", num(p)))
	}
	if scriptApplies(r, cfg) {
		g = cfg.ScriptReuse
		e := r.Script
		share := 100 * e.ReusedShare
		reason := fmt.Sprintf("Nothing you said here repeats your last %d calls", e.CallsConsidered)
		if e.CallsSharing > 0 && e.Longest.D() >= cfg.ScriptMinPassage {
			reason = fmt.Sprintf("You said the same %s passage (at %s) in %d of your last %d calls; %s of your talk here was said before",
				passageLen(e.Longest.D()), clock(e.LongestAt.D()), e.CallsSharing+1, e.CallsConsidered+1, pctNear(share, g.Target))
		} else if share > 0 {
			reason = fmt.Sprintf("%s of your talk repeats short bits of your last %d calls", pctNear(share, g.Target), e.CallsConsidered)
		}
		add(FactorScriptReuse, g, round(share, 1), "% of your talk", bound(g, num(g.Target)+"% of your talk"), reason)
	}

	if deliveryApplies(r) {
		g = cfg.ReadDelivery
		read, share := readStretches(r, cfg)
		reason := "None of your long monologues sounds read"
		if len(read) > 0 {
			d := read[0]
			span := clock(d.Start.D()) + "–" + clock(d.End.D())
			if len(read) > 1 {
				span += fmt.Sprintf(" and %d more %s", len(read)-1, plural(len(read)-1, "stretch", "stretches"))
			}
			verb := "sounds"
			if len(read) > 1 {
				verb = "sound"
			}
			words, figs := deliveryWords(d)
			reason = fmt.Sprintf("%s %s read: %s (%s), %s of your talk", span, verb, words, figs, pctNear(share, g.Target))
		}
		add(FactorReadDelivery, g, round(share, 1), "% of your talk", bound(g, num(g.Target)+"% of your talk"), reason)
	}
	return fs
}

// readStretches returns the rep's monologues whose read likelihood reaches
// cfg.SoundsRead, most likely first, and the share (percent) of the rep's
// talk inside them.
func readStretches(r *Result, cfg VerdictConfig) ([]DeliveryCue, float64) {
	var read []DeliveryCue
	for _, d := range r.Delivery {
		if d.ReadLikelihood != nil && *d.ReadLikelihood >= cfg.SoundsRead {
			read = append(read, d)
		}
	}
	slices.SortStableFunc(read, func(a, b DeliveryCue) int {
		switch {
		case *a.ReadLikelihood > *b.ReadLikelihood:
			return -1
		case *a.ReadLikelihood < *b.ReadLikelihood:
			return 1
		}
		return 0
	})
	if r.Talk.Rep <= 0 {
		return read, 0
	}
	var in time.Duration
	for _, d := range read {
		for _, s := range r.Segments {
			if s.Speaker == Rep {
				in += max(0, min(s.End, d.End).D()-max(s.Start, d.Start).D())
			}
		}
	}
	return read, min(100, 100*float64(in)/float64(r.Talk.Rep))
}

// deliveryWords words what made a stretch sound read, from the judged cues
// only, and their figures.
func deliveryWords(d DeliveryCue) (words, figures string) {
	var ws, fs []string
	for _, t := range readLikelihoodModel.Cues {
		v := cueByName(d, t.Name)
		if v == nil {
			continue
		}
		switch t.Name {
		case "rate_cv":
			ws = append(ws, "steady pace")
			fs = append(fs, fmt.Sprintf("pace varies %.0f%%", 100**v))
		case "pause_cv":
			ws = append(ws, "evenly spaced pauses")
			fs = append(fs, fmt.Sprintf("pauses vary %.0f%%", 100**v))
		case "phrase_s":
			ws = append(ws, "long phrases")
			fs = append(fs, fmt.Sprintf("phrases of %s s on average", num(round(*v, 1))))
		case "pitch_range_st":
			ws = append(ws, "pitch range")
			fs = append(fs, fmt.Sprintf("pitch spans %s semitones", num(round(*v, 1))))
		case "pitch_declination_st_s":
			ws = append(ws, "pitch falling through each phrase")
			fs = append(fs, fmt.Sprintf("%s semitones a second", num(round(*v, 1))))
		case "rate_syl_s":
			ws = append(ws, "pace")
			fs = append(fs, fmt.Sprintf("%s syllables a second", num(round(*v, 1))))
		case "filled_per_min":
			ws = append(ws, "few uhs and ums")
			fs = append(fs, fmt.Sprintf("%s a minute", num(round(*v, 1))))
		}
	}
	return strings.Join(ws, ", "), strings.Join(fs, ", ")
}

// passageLen words a passage's length as an adjective: "10-second",
// "2-minute".
func passageLen(d time.Duration) string {
	if s := int(math.Round(d.Seconds())); s < 60 {
		return strconv.Itoa(s) + "-second"
	}
	return strconv.Itoa(int(math.Round(d.Minutes()))) + "-minute"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// bound words a goal's target: "at least X" when higher is better, else
// "under X" for shares and "at most X" for counts.
func bound(g Goal, x string) string {
	switch {
	case g.Better == HigherBetter:
		return "at least " + x
	case strings.Contains(x, "%"):
		return "under " + x
	}
	return "at most " + x
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

// num formats a figure with no more decimals than it needs.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// FormatDuration words a duration for a reader: "0.4 s", "12 s",
// "2 min 05 s", "1 h 02 min" — the wording of the reasons, the app and
// the reports.
func FormatDuration(d time.Duration) string { return fmtDur(d) }

func fmtDur(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 10:
		return num(round(s, 1)) + " s"
	case s < 60:
		return fmt.Sprintf("%.0f s", s)
	case s < 3600:
		t := int(math.Round(s))
		return fmt.Sprintf("%d min %02d s", t/60, t%60)
	}
	t := int(math.Round(s / 60))
	return fmt.Sprintf("%d h %02d min", t/60, t%60)
}

// Per10Min returns n events in a call of length call as a rate per 10
// minutes, counting a call shorter than RateMinCall as that long (so one
// interruption in a 30 s call reads as a habit, not as 20 per 10 minutes).
// The verdict, the library's trends and the app all use it, so a rate means
// the same everywhere.
func (c VerdictConfig) Per10Min(n int, call time.Duration) float64 {
	return float64(n) * 10 / max(call, c.RateMinCall, time.Second).Minutes()
}

// pctNear words a percentage rounded to a whole number, or to a tenth where
// the whole number would land on the target and hide which side of it the
// figure is ("54.5% (target: under 55%)", not "55% (target: under 55%)").
func pctNear(v, target float64) string {
	if math.Round(v) == target && v != target {
		return fmt.Sprintf("%.1f%%", math.Round(v*10)/10)
	}
	return fmt.Sprintf("%.0f%%", math.Round(v))
}
