package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// DemoCall prepares the first-run demo: the WAV is written to a private
// temporary file (for the waveform and the player). With analyze, the WAV
// is analysed; without, the figures are measured from the segments in
// resultJSON (assets/demo.json, the generated call's truth), which takes
// microseconds, so the demo is on screen in the first second.
func DemoCall(wav, resultJSON []byte, analyze func(path string) (*analysis.Result, error)) (*store.Call, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("callcoach-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo call: %w", err)
	}
	path := filepath.Join(dir, "demo.wav")
	if err := os.WriteFile(path, wav, 0o600); err != nil {
		return nil, fmt.Errorf("demo call: %w", err)
	}
	var res *analysis.Result
	if analyze != nil {
		r, err := analyze(path)
		if err != nil {
			return nil, fmt.Errorf("demo call: %w", err)
		}
		res = r
	} else if len(resultJSON) > 0 {
		// demo.json holds the generated call's segments (its truth); the
		// figures and the verdict are measured from them by the analysis.
		var truth analysis.Result
		if err := json.Unmarshal(resultJSON, &truth); err == nil && len(truth.Segments) > 0 {
			r := analysis.Measure(truth.Segments, analysis.TwoParty, truth.Duration.D(), analysis.DefaultConfig())
			r.Channels = truth.Channels
			res = &r
		}
	}
	if res == nil {
		return nil, fmt.Errorf("demo call: no analysis")
	}
	// Not in the library: ID 0, and an absolute AudioPath.
	return &store.Call{
		Title: "Demo call: a rep who interrupts", Rep: "Demo rep", Customer: "Demo customer",
		RecordedAt: time.Now(), Duration: res.Duration.D(), Channels: res.Channels,
		AudioPath: path, Result: res,
	}, nil
}
