package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "export",
		summary: "export a call's figures (csv), labels for Audacity (labels) or everything (json)",
		run:     runExport,
	})
}

const exportUsage = `Usage:
  callcoach export CALL --format csv|labels|json [--out FILE]

  csv     the call's figures as one header row and one row of values, for a
          spreadsheet (seconds, shares 0..1)
  labels  the annotations and interruptions as an Audacity label track
          (File > Import > Labels): start, end and text, tab-separated,
          times in seconds
  json    the call, its full analysis and its annotations

Writes to stdout, or to FILE with --out (which must not exist).

Flags:
`

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", exportUsage, stderr)
	format := fs.String("format", "", "csv, labels or json")
	out := fs.String("out", "", "write to this file instead of stdout (must not exist)")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("call", pos)
	if err != nil {
		return err
	}
	var write func(io.Writer, *store.Library, *store.Call, []store.Annotation) error
	switch *format {
	case "csv":
		write = writeCSV
	case "labels":
		write = writeLabels
	case "json":
		write = func(w io.Writer, lib *store.Library, c *store.Call, as []store.Annotation) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(toCallJSON(lib, c, as))
		}
	case "":
		return usagef("give the format with --format csv, labels or json")
	default:
		return usagef("--format is csv, labels or json, not %q", *format)
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	c, err := lib.Call(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if c.Result == nil {
		return fmt.Errorf("call %d is still recording: export it once it is finished", id)
	}
	as, err := lib.Annotations(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if *out == "" {
		return write(stdout, lib, c, as)
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create %s (it must not exist yet): %w", *out, err)
	}
	if err := write(f, lib, c, as); err != nil {
		f.Close()
		os.Remove(*out)
		return fmt.Errorf("writing %s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(*out)
		return fmt.Errorf("writing %s: %w", *out, err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", *out)
	return nil
}

// csvColumns are the CSV export's columns, in order.
var csvColumns = []string{
	"call_id", "title", "rep", "customer", "recorded_at", "duration_s",
	"rep_talk_s", "customer_talk_s", "rep_talk_share", "overlap_s", "silence_s", "long_silences",
	"rep_interruptions", "customer_interruptions", "rep_interruptions_yielded",
	"rep_backchannels", "customer_backchannels",
	"longest_rep_monologue_s", "longest_customer_monologue_s",
	"floor_changes", "interactivity_per_min", "patience_mean_s", "patience_median_s",
	"listening_score", "verdict", "annotations",
}

func writeCSV(w io.Writer, _ *store.Library, c *store.Call, as []store.Annotation) error {
	r := c.Result
	secs := func(d analysis.Dur) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
	var repInts, custInts, yielded, repBC, custBC int
	for _, in := range r.Interruptions {
		switch in.By {
		case analysis.Rep:
			repInts++
			if in.Yielded {
				yielded++
			}
		case analysis.Customer:
			custInts++
		}
	}
	for _, b := range r.Backchannels {
		switch b.By {
		case analysis.Rep:
			repBC++
		case analysis.Customer:
			custBC++
		}
	}
	row := []string{
		strconv.FormatInt(c.ID, 10), c.Title, c.Rep, c.Customer, c.RecordedAt.Format(time.RFC3339), secs(r.Duration),
		secs(r.Talk.Rep), secs(r.Talk.Customer), strconv.FormatFloat(r.RepTalkShare, 'f', 4, 64), secs(r.Overlap),
		secs(r.Silence), strconv.Itoa(len(r.LongSilences)),
		strconv.Itoa(repInts), strconv.Itoa(custInts), strconv.Itoa(yielded),
		strconv.Itoa(repBC), strconv.Itoa(custBC),
		secs(r.LongestMonologue.Rep), secs(r.LongestMonologue.Customer),
		strconv.Itoa(r.FloorChanges), strconv.FormatFloat(r.Interactivity, 'f', 3, 64),
		secs(r.Patience.Mean), secs(r.Patience.Median),
		strconv.Itoa(r.Listening.Score), string(r.Listening.Verdict), strconv.Itoa(len(as)),
	}
	cw := csv.NewWriter(w)
	cw.Write(csvColumns)
	cw.Write(row)
	cw.Flush()
	return cw.Error()
}

// label is one line of an Audacity label track.
type label struct {
	start, end time.Duration
	text       string
}

// labels returns the call's annotations and interruptions as labels, in
// time order. An interruption spans the overlap it started.
func labels(c *store.Call, as []store.Annotation) []label {
	var out []label
	for _, a := range as {
		var parts []string
		if a.Tag != "" {
			parts = append(parts, a.Tag)
		}
		if a.Note != "" {
			parts = append(parts, a.Note)
		}
		if len(parts) == 0 {
			parts = append(parts, fmt.Sprintf("annotation %d", a.ID))
		}
		out = append(out, label{a.Start, a.End, strings.Join(parts, ": ")})
	}
	for _, in := range c.Result.Interruptions {
		text := in.By.String() + " interrupts " + in.By.Other().String()
		if in.Yielded {
			text += " (" + in.By.Other().String() + " yields)"
		}
		out = append(out, label{in.At.D(), in.At.D() + in.Overlap.D(), text})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// labelText keeps a label on its line: tabs and line breaks become spaces.
var labelText = strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")

func writeLabels(w io.Writer, _ *store.Library, c *store.Call, as []store.Annotation) error {
	for _, l := range labels(c, as) {
		if _, err := fmt.Fprintf(w, "%.6f\t%.6f\t%s\n", l.start.Seconds(), l.end.Seconds(), labelText.Replace(l.text)); err != nil {
			return err
		}
	}
	return nil
}
