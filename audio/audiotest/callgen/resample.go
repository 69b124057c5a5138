package callgen

import (
	"math"
	"sync"
)

// Resampler parameters: a windowed-sinc low-pass with resamplerZeros zero
// crossings each side of the centre, tabulated at resamplerSteps points
// per input sample and interpolated linearly. That keeps images and
// aliases below about -60 dB, far below anything a speech detector could
// mistake for a voice.
const (
	resamplerZeros = 16
	resamplerSteps = 512
	kaiserBeta     = 7.0
)

var (
	kernelOnce sync.Once
	kernel     []float64 // sinc(x)*window(x) for x = i/resamplerSteps, i = 0..zeros*steps
)

func kernelTable() []float64 {
	kernelOnce.Do(func() {
		n := resamplerZeros*resamplerSteps + 2
		kernel = make([]float64, n)
		i0b := besselI0(kaiserBeta)
		for i := range kernel {
			x := float64(i) / resamplerSteps
			if x > resamplerZeros {
				continue
			}
			r := x / resamplerZeros
			w := besselI0(kaiserBeta*math.Sqrt(1-r*r)) / i0b
			s := 1.0
			if x != 0 {
				s = math.Sin(math.Pi*x) / (math.Pi * x)
			}
			kernel[i] = s * w
		}
	})
	return kernel
}

func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < 1e-12*sum {
			break
		}
	}
	return sum
}

// polyphase is the windowed-sinc kernel with cut-off fc (a fraction of
// the input's Nyquist frequency) tabulated for polyphasePhases fractional
// positions between two input samples, so that interpolating at any
// position costs one short dot product.
type polyphase struct {
	half int       // taps each side of the position
	coef []float32 // polyphasePhases+1 rows of 2*half taps
}

// polyphasePhases: positions are rounded to 1/1024 of a sample, a timing
// error under -60 dB even at the top of the band.
const polyphasePhases = 1024

var polyphaseCache sync.Map // fc → *polyphase

func polyphaseFor(fc float64) *polyphase {
	if v, ok := polyphaseCache.Load(fc); ok {
		return v.(*polyphase)
	}
	k := kernelTable()
	half := int(math.Ceil(resamplerZeros / fc))
	taps := 2 * half
	pp := &polyphase{half: half, coef: make([]float32, (polyphasePhases+1)*taps)}
	for q := 0; q <= polyphasePhases; q++ {
		mu := float64(q) / polyphasePhases
		for t := 0; t < taps; t++ {
			// Tap t weighs input sample j0-half+1+t for the position j0+mu.
			d := math.Abs(mu+float64(half-1-t)) * fc * resamplerSteps
			i := int(d)
			if i >= len(k)-1 {
				continue
			}
			pp.coef[q*taps+t] = float32(fc * (k[i] + (d-float64(i))*(k[i+1]-k[i])))
		}
	}
	v, _ := polyphaseCache.LoadOrStore(fc, pp)
	return v.(*polyphase)
}

// at interpolates x at position p (in samples); outside x is silence.
func (pp *polyphase) at(x []float32, p float64) float32 {
	j0 := int(math.Floor(p))
	q := int(math.Round((p - float64(j0)) * polyphasePhases))
	taps := 2 * pp.half
	c := pp.coef[q*taps : (q+1)*taps]
	lo := j0 - pp.half + 1
	if lo >= 0 && lo+taps <= len(x) {
		w := x[lo : lo+taps]
		var acc float32
		for t, v := range w {
			acc += v * c[t]
		}
		return acc
	}
	var acc float32
	for t := range c {
		if j := lo + t; j >= 0 && j < len(x) {
			acc += x[j] * c[t]
		}
	}
	return acc
}

// Resample converts x from rate from to rate to (Hz) with a band-limited
// (windowed-sinc) interpolator cut off at 0.95 of the lower Nyquist
// frequency. The result has round(len(x)*to/from) samples; sample n of
// the output sits at time n/to, as sample k of the input sits at k/from.
// Resample(x, r, r) returns a copy.
func Resample(x []float32, from, to int) []float32 {
	if from <= 0 || to <= 0 {
		panic("callgen: Resample: rates must be positive")
	}
	n := int(math.Round(float64(len(x)) * float64(to) / float64(from)))
	out := make([]float32, n)
	if from == to {
		copy(out, x)
		return out
	}
	pp := polyphaseFor(0.95 * math.Min(1, float64(to)/float64(from)))
	for i := range out {
		out[i] = pp.at(x, float64(i)*float64(from)/float64(to))
	}
	return out
}

// resampledCache keeps the bank resampled per rate: scenarios reuse the
// same utterances many times.
var resampledCache sync.Map // key cacheKey → []float32

type cacheKey struct {
	id   string
	rate int
}

// samplesAt returns utterance id's samples at rate (shared; do not modify).
func samplesAt(u *Utterance, rate int) []float32 {
	if rate == BankRate {
		return u.Samples
	}
	key := cacheKey{u.ID, rate}
	if v, ok := resampledCache.Load(key); ok {
		return v.([]float32)
	}
	s := Resample(u.Samples, BankRate, rate)
	v, _ := resampledCache.LoadOrStore(key, s)
	return v.([]float32)
}
