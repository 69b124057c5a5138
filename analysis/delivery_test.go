package analysis

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// vowels are (F1, F2) pairs the synthetic syllables cycle through, so that
// consecutive syllables differ in spectrum as real ones do.
var vowels = [][2]float64{{300, 2300}, {700, 1200}, {500, 1500}, {400, 800}, {650, 1900}}

// voiced adds a voiced sound to x at rate: harmonics of a pitch moving
// from f0a to f0b Hz (log), shaped by two formants, under env(t) for t in
// 0..1. It returns x extended by n samples.
func voiced(x []float32, rate, n int, f0a, f0b float64, formants [2]float64, amp float64, env func(float64) float64) []float32 {
	phase := 0.0
	for i := range n {
		t := float64(i) / float64(n)
		f0 := f0a * math.Pow(f0b/f0a, t)
		phase += 2 * math.Pi * f0 / float64(rate)
		var v float64
		for h := 1.0; h*f0 < min(3800, float64(rate)/2-200); h++ {
			hf := h * f0
			w := math.Exp(-sq((hf-formants[0])/150)) + 0.6*math.Exp(-sq((hf-formants[1])/200)) + 0.03
			v += w * math.Sin(h*phase)
		}
		x = append(x, float32(amp*env(t)*v/3))
	}
	return x
}

func sq(v float64) float64 { return v * v }

// sylEnv is a syllable's rise and fall.
func sylEnv(t float64) float64 { return sq(math.Sin(math.Pi * t)) }

// flatEnv is a held sound: 40 ms fades, steady between.
func flatEnv(t float64) float64 { return min(1, t/0.08, (1-t)/0.08) }

func silence(x []float32, rate int, d float64) []float32 {
	return append(x, make([]float32, int(d*float64(rate)))...)
}

// phrase adds n syllables of 0.2 s with the pitch falling from f0a to f0b
// across the phrase.
func phrase(x []float32, rate, n int, f0a, f0b float64) []float32 {
	sn := int(0.2 * float64(rate))
	for k := range n {
		a := f0a * math.Pow(f0b/f0a, float64(k)/float64(n))
		b := f0a * math.Pow(f0b/f0a, float64(k+1)/float64(n))
		x = voiced(x, rate, sn, a, b, vowels[k%len(vowels)], 0.5, sylEnv)
	}
	return x
}

func measure(x []float32, rate int) DeliveryCue {
	m := NewDeliveryMeter(rate, DefaultDeliveryConfig())
	m.Write(x)
	return m.Cue(time.Duration(len(x)) * time.Second / time.Duration(rate))
}

func near(t *testing.T, what string, got *float64, want, tol float64) {
	t.Helper()
	switch {
	case got == nil:
		t.Errorf("%s: not measured, want %.2f", what, want)
	case math.Abs(*got-want) > tol:
		t.Errorf("%s: got %.3f, want %.3f ± %.3f", what, *got, want, tol)
	}
}

// TestDeliveryKnownCall: a stretch built with known syllables, pauses,
// phrases and pitch, at the rates calls come in. The pitch starts below the
// telephone band's 300 Hz, so the meter must find a fundamental the band
// removed.
func TestDeliveryKnownCall(t *testing.T) {
	gaps := []float64{0.4, 0.8, 1.2, 0.6}
	sylls := []int{8, 10, 6, 12, 9}
	for _, rate := range []int{8000, 16000, 44100, 48000} {
		var x []float32
		x = silence(x, rate, 0.3)
		for i, n := range sylls {
			x = phrase(x, rate, n, 180, 120) // falls 7 semitones per phrase
			if i < len(gaps) {
				x = silence(x, rate, gaps[i])
			}
		}
		x = silence(x, rate, 0.3)
		c := measure(x, rate)
		total := 0
		for _, n := range sylls {
			total += n
		}
		if c.Syllables < total-3 || c.Syllables > total+3 {
			t.Errorf("%d Hz: syllables: got %d, want %d ± 3", rate, c.Syllables, total)
		}
		speak := 0.2 * float64(total)
		near(t, "rate", c.RateSyl, float64(total)/speak, 0.6)
		mean, sd := meanSD(gaps)
		near(t, "pause cv", c.PauseCV, sd/mean, 0.08)
		near(t, "phrase", c.Phrase, speak/float64(len(sylls)), 0.2)
		// Within each phrase the pitch falls 7 semitones in 0.2 s per
		// syllable: -7 / (0.2 n) per second, weighted by phrase length.
		var slope, w float64
		for _, n := range sylls {
			d := 0.2 * float64(n)
			slope += d * -12 * math.Log2(180.0/120) / d
			w += d
		}
		near(t, "declination", c.Declination, slope/w, 1)
		// Pitch spread over 120..180 Hz, uniform in semitones: 10th to 90th
		// percentile is 80% of 7 semitones.
		near(t, "pitch range", c.PitchRange, 0.8*12*math.Log2(180.0/120), 1)
		near(t, "rate cv", c.RateCV, 0, 0.2)
		if c.FilledPauses != 0 {
			t.Errorf("%d Hz: filled pauses in syllables only: got %d, want 0", rate, c.FilledPauses)
		}
		if c.ReadLikelihood != nil && len(readLikelihoodModel.Cues) == 0 {
			t.Errorf("read likelihood without a model: %v", *c.ReadLikelihood)
		}
	}
}

