// Package callgen is the test kit that knows the truth: it builds
// two-party calls from espeak-ng utterances placed on a timeline and
// renders them under the conditions real calls bring, with every segment,
// interruption and backchannel known by construction.
//
// A Scenario is a timeline of placed utterances, built turn by turn with a
// Builder: turns with gaps, backchannels inside the other party's turn,
// interruptions the other party yields to (cut off 0.7–1.2 s after the
// onset, with a fade) or talks through (both keep going), early starts
// that are not interruptions. Scenarios returns the standard calls
// (attentive, script-driven, mixed; 95–117 s), Conditions the recording
// conditions (clean, echo and noise, a room leak, a drifting leak, a quiet
// rep next to a loud customer, 8 kHz, 44.1 and 48 kHz).
//
// Render mixes a scenario at any rate from 8 to 48 kHz with per-party
// levels, room noise at a set SNR, crosstalk both ways (delay, gain, room,
// clock drift) and seeded randomness, and returns the rep's and the
// customer's channels with the Truth: each party's segments decided per
// 10 ms frame on each clean utterance alone (within TruthRangeDB of its
// loudest frame), bridged as the spec bridges them, and the events the
// spec's turn rules find in them (Events), which the generator's tests
// check against what the scenario placed. Truth uses analysis.Result's
// field names and units (seconds) where they overlap.
//
// The utterance bank (bank/*.wav, 16 kHz mono 16-bit, 3.5 MB) is embedded,
// so tests need no espeak-ng. Its script is bankEntries; re-make it (with
// espeak-ng and sox installed) by
//
//	go generate ./audio/audiotest/callgen
//
// The committed fixtures (analysis/testdata/calls) and the app's demo call
// (assets/demo.wav, demo.json) come from Fixtures and WriteDemo:
//
//	go run ./cmd/callgen -fixtures analysis/testdata/calls
//	go run ./cmd/callgen -demo assets
//
// and TestFixturesUpToDate checks that they still match a fresh render.
// TestAccuracy and TestFixtureAccuracy hold the analysis to the spec's
// tolerances (shared/spec/metrics.md) on all of them.
package callgen

//go:generate go run ../../../cmd/callgen -bank bank
