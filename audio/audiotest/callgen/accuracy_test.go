package callgen

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// The spec's tolerances (shared/spec/metrics.md, "Tolerances the analysis
// is judged by").
const (
	talkTolerance      = 0.05 // talk time per party: within 5% of the truth
	shareTolerance     = 0.02 // rep talk share: within 2 percentage points...
	shareToleranceHard = 0.04 // ...4 with echo and room noise
	minFrameF1         = 0.95 // per-party speech frames
	onsetTolerance     = 500 * time.Millisecond
	minPrecision       = 0.9 // interruptions found with matching attribution
	minRecall          = 0.9
)

// The derived figures (long silences, monologues, floor changes,
// patience) follow from the segments, and the spec gives them no
// tolerance of their own; these are the kit's, each the error a detector
// within the spec's tolerances can be expected to stay under. Their
// expected values are analysis.Measure applied to the truth segments
// (TestMeasureAgreesWithTruth ties Measure to the kit's own reading).
const (
	monologueTolerance   = 0.05                   // longest monologue per party: as talk time...
	monologueSlack       = 500 * time.Millisecond // ...or half a second for short ones
	floorChangeSlack     = 2                      // one turn misread moves the count by two...
	floorChangeTolerance = 0.15                   // ...or 15% on long calls
	patienceTolerance    = 250 * time.Millisecond // mean gap before the rep's turn
)

// chunk is how much audio the tests hand the Analyzer at a time, as the
// live meter would.
const chunk = 20 * time.Millisecond

// analyse runs the real Analyzer over a rendered call in 20 ms chunks.
func analyse(tb testing.TB, rate int, rep, cust []float32) analysis.Result {
	tb.Helper()
	a, err := analysis.NewAnalyzer(analysis.DefaultConfig(), rate, analysis.TwoParty)
	if err != nil {
		tb.Fatalf("NewAnalyzer(%d Hz): %v", rate, err)
	}
	n := int(chunk.Seconds() * float64(rate))
	for i := 0; i < len(rep); i += n {
		e := min(i+n, len(rep))
		a.Write(rep[i:e], cust[i:e])
	}
	return a.Finish()
}

// caseScore is how one analysed call compares with its truth.
type caseScore struct {
	name               string
	f1                 [2]float64 // per party
	talkErr            [2]float64 // relative
	shareErr           float64    // absolute, in share (0..1)
	tp, fp, fn         int        // interruptions
	yieldWrong         int        // matched interruptions with the wrong yielded flag
	backchannelAsInter int        // truth backchannels reported as interruptions
	bcFound, bcTruth   int        // truth backchannels the analysis reports as backchannels
	derived            []string   // derived figures out of tolerance
	derivedRow         string     // derived figures got/want for the table
	misses, extras     []string
}

func (c caseScore) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c caseScore) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// frameF1 compares two frame rasters: truth and found.
func frameF1(truth, found []bool) float64 {
	var tp, fp, fn int
	for k := range truth {
		switch {
		case truth[k] && found[k]:
			tp++
		case found[k]:
			fp++
		case truth[k]:
			fn++
		}
	}
	if tp == 0 {
		if fp == 0 && fn == 0 {
			return 1
		}
		return 0
	}
	p := float64(tp) / float64(tp+fp)
	r := float64(tp) / float64(tp+fn)
	return 2 * p * r / (p + r)
}

