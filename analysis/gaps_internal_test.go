package analysis

import (
	"math/rand/v2"
	"testing"
)

// TestGapsMatchesEverySample: the strided search for runs of zeros finds
// every run of gapRun or longer, and the run carried across writes, as
// testing every sample does, on random runs of zeros and noise written
// in random pieces.
func TestGapsMatchesEverySample(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := range 300 {
		a := &Analyzer{gapRun: 32}
		var x []float32
		for len(x) < 4000 {
			n := rng.IntN(80)
			v := float32(0)
			if rng.IntN(2) == 0 {
				v = 0.01
			}
			for range n {
				x = append(x, v)
			}
		}
		// The reference: every sample.
		run, want := 0, 0
		for _, v := range x {
			if v == 0 {
				run++
				want = max(want, run)
			} else {
				run = 0
			}
		}
		for i := 0; i < len(x); {
			n := min(len(x)-i, 1+rng.IntN(200))
			a.gaps(0, x[i:i+n])
			i += n
		}
		if got := a.zmax[0]; (got >= 32) != (want >= 32) || (want >= 32 && got != want) {
			t.Fatalf("trial %d: longest run got %d, want %d", trial, got, want)
		}
		if a.zrun[0] != run {
			t.Fatalf("trial %d: run carried got %d, want %d", trial, a.zrun[0], run)
		}
	}
}
