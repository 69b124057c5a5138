package pulsetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	// recorder. It is measured at the moments both channels carry sound
	// (SkewBlocks quarter seconds) where there are such, else from each
	// channel's shift over the whole call.
	Offset, Skew time.Duration
	SkewBlocks   int
	// Wander is how far each channel's time base moves against the call's
	// over the recording (the recorder following the system clock).
	Wander            [2]time.Duration
	TalkErr           [2]float64 // relative error of rep and customer talk
	ShareErr          float64    // |share - truth| (0..1)
	Found, Missed     int        // truth interruptions found (matching party, onset within 0.5 s) and missed
	Extra             int        // interruptions found that are not in the truth
	BackchannelsAsInt int
	// Jumps are the places where the recording stops following the call
	// continuously: audio lost (a negative shift) or inserted (positive)
	// by the recorder, the sound server or the player.
	Jumps []Jump
	// Dropouts are insertions the device itself delivered: the inserted
	// stretch is digital silence in every channel of the recording, as a
	// sound server that stalls plays it (PipeWire: a quantum of nothing,
	// 21 ms at 48 kHz, measured by stopping its process for 60 ms). The
	// recorder writes what it is given; the analysis must cope with them,
	// the time base is measured across them (Wander leaves them out).
	Dropouts []Jump
}

// Jump is a discontinuity of one channel: from At (in the call) on, the
// call lies Shift later in the recording than before. Silence is how
// much digital silence the recording holds (in every channel) between
// the blocks either side of it.
type Jump struct {
	Channel                  int // 0 rep, 1 customer
	At, Shift                time.Duration
	Silence                  time.Duration
	prev, block, n, from, to int // the blocks either side, the shift in samples, the recording's samples from the one's start to the other's end
	end                      int // where its last run of silence ends in the recording
}

// EnvKeep names a directory where a failed test's recordings are kept
// (default: the system's temporary directory).
const EnvKeep = "CALLCOACH_TEST_KEEP"

// KeepOnFailure keeps the file at path if the test fails, copied to
// $CALLCOACH_TEST_KEEP (or the temporary directory) under the test's name,
// and logs where: a failed recording test can then be analysed again by
// hand instead of only guessed at. Call it after the file's directory was
// made (the copy runs before t.TempDir is removed).
func KeepOnFailure(tb testing.TB, path string) {
	tb.Helper()
	tb.Cleanup(func() {
		if !tb.Failed() {
			return
		}
		dir := os.Getenv(EnvKeep)
		if dir == "" {
			dir = os.TempDir()
		}
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Logf("could not keep the recording: %v", err)
			return
		}
		name := strings.NewReplacer("/", "_", " ", "_").Replace(tb.Name())
		f, err := os.CreateTemp(dir, "callcoach-failed-"+name+"-*"+filepath.Ext(path))
		if err != nil {
			tb.Logf("could not keep the recording: %v", err)
			return
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			tb.Logf("could not keep the recording: %v", err)
			return
		}
		tb.Logf("the recording is kept at %s", f.Name())
	})
}

// Spec tolerances (shared/spec/metrics.md).
const (
	TalkTolerance  = 0.05
	ShareTolerance = 0.02
	OnsetTolerance = 500 * time.Millisecond
)

// compare places the call orig in the recording rec sample by sample:
// the Offset, Skew, Wander, Jumps and Dropouts of a Report.
func compare(origS, recS [2][]float32, recRate int) Report {
	per := int(float64(recRate) * envFrame.Seconds())
	var lag [2]int // where the call starts in each channel, in samples
	for ch := range 2 {
		coarse := bestLag(envelope(origS[ch], per), envelope(recS[ch], per))
		lag[ch] = refineLag(origS[ch], recS[ch], coarse*per, 2*per)
	}
	at := func(n int) time.Duration { return time.Duration(n) * time.Second / time.Duration(recRate) }
	r := Report{Offset: at(lag[0]), Skew: at(lag[1] - lag[0])}
	var places [2][]place
	for ch := range 2 {
		places[ch] = track(origS[ch], recS[ch], lag[ch], recRate)
		// Any step the recording's silence explains is a dropout, even
		// one too slow between far-apart blocks to be a jump (a pause in
		// the call around it); the jumps are what is left.
		_, ds := dropouts(steps(places[ch], recRate, true), origS[:], recS[:], recRate)
		for _, j := range jumps(places[ch], recRate) {
			if slices.ContainsFunc(ds, func(d Jump) bool { return d.block == j.block }) {
				continue
			}
			j.Channel = ch
			r.Jumps = append(r.Jumps, j)
		}
		for _, j := range ds {
			j.Channel = ch
			// The same silence seen from both channels is one dropout.
			if !slices.ContainsFunc(r.Dropouts, func(d Jump) bool { return absInt(d.end-j.end) <= recRate/100 }) {
				r.Dropouts = append(r.Dropouts, j)
			}
		}
	}
	for ch := range 2 {
		r.Wander[ch] = at(wanderOf(across(places[ch], r.Dropouts, recRate)))
	}
	if d, n := skewOf(places[0], places[1]); n > 0 {
		r.Skew, r.SkewBlocks = at(d), n
	}
	return r
}

