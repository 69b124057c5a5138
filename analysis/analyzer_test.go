package analysis

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// framesOf rasters the segments of party s (or spans) at 10 ms over n frames.
func framesOf(n int, spans []Span) []bool {
	out := make([]bool, n)
	for _, s := range spans {
		for k := int(s.Start.D() / (10 * time.Millisecond)); k < int(s.End.D()/(10*time.Millisecond)) && k < n; k++ {
			out[k] = true
		}
	}
	return out
}

func spansOf(r Result, s Speaker) []Span {
	var out []Span
	for _, g := range r.Segments {
		if g.Speaker == s {
			out = append(out, Span{g.Start, g.End})
		}
	}
	return out
}

// bridged returns spans with gaps shorter than gap merged, as the truth a
// detector bridging at gap should find.
func bridged(spans []Span, gap time.Duration) []Span {
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start.D()-out[n-1].End.D() < gap {
			out[n-1].End = Dur(max(out[n-1].End.D(), s.End.D()))
			continue
		}
		out = append(out, s)
	}
	return out
}

func f1(truth, got []bool) float64 {
	return scoreFrames(got, truth).f1()
}

func (s frameScore) f1() float64 {
	_, _, f := s.prf()
	return f
}

// analyzeCall runs a fresh TwoParty Analyzer over c in 20 ms chunks.
func analyzeCall(tb testing.TB, cfg Config, c *synthCall) (*Analyzer, Result) {
	tb.Helper()
	a, err := NewAnalyzer(cfg, c.rate, TwoParty)
	if err != nil {
		tb.Fatal(err)
	}
	c.feed(a, c.rate/50)
	return a, a.Finish()
}

// TestSynthCallAccuracy: per-party frame F1 on synthetic calls across
// levels, leaks and rates.
func TestSynthCallAccuracy(t *testing.T) {
	cases := []struct {
		name      string
		rate      int
		leakDB    float64
		leakDelay time.Duration
		repPeak   float64 // the rep's peak, dBFS (0: about -8; a quiet rep: -20)
	}{
		{"clean 16k, no leak", 16000, -200, 0, 0},
		{"leak -3 dB 1 ms", 16000, -3, time.Millisecond, 0},
		{"leak -10 dB 20 ms", 16000, -10, 20 * time.Millisecond, 0},
		{"leak -20 dB 50 ms", 16000, -20, 50 * time.Millisecond, 0},
		{"quiet rep -20 dBFS, leak -9 dB", 16000, -9, 23 * time.Millisecond, -20},
		{"8 kHz leak", 8000, -8, 12 * time.Millisecond, 0},
		{"22.05 kHz leak", 22050, -8, 12 * time.Millisecond, 0},
		{"48 kHz leak", 48000, -12, 35 * time.Millisecond, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newSynthCallOpt(tc.rate, 2*time.Minute, tc.leakDB, tc.leakDelay, tc.repPeak, 11)
			_, res := analyzeCall(t, DefaultConfig(), c)
			n := len(c.rep) * 100 / c.rate
			for p, s := range []Speaker{Rep, Customer} {
				got := framesOf(n, spansOf(res, s))
				want := framesOf(n, bridged(c.truth[p], 300*time.Millisecond))
				if f := f1(want, got); f < 0.95 {
					t.Errorf("%v frame F1 = %.3f, want >= 0.95", s, f)
				}
			}
		})
	}
}

