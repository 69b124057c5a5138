package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
)

// dropout is digital silence inserted at sample at of the original.
type dropout struct {
	at, n int
}

// withDropouts returns rep and cust with digital silence inserted in both
// channels, as a sound server that stalls plays it (PipeWire: one quantum
// of nothing, 1024 samples at 48 kHz, and more when the stall lasts),
// every 3.1 s from 1.3 s on, and three more in the first three seconds
// (where the floor's window has not filled yet), the times counted from
// the call's start lead samples in.
func withDropouts(rep, cust []float32, rate, lead int) (r, c []float32, ds []dropout) {
	lens := []time.Duration{21333 * time.Microsecond, 21333 * time.Microsecond, 42667 * time.Microsecond, 106 * time.Millisecond}
	early := []int{lead + int(0.6*float64(rate)), lead + int(0.9*float64(rate)), lead + int(2.2*float64(rate))}
	next := lead + int(1.3*float64(rate))
	for i := range rep {
		if slices.Contains(early, i) {
			n := int(0.0213 * float64(rate))
			r = append(r, make([]float32, n)...)
			c = append(c, make([]float32, n)...)
			ds = append(ds, dropout{i, n})
		}
		if i == next {
			n := int(lens[len(ds)%len(lens)].Seconds() * float64(rate))
			r = append(r, make([]float32, n)...)
			c = append(c, make([]float32, n)...)
			ds = append(ds, dropout{i, n})
			next += int(3.1 * float64(rate))
		}
		r = append(r, rep[i])
		c = append(c, cust[i])
	}
	return r, c, ds
}

// addNoise adds white noise of the given RMS to x (the generator's
// "clean" calls are digitally silent between words; no real recording
// is).
func addNoise(x []float32, rms float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = v + float32(rng.NormFloat64()*rms)
	}
	return out
}

