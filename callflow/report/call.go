package report

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// CallInput is everything a call's report shows.
type CallInput struct {
	Call        *store.Call // with its Result
	Annotations []store.Annotation
	Clips       []store.Clip // clips cut from this call
	Made        time.Time    // when the report is made (printed in the footer)
	// LongSilence is the analysis setting the call's long silences follow
	// (the timeline's caption names it); 0 means the default.
	LongSilence time.Duration
	// Repeats are the passages of the rep's speech also said in the rep's
	// other calls; RepeatTitles names those calls.
	Repeats      []analysis.Repeat
	RepeatTitles map[int64]string
	// SoundsRead is the verdict setting from which a stretch sounds read
	// (the timeline underlines those, the delivery table marks them); 0
	// means the default.
	SoundsRead float64
}

// ErrNoAnalysis is returned for a call that has no analysis yet (it is
// still recording).
var ErrNoAnalysis = errors.New("the call has no analysis yet")

// CallDocument builds a call's report: who, when and how long; recording
// warnings first; the verdict with its score and every reason; each
// figure against its target; the timeline; the annotations with their
// notes and authors; the clips.
func CallDocument(in CallInput) (*Document, error) {
	c := in.Call
	if c == nil || c.Result == nil {
		return nil, ErrNoAnalysis
	}
	r := c.Result
	d := &Document{Title: orDash(c.Title), Subtitle: "Call coaching report"}
	if in.Made.IsZero() {
		in.Made = time.Now()
	}
	d.Footer = fmt.Sprintf("CallCoach · call %d · report made %s", c.ID, dateTime(in.Made))

	facts := [][2]string{
		{"Rep", orDash(c.Rep)},
		{"Customer", orDash(c.Customer)},
		{"Recorded", dateTime(c.RecordedAt)},
		{"Length", clock(r.Duration.D()) + " (" + length(r.Duration.D()) + ")"},
		{"Call", fmt.Sprintf("#%d, %s", c.ID, sourceText(c))},
	}
	d.Blocks = append(d.Blocks, Facts{Rows: facts})

	// What is wrong with the recording comes first: the figures below
	// stand on it.
	if ws := r.Recording.Warnings; len(ws) > 0 {
		n := Notice{Title: "Read first: the recording", Tone: ToneWarn}
		for _, w := range ws {
			n.Lines = append(n.Lines, w.Message)
		}
		d.Blocks = append(d.Blocks, n)
	}

	l := r.Listening
	v := Verdict{Label: verdictLabel(l.Verdict), Tone: verdictTone(l.Verdict), Reasons: l.Reasons}
	if l.Verdict != analysis.NoVerdict {
		v.Score = fmt.Sprintf("score %d/100", l.Score)
	}
	d.Blocks = append(d.Blocks, Heading{"Verdict"}, v)

	d.Blocks = append(d.Blocks, Heading{"Figures against their targets"})
	if len(l.Factors) > 0 {
		t := Table{Head: []string{"Figure", "This call", "Target", "Result"}, Widths: []float64{3, 2, 2.4, 2.2}}
		for _, f := range l.Factors {
			res := Cell{Text: "met", Tone: ToneGood}
			if !f.OK {
				res = Cell{Text: "missed", Tone: ToneBad}
				if f.Points > 0 {
					res.Text = fmt.Sprintf("missed (−%s points)", num(round(f.Points, 1)))
				}
			}
			t.Rows = append(t.Rows, []Cell{{Text: factorLabel(f.Name)}, {Text: withUnit(f.Value, f.Unit), Bold: true}, {Text: f.Target}, res})
		}
		d.Blocks = append(d.Blocks, t)
	}
	d.Blocks = append(d.Blocks, figuresTable(r))
	if s := scriptText(r.Script); s != "" {
		d.Blocks = append(d.Blocks, Para{Text: s})
	}
	if len(r.Notes) > 0 {
		d.Blocks = append(d.Blocks, Para{Text: "Notes on the input: " + strings.Join(r.Notes, " "), Tone: ToneMuted, Small: true})
	}

	// The timeline, numbered annotations on it.
	as := append([]store.Annotation(nil), in.Annotations...)
	sort.SliceStable(as, func(i, j int) bool { return as[i].Start < as[j].Start })
	notes := make([]noteMark, len(as))
	for i, a := range as {
		notes[i] = noteMark{a.Start, a.End, i + 1}
	}
	if in.SoundsRead <= 0 {
		in.SoundsRead = analysis.DefaultVerdictConfig().SoundsRead
	}
	legend, rows := timeline(&markInput{r: r, notes: notes, soundsRead: in.SoundsRead, repeats: in.Repeats}, r.Duration.D())
	d.Blocks = append(d.Blocks, Heading{"Timeline"})
	span := rowSpan(r.Duration.D())
	d.Blocks = append(d.Blocks, Figure{Pic: legend, Alt: "legend of the timeline"})
	for i, p := range rows {
		from, to := time.Duration(i)*span, min(time.Duration(i+1)*span, r.Duration.D())
		if i == len(rows)-1 {
			to = r.Duration.D()
		}
		d.Blocks = append(d.Blocks, Figure{Pic: p, Alt: fmt.Sprintf("timeline from %s to %s", clock(from), clock(to))})
	}
	d.Blocks = append(d.Blocks, Para{Small: true, Tone: ToneMuted,
		Text: fmt.Sprintf("Each row is %s of the call. A triangle marks who cut in; pink is both speaking at once; grey, a silence of %s or more.",
			spanWords(span), length(longSilence(in.LongSilence)))})

	if len(in.Repeats) > 0 {
		d.Blocks = append(d.Blocks, Heading{"Passages also said in other calls"}, repeatsTable(in.Repeats, in.RepeatTitles))
	}

	if len(r.Delivery) > 0 {
		d.Blocks = append(d.Blocks, Heading{"Delivery of the long rep turns"}, deliveryTable(r.Delivery, in.SoundsRead))
	}

	d.Blocks = append(d.Blocks, Heading{"Annotations"})
	at := Table{Head: []string{"#", "When", "Tag", "Note", "By"}, Widths: []float64{0.5, 1.6, 2, 5, 1.5}, Right: []bool{true},
		Empty: "No annotations on this call yet."}
	for i, a := range as {
		at.Rows = append(at.Rows, []Cell{{Text: fmt.Sprint(i + 1), Bold: true}, {Text: when(a.Start, a.End)}, {Text: orDash(a.Tag), Bold: a.Tag != ""},
			{Text: orDash(a.Note)}, {Text: orDash(a.Author)}})
	}
	d.Blocks = append(d.Blocks, at)

	d.Blocks = append(d.Blocks, Heading{"Clips"})
	ct := Table{Head: []string{"When", "Length", "Tag", "Note", "File"}, Widths: []float64{1.6, 1.2, 2, 4, 2.4},
		Empty: "No clips saved from this call."}
	for _, cl := range in.Clips {
		ct.Rows = append(ct.Rows, []Cell{{Text: when(cl.Start, cl.End)}, {Text: length(cl.Len())}, {Text: orDash(cl.Tag), Bold: cl.Tag != ""},
			{Text: orDash(cl.Note)}, {Text: filepath.Base(cl.Path), Tone: ToneMuted}})
	}
	d.Blocks = append(d.Blocks, ct)
	if len(in.Clips) > 0 {
		d.Blocks = append(d.Blocks, Para{Small: true, Tone: ToneMuted,
			Text: "The report carries no audio: the clips stay in the CallCoach library (Clips tab, or 'callcoach clip')."})
	}
	return d, nil
}