// TestDeliveryFilledPauses: a held "uh" (flat pitch, still formants, 0.45 s)
// between phrases counts; the phrases do not.
func TestDeliveryFilledPauses(t *testing.T) {
	const rate = 16000
	var x []float32
	x = silence(x, rate, 0.3)
	for i := range 4 {
		x = phrase(x, rate, 8, 170, 130)
		x = silence(x, rate, 0.3)
		if i < 3 {
			x = voiced(x, rate, int(0.45*rate), 115, 115, [2]float64{550, 1450}, 0.35, flatEnv) // "uh"
			x = silence(x, rate, 0.3)
		}
	}
	if c := measure(x, rate); c.FilledPauses != 3 {
		t.Errorf("filled pauses: got %d, want 3 (%+v)", c.FilledPauses, c)
	}
}

// TestDeliveryStreaming: the cues do not depend on how the audio is cut
// into writes, and a meter reset for the next stretch forgets the last.
func TestDeliveryStreaming(t *testing.T) {
	const rate = 16000
	var x []float32
	for range 5 {
		x = phrase(x, rate, 9, 160, 120)
		x = silence(x, rate, 0.5)
	}
	whole := measure(x, rate)
	m := NewDeliveryMeter(rate, DefaultDeliveryConfig())
	m.Write(make([]float32, rate)) // a stretch before, forgotten
	m.Reset(2 * time.Second)
	for i := 0; i < len(x); i += 333 {
		m.Write(x[i:min(len(x), i+333)])
	}
	got := m.Cue(2*time.Second + time.Duration(len(x))*time.Second/rate)
	if got.Syllables != whole.Syllables || *got.Phrase != *whole.Phrase || *got.PitchRange != *whole.PitchRange || got.Start != Dur(2*time.Second) {
		t.Errorf("chunked: got %+v, want %+v from 2 s", got, whole)
	}
}

// TestDeliveryBadInput: silence, NaN, Inf and clipping give no figures and
// no panic.
func TestDeliveryBadInput(t *testing.T) {
	const rate = 8000
	for name, x := range map[string][]float32{
		"silence": make([]float32, 10*rate),
		"nan":     {float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 5, -5},
		"short":   make([]float32, 100),
	} {
		c := measure(x, rate)
		if c.RateSyl != nil || c.PitchRange != nil || c.Syllables != 0 || c.FilledPauses != 0 {
			t.Errorf("%s: got %+v, want no figures", name, c)
		}
	}
}

// TestDeliverySpeech: real synthetic speech (espeak-ng) of known text:
// the syllable count within 15% of the text's.
func TestDeliverySpeech(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		text  string
		sylls int
	}{
		{"Thank you for calling today. My name is Jordan, and I am calling about your account. We have a new offer that can save you money every month.", 37},
		{"Before we begin, I would like to explain how the new plan works. First, you keep your current number. Second, the monthly price stays the same for two years. Finally, there is no fee to switch.", 45},
	} {
		path := filepath.Join(dir, "s.wav")
		if b, err := exec.Command("espeak-ng", "-w", path, tc.text).CombinedOutput(); err != nil {
			t.Fatalf("espeak-ng: %v: %s (espeak-ng is in the Makefile's APT_PACKAGES)", err, b)
		}
		x, rate, err := readPCM16(path)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(path)
		c := measure(x, rate)
		if d := math.Abs(float64(c.Syllables-tc.sylls)) / float64(tc.sylls); d > 0.15 {
			t.Errorf("%q: got %d syllables, want %d ± 15%%", tc.text[:20], c.Syllables, tc.sylls)
		}
		if c.PitchRange == nil || *c.PitchRange < 1 || *c.PitchRange > 12 {
			t.Errorf("%q: pitch range %v", tc.text[:20], fmtCue(c.PitchRange))
		}
	}
}

// TestDeliverySpans: the rep's monologues of 8 s or more, no others.
func TestDeliverySpans(t *testing.T) {
	r := Result{Monologues: []Monologue{
		{Speaker: Rep, Start: 0, End: Dur(7900 * time.Millisecond)},
		{Speaker: Customer, Start: Dur(8 * time.Second), End: Dur(30 * time.Second)},
		{Speaker: Rep, Start: Dur(30 * time.Second), End: Dur(38 * time.Second)},
		{Speaker: Mixed, Start: Dur(40 * time.Second), End: Dur(60 * time.Second)},
	}}
	got := DeliverySpans(&r, DefaultDeliveryConfig())
	if len(got) != 1 || got[0] != (Span{Start: Dur(30 * time.Second), End: Dur(38 * time.Second)}) {
		t.Errorf("got %+v, want the rep's 30–38 s", got)
	}
}
