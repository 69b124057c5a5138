package analysis_test

import (
	"testing"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
)

// TestVerdictOnGeneratedCalls judges the test kit's standard calls from
// their true segments: each must get the verdict its script was written to
// show, and Measure must find the interruptions and backchannels the kit's
// own, independent reading of the spec finds.
func TestVerdictOnGeneratedCalls(t *testing.T) {
	want := map[string]analysis.Verdict{
		"attentive":     analysis.VerdictListening,
		"script_driven": analysis.VerdictScriptDriven,
		"mixed":         analysis.VerdictMixed,
		"demo":          analysis.VerdictMixed,
	}
	cfg := analysis.DefaultConfig()
	for _, s := range append(callgen.Scenarios(), callgen.Demo()) {
		t.Run(s.Name, func(t *testing.T) {
			_, _, truth := callgen.Render(s, callgen.RenderOptions{})
			r := analysis.Measure(truth.Segments, analysis.TwoParty, truth.Duration.D(), cfg)
			if got := r.Listening.Verdict; got != want[s.Name] {
				t.Errorf("verdict: got %q (score %d), want %q; reasons %q", got, r.Listening.Score, want[s.Name], r.Listening.Reasons)
			}
			ints, bcs := callgen.Events(truth.Segments, cfg)
			if len(ints) != len(r.Interruptions) {
				t.Errorf("interruptions: got %d, want %d", len(r.Interruptions), len(ints))
			}
			for i := range min(len(ints), len(r.Interruptions)) {
				if ints[i] != r.Interruptions[i] {
					t.Errorf("interruption %d: got %+v, want %+v", i, r.Interruptions[i], ints[i])
				}
			}
			if len(bcs) != len(r.Backchannels) {
				t.Errorf("backchannels: got %d, want %d", len(r.Backchannels), len(bcs))
			}
			for i := range min(len(bcs), len(r.Backchannels)) {
				if bcs[i] != r.Backchannels[i] {
					t.Errorf("backchannel %d: got %+v, want %+v", i, r.Backchannels[i], bcs[i])
				}
			}
		})
	}
}