// TestQuietRepAdaptiveFloor: a rep peaking near -20 dBFS next to a customer
// near full scale, each with its own noise, is found on its own floor.
func TestQuietRepAdaptiveFloor(t *testing.T) {
	c := newSynthCallOpt(16000, time.Minute, -200, 0, -20, 5)
	var peak float32
	for _, v := range c.rep {
		peak = max(peak, float32(math.Abs(float64(v))))
	}
	if db := 20 * math.Log10(float64(peak)); db > -18 || db < -26 {
		t.Fatalf("test call: rep peaks at %.1f dBFS, want about -20", db)
	}
	a, res := analyzeCall(t, DefaultConfig(), c)
	n := len(c.rep) * 100 / c.rate
	got := framesOf(n, spansOf(res, Rep))
	want := framesOf(n, bridged(c.truth[0], 300*time.Millisecond))
	if f := f1(want, got); f < 0.95 {
		t.Errorf("quiet rep frame F1 = %.3f, want >= 0.95", f)
	}
	// Each channel's floor sits near its own noise (rep -50, customer
	// -60 dBFS RMS), not at a shared threshold.
	if fr, fc := a.party[0].act.floor, a.party[1].act.floor; math.Abs(fr-fc) < 5 {
		t.Errorf("floors rep %.1f, customer %.1f dB: want them apart (own noise levels)", fr, fc)
	}
}

// noiseLike is white noise in bursts (on 0.5–2 s, off 0.2–1 s), a source
// whose cross-correlation has one sharp peak.
func noiseLike(n, rate int, amp float64, rng *rand.Rand) []float32 {
	x := make([]float32, n)
	for i := 0; i < n; {
		on := int(float64(rate) * (0.5 + 1.5*rng.Float64()))
		for j := i; j < min(n, i+on); j++ {
			x[j] = float32(amp * rng.NormFloat64())
		}
		i += on + int(float64(rate)*(0.2+0.8*rng.Float64()))
	}
	return x
}

// TestLeakEstimation: a known crosstalk delay and gain are recovered within
// 1 ms and 1 dB, in both directions and at several rates.
func TestLeakEstimation(t *testing.T) {
	cases := []struct {
		name    string
		rate    int
		delay   time.Duration
		gainDB  float64
		sidetne bool // leak rep → customer instead of customer → rep
	}{
		{"1 ms -3 dB", 16000, time.Millisecond, -3, false},
		{"23 ms -9 dB", 16000, 23 * time.Millisecond, -9, false},
		{"50 ms -20 dB", 16000, 50 * time.Millisecond, -20, false},
		{"sidetone 4 ms -16 dB", 16000, 4 * time.Millisecond, -16, true},
		{"8 kHz 30 ms -6 dB", 8000, 30 * time.Millisecond, -6, false},
		{"44.1 kHz 8 ms -18 dB", 44100, 8 * time.Millisecond, -18, false},
		{"48 kHz sidetone 2 ms -12 dB", 48000, 2 * time.Millisecond, -12, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			n := 8 * tc.rate
			src := noiseLike(n, tc.rate, 0.1, rng)
			own := noiseLike(n, tc.rate, 0.05, rng) // the other party, uncorrelated
			d := int(math.Round(tc.delay.Seconds() * float64(tc.rate)))
			g := float32(math.Pow(10, tc.gainDB/20))
			dst := make([]float32, n)
			for i := range dst {
				dst[i] = own[i] + float32(0.001*rng.NormFloat64())
				if i >= d {
					dst[i] += g * src[i-d]
				}
			}
			rep, cust := dst, src
			if tc.sidetne {
				rep, cust = src, dst
			}
			a, err := NewAnalyzer(DefaultConfig(), tc.rate, TwoParty)
			if err != nil {
				t.Fatal(err)
			}
			a.Write(rep, cust)
			intoRep, intoCust := a.Crosstalk()
			got, other := intoRep, intoCust
			if tc.sidetne {
				got, other = intoCust, intoRep
			}
			if !got.Present {
				t.Fatalf("leak not found: %+v", got)
			}
			if diff := got.Delay - tc.delay; diff > time.Millisecond || diff < -time.Millisecond {
				t.Errorf("delay = %v, want %v ± 1 ms", got.Delay, tc.delay)
			}
			if math.Abs(got.GainDB-tc.gainDB) > 1 {
				t.Errorf("gain = %.2f dB, want %.1f ± 1 dB", got.GainDB, tc.gainDB)
			}
			if other.Present {
				t.Errorf("leak found in the other direction too: %+v", other)
			}
		})
	}
}

