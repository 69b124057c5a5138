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

	"callcoach/audio"
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
	pair := *repFile != "" || *custFile != ""
	switch {
	case pair && (*repFile == "" || *custFile == ""):
		return usagef("give both --rep-file and --customer-file (one mono WAV per party)")
	case pair && len(files) > 0:
		return usagef("give either call files or --rep-file and --customer-file, not both")
	case !pair && len(files) == 0:
		return usagef("give the WAV file(s) to import; run 'callcoach import -h' for help")
	case *repChannel != "left" && *repChannel != "right":
		return usagef("--rep-channel is left or right, not %q", *repChannel)
	case *title != "" && len(files) > 1:
		return usagef("--title names one call: import the files one at a time to title each")
	}
	// Check every file before importing any.
	reqs := []store.ImportRequest{}
	if pair {
		reqs = append(reqs, store.ImportRequest{RepPath: *repFile, CustomerPath: *custFile})
	}
	for _, f := range files {
		reqs = append(reqs, store.ImportRequest{Path: f, RepChannel: *repChannel})
	}
	for _, r := range reqs {
		for _, f := range []string{r.Path, r.RepPath, r.CustomerPath} {
			if f == "" {
				continue
			}
			if fi, err := os.Stat(f); err != nil {
				return fmt.Errorf("cannot read %s: %w", f, errors.Unwrap(err))
			} else if fi.IsDir() {
				return fmt.Errorf("%s is a folder: give the WAV files in it (e.g. %s/*.wav)", f, strings.TrimRight(f, "/"))
			}
			// A file that is not a readable WAV stops the whole import
			// before anything is copied.
			a, err := audio.Open(f)
			if err != nil {
				return fmt.Errorf("nothing was imported: %w", err)
			}
			a.Close()
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
		r.Rep, r.Title, r.Customer = *rep, *title, *customer
		name := r.Path
		if pair {
			name = r.RepPath + " + " + r.CustomerPath
		}
		r.Progress = importProgress(stderr, name, r)
		c, err := lib.Import(ctx, r)
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
		s := store.CallSummary{ID: c.ID, Title: c.Title, Rep: c.Rep, Customer: c.Customer, RecordedAt: c.RecordedAt,
			Duration: c.Duration, Tags: c.Tags, Source: c.Source, Status: c.Status}
		if c.Result != nil {
			s.RepTalkShare, s.Verdict, s.Score = c.Result.RepTalkShare, c.Result.Listening.Verdict, c.Result.Listening.Score
		}
		if !*asJSON {
			fmt.Fprintf(stdout, "imported %s as call %d %q (%s%s): %s\n", name, c.ID, c.Title, lengthText(c.Duration),
				ifSet(", rep ", c.Rep), resultLine(s))
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

// resultLine sums up a call's analysis in a few words.
func resultLine(s store.CallSummary) string {
	if s.Status == store.StatusRecording {
		return "still recording"
	}
	v := string(s.Verdict)
	if v == "" {
		v = "no verdict"
	}
	return fmt.Sprintf("you talked %.0f%% of the time; %s (score %d)", 100*s.RepTalkShare, v, s.Score)
}

func ifSet(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// importProgress returns the progress callback for one import: nothing for
// small files, else a line on stderr rewritten at most every 200 ms.
func importProgress(stderr io.Writer, name string, r store.ImportRequest) func(string, int64, int64) {
	var size int64
	for _, f := range []string{r.Path, r.RepPath, r.CustomerPath} {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	if size < largeImport {
		return nil
	}
	var last time.Time
	var lastStage string
	return func(stage string, done, total int64) {
		finished := done >= total
		if stage == lastStage && !finished && time.Since(last) < 200*time.Millisecond {
			return
		}
		last, lastStage = time.Now(), stage
		verb := "copying"
		if stage == store.StageAnalyse {
			verb = "analysing"
		}
		pct := 100.0
		if total > 0 {
			pct = 100 * float64(done) / float64(total)
		}
		fmt.Fprintf(stderr, "\r%s: %s %3.0f%%", name, verb, pct)
		if finished && stage == store.StageAnalyse {
			fmt.Fprintln(stderr)
		}
	}
}