func score(name string, truth Truth, got analysis.Result) caseScore {
	c := caseScore{name: name}
	n := int(math.Ceil(truth.Duration.Seconds() * 100))
	for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		c.f1[s] = frameF1(Frames(truth.Segments, s, n), Frames(got.Segments, s, n))
		want := truth.Talk.Of(s).Seconds()
		c.talkErr[s] = math.Abs(got.Talk.Of(s).Seconds()-want) / want
	}
	c.shareErr = math.Abs(got.RepTalkShare - truth.RepTalkShare)

	used := make([]bool, len(got.Interruptions))
	for _, w := range truth.Interruptions {
		best := -1
		for i, g := range got.Interruptions {
			d := absDur(g.At.D() - w.At.D())
			if used[i] || g.By != w.By || d > onsetTolerance {
				continue
			}
			if best < 0 || d < absDur(got.Interruptions[best].At.D()-w.At.D()) {
				best = i
			}
		}
		if best < 0 {
			c.fn++
			c.misses = append(c.misses, fmt.Sprintf("%s@%.2fs", w.By, w.At.Seconds()))
			continue
		}
		used[best] = true
		c.tp++
		if got.Interruptions[best].Yielded != w.Yielded {
			c.yieldWrong++
		}
	}
	for i, g := range got.Interruptions {
		if used[i] {
			continue
		}
		c.fp++
		c.extras = append(c.extras, fmt.Sprintf("%s@%.2fs", g.By, g.At.Seconds()))
		for _, b := range truth.Backchannels {
			if b.By == g.By && absDur(g.At.D()-b.At.D()) <= onsetTolerance {
				c.backchannelAsInter++
				break
			}
		}
	}
	c.derived, c.derivedRow = derived(truth, got)
	for _, b := range truth.Backchannels {
		c.bcTruth++
		for _, g := range got.Backchannels {
			if g.By == b.By && absDur(g.At.D()-b.At.D()) <= onsetTolerance {
				c.bcFound++
				break
			}
		}
	}
	return c
}

// derived compares the figures that follow from the segments with
// analysis.Measure applied to the truth segments.
func derived(truth Truth, got analysis.Result) (bad []string, row string) {
	want := analysis.Measure(truth.Segments, analysis.TwoParty, truth.Duration.D(), analysis.DefaultConfig())
	if len(got.LongSilences) != len(want.LongSilences) {
		bad = append(bad, fmt.Sprintf("%d long silences, want %d", len(got.LongSilences), len(want.LongSilences)))
	} else {
		for i, g := range got.LongSilences {
			w := want.LongSilences[i]
			if absDur(g.Start.D()-w.Start.D()) > onsetTolerance || absDur(g.End.D()-w.End.D()) > onsetTolerance {
				bad = append(bad, fmt.Sprintf("long silence %.2f–%.2fs, want %.2f–%.2fs", g.Start.Seconds(), g.End.Seconds(), w.Start.Seconds(), w.End.Seconds()))
			}
		}
	}
	for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		g, w := got.LongestMonologue.Of(s).D(), want.LongestMonologue.Of(s).D()
		if absDur(g-w) > max(monologueSlack, time.Duration(monologueTolerance*float64(w))) {
			bad = append(bad, fmt.Sprintf("%s longest monologue %.2fs, want %.2fs", s, g.Seconds(), w.Seconds()))
		}
	}
	if d := got.FloorChanges - want.FloorChanges; max(d, -d) > max(floorChangeSlack, int(floorChangeTolerance*float64(want.FloorChanges))) {
		bad = append(bad, fmt.Sprintf("%d floor changes, want %d", got.FloorChanges, want.FloorChanges))
	}
	if absDur(got.Patience.Mean.D()-want.Patience.Mean.D()) > patienceTolerance {
		bad = append(bad, fmt.Sprintf("patience %.2fs, want %.2fs", got.Patience.Mean.Seconds(), want.Patience.Mean.Seconds()))
	}
	row = fmt.Sprintf("LS %d/%d mono %.1f/%.1f %.1f/%.1f fc %d/%d pat %.2f/%.2f ov %.1f/%.1f",
		len(got.LongSilences), len(want.LongSilences),
		got.LongestMonologue.Rep.Seconds(), want.LongestMonologue.Rep.Seconds(),
		got.LongestMonologue.Customer.Seconds(), want.LongestMonologue.Customer.Seconds(),
		got.FloorChanges, want.FloorChanges, got.Patience.Mean.Seconds(), want.Patience.Mean.Seconds(),
		got.Overlap.Seconds(), want.Overlap.Seconds())
	return bad, row
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// TestAccuracy renders every standard scenario under every condition,
// runs the Analyzer, and holds it to the spec's tolerances. Run it alone
// with
//
//	go test ./audio/audiotest/callgen -run Accuracy -v
//
// for the per-case table.
func TestAccuracy(t *testing.T) {
	for _, cond := range Conditions() {
		t.Run(cond.Name, func(t *testing.T) {
			t.Parallel() // the conditions are independent: use every core
			var pooled caseScore
			var rows []string
			for _, sc := range Scenarios() {
				rep, cust, truth := RenderCondition(sc, cond)
				got := analyse(t, truth.Rate, rep, cust)
				c := score(sc.Name, truth, got)
				if cond.Draw != nil {
					o := truth.Render
					rows = append(rows, fmt.Sprintf("%-14s drawn: %d Hz, rep %.0f dBFS, customer %.0f dBFS, leak %.1f ms %.1f dB drift %+.0f ppm room %v (RT60 %.2fs, tail %.0f dB), sidetone %.1f ms %.0f dB, noise %.1f dB SNR",
						sc.Name, o.Rate, o.RepPeakDBFS, o.CustomerPeakDBFS, float64(o.Leak.Delay)/1e6, o.Leak.GainDB, o.Leak.DriftPPM,
						o.Leak.Speaker, o.Leak.Reverb.Seconds(), o.Leak.ReverbDB, float64(o.Sidetone.Delay)/1e6, o.Sidetone.GainDB, o.NoiseSNR))
				}
				rows = append(rows, fmt.Sprintf("%-14s %6.3f %6.3f %6.1f%% %6.1f%% %6.1fpp %5.2f %5.2f %3d %3d %3d %5d/%-2d  miss %v extra %v",
					sc.Name, c.f1[0], c.f1[1], 100*c.talkErr[0], 100*c.talkErr[1], 100*c.shareErr,
					c.precision(), c.recall(), c.yieldWrong, c.backchannelAsInter, len(truth.Interruptions),
					c.bcFound, c.bcTruth, c.misses, c.extras),
					fmt.Sprintf("%-14s got/want: %s", "", c.derivedRow))
				checkCase(t, sc.Name, cond.Hard, truth, got, c)
				pooled.tp += c.tp
				pooled.fp += c.fp
				pooled.fn += c.fn
			}
			t.Logf("condition %s (yld: wrong yielded flags; bc: backchannels reported as interruptions; n: interruptions; bcs: backchannels found)\n%-14s %6s %6s %7s %7s %8s %5s %5s %3s %3s %3s %8s\n%s", cond.Name,
				"scenario", "F1rep", "F1cus", "talkR", "talkC", "share", "P", "R", "yld", "bc", "n", "bcs",
				strings.Join(rows, "\n"))
			if p, r := pooled.precision(), pooled.recall(); p < minPrecision || r < minRecall {
				t.Errorf("interruptions pooled over %s: precision %.2f recall %.2f (tp %d fp %d fn %d), want both >= %.1f",
					cond.Name, p, r, pooled.tp, pooled.fp, pooled.fn, minPrecision)
			}
		})
	}
}

