package pulsetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
)

// Call is a generated two-party call with known truth, split into one
// track per party for playing into two sinks.
type Call struct {
	Stereo, Rep, Customer string
	Truth                 callgen.Truth
}

// LoadCall reads a stereo call and its .truth.json (as callgen writes them
// to analysis/testdata/calls) and splits it into per-party tracks in a
// temporary directory.
func LoadCall(tb testing.TB, stereoWAV string) Call {
	tb.Helper()
	truth, err := callgen.ReadTruth(strings.TrimSuffix(stereoWAV, ".wav") + ".truth.json")
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	c := Call{Stereo: stereoWAV, Rep: filepath.Join(dir, "rep.wav"), Customer: filepath.Join(dir, "customer.wav"), Truth: truth}
	for _, x := range []struct {
		out string
		ch  string
	}{{c.Rep, "1"}, {c.Customer, "2"}} {
		if out, err := exec.Command("sox", stereoWAV, x.out, "remix", x.ch).CombinedOutput(); err != nil {
			tb.Fatalf("sox (apt-get install sox) could not split the call: %v: %s", err, out)
		}
	}
	return c
}

// Play plays the rep's track into repSink and the customer's into
// custSink, started together, and returns a function that waits for both.
func (s *Server) PlayCall(tb testing.TB, c Call, repSink, custSink string) (wait func() error) {
	tb.Helper()
	a := s.Play(tb, repSink, c.Rep)
	b := s.Play(tb, custSink, c.Customer)
	return func() error { return errors.Join(a.Wait(), b.Wait()) }
}

// Report is how a recording of a played call compares with its truth.
type Report struct {
	Result analysis.Result
	// Offset is where the call starts in the recording (from the rep's
	// channel); Skew is the customer's channel's offset minus the rep's:
	// both paplay start-up differences and any misalignment of the
	// recorder.
	Offset, Skew      time.Duration
	TalkErr           [2]float64 // relative error of rep and customer talk
	ShareErr          float64    // |share - truth| (0..1)
	Found, Missed     int        // truth interruptions found (matching party, onset within 0.5 s) and missed
	Extra             int        // interruptions found that are not in the truth
	BackchannelsAsInt int
}

// Spec tolerances (shared/spec/metrics.md).
const (
	TalkTolerance  = 0.05
	ShareTolerance = 0.02
	OnsetTolerance = 500 * time.Millisecond
)

// Check analyses the recorded stereo file with the product's analysis and
// compares it with the played call's truth, shifted to where the call
// starts in the recording.
func Check(tb testing.TB, recorded string, c Call) Report {
	tb.Helper()
	res, err := audio.AnalyzeFile(context.Background(), audio.AnalyzeRequest{Path: recorded}, analysis.DefaultConfig())
	if err != nil {
		tb.Fatalf("analyse the recording: %v", err)
	}
	rec := envelopes(tb, recorded)
	orig := envelopes(tb, c.Stereo)
	offL := bestLag(orig[0], rec[0])
	offR := bestLag(orig[1], rec[1])
	r := Report{Result: res, Offset: time.Duration(offL) * envFrame, Skew: time.Duration(offR-offL) * envFrame}
	t := c.Truth
	for i, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		want := t.Talk.Of(s).Seconds()
		r.TalkErr[i] = math.Abs(res.Talk.Of(s).Seconds()-want) / want
	}
	r.ShareErr = math.Abs(res.RepTalkShare - t.RepTalkShare)
	used := make([]bool, len(res.Interruptions))
	for _, w := range t.Interruptions {
		at := w.At.D() + r.Offset
		hit := false
		for i, g := range res.Interruptions {
			if !used[i] && g.By == w.By && absDur(g.At.D()-at) <= OnsetTolerance {
				used[i], hit = true, true
				break
			}
		}
		if hit {
			r.Found++
		} else {
			r.Missed++
		}
	}
	for i, g := range res.Interruptions {
		if used[i] {
			continue
		}
		r.Extra++
		for _, b := range t.Backchannels {
			if b.By == g.By && absDur(g.At.D()-(b.At.D()+r.Offset)) <= OnsetTolerance {
				r.BackchannelsAsInt++
			}
		}
	}
	return r
}

// Errors lists what is outside the spec's tolerances, one sentence each.
func (r Report) Errors() []string {
	var errs []string
	for i, who := range []string{"rep", "customer"} {
		if r.TalkErr[i] > TalkTolerance {
			errs = append(errs, fmt.Sprintf("%s talk off by %.1f%%, want within %.0f%%", who, 100*r.TalkErr[i], 100*TalkTolerance))
		}
	}
	if r.ShareErr > ShareTolerance {
		errs = append(errs, fmt.Sprintf("rep talk share off by %.1f points, want within %.0f", 100*r.ShareErr, 100*ShareTolerance))
	}
	total := r.Found + r.Missed
	if total > 0 && float64(r.Found)/float64(total) < 0.9 {
		errs = append(errs, fmt.Sprintf("interruption recall %d/%d, want 0.9 or better", r.Found, total))
	}
	if found := r.Found + r.Extra; found > 0 && float64(r.Found)/float64(found) < 0.9 {
		errs = append(errs, fmt.Sprintf("interruption precision %d/%d, want 0.9 or better", r.Found, found))
	}
	if r.BackchannelsAsInt > 0 {
		errs = append(errs, fmt.Sprintf("%d backchannel(s) counted as interruptions", r.BackchannelsAsInt))
	}
	return errs
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// envFrame is the resolution of the offset search.
const envFrame = 5 * time.Millisecond

// envelopes returns each channel's RMS per envFrame.
func envelopes(tb testing.TB, path string) [2][]float64 {
	tb.Helper()
	r, err := audio.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	ch := r.Channels()
	per := int(float64(r.Rate()) * envFrame.Seconds())
	buf := make([]float32, per*ch)
	var env [2][]float64
	for {
		n, err := r.ReadFrames(buf)
		if n == per {
			for c := range 2 {
				var sq float64
				for i := range n {
					v := float64(buf[i*ch+min(c, ch-1)])
					sq += v * v
				}
				env[c] = append(env[c], math.Sqrt(sq/float64(n)))
			}
		}
		if err == io.EOF || n < per {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return env
}

// bestLag returns the shift (in envelope frames, 0..len(b)-len(a)) at
// which a best matches b, by normalised correlation.
func bestLag(a, b []float64) int {
	best, bestC := 0, math.Inf(-1)
	for lag := 0; lag+len(a)/2 < len(b); lag++ {
		var c, na, nb float64
		for i, x := range a {
			if lag+i >= len(b) {
				break
			}
			y := b[lag+i]
			c += x * y
			na += x * x
			nb += y * y
		}
		if na == 0 || nb == 0 {
			continue
		}
		if c /= math.Sqrt(na * nb); c > bestC {
			best, bestC = lag, c
		}
	}
	return best
}
