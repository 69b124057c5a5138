package analysis

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// tone returns d of a sum of harmonics of f0 (amplitude amp each, up to
// maxHz) at rate.
func tone(rate int, d time.Duration, f0, amp, maxHz float64) []float32 {
	n := int(d.Seconds() * float64(rate))
	x := make([]float32, n)
	for h := 1.0; h*f0 <= maxHz; h++ {
		w := 2 * math.Pi * h * f0 / float64(rate)
		for i := range x {
			x[i] += float32(amp * math.Sin(w*float64(i)))
		}
	}
	return x
}

// lastFrames runs x through a FrameCepstrum and returns the mean of the
// features of its second half (past the filters' start-up).
func meanFeatures(t *testing.T, rate int, x []float32) (Features, int) {
	t.Helper()
	fc, err := NewFrameCepstrum(rate, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var frames []Features
	fc.Write(x, func(k int64, f *Features) {
		if int(k) != len(frames) {
			t.Fatalf("frame %d came after %d frames", k, len(frames))
		}
		frames = append(frames, *f)
	})
	var m Features
	half := frames[len(frames)/2:]
	for _, f := range half {
		for i := range m.Mel {
			m.Mel[i] += f.Mel[i] / float32(len(half))
		}
		for i := range m.MFCC {
			m.MFCC[i] += f.MFCC[i] / float32(len(half))
		}
		m.Level += f.Level / float32(len(half))
		m.Pitch += f.Pitch / float32(len(half))
		m.Voicing += f.Voicing / float32(len(half))
	}
	return m, len(frames)
}

var cepRates = []int{8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000}

// TestCepstrumLevelAndFrames: a 1 kHz sine of mean square 0.125 reads −9
// dBFS at every rate, peaks in the mel band around 1 kHz, and one second
// gives exactly 100 frames on the Analyzer's grid.
func TestCepstrumLevelAndFrames(t *testing.T) {
	for _, rate := range cepRates {
		x := tone(rate, time.Second, 1000, 0.5, 1000)
		m, n := meanFeatures(t, rate, x)
		if n != 100 {
			t.Errorf("%d Hz: got %d frames in 1 s, want 100", rate, n)
		}
		if math.Abs(float64(m.Level)+9.03) > 1 {
			t.Errorf("%d Hz: level %.2f dBFS, want −9.03 ± 1", rate, m.Level)
		}
		best := 0
		for i, v := range m.Mel {
			if v > m.Mel[best] {
				best = i
			}
		}
		lo, hi := hzToMel(FeatureLowHz), hzToMel(FeatureHighHz)
		centre := melToHz(lo + (hi-lo)*float64(best+1)/(MelBands+1))
		if math.Abs(centre-1000) > 80 {
			t.Errorf("%d Hz: loudest band centred at %.0f Hz, want about 1000", rate, centre)
		}
	}
}

// TestCepstrumComparableAcrossRates: a voice-like harmonic sound (160 Hz,
// harmonics to 7 kHz) gives nearly the same cepstrum at 8 and 48 kHz
// (everything above the telephone band is cut), however its spectrum
// differs above 3.4 kHz.
func TestCepstrumComparableAcrossRates(t *testing.T) {
	ref, _ := meanFeatures(t, 8000, tone(8000, time.Second, 160, 0.05, 3900))
	for _, rate := range cepRates[1:] {
		m, _ := meanFeatures(t, rate, tone(rate, time.Second, 160, 0.05, min(7000, float64(rate)/2-200)))
		var d float64
		for i := 1; i < Cepstra; i++ {
			d += float64((m.MFCC[i] - ref.MFCC[i]) * (m.MFCC[i] - ref.MFCC[i]))
		}
		// Cepstral distance in dB (√Σ over c1…c19): two different
		// vowels are 10–20 dB apart.
		if d = math.Sqrt(d); d > 3 {
			t.Errorf("%d Hz: cepstral distance to 8 kHz %.2f dB, want under 3", rate, d)
		}
	}
}

// TestCepstrumOutOfBand: a 5 kHz sine at 48 kHz is cut by the low-pass
// (it would fold to 3 kHz), and a 150 Hz hum below the band barely reads.
func TestCepstrumOutOfBand(t *testing.T) {
	for _, c := range []struct {
		rate int
		hz   float64
	}{{48000, 5000}, {44100, 6000}, {16000, 7000}, {8000, 150}, {16000, 150}} {
		m, _ := meanFeatures(t, c.rate, tone(c.rate, time.Second, c.hz, 0.5, c.hz))
		if m.Level > -33 {
			t.Errorf("%.0f Hz at %d Hz: level %.1f dBFS, want under −33 (in band it reads −9)", c.hz, c.rate, m.Level)
		}
	}
	m, _ := meanFeatures(t, 16000, make([]float32, 16000))
	if m.Level > -119.9 || m.Pitch != 0 {
		t.Errorf("silence: level %.1f, pitch %.1f, want −120 and 0", m.Level, m.Pitch)
	}
}

// TestCepstrumPitch: harmonic sounds at 90–350 Hz read their F0 within 3%
// at every rate; noise is not voiced.
func TestCepstrumPitch(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		for _, f0 := range []float64{90, 120, 180, 240, 350} {
			m, _ := meanFeatures(t, rate, tone(rate, time.Second, f0, 0.05, 3400))
			if math.Abs(float64(m.Pitch)-f0) > 0.03*f0 {
				t.Errorf("%d Hz, F0 %.0f: got pitch %.1f (voicing %.2f)", rate, f0, m.Pitch, m.Voicing)
			}
		}
	}
	x := make([]float32, 16000)
	s := uint32(1)
	for i := range x {
		s = s*1664525 + 1013904223
		x[i] = float32(int32(s)) / (1 << 33)
	}
	if m, _ := meanFeatures(t, 16000, x); m.Voicing > 0.4 {
		t.Errorf("white noise: voicing %.2f, want under 0.4", m.Voicing)
	}
}

// TestCepstrumNoAlloc: Write and Frame allocate nothing.
func TestCepstrumNoAlloc(t *testing.T) {
	for _, rate := range []int{8000, 44100} {
		fc, err := NewFrameCepstrum(rate, 10*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		x := tone(rate, time.Second, 200, 0.1, 3000)
		var sink float32
		fn := func(k int64, f *Features) { sink += f.MFCC[1] }
		if a := testing.AllocsPerRun(5, func() { fc.Write(x, fn) }); a != 0 {
			t.Errorf("%d Hz: %v allocations per second of audio, want 0", rate, a)
		}
		_ = sink
	}
	if _, err := NewCepstrum(4000); err == nil {
		t.Error("4 kHz: got no error, want one")
	}
}

// BenchmarkCepstrum: one second of 16 kHz (and 48 kHz) audio into 100
// feature frames.
func BenchmarkCepstrum(b *testing.B) {
	for _, rate := range []int{8000, 16000, 48000} {
		b.Run(strconv.Itoa(rate), func(b *testing.B) {
			fc, _ := NewFrameCepstrum(rate, 10*time.Millisecond)
			x := tone(rate, time.Second, 150, 0.05, 3400)
			var sink float32
			fn := func(k int64, f *Features) { sink += f.MFCC[1] }
			b.SetBytes(int64(len(x)) * 4)
			b.ReportAllocs()
			for b.Loop() {
				fc.Write(x, fn)
			}
			_ = sink
		})
	}
}
