package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/callflow"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "import",
		summary: "copy call recordings into the library and analyse them",
		run:     runImport,
	})
}

const importUsage = `Usage:
  callcoach import [--rep NAME] [--title T] [--customer C] [--rep-channel left|right] FILE.wav...
  callcoach import --rep-file REP.wav --customer-file CUSTOMER.wav [--rep NAME] [--title T]

Copies each file into the library, analyses it and stores the call. A
stereo file carries the rep on the left (--rep-channel right swaps them);
two mono files, one per party, are merged into one stereo file. Progress is
shown on stderr for large files.

A file already in the library (the same bytes, whatever its name) is not
imported again: import says which call holds it and carries on, and that
is not an error (exit status 0), so importing a folder twice is safe. Any
file that cannot be imported makes the exit status 1, after the others.

Flags:
`

// largeImport is the file size from which import shows its progress.
var largeImport int64 = 32 << 20

func runImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", importUsage, stderr)
	rep := fs.String("rep", "", "the rep's name")
	title := fs.String("title", "", "the call's title (default: the file name)")
	customer := fs.String("customer", "", "the customer or company")
	repChannel := fs.String("rep-channel", "left", "the channel of a stereo file that carries the rep: left or right")
	repFile := fs.String("rep-file", "", "a mono WAV of the rep's side (with --customer-file)")
	custFile := fs.String("customer-file", "", "a mono WAV of the customer's side (with --rep-file)")
	asJSON := fs.Bool("json", false, "print the imported calls as JSON")
	data := dataFlag(fs)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	side, err := parseSide(*repChannel)
	if err != nil {
		return err
	}
	pair := *repFile != "" || *custFile != ""
	switch {
	case pair && (*repFile == "" || *custFile == ""):
		return usagef("give both --rep-file and --customer-file (one mono WAV per party)")
	case pair && len(files) > 0:
		return usagef("give either call files or --rep-file and --customer-file, not both")
	case !pair && len(files) == 0:
		return usagef("give the WAV file(s) to import; run 'callcoach import -h' for help")
	case *title != "" && len(files) > 1:
		return usagef("--title names one call: import the files one at a time to title each")
	}
	var reqs []callflow.ImportRequest
	if pair {
		reqs = append(reqs, callflow.ImportRequest{RepPath: *repFile, CustomerPath: *custFile})
	}
	for _, f := range files {
		reqs = append(reqs, callflow.ImportRequest{Path: f, RepChannel: side})
	}
	// Check every file before importing any: one that is not a readable
	// WAV stops the whole import before anything is copied.
	for i := range reqs {
		reqs[i].Rep, reqs[i].Title, reqs[i].Customer = *rep, *title, *customer
		if err := callflow.Check(reqs[i]); err != nil {
			return fmt.Errorf("nothing was imported: %w", err)
		}
	}

	lib, err := openLibrary(*data, true)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var imported []summaryJSON
	var failed []string
	for _, r := range reqs {
		name := r.Name()
		c, err := callflow.Import(ctx, lib, r, importProgress(stderr, r))
		var dup *store.DuplicateError
		switch {
		case errors.As(err, &dup):
			fmt.Fprintf(stderr, "%s: skipped, %v\n", name, dup)
			continue
		case errors.Is(err, context.Canceled):
			return fmt.Errorf("import stopped; %s was not imported", name)
		case err != nil:
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			failed = append(failed, name)
			continue
		}
		s := summaryOf(c)
		if !*asJSON {
			fmt.Fprintf(stdout, "imported %s as call %d %q (%s%s): %s\n", name, c.ID, c.Title, lengthText(c.Duration),
				ifSet(", rep ", c.Rep), resultLine(c.Result))
		}
		imported = append(imported, toSummaryJSON(s))
	}
	if *asJSON {
		if imported == nil {
			imported = []summaryJSON{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(imported); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files could not be imported (%s); the reasons are above", len(failed), len(reqs), strings.Join(failed, ", "))
	}
	return nil
}

// summaryOf is a call's row in the list.
func summaryOf(c *store.Call) store.CallSummary {
	s := store.CallSummary{ID: c.ID, Title: c.Title, Rep: c.Rep, Customer: c.Customer, RecordedAt: c.RecordedAt,
		Duration: c.Duration, Tags: c.Tags, Source: c.Source, Status: c.Status, TrashedAt: c.TrashedAt}
	if c.Result != nil {
		s.Unattributed = !c.Result.HasParties()
		s.RepTalkShare, s.Verdict, s.Score = c.Result.RepTalkShare, c.Result.Listening.Verdict, c.Result.Listening.Score
		for _, in := range c.Result.Interruptions {
			if in.By == analysis.Rep {
				s.Interruptions++
			}
		}
	}
	return s
}

// parseSide reads a --rep-channel value.
func parseSide(v string) (audio.Side, error) {
	s, err := audio.ParseSide(v)
	if err != nil {
		return s, usagef("--rep-channel must be left or right, not %q", v)
	}
	return s, nil
}

// resultLine sums up a call's analysis in a few words.
func resultLine(r *analysis.Result) string {
	switch {
	case r == nil:
		return "still recording"
	case !r.HasParties():
		return "one channel: " + oneChannelText(r)
	}
	v := string(r.Listening.Verdict)
	if v == "" {
		// Say why: the first reason is the verdict's own explanation.
		why := ""
		if len(r.Listening.Reasons) > 0 {
			why = " (" + strings.TrimSuffix(strings.TrimPrefix(r.Listening.Reasons[0], "No verdict: "), ".") + ")"
		}
		return fmt.Sprintf("you talked %s of the time; no verdict%s", percentText(r.RepTalkShare), why)
	}
	return fmt.Sprintf("you talked %s of the time; %s (score %d)", percentText(r.RepTalkShare), v, r.Listening.Score)
}

// percentText is a share 0..1 as a whole percentage.
func percentText(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }

func ifSet(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// importProgress returns the progress callback for one import: nothing for
// small files, else a line on stderr rewritten at most every 200 ms.
func importProgress(stderr io.Writer, r callflow.ImportRequest) func(callflow.Progress) {
	var size int64
	for _, f := range []string{r.Path, r.RepPath, r.CustomerPath} {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	if size < largeImport {
		return nil
	}
	name := r.Name()
	var last time.Time
	var lastStage callflow.Stage
	return func(p callflow.Progress) {
		finished := p.Done >= p.Total
		if p.Stage == lastStage && !finished && time.Since(last) < 200*time.Millisecond {
			return
		}
		last, lastStage = time.Now(), p.Stage
		verb := "copying"
		if p.Stage == callflow.Analysing {
			verb = "analysing"
		}
		pct := 100.0
		if p.Total > 0 {
			pct = 100 * float64(p.Done) / float64(p.Total)
		}
		fmt.Fprintf(stderr, "\r%s: %s %3.0f%%", name, verb, pct)
		if finished && p.Stage == callflow.Analysing {
			fmt.Fprintln(stderr)
		}
	}
}

// oneChannelText is what was measured of a one-channel call whose speech
// is not attributed to the parties: speech, silence, the two voices.
func oneChannelText(r *analysis.Result) string {
	s := fmt.Sprintf("%s of speech, %s of silence", lengthText(speechOf(r)), lengthText(r.Silence.D()))
	if d := r.Diarization; d != nil {
		s += fmt.Sprintf("; two voices (%s and %s) but which is you is not known", lengthText(d.Talk[0].D()), lengthText(d.Talk[1].D()))
	} else {
		s += "; who spoke is not known"
	}
	return s
}

// speechOf is a call's speech, attributed or not.
func speechOf(r *analysis.Result) time.Duration {
	if r.Talk.Unattributed > 0 {
		return r.Talk.Unattributed.D()
	}
	var d time.Duration
	for _, s := range r.Segments {
		d += s.Len()
	}
	return d
}
