package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "analyze",
		summary: "measure a recorded call: talk share, interruptions, listening verdict",
		run:     runAnalyze,
	})
}

const analyzeUsage = `Usage:
  callcoach analyze CALL.wav [--rep-channel left|right] [--json] [--data DIR]
  callcoach analyze --rep REP.wav --customer CUSTOMER.wav [--json] [--data DIR]

A stereo CALL.wav carries the rep on the left channel and the customer on
the right (--rep-channel right swaps them); a mono file is measured as one
mixed channel (talk and silence only). Two mono files, one per party, may
differ in sample rate and length; they are aligned at their first sample.

The thresholds and verdict targets are those of the library in DIR
(default: $CALLCOACH_DATA, else the standard library folder) as set in the
app's Settings, or the documented defaults where there is no library. The
file is only read: nothing is added to the library.

Flags:
`

// runAnalyze analyses one call through the workflow the app runs too
// (audio.AnalyzeFile) and prints a summary, or with --json the Result as
// one JSON object.
func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", analyzeUsage, stderr)
	repChannel := fs.String("rep-channel", "left", "the channel of CALL.wav that carries the rep: left or right")
	repPath := fs.String("rep", "", "a mono WAV of the rep's side (with --customer)")
	custPath := fs.String("customer", "", "a mono WAV of the customer's side (with --rep)")
	asJSON := fs.Bool("json", false, "print the full result as one JSON object")
	data := fs.String("data", "", "the library whose analysis settings to use")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	channelSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "rep-channel" {
			channelSet = true
		}
	})

	var req audio.AnalyzeRequest
	switch {
	case len(files) > 1:
		return usagef("give one call to analyse, not %d files (for one file per party use --rep and --customer)", len(files))
	case len(files) == 1 && (*repPath != "" || *custPath != ""):
		return usagef("give either CALL.wav or --rep and --customer, not both")
	case len(files) == 1:
		ch := strings.ToLower(*repChannel)
		if ch != "left" && ch != "right" {
			return usagef("--rep-channel must be left or right, not %q", *repChannel)
		}
		req = audio.AnalyzeRequest{Path: files[0], RepChannel: ch}
	case *repPath != "" && *custPath != "":
		if channelSet {
			return usagef("--rep-channel applies to a stereo CALL.wav, not to --rep and --customer files")
		}
		req = audio.AnalyzeRequest{RepPath: *repPath, CustomerPath: *custPath}
	case *repPath != "" || *custPath != "":
		return usagef("give both --rep and --customer (one mono WAV per party)")
	default:
		return usagef("give a WAV file to analyse: callcoach analyze CALL.wav (see callcoach analyze -h)")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, note := libraryAnalysisConfig(ctx, *data)
	res, err := audio.AnalyzeFile(ctx, req, cfg)
	if err != nil {
		return err
	}
	if note != "" {
		res.Notes = append(res.Notes, note)
	}
	if req.Path != "" {
		res.File = req.Path
	}

	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(&res); err != nil {
			return fmt.Errorf("cannot write the result: %w", err)
		}
		return nil
	}
	if err := analysis.WriteSummary(stdout, &res); err != nil {
		return fmt.Errorf("cannot write the summary: %w", err)
	}
	return nil
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("analyze CALL.wav --json"), which flag.Parse alone
// stops at, and returns the positional arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// libraryAnalysisConfig returns the analysis settings of the library in dir
// (else $CALLCOACH_DATA, else the default folder), so the command line
// measures as the app does. Where there is no library it returns the
// defaults; it never creates one. A library that cannot be read gives the
// defaults and a note saying so: a settings problem should not stop the
// analysis of a file.
func libraryAnalysisConfig(ctx context.Context, dir string) (analysis.Config, string) {
	cfg := analysis.DefaultConfig()
	if dir == "" {
		dir = os.Getenv("CALLCOACH_DATA")
	}
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			return cfg, ""
		}
		dir = d
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBName)); err != nil {
		return cfg, ""
	}
	lib, err := store.Open(dir)
	if err != nil {
		return cfg, fmt.Sprintf("The library in %s could not be opened (%v), so the default analysis settings were used.", dir, err)
	}
	defer lib.Close()
	c := cfg
	if err := lib.Setting(ctx, store.SettingAnalysis, &c); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return cfg, ""
		}
		return cfg, fmt.Sprintf("The library's analysis settings could not be read (%v), so the defaults were used.", err)
	}
	return c, ""
}
