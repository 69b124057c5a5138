package analysis

import (
	"testing"
	"time"
)

// TestSameCheckSettlesOnSilentSide: a call with one side in digital
// silence (a muted microphone, the wrong device) settles the identical
// check within seconds, so the one-channel copy beside the two-party
// analysis is dropped instead of running the whole call (a second full
// analysis); channels that are one and the same still settle as identical.
func TestSameCheckSettlesOnSilentSide(t *testing.T) {
	const rate = 16000
	c := newSynthCall(rate, 60*time.Second, -10, 20*time.Millisecond, 5)
	zero := make([]float32, len(c.rep))
	for _, tc := range []struct {
		name      string
		rep, cust []float32
	}{{"silent customer", c.rep, zero}, {"silent rep", zero, c.cust}} {
		a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
		if err != nil {
			t.Fatal(err)
		}
		// 20 s: the synthetic call's parties take turns, so each has 5 s
		// of sound well inside it.
		for i := 0; i < 20*rate; i += rate / 10 {
			a.Write(tc.rep[i:i+rate/10], tc.cust[i:i+rate/10])
		}
		if a.same != nil {
			t.Errorf("%s: after 20 s the identical check is still running (%d frames of sound, decided %v): the call pays for a second analysis", tc.name, a.same.frames, a.same.decided)
		}
		for i := 20 * rate; i < len(tc.rep); i += rate / 10 {
			j := min(len(tc.rep), i+rate/10)
			a.Write(tc.rep[i:j], tc.cust[i:j])
		}
		res := a.Finish()
		if res.Recording.Warned(WarnIdenticalChannels) || res.Channels.OneChannel != "" {
			t.Errorf("%s: taken for identical channels", tc.name)
		}
		if !res.Recording.Warned(WarnSilentChannel) {
			t.Errorf("%s: warnings %v, want silent_channel", tc.name, res.Recording.Warnings)
		}
	}
	mix := make([]float32, len(c.rep))
	for i := range mix {
		mix[i] = c.rep[i] + c.cust[i]
	}
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20*rate; i += rate / 10 {
		a.Write(mix[i:i+rate/10], mix[i:i+rate/10])
	}
	if a.same == nil || !a.same.decided || !a.same.identical {
		t.Errorf("identical channels: the check did not settle as identical within 20 s")
	}
}