func analyseWith(t *testing.T, cfg analysis.Config, file bool, rep, cust []float32, rate int) analysis.Result {
	t.Helper()
	newA := analysis.NewAnalyzer
	if file {
		newA = analysis.NewFileAnalyzer
	}
	a, err := newA(cfg, rate, analysis.TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(rep); i += rate / 10 {
		j := min(len(rep), i+rate/10)
		a.Write(rep[i:j], cust[i:j])
	}
	return a.Finish()
}

// dropoutErr is how far s's talk with the dropouts is from its talk
// without them plus the dropouts inserted inside its turns (which the
// turn bridges), in seconds.
func dropoutErr(base, got analysis.Result, s analysis.Speaker, ds []dropout, rate int) float64 {
	var inside float64
	for _, d := range ds {
		at := time.Duration(d.at) * time.Second / time.Duration(rate)
		for _, g := range base.Segments {
			if g.Speaker == s && g.Start.D() < at && at < g.End.D() {
				inside += float64(d.n) / float64(rate)
				break
			}
		}
	}
	return got.Talk.Of(s).D().Seconds() - base.Talk.Of(s).D().Seconds() - inside
}

// TestDropoutsLeaveTheFloor: a recording through a sound server that
// stalled now and then holds short stretches of digital silence. Taken
// as noise, each pulled a channel's floor down by the noise's depth, and
// the noise after the next word ends then counted as speech: on a real
// PipeWire recording stalled once for 60 ms, the rep's talk came out
// 9.9 % long (0.7 s on a 22 s call). Each party's talk with dropouts must
// stay its talk without them, plus the silence inserted inside its turns,
// within 1.5 % and 0.5 % on average: on calls with a noise floor 50 and
// 40 dB down, with and without line echo, live and from the file, each
// begun with 128 ms of digital silence as a recording from an idle
// monitor is. Without the guard the noisier calls miss that by far (up
// to 3.2 % clean, 18 % with echo). Through a room (the canceller's path)
// dropouts cost up to 5.1 % with or without the guard: bounded at 6 %.
func TestDropoutsLeaveTheFloor(t *testing.T) {
	var sumAbs float64 // relative errors, clean and echo conditions
	var n int
	defer func() {
		if n > 0 {
			t.Logf("mean relative error with dropouts, clean and echo: %.2f %% over %d party figures", 100*sumAbs/float64(n), n)
			if sumAbs/float64(n) > 0.005 {
				t.Errorf("mean relative error with dropouts %.2f %%, want within 0.5 %%", 100*sumAbs/float64(n))
			}
		}
	}()
	for _, tc := range []struct {
		noise float64 // RMS
		cond  string
		allow float64 // of a party's talk
	}{
		// Measured: within 1.25 % (mean 0.3 %), where without the guard
		// up to 3.2 % clean and 18 % with echo.
		{3e-3, "clean", 0.015}, {3e-3, "echo_noise", 0.015}, {1e-2, "clean", 0.015}, {1e-2, "echo_noise", 0.015},
		// Through a room the canceller's filters span the dropout, and
		// its prediction across it is off: measured up to 5.1 %, with
		// or without the guard (a bound for a collapse, not a figure).
		{3e-3, "room_loud", 0.06}, {3e-3, "lapel_pair", 0.06},
	} {
		cond, ok := callgen.ConditionNamed(tc.cond)
		if !ok {
			t.Fatalf("no condition %s", tc.cond)
		}
		for sc := range 3 {
			rep, cust, truth := callgen.RenderCondition(callgen.Scenarios()[sc], cond)
			rep, cust = addNoise(rep, tc.noise, 1), addNoise(cust, tc.noise, 2)
			// A recording begins with the sound server's idle monitor:
			// 128 ms of digital silence before the first sound.
			lead := make([]float32, truth.Rate*128/1000)
			rep, cust = append(lead, rep...), append(lead[:len(lead):len(lead)], cust...)
			dRep, dCust, ds := withDropouts(rep, cust, truth.Rate, len(lead))
			for _, file := range []bool{false, true} {
				t.Run(fmt.Sprintf("noise%.0fdB/%s/%s/file=%v", 20*math.Log10(tc.noise), tc.cond, callgen.Scenarios()[sc].Name, file), func(t *testing.T) {
					cfg := analysis.DefaultConfig()
					base := analyseWith(t, cfg, file, rep, cust, truth.Rate)
					got := analyseWith(t, cfg, file, dRep, dCust, truth.Rate)
					cfg.VAD.DropoutHold = 0
					unguarded := analyseWith(t, cfg, file, dRep, dCust, truth.Rate)
					worstOff := 0.0
					for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
						e, u := dropoutErr(base, got, s, ds, truth.Rate), dropoutErr(base, unguarded, s, ds, truth.Rate)
						allow := base.Talk.Of(s).D().Seconds() * tc.allow
						worstOff = max(worstOff, u/allow)
						t.Logf("%v talk %.2f s; with %d dropouts %+.2f s beyond the silence inserted in its turns (unguarded %+.2f s)", s, base.Talk.Of(s).D().Seconds(), len(ds), e, u)
						if math.Abs(e) > allow {
							t.Errorf("%v talk with dropouts off by %+.2f s beyond what they inserted, want within %.2f s (%.1f %%)", s, e, allow, 100*tc.allow)
						}
						if tc.allow < 0.05 {
							sumAbs += math.Abs(e) / base.Talk.Of(s).D().Seconds()
							n++
						}
					}
					// Without the guard the same calls fail the same bound.
					if tc.noise >= 1e-2 && tc.cond == "clean" && worstOff <= 1 {
						t.Errorf("without the guard the worst party was off by %.1f times the allowance, want over 1: the test no longer sees the fault it guards", worstOff)
					}
				})
			}
		}
	}
}

// TestLongSilenceIsTheFloor: digital silence that lasts (a muted line)
// is not a dropout: after DropoutHold the floor follows it, and speech
// after it is found as before.
func TestLongSilenceIsTheFloor(t *testing.T) {
	cond, _ := callgen.ConditionNamed("clean")
	rep, cust, truth := callgen.RenderCondition(callgen.Scenarios()[1], cond)
	rep, cust = addNoise(rep, 1e-2, 3), addNoise(cust, 1e-2, 4)
	// Mute the customer's line for 4 s from 2 s on.
	for i := 2 * truth.Rate; i < 6*truth.Rate && i < len(cust); i++ {
		cust[i] = 0
	}
	on := analyseWith(t, analysis.DefaultConfig(), false, rep, cust, truth.Rate)
	off := analysis.DefaultConfig()
	off.VAD.DropoutHold = 0
	ref := analyseWith(t, off, false, rep, cust, truth.Rate)
	for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		if d := on.Talk.Of(s).D() - ref.Talk.Of(s).D(); d > 100*time.Millisecond || d < -100*time.Millisecond {
			t.Errorf("%v talk %v with the guard, %v without: a 4 s mute is the floor either way", s, on.Talk.Of(s), ref.Talk.Of(s))
		}
	}
}