// checkCase holds one analysed call to the spec's tolerances.
func checkCase(t *testing.T, name string, hard bool, truth Truth, got analysis.Result, c caseScore) {
	t.Helper()
	shareTol := shareTolerance
	if hard {
		shareTol = shareToleranceHard
	}
	for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		if c.f1[s] < minFrameF1 {
			t.Errorf("%s: %s speech frame F1 = %.3f, want >= %.2f", name, s, c.f1[s], minFrameF1)
		}
		if c.talkErr[s] > talkTolerance {
			t.Errorf("%s: %s talk = %.2fs, want %.2fs ± %.0f%%", name, s,
				got.Talk.Of(s).Seconds(), truth.Talk.Of(s).Seconds(), 100*talkTolerance)
		}
	}
	if c.shareErr > shareTol {
		t.Errorf("%s: rep talk share = %.3f, want %.3f ± %.2f", name, got.RepTalkShare, truth.RepTalkShare, shareTol)
	}
	if c.backchannelAsInter > 0 {
		t.Errorf("%s: %d backchannels counted as interruptions (%v)", name, c.backchannelAsInter, c.extras)
	}
	if c.yieldWrong > 0 {
		t.Errorf("%s: %d of %d matched interruptions have the wrong yielded flag", name, c.yieldWrong, c.tp)
	}
	for _, d := range c.derived {
		t.Errorf("%s: %s", name, d)
	}
}

