package analysis_test

import (
	"math/rand/v2"
	"testing"

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
