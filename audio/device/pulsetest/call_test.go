package pulsetest

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestJumps: a recording that follows the call continuously has no jump,
// nor one whose time base bends as the recorder's may; one with audio
// inserted or lost mid-call has one, near that moment, of that size.
func TestJumps(t *testing.T) {
	const rate = 16000
	rng := rand.New(rand.NewPCG(1, 2))
	call := make([]float32, 6*rate)
	for i := 0; i < len(call); { // bursts and pauses of random length, as speech has
		n := 1600 + rng.IntN(8000)
		var lp1, lp2 float64
		for j := i; j < min(i+n, len(call)); j++ {
			lp1 += 0.1 * (rng.NormFloat64() - lp1) // low-passed, as speech is
			lp2 += 0.1 * (lp1 - lp2)
			call[j] = float32(lp2)
		}
		i += n + 800 + rng.IntN(4000)
	}
	// bent is the call played 0.2 % slow: the time base a recorder
	// following the system clock may bend.
	bent := make([]float32, int(float64(len(call))*1.002))
	for i := range bent {
		x := float64(i) / 1.002
		k := int(x)
		if k+1 >= len(call) {
			break
		}
		f := float32(x - float64(k))
		bent[i] = call[k]*(1-f) + call[k+1]*f
	}
	lead := make([]float32, 1234)
	join := func(parts ...[]float32) []float32 {
		var out []float32
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cut := 2*rate + 5000
	for _, tc := range []struct {
		name  string
		rec   []float32
		shift int
	}{
		{"continuous", join(lead, call, lead), 0},
		{"bent", join(lead, bent, lead), 0},
		{"inserted", join(lead, call[:cut], make([]float32, 3000), call[cut:], lead), 3000},
		{"lost", join(lead, call[:cut], call[cut+2400:], lead), -2400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lag := refineLag(call, tc.rec, len(lead)/80*80, 160)
			if tc.name != "bent" && lag != len(lead) {
				t.Fatalf("the call's start got %d, want %d", lag, len(lead))
			}
			ps := track(call, tc.rec, lag, rate)
			if len(ps) < 12 {
				t.Fatalf("placed %d blocks, want most of the call's 24", len(ps))
			}
			js := jumps(ps, rate)
			if tc.name == "bent" {
				if w := wanderOf(ps); w < 150 || w > 250 {
					t.Errorf("wander got %d samples, want about 0.2 %% of 6 s (192)", w)
				}
				if d, n := skewOf(ps, ps); d != 0 || n != len(ps) {
					t.Errorf("skew of a channel against itself got %d over %d blocks, want 0 over %d", d, n, len(ps))
				}
			}
			if tc.shift == 0 {
				if len(js) != 0 {
					t.Errorf("jumps got %v, want none", js)
				}
				return
			}
			want := time.Duration(tc.shift) * time.Second / rate
			if len(js) != 1 || js[0].Shift != want || js[0].At < time.Second || js[0].At > 4*time.Second {
				t.Errorf("jumps got %v, want one of %v near 2.3 s", js, want)
			}
		})
	}
}
