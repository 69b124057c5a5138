package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// talker renders a speech-like signal: coloured noise at syllable rate,
// on during the spans (seconds), at rms amp.
func talker(n, rate int, spans [][2]float64, amp float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	var lp1, lp2 float64
	ph := rng.Float64() * 2 * math.Pi
	for _, s := range spans {
		a, b := int(s[0]*float64(rate)), min(n, int(s[1]*float64(rate)))
		for i := a; i < b; i++ {
			w := rng.NormFloat64()
			lp1 = 0.7*lp1 + 0.3*w
			lp2 = 0.9*lp2 + 0.1*lp1
			env := 0.55 + 0.45*math.Sin(2*math.Pi*4.3*float64(i)/float64(rate)+ph)
			x[i] = float32(amp * 3 * (lp1 - 0.6*lp2) * env)
		}
	}
	return x
}

// room convolves x with a direct path at delay (may be negative: the copy
// arrives early) and a reverberant tail of rt60, scaled to gainDB.
func room(x []float32, rate int, gainDB float64, delay, rt60 time.Duration, seed uint64) []float32 {
	return roomCopy(x, rate, math.Pow(10, gainDB/20), -delay, rt60, seed)
}

func addTo(dst []float32, xs ...[]float32) []float32 {
	out := append([]float32(nil), dst...)
	for _, x := range xs {
		for i, v := range x {
			out[i] += v
		}
	}
	return out
}

// runCanceller feeds both channels through a canceller with the given
// directions on and returns its frames.
func runCanceller(t *testing.T, rate int, a, b []float32, dirs ...int) []cancelFrame {
	t.Helper()
	fp := int64(rate / 100)
	c := newCanceller(rate, fp, 1, 0, DefaultVADConfig())
	for _, d := range dirs {
		c.start(d, -10)
	}
	var out []cancelFrame
	next := int64(0)
	chunk := rate / 50
	for i := 0; i < len(a); i += chunk {
		e := min(len(a), i+chunk)
		c.write(a[i:e], b[i:e])
		for ; next <= c.last; next++ {
			f, ok := c.frame(next)
			if !ok {
				t.Fatalf("frame %d lost (last %d)", next, c.last)
			}
			out = append(out, f)
		}
	}
	return out
}

// spanFrames10 marks 10 ms frames inside spans.
func spanFrames10(n int, spans [][2]float64) []bool {
	f := make([]bool, n)
	for _, s := range spans {
		for k := int(s[0] * 100); k < min(n, int(s[1]*100)); k++ {
			f[k] = true
		}
	}
	return f
}

// cancelScore sums energies over frames where only src talked (leak only)
// and where only dst talked (own only), after warm.
func cancelScore(frames []cancelFrame, ch int, own, other []bool, warm int) (erle, keep float64) {
	var lr, ll, or, ol float64
	for _, f := range frames {
		k := int(f.k)
		if k < warm || k+3 >= len(own) || k < 3 {
			continue
		}
		// Clear of the edges of the spans (the reverberant tail).
		quiet := func(x []bool) bool {
			for j := k - 30; j <= k+3; j++ {
				if j >= 0 && j < len(x) && x[j] {
					return false
				}
			}
			return true
		}
		switch {
		case other[k] && quiet(own):
			lr += f.raw[ch]
			ll += f.res[ch]
		case own[k] && quiet(other):
			or += f.raw[ch]
			ol += f.res[ch]
		}
	}
	return 10 * math.Log10(lr/ll), 10 * math.Log10(ol/or)
}

func TestCancellerRoom(t *testing.T) {
	const rate = 16000
	n := 40 * rate
	aSp := [][2]float64{{2, 4}, {9, 11.5}, {16, 17}, {21, 24}, {28, 29}, {33, 36}}
	bSp := [][2]float64{{0.5, 2.5}, {5, 8.5}, {11, 15}, {18, 22}, {25, 27.5}, {30, 33.5}, {36.5, 39.5}}
	for _, tc := range []struct {
		name   string
		delay  time.Duration
		gainDB float64
		rt60   time.Duration
	}{
		{"speakers in a room", 25 * time.Millisecond, -8, 400 * time.Millisecond},
		{"early arrival", -6 * time.Millisecond, -6, 300 * time.Millisecond},
		{"lapel level", 3 * time.Millisecond, -3, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := talker(n, rate, aSp, 0.05, 1)
			b := talker(n, rate, bSp, 0.1, 2)
			noise := talker(n, rate, [][2]float64{{0, 40}}, 0.0002, 3)
			rep := addTo(a, room(b, rate, tc.gainDB+20*math.Log10(0.5), tc.delay, tc.rt60, 5), noise)
			frames := runCanceller(t, rate, rep, b, 0)
			own, other := spanFrames10(n/160, aSp), spanFrames10(n/160, bSp)
			erle, keep := cancelScore(frames, 0, own, other, 1500)
			t.Logf("leak removed %.1f dB, own speech kept %+.2f dB", erle, keep)
			if erle < 15 {
				t.Errorf("leak removed %.1f dB, want >= 15", erle)
			}
			if keep < -1 || keep > 0.01 {
				t.Errorf("own speech changed by %+.2f dB, want within 1 dB", keep)
			}
		})
	}
}