func longSilence(set time.Duration) time.Duration {
	if set > 0 {
		return set
	}
	return analysis.DefaultConfig().LongSilence
}

func sourceText(c *store.Call) string {
	s := c.Source
	switch c.Source {
	case store.SourceRecorded:
		s = "recorded with CallCoach"
	case store.SourceImported:
		s = "imported"
	}
	if c.Status == store.StatusRecovered {
		s += ", recovered after a crash"
	}
	return s
}

// figuresTable lists the figures that have no target: talk, overlap,
// silence, interruptions, backchannels, floor changes, patience.
func figuresTable(r *analysis.Result) Table {
	t := Table{Head: []string{"Also measured", ""}, Widths: []float64{3, 6.6}}
	add := func(k, v string) { t.Rows = append(t.Rows, []Cell{{Text: k}, {Text: v}}) }
	var long time.Duration
	for _, s := range r.LongSilences {
		long += s.Len()
	}
	if !r.HasParties() {
		add("Speech", length(r.Talk.Unattributed.D())+" (both parties on one channel: who spoke is not known)")
	} else {
		custShare := 0.0
		if r.Talk.Rep+r.Talk.Customer > 0 {
			custShare = 1 - r.RepTalkShare
		}
		add("Talk time", fmt.Sprintf("rep %s (%s) · customer %s (%s)", length(r.Talk.Rep.D()), pct(r.RepTalkShare), length(r.Talk.Customer.D()), pct(custShare)))
		add("Both at once", length(r.Overlap.D()))
	}
	sil := length(r.Silence.D())
	if n := len(r.LongSilences); n > 0 {
		sil += fmt.Sprintf(", %s (%s in all)", plural(n, "long silence", "long silences"), length(long))
	}
	add("Silence", sil)
	if !r.HasParties() {
		return t
	}
	var rep, repY, cust, custY, bcR, bcC int
	for _, in := range r.Interruptions {
		if in.By == analysis.Rep {
			rep++
			if in.Yielded {
				repY++
			}
		} else {
			cust++
			if in.Yielded {
				custY++
			}
		}
	}
	for _, b := range r.Backchannels {
		if b.By == analysis.Rep {
			bcR++
		} else {
			bcC++
		}
	}
	add("Interruptions", fmt.Sprintf("rep cut in %s (the customer yielded %s) · customer cut in %s (the rep yielded %s)",
		plural(rep, "time", "times"), plural(repY, "time", "times"), plural(cust, "time", "times"), plural(custY, "time", "times")))
	add("Backchannels", fmt.Sprintf("rep %d · customer %d", bcR, bcC))
	add("Hand-overs", fmt.Sprintf("%d (%s a minute)", r.FloorChanges, num(round(r.Interactivity, 1))))
	if r.Patience.Count > 0 {
		add("Wait before answering", fmt.Sprintf("%s s mean, %s s median over %s", num(round(r.Patience.Mean.Seconds(), 2)),
			num(round(r.Patience.Median.Seconds(), 2)), plural(r.Patience.Count, "answer", "answers")))
	} else {
		add("Wait before answering", "not measured (the rep never answered a customer turn)")
	}
	return t
}

