package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"callcoach/analysis"
)

// DemoCall prepares the first-run demo: the WAV is written to a private
// temporary file (for the waveform and the player) and the stored analysis
// is decoded. If the analysis is missing or unreadable, analyze (when given)
// measures the WAV instead.
func DemoCall(wav, resultJSON []byte, analyze func(path string) (*analysis.Result, error)) (*CallDetail, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("callcoach-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo call: %w", err)
	}
	path := filepath.Join(dir, "demo.wav")
	if err := os.WriteFile(path, wav, 0o600); err != nil {
		return nil, fmt.Errorf("demo call: %w", err)
	}
	var res *analysis.Result
	if len(resultJSON) > 0 {
		var r analysis.Result
		if err := json.Unmarshal(resultJSON, &r); err == nil && len(r.Segments) > 0 {
			res = &r
		}
	}
	if res == nil && analyze != nil {
		r, err := analyze(path)
		if err != nil {
			return nil, fmt.Errorf("demo call: %w", err)
		}
		res = r
	}
	if res == nil {
		return nil, fmt.Errorf("demo call: no analysis")
	}
	return &CallDetail{
		CallRow: CallRow{
			Title: "Demo call: a rep who interrupts", Rep: "Demo rep", Customer: "Demo customer",
			RecordedAt: time.Now(), Duration: res.Duration.D(),
			RepTalkShare: res.RepTalkShare, Verdict: res.Listening.Verdict, Score: res.Listening.Score,
		},
		AudioPath: path,
		Result:    res,
	}, nil
}
