package report

import (
	"fmt"
	"math"
	"sort"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// RepInput is everything a rep's report shows.
type RepInput struct {
	Rep          string
	Since, Until time.Time // the period (zero: open at that end)
	Calls        []RepCall // the rep's calls in the period, oldest first
	Clips        []store.Clip
	Verdict      analysis.VerdictConfig // the targets the averages are judged by
	Made         time.Time
}

// RepCall is one of the rep's calls with its analysis.
type RepCall struct {
	ID         int64
	Title      string
	Customer   string
	RecordedAt time.Time
	Duration   time.Duration
	Result     *analysis.Result
}

// maxListedCalls is how many calls the rep report lists one by one; past
// it, the report says where the list is.
const maxListedCalls = 40

// RepDocument builds a rep's report for a one-to-one: the calls of the
// period, the averages against their targets, the trend charts with the
// target band, the best and the worst calls, and the clips tagged in the
// period.
func RepDocument(in RepInput) *Document {
	if in.Made.IsZero() {
		in.Made = time.Now()
	}
	calls := make([]RepCall, 0, len(in.Calls))
	for _, c := range in.Calls {
		if c.Result != nil {
			calls = append(calls, c)
		}
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].RecordedAt.Before(calls[j].RecordedAt) })
	d := &Document{Title: orDash(in.Rep), Subtitle: "Rep coaching report",
		Footer: fmt.Sprintf("CallCoach · %s · %s · report made %s", orDash(in.Rep), periodText(in.Since, in.Until, calls), dateTime(in.Made))}

	var talk time.Duration
	n := map[analysis.Verdict]int{}
	warned, doubt := 0, 0
	for _, c := range calls {
		n[c.Result.Listening.Verdict]++
		if len(c.Result.Recording.Warnings) > 0 {
			warned++
		}
		if c.Result.PartiesInDoubt() != "" {
			// The "rep" talk may be the customer's: counted nowhere.
			doubt++
			continue
		}
		talk += (c.Result.Talk.Rep + c.Result.Talk.Unattributed).D()
	}
	facts := [][2]string{
		{"Period", periodText(in.Since, in.Until, calls)},
		{"Calls", fmt.Sprintf("%d: %d listening, %d mixed, %d script-driven", len(calls), n[analysis.VerdictListening], n[analysis.VerdictMixed], n[analysis.VerdictScriptDriven])},
	}
	if k := n[analysis.NoVerdict]; k > 0 {
		facts[1][1] += fmt.Sprintf(", %d without a verdict", k)
	}
	facts = append(facts, [2]string{"Rep talk", length(talk) + " in all"})
	d.Blocks = append(d.Blocks, Facts{Rows: facts})
	if warned > 0 {
		lines := []string{fmt.Sprintf("%s of %d had recording warnings (noise, clipping, a silent or swapped channel): their figures are less certain. Each call's report names them.",
			plural(warned, "call", "calls"), len(calls))}
		if doubt > 0 {
			lines = append(lines, fmt.Sprintf("%s left out of the rep talk, the averages and the trends: the channels look swapped or a side is silent, so whose figures they are is in doubt.",
				plural(doubt, "call is", "calls are")))
		}
		d.Blocks = append(d.Blocks, Notice{Title: "Read first: the recordings", Tone: ToneWarn, Lines: lines})
	}
	if len(calls) == 0 {
		d.Blocks = append(d.Blocks, Para{Text: "No analysed calls of this rep in the period.", Tone: ToneMuted})
		return d
	}

	d.Blocks = append(d.Blocks, Heading{"Averages against the targets"}, averagesTable(calls, in.Verdict))

	d.Blocks = append(d.Blocks, Heading{"Trends"})
	from, to := in.Since, in.Until
	if from.IsZero() || from.After(calls[0].RecordedAt) {
		from = calls[0].RecordedAt
	}
	if !to.IsZero() {
		to = to.Add(-time.Nanosecond) // Until is exclusive
	}
	if to.IsZero() || to.Before(calls[len(calls)-1].RecordedAt) {
		to = calls[len(calls)-1].RecordedAt
	}
	for _, ch := range trendCharts(calls, in.Verdict, from, to) {
		d.Blocks = append(d.Blocks, Figure{Pic: ch.picture(), Alt: ch.title + " over the period"})
	}
	d.Blocks = append(d.Blocks, Para{Small: true, Tone: ToneMuted, Text: "Each dot is a call in its verdict's colour (green listening, amber mixed, red script-driven); the green band is the target."})

	best, worst := bestWorst(calls)
	if len(best) > 0 {
		d.Blocks = append(d.Blocks, Heading{"Best calls"}, callsTable(best, true))
	}
	if len(worst) > 0 {
		d.Blocks = append(d.Blocks, Heading{"Calls to talk about"}, callsTable(worst, true))
	}

	d.Blocks = append(d.Blocks, Heading{"All calls in the period"})
	if len(calls) <= maxListedCalls {
		d.Blocks = append(d.Blocks, callsTable(calls, false))
	} else {
		d.Blocks = append(d.Blocks, Para{Text: fmt.Sprintf("%d calls: too many to list here. The Library lists them (filter by rep and date), as does 'callcoach list --rep \"%s\"'.", len(calls), in.Rep)})
	}

	d.Blocks = append(d.Blocks, Heading{"Clips tagged in the period"})
	ct := Table{Head: []string{"Saved", "Call", "Tag", "Note", "Length"}, Widths: []float64{1.5, 2.6, 1.8, 4, 1},
		Empty: "No clips of this rep were tagged in the period."}
	for _, cl := range in.Clips {
		ct.Rows = append(ct.Rows, []Cell{{Text: cl.Created.Local().Format("2 Jan 2006")}, {Text: orDash(cl.CallTitle) + " at " + clock(cl.Start)},
			{Text: orDash(cl.Tag), Bold: cl.Tag != ""}, {Text: orDash(cl.Note)}, {Text: length(cl.Len())}})
	}
	d.Blocks = append(d.Blocks, ct)
	return d
}