// scriptText words the script evidence, "" when the call was not compared.
func scriptText(s *analysis.ScriptEvidence) string {
	if s == nil || s.CallsConsidered == 0 {
		return ""
	}
	if s.CallsSharing == 0 {
		return fmt.Sprintf("Script reuse: none of your talk was also said in the %s compared.", plural(s.CallsConsidered, "other call", "other calls"))
	}
	return fmt.Sprintf("Script reuse: %s of your talk was also said in %d of the %s compared; the longest passage ran %s from %s.",
		pct(s.ReusedShare), s.CallsSharing, plural(s.CallsConsidered, "other call", "other calls"), length(s.Longest.D()), clock(s.LongestAt.D()))
}

func deliveryTable(cues []analysis.DeliveryCue, soundsRead float64) Table {
	t := Table{Head: []string{"When", "Pace (syll/s)", "Pace variation", "Pause variation", "Phrase", "Pitch range", "Filled pauses", "Sounds read"},
		Widths: []float64{1.5, 1.1, 1.1, 1.1, 1, 1.1, 1.1, 1.1}}
	opt := func(v *float64, dec int, unit string) string {
		if v == nil {
			return "—"
		}
		return num(round(*v, dec)) + unit
	}
	for _, c := range cues {
		read := Cell{Text: "—", Tone: ToneMuted}
		if c.ReadLikelihood != nil {
			read = Cell{Text: pct(*c.ReadLikelihood)}
			if *c.ReadLikelihood >= soundsRead {
				read.Tone, read.Bold = ToneBad, true
			}
		}
		t.Rows = append(t.Rows, []Cell{{Text: when(c.Start.D(), c.End.D())}, {Text: opt(c.RateSyl, 1, "")}, {Text: opt(c.RateCV, 2, "")},
			{Text: opt(c.PauseCV, 2, "")}, {Text: opt(c.Phrase, 1, " s")}, {Text: opt(c.PitchRange, 1, " st")}, {Text: fmt.Sprint(c.FilledPauses)}, read})
	}
	return t
}

// spanWords words a row's span: "30 seconds", "1 minute", "5 minutes".
func spanWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second", "seconds")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute", "minutes")
	}
	return plural(int(d/time.Hour), "hour", "hours")
}

// repeatsTable lists each passage of the rep's speech with the calls it
// was also said in, and where.
func repeatsTable(rs []analysis.Repeat, titles map[int64]string) Table {
	t := Table{Head: []string{"Here", "Length", "Also said in"}, Widths: []float64{1.5, 1, 7}}
	for _, g := range groupRepeats(rs) {
		var at []string
		for _, r := range g {
			name := fmt.Sprintf("call #%d", r.Call)
			if title := titles[r.Call]; title != "" {
				name += " " + title
			}
			at = append(at, name+" at "+clock(r.OtherStart.D()))
		}
		t.Rows = append(t.Rows, []Cell{{Text: when(g[0].Start.D(), g[0].End.D())}, {Text: length(g[0].Len())}, {Text: strings.Join(at, "; ")}})
	}
	return t
}
