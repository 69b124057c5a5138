package analysis_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
)

// benchLibrary is a rep's library of n calls of 10 minutes (5 minutes of
// rep speech each, spliced from the bank in phone-sized snippets so that
// no two share a passage), indexed; with script set every call also says
// the same 13 s pitch once, at its own place and a speed between 0.8 and
// 1.2. The calls' frames are made again from their seeds when the matcher
// asks for them (as the store reads them), so the library holds only
// tokens in memory.
type benchLibrary struct {
	pool    []*analysis.Fingerprint
	passage *analysis.Fingerprint
	index   *analysis.RepeatIndex
}

const benchSpeech = 5 * time.Minute

const benchCalls = 1000

func pitchPassage(tb testing.TB) *analysis.Fingerprint {
	bank, err := callgen.Bank()
	if err != nil {
		tb.Fatal(err)
	}
	out := &analysis.Fingerprint{}
	for _, id := range []string{"rep-floor-02", "rep-floor-09"} {
		f, err := callgen.UtteranceFingerprint(bank[id])
		if err != nil {
			tb.Fatal(err)
		}
		base := int32(0)
		if out.Len() > 0 {
			base = out.At[out.Len()-1] + 1
		}
		for i := range f.At {
			out.At = append(out.At, base+f.At[i]-f.At[0])
			out.Vec = append(out.Vec, f.Vec[i])
		}
	}
	return out
}

func (l *benchLibrary) call(id int64) *callgen.SynthCall {
	c := &callgen.SynthCall{Pool: l.pool, Seed: uint64(id), Speech: benchSpeech, Rate: 1}
	if l.passage != nil {
		r := rand.New(rand.NewPCG(uint64(id), 99))
		c.Passage, c.At, c.Rate = l.passage, time.Duration(r.Int64N(int64(benchSpeech-20*time.Second))), 0.8+0.4*r.Float64()
	}
	return c
}

func (l *benchLibrary) source(id int64, from, to int) (*analysis.Fingerprint, error) {
	return l.call(id).Frames(from, to), nil
}

func (l *benchLibrary) whole(id int64) *analysis.Fingerprint {
	c := l.call(id)
	return c.Frames(0, c.Len())
}

func newBenchLibrary(tb testing.TB, n int, script bool) *benchLibrary {
	pool, err := callgen.FingerprintPool()
	if err != nil {
		tb.Fatal(err)
	}
	l := &benchLibrary{pool: pool, index: analysis.NewRepeatIndex(analysis.DefaultRepeatConfig())}
	if script {
		l.passage = pitchPassage(tb)
	}
	for id := int64(1); id <= int64(n); id++ {
		l.index.Add(id, l.whole(id).Tokens())
	}
	return l
}

// BenchmarkRepeatsMatch1000: matching a new 10-minute call (5 minutes of
// rep speech) against a library of 1,000 calls of the same rep, through
// the index: the call's tokens, the seeds they hit, the chains, the
// alignments, on one core. shares_nothing: no call says anything the new
// one does; script: every call and the new one say the same 13 s pitch
// (1,000 passages to find and align).
func BenchmarkRepeatsMatch1000(b *testing.B) {
	for _, c := range []struct {
		name   string
		script bool
		want   int
	}{{"shares_nothing", false, 0}, {"script", true, benchCalls}} {
		b.Run(c.name, func(b *testing.B) {
			l := newBenchLibrary(b, benchCalls, c.script)
			q := l.whole(5000)
			var found int
			cpu0 := analysis.CPUTime()
			b.ResetTimer()
			for b.Loop() {
				rs, err := l.index.Match(5000, q, l.source)
				if err != nil {
					b.Fatal(err)
				}
				found = len(rs)
			}
			b.StopTimer()
			if cpu := (analysis.CPUTime() - cpu0) / float64(b.N); cpu > 0 {
				b.ReportMetric(cpu, "cpu-s/op")
			}
			if found < c.want*9/10 || found > c.want+c.want/10 {
				b.Fatalf("found %d repeats, want about %d", found, c.want)
			}
			b.ReportMetric(float64(found), "repeats")
		})
	}
}

// BenchmarkRepeatIndexBuild1000 is the command line's cost of building
// the index from 1,000 calls' stored tokens (the app keeps it).
func BenchmarkRepeatIndexBuild1000(b *testing.B) {
	l := newBenchLibrary(b, 0, false)
	var toks [][]analysis.Token
	for id := int64(1); id <= 1000; id++ {
		toks = append(toks, l.whole(id).Tokens())
	}
	b.ResetTimer()
	for b.Loop() {
		x := analysis.NewRepeatIndex(analysis.DefaultRepeatConfig())
		for i, t := range toks {
			x.Add(int64(i+1), t)
		}
	}
}

// BenchmarkFingerprintHour: fingerprinting the rep's side of a 1-hour
// call at 16 kHz in which the rep talks half the time (the workflow's
// cost after the analysis, off its hot path).
func BenchmarkFingerprintHour(b *testing.B) {
	const rate = 16000
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, rate*3600)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 0.05)
	}
	var segs []analysis.Segment
	for t := time.Duration(0); t < time.Hour; t += 20 * time.Second {
		segs = append(segs, analysis.Segment{Speaker: analysis.Rep, Start: analysis.Dur(t), End: analysis.Dur(t + 10*time.Second)})
	}
	b.SetBytes(int64(len(x)) * 4)
	for b.Loop() {
		f, err := analysis.NewFingerprinter(rate, segs)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(x); i += 4096 {
			f.Write(x[i:min(i+4096, len(x))])
		}
		fp := f.Finish()
		if fp.Speech() < 29*time.Minute {
			b.Fatalf("fingerprinted %v of speech, want 30 min", fp.Speech())
		}
	}
}