// TestNoActivityOnNoise: room noise, hum and silence alone give no speech.
func TestNoActivityOnNoise(t *testing.T) {
	const rate = 16000
	n := 60 * rate
	rng := rand.New(rand.NewPCG(9, 9))
	white := make([]float32, n)
	pink := make([]float32, n)
	hum := make([]float32, n)
	var b0, b1, b2 float64
	for i := range white {
		w := rng.NormFloat64()
		white[i] = float32(0.05 * w)
		// Paul Kellet's economy pink filter.
		b0 = 0.99765*b0 + w*0.0990460
		b1 = 0.96300*b1 + w*0.2965164
		b2 = 0.57000*b2 + w*1.0526913
		pink[i] = float32(0.02 * (b0 + b1 + b2 + w*0.1848))
		ph := 2 * math.Pi * float64(i) / rate
		hum[i] = float32(0.1*math.Sin(50*ph) + 0.03*math.Sin(150*ph) + 0.001*w)
	}
	// A fan switching on after 20 s of near silence.
	step := make([]float32, n)
	for i := 20 * rate; i < n; i++ {
		step[i] = pink[i]
	}
	// A step in the noise is taken for speech until the floor's window has
	// seen it (VADConfig.FloorWindow); steady noise never is.
	stepAllow := DefaultConfig().VAD.FloorWindow + 500*time.Millisecond
	for _, tc := range []struct {
		name  string
		x     []float32
		allow time.Duration
	}{
		{"white noise", white, 0}, {"pink noise", pink, 0}, {"mains hum", hum, 0},
		{"fan switching on", step, stepAllow}, {"digital silence", make([]float32, n), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
			if err != nil {
				t.Fatal(err)
			}
			a.Write(tc.x, tc.x[:0])
			res := a.Finish()
			var talk time.Duration
			for _, s := range res.Segments {
				talk += s.Len()
			}
			if talk > tc.allow {
				t.Errorf("got %v of speech in %s (%d segments), want none", talk, tc.name, len(res.Segments))
			}
		})
	}
}

// TestNoActivityOnPureLeak: only the customer speaks; the rep's microphone
// carries nothing but the customer's leak (and noise). No rep speech.
func TestNoActivityOnPureLeak(t *testing.T) {
	for _, tc := range []struct {
		name   string
		gainDB float64
		delay  time.Duration
	}{
		{"-3 dB 1 ms", -3, time.Millisecond},
		{"-9 dB 23 ms", -9, 23 * time.Millisecond},
		{"-20 dB 50 ms", -20, 50 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const rate = 16000
			c := newSynthCallOpt(rate, time.Minute, tc.gainDB, tc.delay, -200, 21) // rep silent
			_, res := analyzeCall(t, DefaultConfig(), c)
			var rep, cust time.Duration
			for _, s := range res.Segments {
				if s.Speaker == Rep {
					rep += s.Len()
				} else {
					cust += s.Len()
				}
			}
			// The warm-up before the first estimate may let a little through.
			if rep > 500*time.Millisecond {
				t.Errorf("rep talk = %v on a microphone carrying only leak, want none", rep)
			}
			if cust < 10*time.Second {
				t.Errorf("customer talk = %v, want the customer found", cust)
			}
		})
	}
}

