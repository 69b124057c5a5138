package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"callcoach/analysis"
	"callcoach/callflow"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "show",
		summary: "show one call: its figures, verdict, reasons and annotations",
		run:     runShow,
	})
}

const showUsage = `Usage:
  callcoach show CALL [--json]

Shows a call's details, its figures, the listening verdict with its
reasons, and its annotations. --json prints the call with its full
analysis (segments, interruptions, backchannels, ...).

Flags:
`

func runShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("show", showUsage, stderr)
	asJSON := fs.Bool("json", false, "print the call and its full analysis as JSON")
	data := dataFlag(fs)
	id, lib, err := openForOne(fs, args, "call", data)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	c, err := lib.Call(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if err := updateRepeats(ctx, lib, stderr); err != nil {
		return err
	}
	if c, err = lib.Call(ctx, id); err != nil { // its evidence may be new
		return libraryError(err)
	}
	as, err := lib.Annotations(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	rs, err := lib.Repeats(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(toCallJSON(lib, c, as, rs))
	}
	w := stdout
	fmt.Fprintf(w, "Call %d: %s\n", c.ID, orDash(c.Title))
	fmt.Fprintf(w, "  Rep:       %s\n", orDash(c.Rep))
	fmt.Fprintf(w, "  Customer:  %s\n", orDash(c.Customer))
	fmt.Fprintf(w, "  Recorded:  %s (%s, %s)\n", c.RecordedAt.Local().Format("2006-01-02 15:04"), c.Source, c.Status)
	fmt.Fprintf(w, "  Length:    %s\n", lengthText(c.Duration))
	fmt.Fprintf(w, "  Audio:     %s\n", lib.Abs(c.AudioPath))
	if c.TrashedAt != nil {
		fmt.Fprintf(w, "  In the trash since %s ('callcoach restore %d' brings it back)\n", c.TrashedAt.Local().Format("2006-01-02 15:04"), c.ID)
	}
	if r := c.Result; r != nil {
		fmt.Fprintln(w)
		printFigures(w, r)
	}
	if len(rs) > 0 {
		fmt.Fprintln(w)
		printRepeats(w, rs)
	}
	fmt.Fprintln(w)
	if len(as) == 0 {
		fmt.Fprintf(w, "No annotations ('callcoach annotate %d --from S --to S --tag T' adds one).\n", c.ID)
		return nil
	}
	fmt.Fprintln(w, "Annotations:")
	printAnnotations(w, as)
	return nil
}

// printFigures prints the headline figures and the verdict's reasons.
func printFigures(w io.Writer, r *analysis.Result) {
	if !r.HasParties() {
		printOneChannel(w, r)
		return
	}
	var repInts, custInts int
	for _, in := range r.Interruptions {
		if in.By == analysis.Rep {
			repInts++
		} else if in.By == analysis.Customer {
			custInts++
		}
	}
	var repBC, custBC int
	for _, b := range r.Backchannels {
		if b.By == analysis.Rep {
			repBC++
		} else if b.By == analysis.Customer {
			custBC++
		}
	}
	fmt.Fprintf(w, "  Rep talk share:      %.0f%% (rep %s, customer %s)\n", 100*r.RepTalkShare, lengthText(r.Talk.Rep.D()), lengthText(r.Talk.Customer.D()))
	fmt.Fprintf(w, "  Interruptions:       rep %d, customer %d\n", repInts, custInts)
	fmt.Fprintf(w, "  Backchannels:        rep %d, customer %d\n", repBC, custBC)
	fmt.Fprintf(w, "  Longest monologue:   rep %s, customer %s\n", secondsText(r.LongestMonologue.Rep.D()), secondsText(r.LongestMonologue.Customer.D()))
	fmt.Fprintf(w, "  Interactivity:       %.1f floor changes per minute\n", r.Interactivity)
	fmt.Fprintf(w, "  Patience:            %s median over %d gaps\n", secondsText(r.Patience.Median.D()), r.Patience.Count)
	fmt.Fprintf(w, "  Silence:             %s (%d long)\n", secondsText(r.Silence.D()), len(r.LongSilences))
	if v := string(r.Listening.Verdict); v == "" {
		fmt.Fprintf(w, "  Verdict:             no verdict\n")
	} else {
		fmt.Fprintf(w, "  Verdict:             %s (score %d)\n", v, r.Listening.Score)
	}
	for _, reason := range r.Listening.Reasons {
		fmt.Fprintf(w, "    - %s\n", reason)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  Note: %s\n", n)
	}
}

// printAnnotations prints one line per annotation.
func printAnnotations(w io.Writer, as []store.Annotation) {
	for _, a := range as {
		when := secondsText(a.Start)
		if !a.IsPoint() {
			when = strings.TrimSuffix(secondsText(a.Start), " s") + "–" + secondsText(a.End)
		}
		line := fmt.Sprintf("  #%d  %s", a.ID, when)
		if a.Tag != "" {
			line += fmt.Sprintf("  [%s]", a.Tag)
		}
		if a.Note != "" {
			line += "  " + a.Note
		}
		if a.Author != "" {
			line += "  (" + a.Author + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// printRepeats prints each repeated passage with the calls it was also
// said in.
func printRepeats(w io.Writer, rs []analysis.Repeat) {
	fmt.Fprintln(w, "Repeated passages (also said in the rep's other calls):")
	for _, g := range groupRepeats(rs) {
		var at []string
		for _, r := range g {
			at = append(at, fmt.Sprintf("call %d at %s", r.Call, strings.TrimSuffix(secondsText(r.OtherStart.D()), " s")+" s"))
		}
		fmt.Fprintf(w, "  %s–%s  in %d other call%s: %s\n", strings.TrimSuffix(secondsText(g[0].Start.D()), " s"), secondsText(g[0].End.D()),
			len(g), plural(len(g)), strings.Join(at, ", "))
	}
}

// groupRepeats groups passages of this call that overlap (one passage said
// in several other calls).
func groupRepeats(rs []analysis.Repeat) [][]analysis.Repeat {
	var out [][]analysis.Repeat
	for _, r := range rs {
		if n := len(out); n > 0 {
			g := out[n-1]
			if end := g[0].End; r.Start < end {
				out[n-1] = append(g, r)
				if r.End > end {
					out[n-1][0].End = r.End
				}
				continue
			}
		}
		out = append(out, []analysis.Repeat{r})
	}
	return out
}

// updateRepeats fingerprints and matches the calls that lack it (a library
// from before fingerprints, recordings made since), saying so on stderr
// when there is more than a moment's work.
func updateRepeats(ctx context.Context, lib *store.Library, stderr io.Writer) error {
	said := false
	err := callflow.UpdateRepeats(ctx, lib, func(done, total int) {
		if total > 1 && done < total {
			fmt.Fprintf(stderr, "\rMatching repeated passages across the calls: %d of %d", done, total)
			said = true
		}
	})
	if said {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return fmt.Errorf("cannot match the repeated passages across the calls: %w", err)
	}
	return nil
}

// printOneChannel prints what was measured of a one-channel call whose
// speech is not attributed to the parties, rather than rep and customer
// figures of zero.
func printOneChannel(w io.Writer, r *analysis.Result) {
	fmt.Fprintf(w, "  Speech:              %s of %s (one channel)\n", lengthText(speechOf(r)), lengthText(r.Duration.D()))
	if d := r.Diarization; d != nil {
		sure := "sure"
		if d.Unsure {
			sure = "not sure"
		}
		fmt.Fprintf(w, "  Voices:              voice 1 %s, voice 2 %s (the split is %s; which is the rep is not known)\n",
			lengthText(d.Talk[0].D()), lengthText(d.Talk[1].D()), sure)
	}
	fmt.Fprintf(w, "  Silence:             %s (%d long)\n", secondsText(r.Silence.D()), len(r.LongSilences))
	fmt.Fprintln(w, "  Rep and customer:    not known: talk share, interruptions and monologues need two channels, or the rep's voice")
	for _, reason := range r.Listening.Reasons {
		fmt.Fprintf(w, "  %s\n", reason)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  Note: %s\n", n)
	}
}