// TestCancellerSymmetric: two live microphones in one room, each carrying
// both voices 3 dB apart; both directions learn, neither cancels the
// wearer.
func TestCancellerSymmetric(t *testing.T) {
	const rate = 16000
	n := 40 * rate
	aSp := [][2]float64{{2, 4}, {9, 11.5}, {16, 17}, {21, 24}, {28, 29}, {33, 36}}
	bSp := [][2]float64{{0.5, 2.5}, {5, 8.5}, {11, 15}, {18, 22}, {25, 27.5}, {30, 33.5}, {36.5, 39.5}}
	a := talker(n, rate, aSp, 0.07, 1)
	b := talker(n, rate, bSp, 0.07, 2)
	chA := addTo(a, room(b, rate, -3, -5*time.Millisecond, 300*time.Millisecond, 5))
	chB := addTo(b, room(a, rate, -3, 2*time.Millisecond, 300*time.Millisecond, 6))
	frames := runCanceller(t, rate, chA, chB, 0, 1)
	fa, fb := spanFrames10(n/160, aSp), spanFrames10(n/160, bSp)
	for ch, own := range [][]bool{fa, fb} {
		other := fb
		if ch == 1 {
			other = fa
		}
		erle, keep := cancelScore(frames, ch, own, other, 1500)
		t.Logf("channel %d: leak removed %.1f dB, own speech kept %+.2f dB", ch, erle, keep)
		if erle < 12 {
			t.Errorf("channel %d: leak removed %.1f dB, want >= 12", ch, erle)
		}
		if keep < -3 {
			t.Errorf("channel %d: own speech changed by %+.2f dB, want at most 3 dB lost", ch, keep)
		}
	}
}

// TestCancellerChunks feeds one call through the canceller in even chunks
// (its fast path, pair by pair) and in odd ones (a pair split across two
// writes goes through the low-pass one sample at a time, which rounds
// differently in the last digit): the frames must be the same to 1e-9.
func TestCancellerChunks(t *testing.T) {
	const rate = 16000
	n := 20 * rate
	a := talker(n, rate, [][2]float64{{0.5, 6}, {11, 14}}, 0.1, 3)
	b := talker(n, rate, [][2]float64{{6.5, 10.5}, {13, 19}}, 0.1, 4)
	a = addTo(a, room(b, rate, -6, 3*time.Millisecond, 300*time.Millisecond, 5))
	b = addTo(b, room(a, rate, -9, -2*time.Millisecond, 300*time.Millisecond, 6))
	run := func(sizes []int) []cancelFrame {
		c := newCanceller(rate, rate/100, 1, 0, DefaultVADConfig())
		c.start(0, -6)
		c.start(1, -9)
		var out []cancelFrame
		next := int64(0)
		for i, j := 0, 0; i < n; j++ {
			e := min(n, i+sizes[j%len(sizes)])
			c.write(a[i:e], b[i:e])
			i = e
			for ; next <= c.last; next++ {
				f, _ := c.frame(next)
				out = append(out, f)
			}
		}
		return out
	}
	even := run([]int{320})
	odd := run([]int{317, 1, 3, 640, 1})
	if len(even) < 1900 || len(even) != len(odd) {
		t.Fatalf("%d frames in even chunks, %d in odd ones", len(even), len(odd))
	}
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(math.Abs(x), math.Abs(y), 1e-12) }
	for k := range even {
		e, o := even[k], odd[k]
		same := e.k == o.k && e.n == o.n && e.pure == o.pure && e.on == o.on
		for ch := range 2 {
			same = same && near(e.raw[ch], o.raw[ch]) && near(e.res[ch], o.res[ch]) && near(e.pred[ch], o.pred[ch])
		}
		if !same {
			t.Fatalf("frame %d: %+v in even chunks, %+v in odd ones", k, e, o)
		}
	}
}

// BenchmarkCanceller runs the canceller alone, both directions (a lapel
// pair's case: each channel carries the other through a room), over a
// minute of two talkers at 16 kHz fed in 20 ms chunks, and reports the
// CPU seconds an hour of it costs: the share of BenchmarkAnalyzeHourRoom
// (callgen) that is the canceller's.
func BenchmarkCanceller(b *testing.B) {
	const rate = 16000
	n := 60 * rate
	x := talker(n, rate, [][2]float64{{0.5, 14}, {22, 31}, {40, 52}}, 0.1, 7)
	y := talker(n, rate, [][2]float64{{13, 23}, {30, 41}, {51, 59}}, 0.1, 8)
	x, y = addTo(x, room(y, rate, -4, 3*time.Millisecond, 400*time.Millisecond, 9)),
		addTo(y, room(x, rate, -4, -4*time.Millisecond, 400*time.Millisecond, 10))
	chunk := rate / 50
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		c := newCanceller(rate, rate/100, 1, 0, DefaultVADConfig())
		c.start(0, -4)
		c.start(1, -4)
		for i := 0; i < n; i += chunk {
			e := min(n, i+chunk)
			c.write(x[i:e], y[i:e])
		}
	}
	if cpu := (cpuTime() - cpu0) / float64(b.N) * 60; cpu > 0 {
		b.ReportMetric(cpu, "cpu-s/hour")
	}
}

// TestNth holds the residue's selection to the sorted order it replaces,
// ties and repeats included.
func TestNth(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 2000 {
		n := 1 + r.IntN(256)
		s := make([]float32, n)
		for j := range s {
			s[j] = float32(r.IntN(1 + trial%40))
		}
		want := slices.Clone(s)
		slices.Sort(want)
		i := r.IntN(n)
		if got := nth(s, i); got != want[i] {
			t.Fatalf("n %d, index %d: %v, sorted %v", n, i, got, want[i])
		}
	}
}