// TestSegmenterBridging: gaps shorter than BridgeGap are bridged, longer
// ones split, and blips shorter than MinSegment dropped.
func TestSegmenterBridging(t *testing.T) {
	cfg := DefaultConfig()
	minCore := int64(cfg.VAD.MinSegment / cfg.Frame)
	maskedFrames := int64(cfg.VAD.MaskedBridge / cfg.Frame)
	cases := []struct {
		name   string
		active [][2]int64 // runs of active frames [from, to)
		want   []Segment
		masked [][2]int64 // runs of idle frames the other party's leak masked
	}{
		{"gap 29 frames bridged", [][2]int64{{0, 50}, {79, 120}}, []Segment{{Rep, 0, Dur(1200 * time.Millisecond)}}, nil},
		{"gap 30 frames split", [][2]int64{{0, 50}, {80, 120}}, []Segment{{Rep, 0, Dur(500 * time.Millisecond)}, {Rep, Dur(800 * time.Millisecond), Dur(1200 * time.Millisecond)}}, nil},
		{"blip dropped", [][2]int64{{0, 50}, {200, 200 + minCore - 1}}, []Segment{{Rep, 0, Dur(500 * time.Millisecond)}}, nil},
		{"blip kept when long enough", [][2]int64{{200, 200 + minCore}}, []Segment{{Rep, Dur(2 * time.Second), Dur(2*time.Second + cfg.VAD.MinSegment)}}, nil},
		// A pause the other party's leak masked is not known to be silence.
		{"masked gap of 45 frames bridged", [][2]int64{{0, 50}, {95, 120}}, []Segment{{Rep, 0, Dur(1200 * time.Millisecond)}}, [][2]int64{{50, 95}}},
		{"masked gap with 30 frames seen split", [][2]int64{{0, 50}, {95, 120}}, []Segment{{Rep, 0, Dur(500 * time.Millisecond)}, {Rep, Dur(950 * time.Millisecond), Dur(1200 * time.Millisecond)}}, [][2]int64{{50, 65}}},
		// ...but a flicker of leak beyond it must not stretch a backchannel
		// across the pause: the run it joins must count on its own.
		{"blip across masked gap not joined", [][2]int64{{0, 50}, {95, 95 + minCore - 1}}, []Segment{{Rep, 0, Dur(500 * time.Millisecond)}}, [][2]int64{{50, 95}}},
		{"pieces across masked gap joined once they count", [][2]int64{{0, 50}, {95, 103}, {110, 118}}, []Segment{{Rep, 0, Dur(1180 * time.Millisecond)}}, [][2]int64{{50, 95}}},
		{"masked gap beyond MaskedBridge split", [][2]int64{{0, 50}, {50 + maskedFrames, 150}}, []Segment{{Rep, 0, Dur(500 * time.Millisecond)}, {Rep, Dur(time.Duration(50+maskedFrames) * cfg.Frame), Dur(1500 * time.Millisecond)}}, [][2]int64{{50, 50 + maskedFrames}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newSegmenter(Rep, cfg.Frame, cfg.BridgeGap, cfg.VAD.MaskedBridge, minCore)
			k := int64(0)
			for _, r := range tc.active {
				for ; k < r[0]; k++ {
					masked := false
					for _, m := range tc.masked {
						masked = masked || (k >= m[0] && k < m[1])
					}
					g.idle(k, masked)
				}
				for ; k < r[1]; k++ {
					g.add(k, true)
				}
			}
			g.close()
			if len(g.closed) != len(tc.want) {
				t.Fatalf("got segments %v, want %v", g.closed, tc.want)
			}
			for i := range tc.want {
				if g.closed[i] != tc.want[i] {
					t.Errorf("segment %d = %v, want %v", i, g.closed[i], tc.want[i])
				}
			}
		})
	}
}