// periodText words the period: "2 Mar 2026 – 31 Mar 2026".
func periodText(since, until time.Time, calls []RepCall) string {
	day := func(t time.Time) string { return t.Local().Format("2 Jan 2006") }
	switch {
	case !since.IsZero() && !until.IsZero():
		return day(since) + " – " + day(until.Add(-time.Nanosecond))
	case !since.IsZero():
		return "from " + day(since)
	case !until.IsZero():
		return "until " + day(until.Add(-time.Nanosecond))
	case len(calls) > 0:
		return day(calls[0].RecordedAt) + " – " + day(calls[len(calls)-1].RecordedAt)
	}
	return "all calls"
}

// goalOf returns the verdict setting a factor is judged by.
func goalOf(cfg analysis.VerdictConfig, name string) (analysis.Goal, bool) {
	switch name {
	case analysis.FactorRepTalkShare:
		return cfg.RepTalkShare, true
	case analysis.FactorRepInterruptions:
		return cfg.RepInterruptions, true
	case analysis.FactorTalkedOver:
		return cfg.TalkedOver, true
	case analysis.FactorLongestMonologue:
		return cfg.LongestMonologue, true
	case analysis.FactorCustomerStory:
		return cfg.CustomerStory, true
	case analysis.FactorInteractivity:
		return cfg.Interactivity, true
	case analysis.FactorPatience:
		return cfg.Patience, true
	case analysis.FactorScriptReuse:
		return cfg.ScriptReuse, true
	case analysis.FactorReadDelivery:
		return cfg.ReadDelivery, true
	}
	return analysis.Goal{}, false
}

// meets says whether v meets g.
func meets(g analysis.Goal, v float64) bool {
	if g.Better == analysis.HigherBetter {
		return v >= g.Target
	}
	return v <= g.Target
}

