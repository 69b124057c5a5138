package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"callcoach/analysis"
)

// AnalyzeRequest names the call to analyse: either one file (Path: stereo,
// or mono for a mixed recording) or one mono file per party (RepPath and
// CustomerPath).
type AnalyzeRequest struct {
	Path string
	// RepChannel is the channel of a stereo Path that carries the rep
	// (Left by default); the other carries the customer.
	RepChannel Side
	// RepPath and CustomerPath are mono files, one per party; they may
	// differ in rate and length (see OpenPair).
	RepPath, CustomerPath string
	// KeepRepVoice asks for the rep's voice print (Result.RepVoice) of a
	// two-party call, for the rep's voice profile.
	KeepRepVoice bool
	// Progress, if set, is called from AnalyzeFile's goroutine with the
	// audio analysed so far and the call's length: at the start, then about
	// every 1% of the call, and at the end.
	Progress func(done, total time.Duration)
}

// analyzeChunk is how many frames AnalyzeFile reads at a time (1 s at 16 kHz).
const analyzeChunk = 16384

// stream is a Source that is a file or a pair of files.
type stream interface {
	Source
	Info() Info
	Close() error
}

// AnalyzeFile analyses a recorded call, a building block of the use cases
// in callflow (import, recording, re-analysis) and of 'callcoach analyze'.
// It streams the audio through an
// analysis.Analyzer in chunks (memory stays flat however long the call),
// and returns the Result with File, Channels and the reader's notes (a
// repaired header, NaN samples) filled in, and the delivery cues of the
// rep's long monologues (MeasureDelivery). It stops with ctx's error when
// ctx is cancelled.
func AnalyzeFile(ctx context.Context, req AnalyzeRequest, cfg analysis.Config) (analysis.Result, error) {
	var (
		src      stream
		err      error
		name     string
		channels analysis.Channels
	)
	rightIsRep := req.RepChannel == Right
	switch {
	case req.Path != "" && (req.RepPath != "" || req.CustomerPath != ""):
		return analysis.Result{}, errors.New("give either one call file or a rep file and a customer file, not both")
	case req.Path != "":
		name = req.Path
		src, err = Open(req.Path)
	case req.RepPath != "" && req.CustomerPath != "":
		if rightIsRep {
			return analysis.Result{}, errors.New("the rep channel applies to a stereo call file, not to separate rep and customer files")
		}
		name = req.RepPath + " + " + req.CustomerPath
		channels = analysis.Channels{Rep: filepath.Base(req.RepPath), Customer: filepath.Base(req.CustomerPath)}
		src, err = OpenPair(req.RepPath, req.CustomerPath)
	case req.RepPath != "" || req.CustomerPath != "":
		return analysis.Result{}, errors.New("give both a rep file and a customer file (one mono WAV per party)")
	default:
		return analysis.Result{}, errors.New("give a call file to analyse")
	}
	if err != nil {
		return analysis.Result{}, err
	}
	defer src.Close()

	info := src.Info()
	layout := analysis.TwoParty
	switch {
	case info.Channels == 1:
		layout = analysis.OneChannel
		channels = analysis.Channels{OneChannel: "mono"}
	case req.Path != "":
		channels = req.RepChannel.Channels()
	}
	// A finished file: the analysis may look ahead (it learns the
	// crosstalk on the call's first part before judging its start).
	an, err := analysis.NewFileAnalyzer(cfg, info.Rate, layout)
	if err != nil {
		return analysis.Result{}, fmt.Errorf("cannot analyse %s: %w", name, err)
	}
	if req.KeepRepVoice {
		an.KeepRepVoice()
	}

	ch := info.Channels
	buf := make([]float32, analyzeChunk*ch)
	left := make([]float32, analyzeChunk)
	right := make([]float32, analyzeChunk)
	rate := time.Duration(info.Rate)
	var done int64
	step := max(info.Frames/100, 1)
	next := int64(0)
	for {
		if err := ctx.Err(); err != nil {
			return analysis.Result{}, fmt.Errorf("the analysis of %s was stopped: %w", name, err)
		}
		if req.Progress != nil && done >= next {
			req.Progress(time.Duration(done)*time.Second/rate, info.Duration)
			next = done + step
		}
		n, err := src.ReadFrames(buf)
		if n > 0 {
			if ch == 1 {
				an.Write(buf[:n], nil)
			} else {
				deinterleave(left[:n], right[:n], buf[:2*n])
				if rightIsRep {
					an.Write(right[:n], left[:n])
				} else {
					an.Write(left[:n], right[:n])
				}
			}
			done += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return analysis.Result{}, fmt.Errorf("cannot read %s: %w", name, err)
		}
	}
	if req.Progress != nil {
		d := time.Duration(done) * time.Second / rate
		req.Progress(d, d)
	}
	res := an.Finish()
	res.File = name
	if res.Channels.OneChannel == "" { // identical channels are marked by the analysis
		res.Channels = channels
	}
	// Notes on the input (read after reading: NaNs are found on the way) first.
	res.Notes = append(src.Info().Notes, res.Notes...)
	if err := MeasureDelivery(ctx, req, &res, cfg); err != nil {
		return analysis.Result{}, err
	}
	return res, nil
}

func deinterleave(a, b, ab []float32) {
	ab = ab[:2*len(a)]
	b = b[:len(a)]
	for i := range a {
		a[i] = ab[2*i]
		b[i] = ab[2*i+1]
	}
}
