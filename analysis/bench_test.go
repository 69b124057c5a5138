package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// synthCall is an in-memory two-party call of speech-like bursts: voiced
// syllables (harmonics of a wandering pitch under a syllable envelope) in
// utterances of 0.4–6 s, the parties taking turns with gaps, occasional
// overlaps and backchannels; the customer leaks into the microphone leakDB
// below its level, leakDelay late, and the rep's microphone has a noise
// floor 45 dB down. truth holds each party's utterance spans.
type synthCall struct {
	rate      int
	rep, cust []float32
	truth     [2][]Span
}

// speechBurst adds an utterance of length n at off into x with peak amp.
func speechBurst(x []float32, off, n, rate int, amp float64, rng *rand.Rand) {
	f0 := 100 + 120*rng.Float64()
	phase := 0.0
	syl := int(float64(rate) * (0.15 + 0.1*rng.Float64()))
	sylPos := 0
	sylAmp := 0.5 + 0.5*rng.Float64()
	for i := 0; i < n && off+i < len(x); i++ {
		if sylPos >= syl {
			sylPos = 0
			syl = int(float64(rate) * (0.12 + 0.15*rng.Float64()))
			sylAmp = 0.3 + 0.7*rng.Float64()
			f0 = max(80, min(260, f0*(0.9+0.2*rng.Float64())))
		}
		env := math.Sin(math.Pi * float64(sylPos) / float64(syl))
		sylPos++
		phase += 2 * math.Pi * f0 / float64(rate)
		var v float64
		for h := 1.0; h <= 8; h++ {
			v += math.Sin(h*phase) / h
		}
		v = 0.6*v + 0.15*rng.NormFloat64()
		x[off+i] += float32(amp * sylAmp * env * v / 2)
	}
}

// newSynthCall renders d of call at rate Hz.
func newSynthCall(rate int, d time.Duration, leakDB float64, leakDelay time.Duration, seed uint64) *synthCall {
	return newSynthCallOpt(rate, d, leakDB, leakDelay, 0, seed)
}

// newSynthCallOpt is newSynthCall with the rep's clean speech peaking at
// repPeakDB dBFS (0: as rendered, about -8 dBFS; -200: a silent rep).
func newSynthCallOpt(rate int, d time.Duration, leakDB float64, leakDelay time.Duration, repPeakDB float64, seed uint64) *synthCall {
	rng := rand.New(rand.NewPCG(seed, 7))
	n := int(d.Seconds() * float64(rate))
	c := &synthCall{rate: rate, rep: make([]float32, n), cust: make([]float32, n)}
	at := func(s float64) int { return int(s * float64(rate)) }
	t := 0.5
	who := 0
	for t < d.Seconds()-1 {
		length := 0.8 + 5*rng.Float64()
		if rng.Float64() < 0.15 {
			length = 0.3 + 0.3*rng.Float64() // a backchannel
		}
		length = min(length, d.Seconds()-0.5-t)
		ch := c.rep
		amp := 0.3
		if who == 1 {
			ch, amp = c.cust, 0.5
		}
		speechBurst(ch, at(t), at(length), rate, amp, rng)
		c.truth[who] = append(c.truth[who], Span{Start: Dur(time.Duration(t * float64(time.Second))), End: Dur(time.Duration((t + length) * float64(time.Second)))})
		t += length + 0.3 + 1.2*rng.Float64()
		if rng.Float64() < 0.1 {
			t -= 0.8 // an overlap
		}
		who = 1 - who
	}
	if repPeakDB != 0 {
		var peak float32
		for _, v := range c.rep {
			peak = max(peak, float32(math.Abs(float64(v))))
		}
		gain := float32(math.Pow(10, repPeakDB/20)) / peak
		for i := range c.rep {
			c.rep[i] *= gain
		}
		if repPeakDB < -100 {
			c.truth[0] = nil
		}
	}
	g := float32(math.Pow(10, leakDB/20))
	dl := int(leakDelay.Seconds() * float64(rate))
	for i := len(c.rep) - 1; i >= dl; i-- {
		c.rep[i] += g * c.cust[i-dl]
	}
	for i := range c.rep {
		c.rep[i] += float32(0.003 * rng.NormFloat64())
		c.cust[i] += float32(0.001 * rng.NormFloat64())
	}
	return c
}

// feed writes the call into a in chunks of chunk samples.
func (c *synthCall) feed(a *Analyzer, chunk int) {
	for i := 0; i < len(c.rep); i += chunk {
		e := min(i+chunk, len(c.rep))
		a.Write(c.rep[i:e], c.cust[i:e])
	}
}

// BenchmarkAnalyzeHour analyses a synthetic one-hour stereo 16 kHz call
// (a one-minute call fed sixty times through one Analyzer, in one-second
// chunks) and reports how many times faster than real time it runs.
func BenchmarkAnalyzeHour(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 1)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
		if err != nil {
			b.Fatal(err)
		}
		for range 60 {
			c.feed(a, rate)
		}
		a.Finish()
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(3600/perOp, "x-realtime")
	b.ReportMetric(perOp*1e9/(3600*rate), "ns/sample-pair")
	// On a busy machine wall time overstates the cost; CPU time (the
	// process's, GC included) does not.
	if cpu := (cpuTime() - cpu0) / float64(b.N); cpu > 0 {
		b.ReportMetric(3600/cpu, "x-realtime-cpu")
	}
}

// BenchmarkAnalyzerWrite is one Write of a second of stereo 16 kHz audio in
// steady state: it must not allocate.
func BenchmarkAnalyzerWrite(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, 30*time.Second, -10, 20*time.Millisecond, 2)
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		b.Fatal(err)
	}
	c.feed(a, rate) // warm up: leak estimated, segment list grown
	b.ReportAllocs()
	b.SetBytes(2 * 4 * rate)
	i := 0
	for b.Loop() {
		s := (i % 30) * rate
		a.Write(c.rep[s:s+rate], c.cust[s:s+rate])
		i++
	}
}

// BenchmarkAnalyzerSnapshot is the live meter's 10 Hz read-out after ten
// minutes of call.
func BenchmarkAnalyzerSnapshot(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 3)
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		b.Fatal(err)
	}
	for range 10 {
		c.feed(a, rate)
	}
	b.ReportAllocs()
	for b.Loop() {
		a.Snapshot()
	}
}

// BenchmarkAnalyzeMono is the mono (mixed) path over one minute.
func BenchmarkAnalyzeMono(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 4)
	for b.Loop() {
		a, err := NewAnalyzer(DefaultConfig(), rate, OneChannel)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(c.rep); i += rate {
			a.Write(c.rep[i:min(len(c.rep), i+rate)], nil)
		}
		a.Finish()
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(60/perOp, "x-realtime")
}

// BenchmarkAnalyzeHourSilentSide is BenchmarkAnalyzeHour with the
// customer's channel in digital silence (a muted side): the identical
// check must settle within seconds, not run a one-channel copy of the
// whole hour beside the two-party analysis.
func BenchmarkAnalyzeHourSilentSide(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 1)
	clear(c.cust)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
		if err != nil {
			b.Fatal(err)
		}
		for range 60 {
			c.feed(a, rate)
		}
		a.Finish()
	}
	if cpu := (cpuTime() - cpu0) / float64(b.N); cpu > 0 {
		b.ReportMetric(cpu, "cpu-s/hour")
		b.ReportMetric(3600/cpu, "x-realtime-cpu")
	}
}
