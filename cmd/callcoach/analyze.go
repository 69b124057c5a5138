package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/callflow"
)

func init() {
	register(command{
		name:    "analyze",
		summary: "measure a recorded call: talk share, interruptions, listening verdict",
		run:     runAnalyze,
	})
}

const analyzeUsage = `Usage:
  callcoach analyze CALL.wav [--rep-channel left|right] [--rep-speaker 1|2] [--json] [--data DIR]
  callcoach analyze --rep REP.wav --customer CUSTOMER.wav [--json] [--data DIR]

A stereo CALL.wav carries the rep on the left channel and the customer on
the right (--rep-channel right swaps them). A mono file (or a stereo file
whose two channels are the same) is split between two voices by their
sound: its segments are speaker_1 and speaker_2 until --rep-speaker says
which voice is the rep, then rep and customer with every figure and, when
the split is sure, the verdict. Two mono files, one per party, may
differ in sample rate and length; they are aligned at their first sample.

The thresholds and verdict targets are those of the library in DIR
(default: $CALLCOACH_DATA, else the standard library folder) as set in the
app's Settings, or the documented defaults where there is no library. The
file is only read: nothing is added to the library.

Flags:
`

// runAnalyze analyses one call with the analysis the library's imports and
// recordings use (audio.AnalyzeFile, with the library's settings from
// callflow.ConfigAt) and prints a summary, or with --json the Result as one
// JSON object. It files nothing.
func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", analyzeUsage, stderr)
	repChannel := fs.String("rep-channel", "left", "the channel of CALL.wav that carries the rep: left or right")
	repPath := fs.String("rep", "", "a mono WAV of the rep's side (with --customer)")
	custPath := fs.String("customer", "", "a mono WAV of the customer's side (with --rep)")
	asJSON := fs.Bool("json", false, "print the full result as one JSON object")
	data := fs.String("data", "", "the library whose analysis settings to use")
	repSpeaker := fs.Int("rep-speaker", 0, "for a one-channel CALL.wav: which of its two voices (1 or 2) is the rep")
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
		side, err := parseSide(*repChannel)
		if err != nil {
			return err
		}
		req = audio.AnalyzeRequest{Path: files[0], RepChannel: side}
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
	cfg, note := callflow.ConfigAt(ctx, *data)
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
	if *repSpeaker != 0 {
		if res.Diarization == nil {
			return usagef("--rep-speaker applies to a one-channel call split between two voices; %s has the rep on its own channel (use --rep-channel)", res.File)
		}
		if res, err = analysis.SetRep(res, *repSpeaker, analysis.RepByUser, 0, cfg); err != nil {
			return usagef("%v", err)
		}
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