// Check analyses the recorded stereo file with the product's analysis and
// compares it with the played call's truth, shifted to where the call
// starts in the recording.
func Check(tb testing.TB, recorded string, c Call) Report {
	tb.Helper()
	res, err := audio.AnalyzeFile(context.Background(), audio.AnalyzeRequest{Path: recorded}, analysis.DefaultConfig())
	if err != nil {
		tb.Fatalf("analyse the recording: %v", err)
	}
	recS, recRate := samples(tb, recorded)
	origS, origRate := samples(tb, c.Stereo)
	if recRate != origRate {
		tb.Fatalf("the recording is at %d Hz and the call at %d Hz; Check compares them sample by sample", recRate, origRate)
	}
	r := compare(origS, recS, recRate)
	r.Result = res
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
	for _, j := range r.Jumps {
		what := "inserted"
		if j.Shift < 0 {
			what = "lost"
		}
		errs = append(errs, fmt.Sprintf("the %s channel is not continuous: at %.2f s of the call %v of audio was %s (by the recorder, the sound server or the player)",
			[]string{"rep", "customer"}[j.Channel], j.At.Seconds(), j.Shift.Abs(), what))
	}
	if r.BackchannelsAsInt > 0 {
		errs = append(errs, fmt.Sprintf("%d backchannel(s) counted as interruptions", r.BackchannelsAsInt))
	}
	return errs
}