// TestFixtureAccuracy analyses the committed fixtures and the demo call
// end to end, through the WAV reader (16-bit, 24-bit, float, 8 and 11.025
// kHz, two mono files of different rates and lengths) and
// audio.AnalyzeFile, and holds each to the spec's tolerances.
func TestFixtureAccuracy(t *testing.T) {
	type fileCase struct {
		name  string
		req   audio.AnalyzeRequest
		truth string
		hard  bool
	}
	var cases []fileCase
	for _, f := range Fixtures() {
		fc := fileCase{name: f.Name, truth: filepath.Join(fixtureDir, f.Name+".truth.json"), hard: f.Condition.Hard}
		if f.TwoMono {
			fc.req = audio.AnalyzeRequest{
				RepPath:      filepath.Join(fixtureDir, f.Name+".rep.wav"),
				CustomerPath: filepath.Join(fixtureDir, f.Name+".customer.wav"),
			}
		} else {
			fc.req = audio.AnalyzeRequest{Path: filepath.Join(fixtureDir, f.Name+".wav")}
		}
		cases = append(cases, fc)
	}
	cases = append(cases, fileCase{name: "demo", req: audio.AnalyzeRequest{Path: filepath.Join(demoDir, "demo.wav")},
		truth: filepath.Join(demoDir, "demo.json")})
	var rows []string
	var pooled caseScore
	for _, fc := range cases {
		truth, err := ReadTruth(fc.truth)
		if err != nil {
			t.Fatal(err)
		}
		got, err := audio.AnalyzeFile(context.Background(), fc.req, analysis.DefaultConfig())
		if err != nil {
			t.Errorf("%s: %v", fc.name, err)
			continue
		}
		if d := math.Abs(got.Duration.Seconds() - truth.Duration.Seconds()); d > 0.05 {
			t.Errorf("%s: duration %.3fs, want %.3fs", fc.name, got.Duration.Seconds(), truth.Duration.Seconds())
		}
		c := score(fc.name, truth, got)
		rows = append(rows, fmt.Sprintf("%-30s %6.3f %6.3f %6.1f%% %6.1f%% %6.1fpp %5.2f %5.2f %3d %3d %3d %5d/%-2d  miss %v extra %v",
			fc.name, c.f1[0], c.f1[1], 100*c.talkErr[0], 100*c.talkErr[1], 100*c.shareErr,
			c.precision(), c.recall(), c.yieldWrong, c.backchannelAsInter, len(truth.Interruptions), c.bcFound, c.bcTruth, c.misses, c.extras),
			fmt.Sprintf("%-30s got/want: %s", "", c.derivedRow))
		checkCase(t, fc.name, fc.hard, truth, got, c)
		pooled.tp += c.tp
		pooled.fp += c.fp
		pooled.fn += c.fn
	}
	t.Logf("fixtures\n%-30s %6s %6s %7s %7s %8s %5s %5s %3s %3s %3s %8s\n%s",
		"file", "F1rep", "F1cus", "talkR", "talkC", "share", "P", "R", "yld", "bc", "n", "bcs", strings.Join(rows, "\n"))
	if p, r := pooled.precision(), pooled.recall(); p < minPrecision || r < minRecall {
		t.Errorf("interruptions pooled over the fixtures: precision %.2f recall %.2f (tp %d fp %d fn %d), want both >= %.1f",
			p, r, pooled.tp, pooled.fp, pooled.fn, minPrecision)
	}
}