// TestAnalyzerContract: frame grid, party order, mono speaker, snapshots,
// Finish idempotence, short customer slices, bad rates.
func TestAnalyzerContract(t *testing.T) {
	if _, err := NewAnalyzer(DefaultConfig(), 4000, TwoParty); err == nil {
		t.Error("NewAnalyzer(4000 Hz): got no error, want one")
	}
	if _, err := NewAnalyzer(DefaultConfig(), 16000, Layout(7)); err == nil {
		t.Error("NewAnalyzer(layout 7): got no error, want one")
	}

	c := newSynthCallOpt(22050, 40*time.Second, -10, 15*time.Millisecond, 0, 13)
	a, err := NewAnalyzer(DefaultConfig(), c.rate, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	half := len(c.rep) / 2
	for i := 0; i < half; i += 441 {
		a.Write(c.rep[i:min(half, i+441)], c.cust[i:min(half, i+441)])
	}
	snap := a.Snapshot()
	if snap.Duration.D() < 19*time.Second || snap.Duration.D() > 21*time.Second {
		t.Errorf("snapshot duration = %v, want about 20 s", snap.Duration.D())
	}
	if len(snap.Segments) == 0 {
		t.Error("snapshot after 20 s: got no segments, want some")
	}
	// A customer slice shorter than the rep's is padded with silence.
	a.Write(c.rep[half:], c.cust[half:half+10])
	res := a.Finish()
	if again := a.Finish(); len(again.Segments) != len(res.Segments) {
		t.Errorf("second Finish: %d segments, want %d", len(again.Segments), len(res.Segments))
	}
	a.Write(c.rep[:1000], c.cust[:1000]) // ignored after Finish
	if got := a.Finish().Duration; got != res.Duration {
		t.Errorf("Write after Finish changed duration: %v, want %v", got, res.Duration)
	}
	last := map[Speaker]Dur{}
	for _, s := range res.Segments {
		if s.Start%Dur(10*time.Millisecond) != 0 || s.End%Dur(10*time.Millisecond) != 0 {
			t.Errorf("segment %v not on the 10 ms grid", s)
		}
		if s.End <= s.Start || s.Start < last[s.Speaker] {
			t.Errorf("segment %v out of order (previous end %v)", s, last[s.Speaker])
		}
		if s.Speaker != Rep && s.Speaker != Customer {
			t.Errorf("segment %v: speaker %v in a two-party call", s, s.Speaker)
		}
		last[s.Speaker] = s.End
	}

	m, err := NewAnalyzer(DefaultConfig(), c.rate, OneChannel)
	if err != nil {
		t.Fatal(err)
	}
	m.Write(c.cust, nil)
	mr := m.Finish()
	if len(mr.Segments) == 0 {
		t.Fatal("mono: got no segments, want some")
	}
	// One voice (the customer's channel alone): split into two voices at
	// most, and never given to the rep or the customer unasked.
	for _, s := range mr.Segments {
		if s.Speaker != Speaker1 && s.Speaker != Speaker2 {
			t.Fatalf("mono: got speaker %v, want speaker_1 or speaker_2", s.Speaker)
		}
	}
	if mr.Diarization == nil || mr.Listening.Verdict != NoVerdict {
		t.Errorf("mono: got diarization %v and verdict %q, want a split and no verdict", mr.Diarization, mr.Listening.Verdict)
	}
	if r, cu := m.Levels(); r <= -150 || cu != -150 {
		t.Errorf("mono Levels() = %v, %v; want a level and -150", r, cu)
	}
}

// TestInvalidSamples: NaN and Inf are silence, huge values clipped, and the
// result says so.
func TestInvalidSamples(t *testing.T) {
	const rate = 8000
	x := make([]float32, 5*rate)
	for i := range x {
		switch i % 4 {
		case 0:
			x[i] = float32(math.NaN())
		case 1:
			x[i] = float32(math.Inf(1))
		case 2:
			x[i] = float32(math.Inf(-1))
		default:
			x[i] = 0
		}
	}
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	a.Write(x, x)
	res := a.Finish()
	if len(res.Segments) != 0 {
		t.Errorf("NaN/Inf input: got segments %v, want none", res.Segments)
	}
	if len(res.Notes) == 0 {
		t.Error("NaN/Inf input: got no note, want one saying samples were not numbers")
	}
}

// TestWriteDoesNotAllocate: the steady-state Write path is allocation-free
// (audio callbacks call it).
func TestWriteDoesNotAllocate(t *testing.T) {
	c := newSynthCall(16000, 20*time.Second, -10, 20*time.Millisecond, 2)
	a, err := NewAnalyzer(DefaultConfig(), 16000, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	c.feed(a, 320)
	a.party[0].act.seg.closed = make([]Segment, 0, 1<<12) // room to grow
	a.party[1].act.seg.closed = make([]Segment, 0, 1<<12)
	i := 0
	allocs := testing.AllocsPerRun(500, func() {
		s := (i * 320) % (len(c.rep) - 320)
		a.Write(c.rep[s:s+320], c.cust[s:s+320])
		i++
	})
	if allocs != 0 {
		t.Errorf("Write allocated %.1f times per call, want 0", allocs)
	}
}

// TestMemoryFlat: analysing an hour holds no more memory than ten minutes
// (beyond the segment list).
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("feeds an hour of audio")
	}
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 6)
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for range 10 {
		c.feed(a, rate)
	}
	before := heap()
	for range 50 {
		c.feed(a, rate)
	}
	after := heap()
	if after > before+512<<10 {
		t.Errorf("heap grew from %d to %d bytes over 50 more minutes, want under 512 KiB growth", before, after)
	}
	t.Logf("heap after 10 min %d B, after 60 min %d B", before, after)
}