// DropoutText describes the dropouts for a test's log ("none" if none).
func (r Report) DropoutText() string {
	if len(r.Dropouts) == 0 {
		return "none"
	}
	var parts []string
	for _, d := range r.Dropouts {
		parts = append(parts, fmt.Sprintf("%v of digital silence inserted before %.2f s of the call (seen on the %s channel)",
			d.Shift, d.At.Seconds(), []string{"rep", "customer"}[d.Channel]))
	}
	return strings.Join(parts, "; ")
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// envFrame is the resolution of the coarse offset search.
const envFrame = 5 * time.Millisecond

// samples reads the first two channels of a file (a mono file's one
// channel twice) and its rate.
func samples(tb testing.TB, path string) ([2][]float32, int) {
	tb.Helper()
	r, err := audio.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	ch := r.Channels()
	buf := make([]float32, 4096*ch)
	var out [2][]float32
	for {
		n, err := r.ReadFrames(buf)
		for i := range n {
			for c := range 2 {
				out[c] = append(out[c], buf[i*ch+min(c, ch-1)])
			}
		}
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out, r.Rate()
}

// place is where one block of the call lies in the recording.
type place struct {
	block int // block index: the block starts at sample block*blockLen of the call
	shift int // its start in the recording minus its start in the call, samples
}

// blockLen is the length of track's blocks, in seconds.
const blockLen = 0.25

// track places each quarter second of the call a (that carries sound) in
// the recording b, searched a second either way of where the previous
// block lay (the whole call's shift lag to begin with). It keeps only
// blocks whose waveform matches to a correlation of 0.9 or better: a
// block that straddles lost or inserted audio, or that the sound server
// changed, matches nowhere that well.
//
// A recording of two devices follows the system clock, so its time base
// bends a little (measured: tens of milliseconds over 20 s under
// PulseAudio on a busy machine); one shift for a whole call then places a
// channel only to a few milliseconds, and two channels differently when
// their speech lies at different times. Block by block, both channels of
// one stream keep the same shift to the sample.
func track(a, b []float32, lag, rate int) []place {
	per := int(float64(rate) * envFrame.Seconds())
	envB := envelope(b, per)
	blk, reach := int(blockLen*float64(rate)), rate
	var out []place
	prev := lag
	for k := 0; k+blk <= len(a); k += blk {
		block := a[k : k+blk]
		var sq float64
		for _, v := range block {
			sq += float64(v) * float64(v)
		}
		if math.Sqrt(sq/float64(blk)) < 1e-4 {
			continue // digital silence places nothing
		}
		envA := envelope(block, per)
		lo := max(0, (prev+k-reach)/per)
		hi := min(len(envB)-len(envA), (prev+k+reach)/per)
		if hi < lo {
			break // the recording ends before this block
		}
		best, bestC := lo, math.Inf(-1)
		for f := lo; f <= hi; f++ {
			var c, nb float64
			for i, x := range envA {
				y := envB[f+i]
				c += x * y
				nb += y * y
			}
			if nb == 0 {
				continue
			}
			if c /= math.Sqrt(nb); c > bestC {
				best, bestC = f, c
			}
		}
		// Where the block starts in b: refined around where the previous
		// block lay, or around the envelope's best, whichever matches
		// better (the previous on a tie). The envelope can miss by a few
		// frames on a vowel, and its refinement then lands a pitch period
		// off, still above 0.9: measured once, 150 samples off at 0.909
		// where the true place matched at 0.988.
		pos, c := -1, math.Inf(-1)
		for _, guess := range [][2]int{{prev + k, per}, {best * per, 2 * per}} {
			p := refineLag(block, b, guess[0], guess[1])
			if p < 0 || p+blk > len(b) {
				continue
			}
			if pc := correlation(block, b[p:p+blk]); pc > c {
				pos, c = p, pc
			}
		}
		if pos < 0 || c < 0.9 {
			continue
		}
		out = append(out, place{block: k / blk, shift: pos - k})
		prev = pos - k
	}
	return out
}

// bendLimit is the most a recording of two devices may bend its time base
// as it follows the system clock (record: a measured rate within 2 % of
// the nominal one, plus a slew of 0.5 %): a shift that changes faster
// between two placed blocks, by more than jumpSlack, is audio lost or
// inserted.
const (
	bendLimit = 0.025
	jumpSlack = 5 * time.Millisecond
)

// jumps returns where a channel's placed blocks shift faster than the
// recorder can slew.
func jumps(ps []place, rate int) []Jump {
	return steps(ps, rate, false)
}

// steps returns where a channel's placed blocks shift faster than the
// recorder can slew (all: every shift of dropoutRun or more, however far
// apart the blocks, for dropouts to explain).
func steps(ps []place, rate int, all bool) []Jump {
	var out []Jump
	blk := blockLen * float64(rate)
	for i := 1; i < len(ps); i++ {
		d := ps[i].shift - ps[i-1].shift
		allow := bendLimit*float64(ps[i].block-ps[i-1].block)*blk + jumpSlack.Seconds()*float64(rate)
		if all {
			allow = dropoutRun.Seconds() * float64(rate)
		}
		if math.Abs(float64(d)) > allow {
			at := time.Duration(float64(ps[i].block) * blockLen * float64(time.Second))
			out = append(out, Jump{At: at, Shift: time.Duration(d) * time.Second / time.Duration(rate), prev: ps[i-1].block, block: ps[i].block, n: d,
				from: int(float64(ps[i-1].block)*blk) + ps[i-1].shift, to: int(float64(ps[i].block+1)*blk) + ps[i].shift})
		}
	}
	return out
}

// dropoutRun is the shortest run of exact zeros counted as digital
// silence: no microphone's noise, nor a 16-bit file's quietest, holds a
// sample at exactly zero for 2 ms.
const dropoutRun = 2 * time.Millisecond

// dropouts splits a channel's jumps into those the recording explains by
// digital silence in every channel (an insertion no longer than the
// silence the recording holds from the start of the block before the
// jump to the end of the block after it, beyond what the call holds
// there, plus jumpSlack: the device delivered nothing) and the rest, and
// fills in each jump's Silence (that difference). The blocks themselves
// count: a dropout 32 ms before a block's end still lets the block match
// at 0.9 where it lay before (measured in a CI run).
func dropouts(js []Jump, call, rec [][]float32, rate int) (rest, drops []Jump) {
	blk := blockLen * float64(rate)
	for _, j := range js {
		inRec, _ := silence(rec, j.from, j.to, rate)
		// Where it ends: the last run before the block after it begins
		// (that block matched at the new shift).
		_, end := silence(rec, j.from, j.to-int(blk), rate)
		inCall, _ := silence(call, int(float64(j.prev)*blk), int(float64(j.block+1)*blk), rate)
		n := inRec - inCall
		j.Silence = time.Duration(n) * time.Second / time.Duration(rate)
		j.end = end
		if j.Shift > 0 && j.Silence >= j.Shift-jumpSlack {
			drops = append(drops, j)
		} else {
			rest = append(rest, j)
		}
	}
	return rest, drops
}

// silence counts the samples in [from, to) that lie in runs of at least
// dropoutRun where every channel is exactly zero, and returns where the
// last such run ends (from if none).
func silence(chans [][]float32, from, to, rate int) (n, end int) {
	run := int(dropoutRun.Seconds() * float64(rate))
	cur := 0
	end = from
	for i := max(0, from); i < min(to, len(chans[0])); i++ {
		silent := true
		for _, c := range chans {
			silent = silent && c[i] == 0
		}
		if !silent {
			cur = 0
			continue
		}
		cur++
		switch {
		case cur == run:
			n += run
		case cur > run:
			n++
		}
		if cur >= run {
			end = i + 1
		}
	}
	return n, end
}

// across returns the placed blocks with the dropouts' shifts taken off
// the blocks that lie in the recording after them: the time base as the
// recorder kept it. A dropout found in either channel is in both (its
// silence is in every channel), so it applies to both.
func across(ps []place, drops []Jump, rate int) []place {
	out := slices.Clone(ps)
	blk := blockLen * float64(rate)
	for _, d := range drops {
		for i := range out {
			if int(float64(out[i].block)*blk)+out[i].shift >= d.end {
				out[i].shift -= d.n
			}
		}
	}
	return out
}

// skewOf returns the median of the customer channel's shift minus the
// rep's over the blocks placed in both, and how many there were.
func skewOf(rep, cust []place) (int, int) {
	at := map[int]int{}
	for _, p := range rep {
		at[p.block] = p.shift
	}
	var d []int
	for _, p := range cust {
		if s, ok := at[p.block]; ok {
			d = append(d, p.shift-s)
		}
	}
	if len(d) == 0 {
		return 0, 0
	}
	slices.Sort(d)
	return d[len(d)/2], len(d)
}

// wanderOf is how far a channel's shift ranges over the call.
func wanderOf(ps []place) int {
	if len(ps) == 0 {
		return 0
	}
	lo, hi := ps[0].shift, ps[0].shift
	for _, p := range ps {
		lo, hi = min(lo, p.shift), max(hi, p.shift)
	}
	return hi - lo
}

// correlation is the normalised correlation of two equal-length signals.
func correlation(a, b []float32) float64 {
	var c, na, nb float64
	for i, x := range a {
		c += float64(x) * float64(b[i])
		na += float64(x) * float64(x)
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return c / math.Sqrt(na*nb)
}

// envelope returns the RMS of each whole frame of per samples.
func envelope(x []float32, per int) []float64 {
	env := make([]float64, 0, len(x)/per)
	for i := 0; i+per <= len(x); i += per {
		var sq float64
		for _, v := range x[i : i+per] {
			sq += float64(v) * float64(v)
		}
		env = append(env, math.Sqrt(sq/float64(per)))
	}
	return env
}

// refineLag returns the shift of a in b, in samples, within radius of
// guess, at which the waveforms correlate best. The envelopes' frames
// only place a call to a frame or two (their peak is broad on speech in
// noise); the waveform's peak is a sample wide, even through the sound
// server's resampling.
func refineLag(a, b []float32, guess, radius int) int {
	best, bestC := guess, math.Inf(-1)
	for lag := max(0, guess-radius); lag <= guess+radius && lag < len(b); lag++ {
		var c, nb float64
		for i, x := range a {
			if lag+i >= len(b) {
				break
			}
			y := float64(b[lag+i])
			c += float64(x) * y
			nb += y * y
		}
		if nb == 0 {
			continue
		}
		if c /= math.Sqrt(nb); c > bestC {
			best, bestC = lag, c
		}
	}
	return best
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
