package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"callcoach/analysis"
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
	as, err := lib.Annotations(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(toCallJSON(lib, c, as))
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
	v := string(r.Listening.Verdict)
	if v == "" {
		v = "no verdict"
	}
	fmt.Fprintf(w, "  Verdict:             %s (score %d)\n", v, r.Listening.Score)
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