// averagesTable averages each verdict factor over the calls that have it
// (a mono call has none) and judges the average by today's targets.
func averagesTable(calls []RepCall, cfg analysis.VerdictConfig) Table {
	type acc struct {
		name, unit, target string
		sum, lo, hi        float64
		n, ok              int
	}
	var order []string
	accs := map[string]*acc{}
	var scoreSum float64
	var scored, scoreLo, scoreHi int
	scoreLo = 101
	for _, c := range calls {
		l := c.Result.Listening
		if l.Verdict != analysis.NoVerdict {
			scoreSum += float64(l.Score)
			scored++
			scoreLo, scoreHi = min(scoreLo, l.Score), max(scoreHi, l.Score)
		}
		if !c.Result.HasParties() || c.Result.PartiesInDoubt() != "" {
			continue
		}
		for _, f := range l.Factors {
			a := accs[f.Name]
			if a == nil {
				a = &acc{name: f.Name, lo: math.Inf(1), hi: math.Inf(-1)}
				accs[f.Name] = a
				order = append(order, f.Name)
			}
			a.unit, a.target = f.Unit, f.Target // the latest call's wording
			a.sum += f.Value
			a.n++
			a.lo, a.hi = math.Min(a.lo, f.Value), math.Max(a.hi, f.Value)
			if f.OK {
				a.ok++
			}
		}
	}
	t := Table{Head: []string{"Figure", "Average", "Range", "Target", "Calls on target"}, Widths: []float64{2.8, 1.7, 2.2, 2.4, 1.6}}
	if scored > 0 {
		avg := scoreSum / float64(scored)
		tone := ToneBad
		switch {
		case avg >= float64(cfg.ListeningMin):
			tone = ToneGood
		case avg >= float64(cfg.MixedMin):
			tone = ToneWarn
		}
		t.Rows = append(t.Rows, []Cell{{Text: "Listening score", Bold: true}, {Text: num(round(avg, 0)), Bold: true, Tone: tone},
			{Text: fmt.Sprintf("%d–%d", scoreLo, scoreHi)}, {Text: fmt.Sprintf("%d or more: listening", cfg.ListeningMin)}, {Text: fmt.Sprintf("%d of %d", countListening(calls), scored)}})
	}
	for _, name := range order {
		a := accs[name]
		avg := round(a.sum/float64(a.n), 1)
		cell := Cell{Text: withUnit(avg, a.unit), Bold: true}
		if g, ok := goalOf(cfg, name); ok {
			cell.Tone = ToneBad
			if meets(g, avg) {
				cell.Tone = ToneGood
			}
		}
		t.Rows = append(t.Rows, []Cell{{Text: factorLabel(name)}, cell, {Text: num(round(a.lo, 1)) + "–" + withUnit(round(a.hi, 1), a.unit)},
			{Text: a.target}, {Text: fmt.Sprintf("%d of %d", a.ok, a.n)}})
	}
	return t
}

func countListening(calls []RepCall) int {
	n := 0
	for _, c := range calls {
		if c.Result.Listening.Verdict == analysis.VerdictListening {
			n++
		}
	}
	return n
}

