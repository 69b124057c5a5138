package callgen

import (
	"encoding/json"
	"strings"
	"testing"

	"callcoach/analysis"
)

// TestRecordingWarningsSilent: no generated call (clean, echo and noise,
// rooms, drift, typing, quiet rep, every rate) gets a warning about the
// recording: they are all fine recordings.
func TestRecordingWarningsSilent(t *testing.T) {
	for _, cond := range Conditions() {
		t.Run(cond.Name, func(t *testing.T) {
			t.Parallel()
			for _, sc := range Scenarios() {
				rep, cust, truth := RenderCondition(sc, cond)
				got := analyse(t, truth.Rate, rep, cust)
				for _, w := range got.Recording.Warnings {
					t.Errorf("%s: warning %s: %s", sc.Name, w.Code, w.Message)
				}
			}
		})
	}
}

// TestRecordingWarnings: each fault, made on purpose, gets its warning and
// no other, with the figure in the message.
func TestRecordingWarnings(t *testing.T) {
	sc, _ := ScenarioNamed("attentive")
	room, _ := ConditionNamed("echo_room")
	for _, tc := range []struct {
		name string
		make func() (rep, cust []float32, rate int)
		code analysis.WarningCode
		says string
	}{
		{"silent customer", func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{})
			clear(cust)
			return rep, cust, tr.Rate
		}, analysis.WarnSilentChannel, "customer channel carries no speech"},
		{"clipped rep", func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{})
			for i, v := range rep {
				rep[i] = max(-1, min(1, 6*v))
			}
			return rep, cust, tr.Rate
		}, analysis.WarnClipping, "rep's microphone in"},
		{"noisy rep", func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{NoiseSNR: 6})
			return rep, cust, tr.Rate
		}, analysis.WarnNoisy, "dB above its background noise"},
		{"rep on the right", func() ([]float32, []float32, int) {
			rep, cust, tr := RenderCondition(sc, room)
			return cust, rep, tr.Rate
		}, analysis.WarnChannelsSwapped, "ms later"},
		{"speakers moved about", func() ([]float32, []float32, int) {
			// A loud leak (−3 dB) whose path jumps every 1.5 s (a laptop
			// carried around the room): no canceller keeps up.
			rep, cust, tr := Render(sc, RenderOptions{NoiseSNR: 30})
			seg := int(1.5 * float64(tr.Rate))
			for i := 0; i < len(rep); i++ {
				j := i / seg
				d := int((0.005 + 0.04*float64((j*7919)%11)/10) * float64(tr.Rate))
				g := 0.7 * (0.6 + 0.4*float64((j*104729)%5)/4)
				if i >= d {
					rep[i] += float32(g) * cust[i-d]
				}
			}
			return rep, cust, tr.Rate
		}, analysis.WarnStrongBleed, "Strong bleed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, cust, rate := tc.make()
			got := analyse(t, rate, rep, cust)
			var codes []string
			found := false
			for _, w := range got.Recording.Warnings {
				codes = append(codes, string(w.Code))
				if w.Code == tc.code {
					found = true
					if !strings.Contains(w.Message, tc.says) {
						t.Errorf("%s message %q does not say %q", w.Code, w.Message, tc.says)
					}
				}
			}
			if !found || len(codes) != 1 {
				b, _ := json.Marshal(got.Recording)
				t.Errorf("warnings %v, want only %s (recording %s)", codes, tc.code, b)
			}
		})
	}
}
