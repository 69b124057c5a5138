package callgen

import (
	"fmt"
	"math"
	"testing"
	"time"

	"callcoach/analysis"
)

// TestDevicesOffsetBySidetone records the echo-and-noise call as two
// devices whose latencies differ by about the sidetone's delay would: the
// customer's device delivers its audio Offset early, so the rep's voice
// reaches the customer's channel at about the moment (or before) it
// reaches the rep's (the sidetone's 4 ms less the offset), and the echo
// of the customer on the rep's microphone comes that much later. Recorded
// through PulseAudio with two resampled devices this happened now and
// then; the correlation's peak then sat at lag 0 and was taken for a leak
// into the rep's channel 16 dB louder than its source, so the rep's own
// voice was cancelled away (1.6 s of rep speech found of 38 s, or none).
// Both the file analysis and the live one must keep the rep's talk within
// the spec's tolerance.
func TestDevicesOffsetBySidetone(t *testing.T) {
	var sc Scenario
	for _, s := range fixtureScenarios() {
		if s.Name == "script_driven_short" {
			sc = s
		}
	}
	cond, _ := ConditionNamed("echo_noise")
	for _, off := range []time.Duration{0, 3500 * time.Microsecond, 4500 * time.Microsecond, 5 * time.Millisecond, 6 * time.Millisecond} {
		o := cond.Opt
		o.Sidetone.Delay -= off
		o.Leak.Delay += off
		rep, cust, truth := Render(sc, o)
		for _, file := range []bool{true, false} {
			name := fmt.Sprintf("offset %v, live", off)
			newA := analysis.NewAnalyzer
			if file {
				name = fmt.Sprintf("offset %v, file", off)
				newA = analysis.NewFileAnalyzer
			}
			a, err := newA(analysis.DefaultConfig(), truth.Rate, analysis.TwoParty)
			if err != nil {
				t.Fatal(err)
			}
			n := truth.Rate / 50
			for i := 0; i < len(rep); i += n {
				e := min(i+n, len(rep))
				a.Write(rep[i:e], cust[i:e])
			}
			res := a.Finish()
			got, want := res.Talk.Rep.D().Seconds(), truth.Talk.Rep.D().Seconds()
			t.Logf("%s: rep talk %.2f s (truth %.2f), customer %.2f s (truth %.2f)", name, got, want, res.Talk.Customer.D().Seconds(), truth.Talk.Customer.D().Seconds())
			if math.Abs(got-want) > 0.05*want {
				t.Errorf("%s: rep talk %.2f s, truth %.2f s (tolerance 5%%)", name, got, want)
			}
		}
	}
}