// TestMeasureAgreesWithTruth feeds the truth segments to analysis.Measure:
// the spec's turn rules as the analysis reads them must find exactly the
// talk, overlap, silence, interruptions and backchannels the test kit's own
// reading (Events) finds. A disagreement means one of the two misreads
// shared/spec/metrics.md.
func TestMeasureAgreesWithTruth(t *testing.T) {
	cfg := analysis.DefaultConfig()
	for _, sc := range allScenarios() {
		_, _, tr := Render(sc, RenderOptions{})
		got := analysis.Measure(tr.Segments, analysis.TwoParty, tr.Duration.D(), cfg)
		near := func(a, b analysis.Dur) bool { return absDur(a.D()-b.D()) <= 10*time.Millisecond }
		if !near(got.Talk.Rep, tr.Talk.Rep) || !near(got.Talk.Customer, tr.Talk.Customer) ||
			math.Abs(got.RepTalkShare-tr.RepTalkShare) > 1e-3 {
			t.Errorf("%s: talk %v/%v share %.4f, want %v/%v %.4f", sc.Name, got.Talk.Rep.D(), got.Talk.Customer.D(),
				got.RepTalkShare, tr.Talk.Rep.D(), tr.Talk.Customer.D(), tr.RepTalkShare)
		}
		if !near(got.Overlap, tr.Overlap) || !near(got.Silence, tr.Silence) {
			t.Errorf("%s: overlap %v silence %v, want %v and %v", sc.Name, got.Overlap.D(), got.Silence.D(), tr.Overlap.D(), tr.Silence.D())
		}
		if len(got.Interruptions) != len(tr.Interruptions) {
			t.Errorf("%s: %d interruptions, want %d:\ngot  %+v\nwant %+v", sc.Name, len(got.Interruptions), len(tr.Interruptions), got.Interruptions, tr.Interruptions)
		} else {
			for i, g := range got.Interruptions {
				w := tr.Interruptions[i]
				if !near(g.At, w.At) || g.By != w.By || g.Yielded != w.Yielded || !near(g.Overlap, w.Overlap) {
					t.Errorf("%s: interruption %d = %+v, want %+v", sc.Name, i, g, w)
				}
			}
		}
		if len(got.Backchannels) != len(tr.Backchannels) {
			t.Errorf("%s: %d backchannels, want %d:\ngot  %+v\nwant %+v", sc.Name, len(got.Backchannels), len(tr.Backchannels), got.Backchannels, tr.Backchannels)
		} else {
			for i, g := range got.Backchannels {
				if w := tr.Backchannels[i]; !near(g.At, w.At) || g.By != w.By || !near(g.Duration, w.Duration) {
					t.Errorf("%s: backchannel %d = %+v, want %+v", sc.Name, i, g, w)
				}
			}
		}
	}
}

// liveTolerance: the live meter's talk figures at a moment of the call may
// also miss what the detector has not yet decided (its look-back and the
// open segment), up to this much per party, on top of talkTolerance.
const liveTolerance = time.Second

// TestLiveSnapshots reads the Analyzer's figures every 10 s of a call, as
// the live meter does: each party's talk so far must match the truth up to
// that moment, and reading must not change the final result.
func TestLiveSnapshots(t *testing.T) {
	for _, name := range []string{"clean", "echo_noise"} {
		cond, _ := ConditionNamed(name)
		for _, sc := range Scenarios() {
			rep, cust, truth := RenderCondition(sc, cond)
			a, err := analysis.NewAnalyzer(analysis.DefaultConfig(), truth.Rate, analysis.TwoParty)
			if err != nil {
				t.Fatal(err)
			}
			n := int(chunk.Seconds() * float64(truth.Rate))
			every := 10 * truth.Rate
			next := every
			for i := 0; i < len(rep); i += n {
				e := min(i+n, len(rep))
				a.Write(rep[i:e], cust[i:e])
				if e < next {
					continue
				}
				next += every
				at := time.Duration(e) * time.Second / time.Duration(truth.Rate)
				snap := a.Snapshot()
				for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
					want := talkUntil(truth.SegmentsOf(s), at)
					got := snap.Talk.Of(s).D()
					if absDur(got-want) > time.Duration(talkTolerance*float64(want))+liveTolerance {
						t.Errorf("%s/%s at %.0fs: %s talk so far %.2fs, want %.2fs", name, sc.Name, at.Seconds(), s, got.Seconds(), want.Seconds())
					}
				}
			}
			live := a.Finish()
			ref := analyse(t, truth.Rate, rep, cust)
			if !reflect.DeepEqual(live.Segments, ref.Segments) || live.Talk != ref.Talk || len(live.Interruptions) != len(ref.Interruptions) {
				t.Errorf("%s/%s: reading snapshots changed the final result", name, sc.Name)
			}
		}
	}
}

// talkUntil is the talk in segs before at.
func talkUntil(segs []analysis.Segment, at time.Duration) time.Duration {
	var d time.Duration
	for _, s := range segs {
		if s.Start.D() < at {
			d += min(s.End.D(), at) - s.Start.D()
		}
	}
	return d
}
