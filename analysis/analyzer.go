package analysis

import (
	"errors"
	"time"
)

// Layout says what the channels fed to an Analyzer carry.
type Layout uint8

const (
	// TwoParty: two channels, the rep's and the customer's.
	TwoParty Layout = iota
	// MonoMixed: one channel holding both parties mixed; only speech
	// activity, total talk and silences can be measured.
	MonoMixed
)

// Analyzer measures a call incrementally: feed samples as they arrive, read
// the figures so far at any time. The same code serves the live meter during
// a call and the analysis of a finished file.
//
// PLACEHOLDER: the activity detector replaces this file.
type Analyzer struct {
	cfg    Config
	rate   int
	layout Layout
	n      int64
}

// NewAnalyzer returns an Analyzer for audio at rate Hz.
func NewAnalyzer(cfg Config, rate int, layout Layout) (*Analyzer, error) {
	if rate < 8000 {
		return nil, errors.New("sample rate below 8000 Hz")
	}
	return &Analyzer{cfg: cfg, rate: rate, layout: layout}, nil
}

// Write feeds the next samples of both parties (floats in [-1, 1], equal
// lengths; customer is ignored for MonoMixed).
func (a *Analyzer) Write(rep, customer []float32) { a.n += int64(len(rep)) }

// Snapshot returns the figures so far.
func (a *Analyzer) Snapshot() Result {
	return Measure(nil, a.layout, time.Duration(a.n)*time.Second/time.Duration(a.rate), a.cfg)
}

// Finish ends the input and returns the final figures.
func (a *Analyzer) Finish() Result { return a.Snapshot() }
