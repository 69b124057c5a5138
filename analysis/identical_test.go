package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
)

func stereo(t *testing.T, rep, cust []float32, rate int) analysis.Result {
	t.Helper()
	a, err := analysis.NewAnalyzer(analysis.DefaultConfig(), rate, analysis.TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(rep); i += rate / 10 {
		j := min(len(rep), i+rate/10)
		a.Write(rep[i:j], cust[i:j])
	}
	return a.Finish()
}

// TestIdenticalChannels: a one-channel call saved as stereo (both
// channels the same, or one a quieter copy with a little noise of its own)
// is analysed as one channel with the identical_channels warning, never
// as a rep and a customer; real two-party calls, however strong their
// bleed, are not.
func TestIdenticalChannels(t *testing.T) {
	sc := callgen.Scenarios()[2]
	c, _ := callgen.ConditionNamed("clean")
	rep, cust, truth := callgen.RenderCondition(sc, c)
	mono := make([]float32, len(rep))
	for i := range mono {
		mono[i] = rep[i] + cust[i]
	}
	rng := rand.New(rand.NewPCG(1, 1))
	copyOf := make([]float32, len(mono))
	for i, v := range mono {
		copyOf[i] = 0.7*v + float32(rng.NormFloat64()*1e-4) // −3 dB, noise ~55 dB down
	}
	for _, tc := range []struct {
		name string
		l, r []float32
	}{{"same", mono, mono}, {"scaled copy with noise", mono, copyOf}} {
		res := stereo(t, tc.l, tc.r, truth.Rate)
		if !res.Recording.Warned(analysis.WarnIdenticalChannels) {
			t.Errorf("%s: warnings %v, want identical_channels", tc.name, res.Recording.Warnings)
		}
		if res.Channels.OneChannel != "identical" || res.Diarization == nil {
			t.Errorf("%s: channels %+v, diarization %v; want one channel, split", tc.name, res.Channels, res.Diarization)
		}
		for _, s := range res.Segments {
			if s.Speaker == analysis.Rep || s.Speaker == analysis.Customer {
				t.Fatalf("%s: got a %v segment: identical channels must not become rep and customer", tc.name, s.Speaker)
			}
		}
		// The same figures as the one-channel analysis of the mix.
		one := oneChannel(t, mono, truth.Rate)
		if d := res.Silence - one.Silence; d > 200e6 || d < -200e6 {
			t.Errorf("%s: silence %v, one-channel analysis %v", tc.name, res.Silence, one.Silence)
		}
	}
	for i, cond := range callgen.Conditions() {
		sc := callgen.Scenarios()[i%3]
		rep, cust, truth := callgen.RenderCondition(sc, cond)
		res := stereo(t, rep, cust, truth.Rate)
		if res.Recording.Warned(analysis.WarnIdenticalChannels) || res.Channels.OneChannel != "" {
			t.Errorf("%s/%s: a two-party call taken for identical channels", sc.Name, cond.Name)
		}
	}
}

// TestIdenticalNotForOffsetDevices: two devices with their own latencies
// put one party's voice on the other's channel a few milliseconds early
// (a lapel pair's −3 dB, a speakerphone's −10 dB) or, where the offset
// matches a sidetone's delay, at lag 0 — a quiet scaled copy of the rep
// for as long as the rep talks alone, as in recordings made through the
// test server. None of these is one audio on both channels.
func TestIdenticalNotForOffsetDevices(t *testing.T) {
	sc, _ := callgen.ScenarioNamed("script_driven")
	type tc struct {
		name string
		o    callgen.RenderOptions
	}
	var cases []tc
	for _, g := range []float64{-3, -6, -10} {
		cases = append(cases,
			tc{fmt.Sprintf("rep 4 ms early on the customer channel at %.0f dB", g),
				callgen.RenderOptions{Rate: 16000, Sidetone: callgen.Crosstalk{Delay: -4 * time.Millisecond, GainDB: g}}},
			tc{fmt.Sprintf("customer 4 ms early on the rep channel at %.0f dB", g),
				callgen.RenderOptions{Rate: 16000, Leak: callgen.Crosstalk{Delay: -4 * time.Millisecond, GainDB: g}}},
			tc{fmt.Sprintf("both ways, 4 ms early and 3 ms late, at %.0f dB", g),
				callgen.RenderOptions{Rate: 16000, Leak: callgen.Crosstalk{Delay: -4 * time.Millisecond, GainDB: g},
					Sidetone: callgen.Crosstalk{Delay: 3 * time.Millisecond, GainDB: g}}})
	}
	cases = append(cases,
		tc{"sidetone at lag 0, -16 dB, no noise", callgen.RenderOptions{Rate: 16000, Sidetone: callgen.Crosstalk{GainDB: -16}}},
		tc{"sidetone at lag 0, -10 dB, no noise", callgen.RenderOptions{Rate: 16000, Sidetone: callgen.Crosstalk{GainDB: -10}}})
	for _, c := range cases {
		rep, cust, truth := callgen.Render(sc, c.o)
		res := stereo(t, rep, cust, truth.Rate)
		if res.Recording.Warned(analysis.WarnIdenticalChannels) || res.Channels.OneChannel != "" {
			t.Errorf("%s: a two-party call taken for identical channels", c.name)
			continue
		}
		for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
			if got, want := res.Talk.Of(s).Seconds(), truth.Talk.Of(s).Seconds(); math.Abs(got-want) > 0.1*want {
				t.Errorf("%s: %s talk %.1f s, truth %.1f s", c.name, s, got, want)
			}
		}
	}
}
