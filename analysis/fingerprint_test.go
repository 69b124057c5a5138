package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// vowelish is a crude voiced sound: a pulse train at f0 through two
// formant resonances that glide, so that its spectrum moves like speech.
func vowelish(rate int, d time.Duration, f0 float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	n := int(d.Seconds() * float64(rate))
	x := make([]float32, n)
	var y1, y2, z1, z2 float64
	f1, f2 := 500+400*r.Float64(), 1200+1200*r.Float64()
	phase := 0.0
	for i := range x {
		t := float64(i) / float64(rate)
		a1, a2 := f1*(1+0.3*math.Sin(2*math.Pi*3*t)), f2*(1+0.2*math.Cos(2*math.Pi*2*t))
		phase += f0 / float64(rate)
		e := 0.0
		if phase >= 1 {
			phase--
			e = 1
		}
		e += 0.02 * r.NormFloat64()
		// Two resonators in series.
		rr := math.Exp(-math.Pi * 100 / float64(rate))
		c1 := 2 * rr * math.Cos(2*math.Pi*a1/float64(rate))
		c2 := 2 * rr * math.Cos(2*math.Pi*a2/float64(rate))
		y := e + c1*y1 - rr*rr*y2
		y2, y1 = y1, y
		z := y + c2*z1 - rr*rr*z2
		z2, z1 = z1, z
		x[i] = float32(0.01 * z)
	}
	return x
}

// TestFingerprintMeasuresOnlySpeech: frames exist exactly for the speech
// given (by their centres), none for the rest, and they are unit vectors.
func TestFingerprintMeasuresOnlySpeech(t *testing.T) {
	const rate = 16000
	x := vowelish(rate, 10*time.Second, 120, 1)
	speech := []Segment{
		{Speaker: Rep, Start: Dur(time.Second), End: Dur(3 * time.Second)},
		{Speaker: Rep, Start: Dur(6500 * time.Millisecond), End: Dur(7 * time.Second)},
	}
	f, err := NewFingerprinter(rate, speech)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(x); i += 333 { // odd block size
		f.Write(x[i:min(i+333, len(x))])
	}
	fp := f.Finish()
	if got, want := fp.Speech(), 2500*time.Millisecond; got < want-2*FPHop || got > want+2*FPHop {
		t.Errorf("speech fingerprinted: got %v, want %v", got, want)
	}
	for i := range fp.At {
		c := time.Duration(fp.At[i]+1)*FPHop - FeatureWindow/2
		in := false
		for _, s := range speech {
			in = in || (c >= s.Start.D() && c < s.End.D())
		}
		if !in {
			t.Fatalf("frame %d (at %v) lies outside the speech", i, fp.Time(i))
		}
		if n := fpDot(&fp.Vec[i], &fp.Vec[i]); math.Abs(float64(n)/(fpScale*fpScale)-1) > 0.03 {
			t.Fatalf("frame %d: squared length %.3f, want 1", i, float64(n)/(fpScale*fpScale))
		}
	}
	if _, err := NewFingerprinter(4000, speech); err == nil {
		t.Error("a 4 kHz channel: got no error")
	}
}

// TestFingerprintIgnoresGain: the same speech 26 dB quieter gives the same
// frames (gain lives in c0, which the fingerprint leaves out, and the
// noise floor follows the speech's own level).
func TestFingerprintIgnoresGain(t *testing.T) {
	const rate = 16000
	x := vowelish(rate, 4*time.Second, 140, 2)
	quiet := make([]float32, len(x))
	for i, v := range x {
		quiet[i] = v / 20
	}
	speech := []Segment{{Speaker: Rep, Start: Dur(200 * time.Millisecond), End: Dur(3800 * time.Millisecond)}}
	fa, fb := fingerprintOf(t, x, rate, speech), fingerprintOf(t, quiet, rate, speech)
	if fa.Len() != fb.Len() {
		t.Fatalf("frames: %d and %d", fa.Len(), fb.Len())
	}
	var s float64
	for i := range fa.Vec {
		s += float64(fpDot(&fa.Vec[i], &fb.Vec[i])) / (fpScale * fpScale)
	}
	if m := s / float64(fa.Len()); m < 0.98 {
		t.Errorf("mean similarity at -26 dB: got %.3f, want ≥ 0.98", m)
	}
}

func fingerprintOf(tb testing.TB, x []float32, rate int, speech []Segment) *Fingerprint {
	tb.Helper()
	f, err := NewFingerprinter(rate, speech)
	if err != nil {
		tb.Fatal(err)
	}
	f.Write(x)
	return f.Finish()
}

// TestFingerprintBinary: frames written in chunks read back equal;
// damaged data is refused with ErrFingerprint and leaves the fingerprint
// as it was.
func TestFingerprintBinary(t *testing.T) {
	const rate = 16000
	x := vowelish(rate, 5*time.Second, 110, 3)
	fp := fingerprintOf(t, x, rate, []Segment{
		{Start: Dur(300 * time.Millisecond), End: Dur(2 * time.Second)},
		{Start: Dur(2500 * time.Millisecond), End: Dur(4500 * time.Millisecond)},
	})
	half := fp.Len() / 2
	a := fp.AppendFrames(nil, 0, half)
	b := fp.AppendFrames(nil, half, fp.Len())
	var back Fingerprint
	if err := back.DecodeFrames(a); err != nil {
		t.Fatal(err)
	}
	if err := back.DecodeFrames(b); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.At, fp.At) || !slices.Equal(back.Vec, fp.Vec) {
		t.Fatal("frames changed in a round trip")
	}
	if got, want := len(a)+len(b), fp.Len()*(fpDim+1)+8; got > want {
		t.Errorf("%d frames took %d bytes, want at most %d", fp.Len(), got, want)
	}
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{9}, a[1:]...),
		"truncated": a[:len(a)-5],
		"long":      append(slices.Clone(a), 0),
	} {
		g := Fingerprint{At: slices.Clone(back.At[:3]), Vec: slices.Clone(back.Vec[:3])}
		if err := g.DecodeFrames(bad); !errors.Is(err, ErrFingerprint) {
			t.Errorf("%s: got %v, want ErrFingerprint", name, err)
		}
		if g.Len() != 3 || len(g.Vec) != 3 {
			t.Errorf("%s: a failed decode changed the fingerprint (%d frames)", name, g.Len())
		}
	}
	// Frames must follow the ones already there.
	if err := back.DecodeFrames(a); !errors.Is(err, ErrFingerprint) {
		t.Errorf("frames out of order: got %v, want ErrFingerprint", err)
	}

	toks := fp.Tokens()
	if len(toks) == 0 {
		t.Fatal("no tokens")
	}
	tb := AppendTokens(nil, toks)
	got, err := DecodeTokens(tb)
	if err != nil || !slices.Equal(got, toks) {
		t.Fatalf("tokens round trip: %v", err)
	}
	for name, bad := range map[string][]byte{"empty": nil, "truncated": tb[:len(tb)-1], "long": append(slices.Clone(tb), 1)} {
		if _, err := DecodeTokens(bad); !errors.Is(err, ErrFingerprint) {
			t.Errorf("tokens %s: got %v, want ErrFingerprint", name, err)
		}
	}
}