// factorValue returns a call's value of a factor.
func factorValue(r *analysis.Result, name string) (float64, bool) {
	for _, f := range r.Listening.Factors {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

// trendCharts are the Trends screen's charts (talk share, interruptions,
// score) plus the talk-overs, and the script reuse where calls were
// compared.
func trendCharts(calls []RepCall, cfg analysis.VerdictConfig, from, to time.Time) []trendChart {
	type spec struct {
		title, factor string
		g             analysis.Goal
		unit          string
		yMax          float64
	}
	specs := []spec{
		{"Rep talk share (%)", analysis.FactorRepTalkShare, cfg.RepTalkShare, "%", 100},
		{"Rep cuts in, per 10 minutes", analysis.FactorRepInterruptions, cfg.RepInterruptions, "", max(cfg.RepInterruptions.Worst, 1)},
		{"Customer talked over, per 10 minutes", analysis.FactorTalkedOver, cfg.TalkedOver, "", max(cfg.TalkedOver.Worst, 1)},
	}
	var out []trendChart
	for _, s := range specs {
		ch := trendChart{title: s.title, yMax: s.yMax, from: from, to: to}
		for _, c := range calls {
			if !c.Result.HasParties() || c.Result.PartiesInDoubt() != "" {
				continue
			}
			if v, ok := factorValue(c.Result, s.factor); ok {
				ch.pts = append(ch.pts, chartPoint{c.RecordedAt, v, verdictColor(c.Result.Listening.Verdict)})
				ch.yMax = math.Max(ch.yMax, v)
			}
		}
		ch.bandLo, ch.bandHi = 0, s.g.Target
		ch.bandText = "target: at most " + num(s.g.Target)
		if s.unit == "%" {
			ch.bandText = "target: under " + num(s.g.Target) + "%"
		}
		if s.g.Better == analysis.HigherBetter {
			ch.bandLo, ch.bandHi = s.g.Target, math.Inf(1)
			ch.bandText = "target: at least " + num(s.g.Target) + s.unit
		}
		out = append(out, ch)
	}
	score := trendChart{title: "Listening score", yMax: 100, bandLo: float64(cfg.ListeningMin), bandHi: 100,
		bandText: fmt.Sprintf("listening: %d and up", cfg.ListeningMin), from: from, to: to}
	for _, c := range calls {
		if l := c.Result.Listening; l.Verdict != analysis.NoVerdict {
			score.pts = append(score.pts, chartPoint{c.RecordedAt, float64(l.Score), verdictColor(l.Verdict)})
		}
	}
	out = append(out, score)
	g := cfg.ScriptReuse
	reuse := trendChart{title: "Script reuse (% of the rep's talk also said in other calls)", yMax: 100, from: from, to: to,
		bandLo: 0, bandHi: g.Target, bandText: "target: under " + num(g.Target) + "%"}
	for _, c := range calls {
		if s := c.Result.Script; s != nil && s.CallsConsidered > 0 && c.Result.PartiesInDoubt() == "" {
			reuse.pts = append(reuse.pts, chartPoint{c.RecordedAt, 100 * s.ReusedShare, verdictColor(c.Result.Listening.Verdict)})
		}
	}
	if len(reuse.pts) > 0 {
		out = append(out, reuse)
	}
	return out
}

// bestWorst picks up to three best and three worst calls by score
// (calls with a verdict only), never the same call twice.
func bestWorst(calls []RepCall) (best, worst []RepCall) {
	var scored []RepCall
	for _, c := range calls {
		if c.Result.Listening.Verdict != analysis.NoVerdict {
			scored = append(scored, c)
		}
	}
	if len(scored) < 2 {
		return nil, nil
	}
	sort.SliceStable(scored, func(i, j int) bool { return scored[i].Result.Listening.Score > scored[j].Result.Listening.Score })
	nb := min(3, (len(scored)+1)/2)
	nw := min(3, len(scored)-nb)
	best = scored[:nb]
	for i := len(scored) - 1; i >= len(scored)-nw; i-- {
		worst = append(worst, scored[i])
	}
	return best, worst
}

// callsTable lists calls; with why, the reason that stood out (the
// verdict's first).
func callsTable(calls []RepCall, why bool) Table {
	t := Table{Head: []string{"Date", "Call", "Length", "Score", "Verdict"}, Widths: []float64{1.7, 3.6, 1.1, 0.9, 1.5}, Right: []bool{false, false, false, true}}
	if why {
		t.Head = append(t.Head, "What stood out")
		t.Widths = append(t.Widths, 4.2)
	}
	for _, c := range calls {
		l := c.Result.Listening
		score := "—"
		if l.Verdict != analysis.NoVerdict {
			score = fmt.Sprint(l.Score)
		}
		name := orDash(c.Title)
		if c.Customer != "" {
			name += " (" + c.Customer + ")"
		}
		row := []Cell{{Text: c.RecordedAt.Local().Format("2 Jan 2006")}, {Text: fmt.Sprintf("#%d %s", c.ID, name)}, {Text: clock(c.Duration)},
			{Text: score, Bold: true}, {Text: verdictLabel(l.Verdict), Tone: verdictTone(l.Verdict)}}
		if why {
			r := ""
			if len(l.Reasons) > 0 {
				r = l.Reasons[0]
			}
			row = append(row, Cell{Text: orDash(r)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
