package audio

import (
	"math"
	"testing"
)

func tone(n, rate int, freq, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

// fit returns the amplitude of the freq component of s and the RMS of what
// is left after removing it (skipping skip samples at each end).
func fit(s []float32, rate int, freq float64, skip int) (amp, residual float64) {
	s = s[skip : len(s)-skip]
	var a, b float64
	for i, v := range s {
		w := 2 * math.Pi * freq * float64(i+skip) / float64(rate)
		a += float64(v) * math.Sin(w)
		b += float64(v) * math.Cos(w)
	}
	a, b = 2*a/float64(len(s)), 2*b/float64(len(s))
	var r float64
	for i, v := range s {
		w := 2 * math.Pi * freq * float64(i+skip) / float64(rate)
		d := float64(v) - a*math.Sin(w) - b*math.Cos(w)
		r += d * d
	}
	return math.Hypot(a, b), math.Sqrt(r / float64(len(s)))
}

func resampleAll(t testing.TB, from, to int, in []float32, chunk int) []float32 {
	r, err := NewResampler(from, to)
	if err != nil {
		t.Fatal(err)
	}
	var out []float32
	for len(in) > 0 {
		n := min(chunk, len(in))
		out = r.Append(out, in[:n])
		in = in[n:]
	}
	return r.Flush(out)
}

func TestResamplerTone(t *testing.T) {
	for _, c := range []struct {
		from, to int
		freq     float64
	}{
		{48000, 16000, 1000}, {44100, 16000, 3000}, {8000, 16000, 440}, {16000, 16000, 2500},
		{22050, 8000, 300}, {11025, 44100, 4400}, {16000, 8000, 3000},
	} {
		const secs = 2
		in := tone(secs*c.from, c.from, c.freq, 0.5)
		out := resampleAll(t, c.from, c.to, in, 1000)
		if want := secs * c.to; len(out) != want {
			t.Errorf("%d->%d: %d samples, want %d", c.from, c.to, len(out), want)
		}
		amp, res := fit(out, c.to, c.freq, c.to/10)
		if math.Abs(amp-0.5) > 0.5*0.012 || res > 0.5*0.003 { // ±0.1 dB, -50 dB residual
			t.Errorf("%d->%d %g Hz: amplitude %.4f residual %.5f, want 0.5 and < 0.0015", c.from, c.to, c.freq, amp, res)
		}
	}
}

// TestResamplerModes: the exact kernels (44.1 to 16 kHz is 441/160) and
// the interpolated ones (which SetRatio switches to, mid-stream) give the
// same signal.
func TestResamplerModes(t *testing.T) {
	in := tone(44100, 44100, 2345, 0.5)
	exact := resampleAll(t, 44100, 16000, in, 1000)
	r, _ := NewResampler(44100, 16000)
	if !r.exact {
		t.Fatal("44.1 to 16 kHz: want exact kernels")
	}
	var interp []float32
	for i := 0; i < len(in); i += 1000 {
		if i == 20000 {
			r.SetRatio(16000.0 / 44100)
		}
		interp = r.Append(interp, in[i:min(i+1000, len(in))])
	}
	interp = r.Flush(interp)
	if len(interp) != len(exact) {
		t.Fatalf("%d samples after SetRatio, want %d", len(interp), len(exact))
	}
	for i := range exact {
		if d := math.Abs(float64(interp[i] - exact[i])); d > 2e-4 {
			t.Fatalf("sample %d: interpolated %v, exact %v", i, interp[i], exact[i])
		}
	}
}

func TestResamplerLength(t *testing.T) {
	for _, c := range []struct{ from, to, n int }{{44100, 16000, 12345}, {16000, 48000, 777}, {8000, 8000, 1}, {48000, 8000, 5}, {16000, 44100, 0}} {
		out := resampleAll(t, c.from, c.to, make([]float32, c.n), 100)
		want := (c.n*c.to + c.from - 1) / c.from
		if len(out) != want {
			t.Errorf("%d->%d of %d samples: got %d, want %d", c.from, c.to, c.n, len(out), want)
		}
	}
}

// TestResamplerChunking checks that cutting the input differently changes
// nothing: the stream is the same however it arrives.
func TestResamplerChunking(t *testing.T) {
	in := tone(10000, 44100, 1234, 0.7)
	ref := resampleAll(t, 44100, 16000, in, len(in))
	for _, chunk := range []int{1, 7, 441, 4096} {
		got := resampleAll(t, 44100, 16000, in, chunk)
		if len(got) != len(ref) {
			t.Fatalf("chunk %d: %d samples, want %d", chunk, len(got), len(ref))
		}
		for i := range ref {
			if got[i] != ref[i] {
				t.Fatalf("chunk %d: sample %d = %v, want %v", chunk, i, got[i], ref[i])
			}
		}
	}
}

// TestResamplerAliasing: a tone above the new Nyquist frequency must not
// fold back into the output.
func TestResamplerAliasing(t *testing.T) {
	for _, c := range []struct {
		from, to int
		freq     float64
	}{{48000, 16000, 9000}, {44100, 8000, 5000}, {16000, 8000, 4500}} {
		in := tone(c.from, c.from, c.freq, 0.5)
		out := resampleAll(t, c.from, c.to, in, 999)
		var e float64
		for _, v := range out[c.to/10 : len(out)-c.to/10] {
			e += float64(v) * float64(v)
		}
		rms := math.Sqrt(e / float64(len(out)-c.to/5))
		if db := 20 * math.Log10(rms/(0.5/math.Sqrt2)); db > -60 {
			t.Errorf("%d->%d: a %g Hz tone comes out at %.1f dB, want below -60 dB", c.from, c.to, c.freq, db)
		}
	}
}

// TestResamplerSetRatio simulates two clocks: a source that runs 0.1% fast
// (16016 samples per real second for a nominal 16000). With the ratio set
// from the measured rate, an hour of it comes out at exactly 16000 per
// second and a tone at its true frequency.
func TestResamplerSetRatio(t *testing.T) {
	const real, nominal = 16016.0, 16000
	r, err := NewResampler(nominal, nominal)
	if err != nil {
		t.Fatal(err)
	}
	r.SetRatio(nominal / real)
	if got := r.Ratio(); math.Abs(got-nominal/real) > 1e-12 {
		t.Errorf("Ratio() = %v, want %v", got, nominal/real)
	}
	// The source's tone is 1000 Hz in real time, so 1000*16000/16016 Hz in its own samples.
	const secs = 3
	in := tone(int(secs*real), int(real), 1000, 0.5)
	var out []float32
	for i := 0; i < len(in); i += 512 {
		out = r.Append(out, in[i:min(i+512, len(in))])
	}
	out = r.Flush(out)
	if d := len(out) - secs*nominal; d < -1 || d > 1 { // the ratio is a float
		t.Errorf("%d samples, want %d ± 1", len(out), secs*nominal)
	}
	if amp, res := fit(out, nominal, 1000, 1600); math.Abs(amp-0.5) > 0.006 || res > 0.0015 {
		t.Errorf("tone at 1000 Hz: amplitude %.4f residual %.5f, want 0.5 and < 0.0015", amp, res)
	}

	// Drift over a quarter of an hour: the output after 15 minutes of input
	// is within a sample of 15 minutes (no error accumulates).
	r2, _ := NewResampler(nominal, nominal)
	r2.SetRatio(nominal / real)
	block := make([]float32, 16016)
	var n int
	out2 := make([]float32, 0, 20000)
	for range 900 {
		n += len(r2.Append(out2[:0], block))
	}
	n += len(r2.Flush(out2[:0]))
	if d := n - 900*nominal; d < -1 || d > 1 {
		t.Errorf("15 minutes of drifting input gave %d samples, want %d ± 1", n, 900*nominal)
	}
}

func TestNewResamplerBad(t *testing.T) {
	for _, c := range [][2]int{{0, 16000}, {16000, -1}} {
		if _, err := NewResampler(c[0], c[1]); err == nil {
			t.Errorf("NewResampler(%d, %d): got nil error", c[0], c[1])
		}
	}
}

func benchmarkResampler(b *testing.B, from, to int) {
	r, _ := NewResampler(from, to)
	in := tone(from/10, from, 440, 0.5)
	out := make([]float32, 0, to)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out = r.Append(out[:0], in)
		n += len(out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/out-sample")
}

func BenchmarkResampler48to16(b *testing.B)  { benchmarkResampler(b, 48000, 16000) }
func BenchmarkResampler44to16(b *testing.B)  { benchmarkResampler(b, 44100, 16000) }
func BenchmarkResamplerDrift16(b *testing.B) { benchmarkResampler(b, 16000, 16000) }
func BenchmarkResampler8to16(b *testing.B)   { benchmarkResampler(b, 8000, 16000) }