// BenchmarkThreeHours feeds a three-hour stereo 16 kHz call and reports the
// heap in use and the memory obtained from the OS at the end.
func BenchmarkThreeHours(b *testing.B) {
	const rate = 16000
	c := newSynthCall(rate, time.Minute, -10, 20*time.Millisecond, 7)
	for b.Loop() {
		a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
		if err != nil {
			b.Fatal(err)
		}
		for range 180 {
			c.feed(a, rate)
		}
		a.Finish()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapInuse)/(1<<20), "MiB-heap-inuse")
		b.ReportMetric(float64(m.Sys)/(1<<20), "MiB-sys")
	}
}

// FuzzAnalyzer: any samples, including NaN, Inf and huge values, at any
// chunking, must not panic, and segments stay well formed.
func FuzzAnalyzer(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f}, uint16(16000), uint8(7), false)
	f.Add([]byte("speech-like bytes of any kind"), uint16(8000), uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, rate uint16, chunk uint8, mono bool) {
		r := 8000 + int(rate)%40001
		layout := TwoParty
		if mono {
			layout = OneChannel
		}
		a, err := NewAnalyzer(DefaultConfig(), r, layout)
		if err != nil {
			t.Fatal(err)
		}
		// Each 4 bytes are one float32 bit pattern; repeat to cover seconds.
		var x []float32
		for i := 0; i+4 <= len(data); i += 4 {
			x = append(x, math.Float32frombits(uint32(data[i])|uint32(data[i+1])<<8|uint32(data[i+2])<<16|uint32(data[i+3])<<24))
		}
		if len(x) == 0 {
			x = []float32{0}
		}
		total := 3 * r
		step := 1 + int(chunk)*37
		rep := make([]float32, step)
		cust := make([]float32, step)
		for n := 0; n < total; n += step {
			for j := range rep {
				rep[j] = x[(n+j)%len(x)]
				cust[j] = x[(n+j+len(x)/2)%len(x)]
			}
			a.Write(rep, cust)
			if n%(r/2) < step {
				a.Snapshot()
			}
		}
		res := a.Finish()
		for _, s := range res.Segments {
			if s.End <= s.Start || s.Start < 0 || s.End.D() > res.Duration.D()+10*time.Millisecond {
				t.Fatalf("bad segment %v in a %v call", s, res.Duration.D())
			}
		}
	})
}

