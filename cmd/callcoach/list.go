package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"callcoach/analysis"
	"callcoach/callflow"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "list",
		summary: "list the calls in the library (filter by rep, tag, date, verdict)",
		run:     runList,
	})
}

const listUsage = `Usage:
  callcoach list [--rep NAME] [--tag T] [--since DATE] [--until DATE] [--verdict V] [--text WORDS] [--trash] [--limit N] [--json | --csv]

Lists the calls, newest first. --tag selects calls with an annotation
carrying the tag; --text searches titles, customers and rep names; --trash
lists the trash instead. --csv writes the calls listed as CSV (RFC 4180),
one row per call with every figure ('callcoach export CALL --format csv'
has the same columns).

Flags:
`

func runList(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("list", listUsage, stderr)
	rep := fs.String("rep", "", "only this rep's calls")
	tag := fs.String("tag", "", "only calls with an annotation tagged T")
	since := fs.String("since", "", "only calls recorded on or after DATE (2026-03-02, or 2026-03-02 14:30)")
	until := fs.String("until", "", "only calls recorded before DATE")
	verdict := fs.String("verdict", "", "only calls with this verdict: listening, mixed or script-driven")
	text := fs.String("text", "", "only calls whose title, customer or rep contains WORDS")
	trash := fs.Bool("trash", false, "list the trash")
	limit := fs.Int("limit", 0, "at most N calls (0: all)")
	asJSON := fs.Bool("json", false, "print the calls as JSON")
	asCSV := fs.Bool("csv", false, "print the calls as CSV, one row per call with every figure")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("list takes flags only, not %q; run 'callcoach show CALL' for one call", strings.Join(pos, " "))
	}
	f := store.CallFilter{Rep: *rep, Tag: *tag, Text: *text, Trashed: *trash, Limit: *limit}
	if *limit < 0 {
		return usagef("--limit must be 0 or more, not %d", *limit)
	}
	switch v := analysis.Verdict(*verdict); v {
	case "", analysis.VerdictListening, analysis.VerdictMixed, analysis.VerdictScriptDriven:
		f.Verdict = v
	default:
		return usagef("--verdict is listening, mixed or script-driven, not %q", *verdict)
	}
	if *since != "" {
		if f.Since, err = parseDate("since", *since); err != nil {
			return err
		}
	}
	if *until != "" {
		if f.Until, err = parseDate("until", *until); err != nil {
			return err
		}
	}
	if *asJSON && *asCSV {
		return usagef("give --json or --csv, not both")
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	if *asCSV {
		_, err := callflow.ExportCalls(context.Background(), lib, f, stdout, nil)
		return err
	}
	calls, err := lib.Calls(context.Background(), f)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]summaryJSON, 0, len(calls))
		for _, c := range calls {
			out = append(out, toSummaryJSON(c))
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(calls) == 0 {
		fmt.Fprintln(stderr, "no calls match")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CALL\tRECORDED\tLENGTH\tREP\tTITLE\tCUSTOMER\tREP TALK\tINTERRUPTS\tVERDICT\tSCORE\tTAGS")
	for _, c := range calls {
		verdict, talk, ints, score := "-", "-", "-", "-"
		switch {
		case c.Status == store.StatusRecording:
		case c.Unattributed:
			// One channel, speakers not known: no share to show.
			talk = "1 channel"
		case analysis.PartiesInDoubt(c.Warnings) == analysis.WarnChannelsSwapped:
			// The rep's figures would be the customer's (as in the app).
			talk, verdict = "in doubt", "channels swapped?"
		case analysis.PartiesInDoubt(c.Warnings) == analysis.WarnSilentChannel:
			talk, verdict = "in doubt", "a side is silent"
		default:
			verdict = orDash(string(c.Verdict))
			talk = percentText(c.RepTalkShare)
			ints = fmt.Sprint(c.Interruptions)
			if c.Verdict != analysis.NoVerdict {
				// A call with no verdict has no score either (not 0).
				score = fmt.Sprint(c.Score)
			}
		}
		if c.Status != store.StatusComplete {
			verdict += " (" + c.Status + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.RecordedAt.Local().Format("2006-01-02 15:04"),
			lengthText(c.Duration), orDash(c.Rep), orDash(c.Title), orDash(c.Customer), talk, ints, verdict, score,
			orDash(strings.Join(c.Tags, ", ")))
	}
	return tw.Flush()
}
