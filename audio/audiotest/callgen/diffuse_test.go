package callgen

import (
	"fmt"
	"testing"
	"time"
)

// TestDiffuseLeak: the rep's voice reaches the customer's channel through
// the room only — a long random reverberation 16 and 20 dB under her
// clean level with almost no direct path (the real close-talk pair's
// summed channel hears its rep like this; no three-tap leak fits it). The
// power-domain leak model (analysis/diffuse.go) must keep the customer's
// talk from swelling with it: before it, the customer's talk came out up
// to 25.3 % long (script_driven, 20 dB; F1 0.868) and the share 4.2
// points off; with it at most 9.4 % (script_driven, 16 dB, unchanged by
// it) and 1.6 points, F1 at least 0.934, the rest being the leak's first
// seconds, before a gain was learnt; since a first look that finds no
// leak no longer settles its absence (analyzer.go), at most 2.8 %, 0.4
// points, F1 0.970, so it is held to the spec's echo tolerances for talk,
// share and frames. Not its interruptions (precision 0.75-1.00 here).
func TestDiffuseLeak(t *testing.T) {
	for _, db := range []float64{-16, -20} {
		cond := Condition{Name: fmt.Sprintf("diffuse_%.0fdB", -db), Hard: true, Opt: RenderOptions{
			Rate:     16000,
			Sidetone: Crosstalk{Delay: 3 * time.Millisecond, GainDB: db - 20, Reverb: 600 * time.Millisecond, ReverbDB: 20},
			NoiseSNR: 30, CustomerNoiseSNR: 30, HumHz: 50,
		}}
		for _, sc := range Scenarios() {
			rep, cust, truth := RenderCondition(sc, cond)
			got := analyse(t, truth.Rate, rep, cust)
			c := score(sc.Name, truth, got)
			t.Logf("%-12s %-13s F1 %.3f/%.3f talk %4.1f%%/%4.1f%% share %4.1f points, interruptions P %.2f R %.2f",
				cond.Name, sc.Name, c.f1[0], c.f1[1], 100*c.talkErr[0], 100*c.talkErr[1], 100*c.shareErr, c.precision(), c.recall())
			if max(c.talkErr[0], c.talkErr[1]) > talkTolerance || c.shareErr > shareToleranceHard || min(c.f1[0], c.f1[1]) < minFrameF1 {
				t.Errorf("%s %s: talk %.1f%%/%.1f%% (at most %.0f%%), share %.1f points (at most %.0f), F1 %.3f/%.3f (at least %.2f)",
					cond.Name, sc.Name, 100*c.talkErr[0], 100*c.talkErr[1], 100*talkTolerance, 100*c.shareErr, 100*shareToleranceHard, c.f1[0], c.f1[1], minFrameF1)
			}
		}
	}
}