// TestVADMonoOverrides: the mono overrides replace only what they set, and
// only a mono Analyzer's detector uses them.
func TestVADMonoOverrides(t *testing.T) {
	v := DefaultVADConfig()
	v.Mono = VADMono{Hangover: 310 * time.Millisecond}
	m := v.mono()
	if m.Hangover != 310*time.Millisecond {
		t.Errorf("mono Hangover = %v, want 310ms", m.Hangover)
	}
	if m.OnsetLevel != v.OnsetLevel || m.SpeechRange != v.SpeechRange {
		t.Errorf("mono changed fields it does not set: %+v", m)
	}
	cfg := DefaultConfig()
	cfg.VAD = v
	two, _ := NewAnalyzer(cfg, 16000, TwoParty)
	mono, _ := NewAnalyzer(cfg, 16000, OneChannel)
	if got, want := two.party[0].act.hangFrames, int(DefaultVADConfig().Hangover/cfg.Frame); got != want {
		t.Errorf("two-party hangover = %d frames, want %d", got, want)
	}
	if got := mono.party[0].act.hangFrames; got != 31 {
		t.Errorf("mono hangover = %d frames, want 31", got)
	}
}

// vowel returns d of a harmonic sound at pitch f0 (ten harmonics falling
// 6 dB an octave, a 4 Hz syllable envelope) at peak amplitude amp.
func vowel(rate int, f0, amp float64, d time.Duration) []float32 {
	n := int(d.Seconds() * float64(rate))
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / float64(rate)
		var v float64
		for h := 1; h <= 10; h++ {
			if float64(h)*f0 < float64(rate)/2 {
				v += math.Sin(2*math.Pi*float64(h)*f0*t) / float64(h)
			}
		}
		env := 0.6 + 0.4*math.Sin(2*math.Pi*4*t)
		x[i] = float32(amp * env * v / 2)
	}
	return x
}

// TestVoicer: harmonic sounds at any pitch a voice has are voiced, noise
// and silence are not, at every rate.
func TestVoicer(t *testing.T) {
	noise := func(rate int) []float32 {
		r := rand.New(rand.NewPCG(1, 2))
		x := make([]float32, rate/2)
		for i := range x {
			x[i] = float32(0.3 * r.NormFloat64())
		}
		return x
	}
	cases := []struct {
		name   string
		rate   int
		x      func(rate int) []float32
		voiced bool
	}{
		{"male 110 Hz, 8 kHz", 8000, func(r int) []float32 { return vowel(r, 110, 0.5, 500*time.Millisecond) }, true},
		{"female 220 Hz, 16 kHz", 16000, func(r int) []float32 { return vowel(r, 220, 0.5, 500*time.Millisecond) }, true},
		{"child 330 Hz, 44.1 kHz", 44100, func(r int) []float32 { return vowel(r, 330, 0.5, 500*time.Millisecond) }, true},
		{"white noise, 16 kHz", 16000, noise, false},
		{"white noise, 48 kHz", 48000, noise, false},
		{"silence, 16 kHz", 16000, func(r int) []float32 { return make([]float32, r/2) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVoicer(tc.rate)
			hp := newHighPass(150, tc.rate)
			var sum float64
			var n int
			frame := tc.rate / 100
			for i, s := range tc.x(tc.rate) {
				v.add(hp.step(float64(s)))
				if (i+1)%frame == 0 && i > tc.rate/10 {
					sum += v.corr()
					n++
				}
			}
			got := sum / float64(n)
			if tc.voiced && got < 0.85 {
				t.Errorf("mean voicing = %.2f, want >= 0.85", got)
			}
			if !tc.voiced && got > 0.5 {
				t.Errorf("mean voicing = %.2f, want <= 0.5", got)
			}
		})
	}
}

