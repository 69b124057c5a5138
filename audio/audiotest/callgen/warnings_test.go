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
			// A swap or a silent side withholds the verdict, saying why;
			// the other faults leave it (the attentive call is listening).
			withholds := tc.code == analysis.WarnChannelsSwapped || tc.code == analysis.WarnSilentChannel
			l := got.Listening
			switch {
			case withholds && (l.Verdict != analysis.NoVerdict || len(l.Reasons) == 0 || !strings.HasPrefix(l.Reasons[0], "No verdict: ")):
				t.Errorf("verdict %q, reasons %q; want no verdict, saying why first", l.Verdict, l.Reasons)
			case !withholds && l.Verdict == analysis.NoVerdict:
				t.Errorf("no verdict (%q) for a call that only warns %s", l.Reasons, tc.code)
			}
		})
	}
}

// TestRecordingWarningsNearMiss: each fault's milder neighbour, which a
// fine recording can have, gets no warning: a quiet customer is not a
// silent one, peaks just under full scale are not clipping, a room 20 dB
// under the speech is not noisy, a strong leak into the rep's microphone
// is not a swap and, once cancelled, not strong bleed, and two lapel
// microphones 30 cm apart, each hearing the other 3 dB down, are not
// identical channels. (Not covered, and taken for identical: an electrical
// mix of both voices on each channel at zero lag whose first 5 s of sound
// carry one voice only, which is a scaled copy for those seconds.)
func TestRecordingWarningsNearMiss(t *testing.T) {
	sc, _ := ScenarioNamed("attentive")
	room, _ := ConditionNamed("echo_room")
	for _, tc := range []struct {
		name string
		not  analysis.WarningCode
		make func() (rep, cust []float32, rate int)
	}{
		{"quiet customer", analysis.WarnSilentChannel, func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{CustomerPeakDBFS: -30})
			return rep, cust, tr.Rate
		}},
		{"rep peaking just under full scale", analysis.WarnClipping, func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{})
			var peak float32
			for _, v := range rep {
				peak = max(peak, v, -v)
			}
			for i := range rep {
				rep[i] *= 0.99 / peak
			}
			return rep, cust, tr.Rate
		}},
		{"room noise 20 dB under the rep", analysis.WarnNoisy, func() ([]float32, []float32, int) {
			rep, cust, tr := Render(sc, RenderOptions{NoiseSNR: 20})
			return rep, cust, tr.Rate
		}},
		{"laptop speakers into the rep's microphone", analysis.WarnChannelsSwapped, func() ([]float32, []float32, int) {
			rep, cust, tr := RenderCondition(sc, room)
			return rep, cust, tr.Rate
		}},
		{"a room leak the canceller removes", analysis.WarnStrongBleed, func() ([]float32, []float32, int) {
			rep, cust, tr := RenderCondition(sc, room)
			return rep, cust, tr.Rate
		}},
		{"lapel pair 30 cm apart", analysis.WarnIdenticalChannels, func() ([]float32, []float32, int) {
			// Each microphone hears the other voice 3 dB down and 1 ms
			// late (30 cm of air), with no room at all: the closest two
			// microphones come to one.
			rep, cust, tr := Render(sc, RenderOptions{NoiseSNR: 30})
			d := tr.Rate / 1000
			l, r := make([]float32, len(rep)), make([]float32, len(rep))
			for i := range rep {
				l[i], r[i] = rep[i], cust[i]
				if i >= d {
					l[i] += 0.7 * cust[i-d]
					r[i] += 0.7 * rep[i-d]
				}
			}
			return l, r, tr.Rate
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, cust, rate := tc.make()
			got := analyse(t, rate, rep, cust)
			if got.Recording.Warned(tc.not) {
				b, _ := json.Marshal(got.Recording)
				t.Errorf("warned %s, want not (recording %s)", tc.not, b)
			}
		})
	}
}
