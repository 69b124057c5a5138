package analysis

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The real close-talk recording (shared/data/real-bleed, see its README;
// realBleedDir is declared with the diarization's tests): four microphones
// in one room, each carrying its wearer loudly and the three others
// quietly. Calls are built from it as the README says, and the analysis is
// scored against the coarse reference turns.

// The wearers of the four microphones (README).
var realBleedWearer = [4]string{"MEO015", "FEE013", "MEE014", "FEE016"}

// bleedCall is one two-party call built from the real recording: the two
// channels and the reference speakers of each party.
type bleedCall struct {
	name      string
	rep, cust []float32
	rate      int
	repWho    []string
	custWho   []string
	tuning    bool // the thresholds may be tuned on it (else: report only)
	// absentWho: speakers in the room who are neither party (their voice
	// is on both microphones, as no one's is on a real call). Frames where
	// only they talk are also scored as "don't care" (bleedScore.ex).
	absentWho []string
}

func loadRealBleed(tb testing.TB) (src [4][]float32, rate int, turns map[string][]Span) {
	tb.Helper()
	for i := range src {
		x, r, err := readPCM16(filepath.Join(realBleedDir, fmt.Sprintf("source%d.wav", i)))
		if err != nil {
			tb.Fatalf("real-bleed source%d: %v", i, err)
		}
		src[i], rate = x, r
	}
	turns = map[string][]Span{}
	b, err := os.ReadFile(filepath.Join(realBleedDir, "mixture.rttm"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		fs := strings.Fields(l)
		if len(fs) < 8 || fs[0] != "SPEAKER" {
			continue
		}
		var st, du float64
		fmt.Sscan(fs[3], &st)
		fmt.Sscan(fs[4], &du)
		turns[fs[7]] = append(turns[fs[7]], Span{Start: Dur(st * float64(time.Second)), End: Dur((st + du) * float64(time.Second))})
	}
	return src, rate, turns
}

func sumSignals(xs ...[]float32) []float32 {
	out := make([]float32, len(xs[0]))
	for _, x := range xs {
		for i, v := range x {
			out[i] += v
		}
	}
	return out
}

// speechRMSIn is the RMS of x inside spans.
func speechRMSIn(x []float32, rate int, spans []Span) float64 {
	var e float64
	var n int
	for _, s := range spans {
		a, b := int(s.Start.Seconds()*float64(rate)), min(len(x), int(s.End.Seconds()*float64(rate)))
		for i := a; i < b; i++ {
			e += float64(x[i]) * float64(x[i])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(e / float64(n))
}

// roomCopy returns x through a synthetic room (a direct path and 120
// reflections whose gains decay 60 dB over rt60), shifted by shift
// (negative: earlier), scaled by g.
func roomCopy(x []float32, rate int, g float64, shift, rt60 time.Duration, seed uint64) []float32 {
	n := int(rt60.Seconds() * float64(rate))
	type tap struct {
		at int
		g  float64
	}
	taps := []tap{{0, 1}}
	s := seed | 1
	next := func() uint64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s }
	e := 1.0
	for range 120 {
		at := int(0.002*float64(rate)) + int(next()%uint64(n))
		u := float64(next()%2000001)/1000000 - 1
		tg := 0.5 * u * math.Pow(10, -3*float64(at)/float64(n))
		taps = append(taps, tap{at, tg})
		e += tg * tg
	}
	k := int(math.Round(shift.Seconds() * float64(rate)))
	out := make([]float32, len(x))
	scale := g / math.Sqrt(e)
	for _, tp := range taps {
		c := float32(tp.g * scale)
		for i := max(0, tp.at-k); i < len(out); i++ {
			if m := i - tp.at + k; m < len(x) {
				out[i] += c * x[m]
			}
		}
	}
	return out
}

// lapelPair builds the proxy of two lapel microphones in one room from two
// close-talk microphones a and b: each channel its wearer plus the other's
// microphone through a room, bleedDB below the wearer's speech level, the
// bleed into a arriving leadA before b's own channel has it.
func lapelPair(a, b []float32, rate int, aTurns, bTurns []Span, bleedDB float64, leadA, lagB time.Duration) (ca, cb []float32) {
	ra, rb := speechRMSIn(a, rate, aTurns), speechRMSIn(b, rate, bTurns)
	g := math.Pow(10, bleedDB/20)
	ca = sumSignals(a, roomCopy(b, rate, g*ra/rb, leadA, 300*time.Millisecond, 7))
	cb = sumSignals(b, roomCopy(a, rate, g*rb/ra, -lagB, 300*time.Millisecond, 11))
	return ca, cb
}

func realBleedCalls(tb testing.TB) []bleedCall {
	src, rate, turns := loadRealBleed(tb)
	w := realBleedWearer
	calls := []bleedCall{{
		name: "close-talk rep=1 cust=0+2+3", rep: src[1], cust: sumSignals(src[0], src[2], src[3]), rate: rate,
		repWho: []string{w[1]}, custWho: []string{w[0], w[2], w[3]},
	}}
	// Its tuning analogues without source1: a rep against a customer
	// channel that sums two microphones, each carrying the rep's voice
	// through the room at its own delay and filter (a multi-path leak).
	for _, p := range [][3]int{{0, 2, 3}, {3, 0, 2}} {
		calls = append(calls, bleedCall{
			name: fmt.Sprintf("close-talk rep=%d cust=%d+%d", p[0], p[1], p[2]), rep: src[p[0]], cust: sumSignals(src[p[1]], src[p[2]]), rate: rate,
			repWho: []string{w[p[0]]}, custWho: []string{w[p[1]], w[p[2]]},
			tuning: true, absentWho: []string{w[1]},
		})
	}
	// The same with the customer's voice also reaching the rep's
	// microphone through a room, 20 dB under the rep's speech and 2 ms
	// late (as the detector finds the other three on source1's
	// microphone): a leak the canceller is started for.
	for _, p := range [][3]int{{0, 2, 3}, {3, 0, 2}} {
		cust := sumSignals(src[p[1]], src[p[2]])
		ct := append(append([]Span(nil), turns[w[p[1]]]...), turns[w[p[2]]]...)
		g := math.Pow(10, -20.0/20) * speechRMSIn(src[p[0]], rate, turns[w[p[0]]]) / speechRMSIn(cust, rate, ct)
		calls = append(calls, bleedCall{
			name: fmt.Sprintf("close-talk+room rep=%d cust=%d+%d", p[0], p[1], p[2]),
			rep:  sumSignals(src[p[0]], roomCopy(cust, rate, g, -2*time.Millisecond, 300*time.Millisecond, 5)), cust: cust, rate: rate,
			repWho: []string{w[p[0]]}, custWho: []string{w[p[1]], w[p[2]]},
			tuning: true, absentWho: []string{w[1]},
		})
	}
	for _, p := range [][2]int{{0, 3}, {3, 0}, {1, 0}, {1, 3}, {0, 1}, {3, 1}} {
		calls = append(calls, bleedCall{
			name: fmt.Sprintf("single rep=%d cust=%d", p[0], p[1]), rep: src[p[0]], cust: src[p[1]], rate: rate,
			repWho: []string{w[p[0]]}, custWho: []string{w[p[1]]},
			tuning: p[0] != 1 && p[1] != 1,
		})
	}
	for _, p := range [][2]int{{0, 3}, {1, 3}, {1, 0}} {
		ca, cb := lapelPair(src[p[0]], src[p[1]], rate, turns[w[p[0]]], turns[w[p[1]]], -3, 5*time.Millisecond, 2*time.Millisecond)
		calls = append(calls, bleedCall{
			name: fmt.Sprintf("lapel proxy rep=%d cust=%d", p[0], p[1]), rep: ca, cust: cb, rate: rate,
			repWho: []string{w[p[0]]}, custWho: []string{w[p[1]]},
			tuning: p[0] != 1 && p[1] != 1,
		})
	}
	return calls
}

// analyzeTwo runs a TwoParty file Analyzer (as a recording is analysed)
// over the channels in 20 ms chunks.
func analyzeTwo(tb testing.TB, cfg Config, rep, cust []float32, rate int) Result {
	tb.Helper()
	a, err := NewFileAnalyzer(cfg, rate, TwoParty)
	if err != nil {
		tb.Fatal(err)
	}
	chunk := rate / 50
	for i := 0; i < len(rep); i += chunk {
		e := min(len(rep), i+chunk)
		a.Write(rep[i:e], cust[i:e])
	}
	return a.Finish()
}

type bleedScore struct {
	repSc, custSc    frameScore
	share, refShare  float64
	interruptions    int
	refInterruptions int
	ex               *bleedExScore // with absentWho: their solo frames left out
}

// bleedExScore is a call's score without the frames where only absent
// speakers talk: the share is of frames, found and in the reference.
type bleedExScore struct {
	repSc, custSc   frameScore
	share, refShare float64
}

func unionFrames(n int, spans ...[]Span) []bool {
	var st, en []time.Duration
	for _, ss := range spans {
		for _, s := range ss {
			st, en = append(st, s.Start.D()), append(en, s.End.D())
		}
	}
	return spanFrames(n, st, en)
}

func scoreBleedCall(c bleedCall, res Result, turns map[string][]Span) bleedScore {
	n := len(c.rep) * 100 / c.rate
	var repRef, custRef [][]Span
	for _, w := range c.repWho {
		repRef = append(repRef, turns[w])
	}
	for _, w := range c.custWho {
		custRef = append(custRef, turns[w])
	}
	rr, cr := unionFrames(n, repRef...), unionFrames(n, custRef...)
	rg, cg := unionFrames(n, segSpans(res.SegmentsOf(Rep))), unionFrames(n, segSpans(res.SegmentsOf(Customer)))
	s := bleedScore{repSc: scoreFrames(rg, rr), custSc: scoreFrames(cg, cr), share: res.RepTalkShare,
		interruptions: len(res.Interruptions)}
	var nr, nc int
	var refSegs []Segment
	for k := range rr {
		if rr[k] {
			nr++
		}
		if cr[k] {
			nc++
		}
	}
	s.refShare = float64(nr) / float64(max(1, nr+nc))
	if len(c.absentWho) > 0 {
		var absRef [][]Span
		for _, w := range c.absentWho {
			absRef = append(absRef, turns[w])
		}
		ar := unionFrames(n, absRef...)
		keep := func(f []bool) []bool {
			out := make([]bool, 0, n)
			for k := range f {
				if !ar[k] || rr[k] || cr[k] {
					out = append(out, f[k])
				}
			}
			return out
		}
		count := func(f []bool) (m int) {
			for _, v := range f {
				if v {
					m++
				}
			}
			return m
		}
		krr, kcr, krg, kcg := keep(rr), keep(cr), keep(rg), keep(cg)
		s.ex = &bleedExScore{repSc: scoreFrames(krg, krr), custSc: scoreFrames(kcg, kcr),
			share:    float64(count(krg)) / float64(max(1, count(krg)+count(kcg))),
			refShare: float64(count(krr)) / float64(max(1, count(krr)+count(kcr)))}
	}
	for _, sp := range framesToSpans(rr) {
		refSegs = append(refSegs, Segment{Speaker: Rep, Start: sp.Start, End: sp.End})
	}
	for _, sp := range framesToSpans(cr) {
		refSegs = append(refSegs, Segment{Speaker: Customer, Start: sp.Start, End: sp.End})
	}
	sortSegments(refSegs)
	ref := Measure(refSegs, TwoParty, time.Duration(n)*10*time.Millisecond, DefaultConfig())
	s.refInterruptions = len(ref.Interruptions)
	return s
}

func segSpans(segs []Segment) []Span {
	out := make([]Span, len(segs))
	for i, s := range segs {
		out[i] = Span{Start: s.Start, End: s.End}
	}
	return out
}

func framesToSpans(f []bool) []Span {
	var out []Span
	for k := 0; k < len(f); k++ {
		if !f[k] {
			continue
		}
		j := k
		for j < len(f) && f[j] {
			j++
		}
		out = append(out, Span{Start: Dur(time.Duration(k) * 10 * time.Millisecond), End: Dur(time.Duration(j) * 10 * time.Millisecond)})
		k = j
	}
	return out
}

func sortSegments(s []Segment) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start < s[j-1].Start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestRealBleedReport logs the figures on every pairing of the real
// close-talk recording (tuning and report sets marked) and holds them to
// guards a little under what they measure: the rep's precision on the
// close-talk pair at the 0.87, and on the single-speaker pairings
// (a third talker in the room on neither party's microphone) both
// parties' precision and the share.
func TestRealBleedReport(t *testing.T) {
	_, _, turns := loadRealBleed(t)
	cfg := DefaultConfig()
	for _, c := range realBleedCalls(t) {
		res := analyzeTwo(t, cfg, c.rep, c.cust, c.rate)
		s := scoreBleedCall(c, res, turns)
		rp, rr, rf := s.repSc.prf()
		cp, cr, cf := s.custSc.prf()
		set := "report"
		if c.tuning {
			set = "tuning"
		}
		t.Logf("%-30s %s share %.1f%% ref %.1f%% (err %+.1f) rep P %.2f R %.2f F1 %.2f | cust P %.2f R %.2f F1 %.2f | interruptions %d ref %d",
			c.name, set, 100*s.share, 100*s.refShare, 100*(s.share-s.refShare), rp, rr, rf, cp, cr, cf, s.interruptions, s.refInterruptions)
		if x := s.ex; x != nil {
			rp, rr, _ := x.repSc.prf()
			cp, cr, _ := x.custSc.prf()
			t.Logf("    without the absent speakers' solo frames: share %.1f%% ref %.1f%% (err %+.1f) rep P %.2f R %.2f | cust P %.2f R %.2f",
				100*x.share, 100*x.refShare, 100*(x.share-x.refShare), rp, rr, cp, cr)
		}
		for _, w := range res.Recording.Warnings {
			t.Logf("    warning %s: %s", w.Code, w.Message)
		}
		switch {
		case strings.HasPrefix(c.name, "close-talk rep=1") && (rp < realBleedRepPrecision || math.Abs(s.share-s.refShare) > realBleedShare):
			t.Errorf("%s: rep precision %.2f, share off by %.1f points; want >= %.2f and within %.0f points",
				c.name, rp, 100*math.Abs(s.share-s.refShare), realBleedRepPrecision, 100*realBleedShare)
		case strings.HasPrefix(c.name, "close-talk") && s.ex != nil:
			// The tuning analogues: the absent speaker's monologue is on
			// the summed customer channel (a fourth talker no real call
			// has), so the share is held loosely with it and closely
			// without it.
			xcp, _, _ := s.ex.custSc.prf()
			if e, ex := math.Abs(s.share-s.refShare), math.Abs(s.ex.share-s.ex.refShare); e > realBleedSumShare || ex > realBleedSumShareEx || xcp < realBleedSumCustPrecision {
				t.Errorf("%s: share off by %.1f points (%.1f without the absent speaker), customer precision %.2f there; want within %.1f (%.1f) and >= %.2f",
					c.name, 100*e, 100*ex, xcp, 100*realBleedSumShare, 100*realBleedSumShareEx, realBleedSumCustPrecision)
			}
		case strings.HasPrefix(c.name, "single") && (min(rp, cp) < realBleedSinglePrecision || math.Abs(s.share-s.refShare) > realBleedSingleShare):
			t.Errorf("%s: precision rep %.2f customer %.2f, share off by %.1f points; want both >= %.2f and within %.0f points",
				c.name, rp, cp, 100*math.Abs(s.share-s.refShare), realBleedSinglePrecision, 100*realBleedSingleShare)
		}
		for i, sd := range []*Side{res.Recording.Rep, res.Recording.Customer} {
			if sd != nil {
				b := ""
				if sd.Bleed != nil {
					b = fmt.Sprintf(" bleed %+.1f dB %.1f ms cancelled %.1f residual %.1f", sd.Bleed.LevelDB, sd.Bleed.Delay.Seconds()*1000, sd.Bleed.CancelledDB, sd.Bleed.ResidualDB)
				}
				t.Logf("    side %d: speech %.1f noise %.1f snr %.1f clip %.4f%s", i, sd.SpeechDBFS, sd.NoiseDBFS, sd.SNRdB, sd.ClippedFraction, b)
			}
		}
	}
}

// The real-bleed guards (measured: close-talk rep precision 0.93, share
// 1.4 points under the reference, issue 9's targets 0.87 and 2 points
// the guards; single pairings precision 0.87-0.98, share within 1.7
// points; the tuning pairings of a rep against two summed microphones
// share within 2.6-7.5 points, 0.3-2.6 without the absent speaker, whose
// customer precision is then 0.89-1.00).
const (
	realBleedRepPrecision     = 0.87
	realBleedShare            = 0.02
	realBleedSinglePrecision  = 0.80
	realBleedSingleShare      = 0.04
	realBleedSumShare         = 0.09
	realBleedSumShareEx       = 0.035
	realBleedSumCustPrecision = 0.85
)

// TestTwoPartyRealSpeech feeds each real meeting excerpt as the rep with a
// silent customer: the two-party path must hold real speech as the
// one-channel path does, frame F1 within twoPartyGap of it, on the
// excerpts its settings were tuned on (vadTune) and on those they were
// not (vadReport).
func TestTwoPartyRealSpeech(t *testing.T) {
	cfg := DefaultConfig()
	for _, set := range []struct {
		name  string
		files []string
	}{{"tune", vadTune}, {"report", vadReport}} {
		var two, mono frameScore
		for _, nm := range set.files {
			w := filepath.Join(realSpeechDir, nm+".wav")
			x, rate, err := readPCM16(w)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := readRTTM(strings.TrimSuffix(w, ".wav") + ".rttm")
			if err != nil {
				t.Fatal(err)
			}
			n := len(x) * 100 / rate
			want := unionFrames(n, ref)
			r2 := analyzeTwo(t, cfg, x, make([]float32, len(x)), rate)
			rm := analyzeMono(t, cfg, x, rate)
			s2 := scoreFrames(unionFrames(n, segSpans(r2.SegmentsOf(Rep))), want)
			// A one-channel call may come back split between two voices:
			// speech is every segment, whoever it was given to.
			sm := scoreFrames(unionFrames(n, segSpans(rm.Segments)), want)
			_, _, f2 := s2.prf()
			_, _, fm := sm.prf()
			t.Logf("%s %s: two-party F1 %.3f, one-channel F1 %.3f", set.name, nm, f2, fm)
			two.add(s2)
			mono.add(sm)
		}
		p2, r2, f2 := two.prf()
		pm, rm, fm := mono.prf()
		t.Logf("%s pooled: two-party P %.3f R %.3f F1 %.3f; one-channel P %.3f R %.3f F1 %.3f", set.name, p2, r2, f2, pm, rm, fm)
		if f2 < fm-twoPartyGap {
			t.Errorf("%s: two-party F1 %.3f, want within %.2f of the one-channel path's %.3f", set.name, f2, twoPartyGap, fm)
		}
	}
}

// twoPartyGap is how far the two-party path's F1 may trail the
// one-channel path's on the same real speech (issue 9's target).
const twoPartyGap = 0.02