// TestVoicerBand: above voicedBandCut a voice is still voiced at any
// pitch and rate, while a rumble periodic only below it (a close
// microphone's breath or handling noise over a hiss) is voiced in the full
// band and not in the speech band.
func TestVoicerBand(t *testing.T) {
	rumble := func(rate int) []float32 {
		r := rand.New(rand.NewPCG(3, 4))
		x := make([]float32, rate/2)
		for i := range x {
			tt := float64(i) / float64(rate)
			x[i] = float32(0.7*math.Sin(2*math.Pi*90*tt) + 0.15*r.NormFloat64())
		}
		return x
	}
	cases := []struct {
		name         string
		rate         int
		x            func(rate int) []float32
		full, inBand bool
	}{
		{"male 110 Hz, 8 kHz", 8000, func(r int) []float32 { return vowel(r, 110, 0.5, 500*time.Millisecond) }, true, true},
		{"female 220 Hz, 16 kHz", 16000, func(r int) []float32 { return vowel(r, 220, 0.5, 500*time.Millisecond) }, true, true},
		{"child 330 Hz, 44.1 kHz", 44100, func(r int) []float32 { return vowel(r, 330, 0.5, 500*time.Millisecond) }, true, true},
		{"rumble 90 Hz over hiss, 16 kHz", 16000, rumble, true, false},
		{"rumble 90 Hz over hiss, 48 kHz", 48000, rumble, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newVoicer(tc.rate)
			hp := newHighPass(150, tc.rate)
			var full, band float64
			var n int
			frame := tc.rate / 100
			for i, s := range tc.x(tc.rate) {
				v.add(hp.step(float64(s)))
				if (i+1)%frame == 0 && i > tc.rate/10 {
					full += v.corr()
					band += v.corrBand()
					n++
				}
			}
			full /= float64(n)
			band /= float64(n)
			for _, c := range []struct {
				what   string
				got    float64
				voiced bool
			}{{"full band", full, tc.full}, {"speech band", band, tc.inBand}} {
				if c.voiced && c.got < 0.85 {
					t.Errorf("%s: mean voicing %.2f, want >= 0.85", c.what, c.got)
				}
				if !c.voiced && c.got > 0.5 {
					t.Errorf("%s: mean voicing %.2f, want <= 0.5", c.what, c.got)
				}
			}
			t.Logf("mean voicing: full band %.2f, speech band %.2f", full, band)
		})
	}
}

// TestMonoVoicingGate: in a mono recording a loud unvoiced sound (a fan
// burst, rustle) is not speech while a voiced sound at the same level is;
// with the voicing test off the burst would count.
func TestMonoVoicingGate(t *testing.T) {
	const rate = 16000
	r := rand.New(rand.NewPCG(3, 4))
	sec := func(s float64) int { return int(s * rate) }
	x := make([]float32, sec(8))
	for i := range x {
		x[i] = float32(0.0005 * r.NormFloat64()) // room floor, ~-66 dBFS
	}
	for i := sec(2); i < sec(3); i++ { // 1 s of loud noise
		x[i] += float32(0.05 * r.NormFloat64())
	}
	for i, v := range vowel(rate, 150, 0.15, time.Second) { // 1 s of voice
		x[sec(5)+i] += v
	}
	run := func(corr float64) []Segment {
		cfg := DefaultConfig()
		cfg.VAD.Mono.VoicedCorr = corr
		a, err := NewAnalyzer(cfg, rate, OneChannel)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(x); i += rate / 50 {
			a.Write(x[i:min(len(x), i+rate/50)], nil)
		}
		return a.Finish().Segments
	}
	inside := func(segs []Segment, from, to float64) time.Duration {
		var d time.Duration
		for _, s := range segs {
			a, b := max(s.Start.Seconds(), from), min(s.End.Seconds(), to)
			if b > a {
				d += time.Duration((b - a) * float64(time.Second))
			}
		}
		return d
	}
	on := run(DefaultVADConfig().Mono.VoicedCorr)
	if got := inside(on, 1.5, 3.5); got > 0 {
		t.Errorf("voicing on: %v of the noise burst counted as speech, want none (segments %v)", got, on)
	}
	if got := inside(on, 5, 6); got < 900*time.Millisecond {
		t.Errorf("voicing on: %v of the 1 s voice counted as speech, want >= 900ms (segments %v)", got, on)
	}
	if got := inside(run(0), 1.5, 3.5); got < 900*time.Millisecond {
		t.Errorf("voicing off: %v of the noise burst counted as speech, want >= 900ms (the test must see the difference)", got)
	}
}
