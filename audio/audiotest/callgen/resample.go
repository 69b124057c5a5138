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

// Resample converts x from rate from to rate to (Hz) with a band-limited
// (windowed-sinc) interpolator. The result has round(len(x)*to/from)
// samples; sample n of the output sits at time n/to, as sample k of the
// input sits at k/from. Resample(x, r, r) returns a copy.
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
	k := kernelTable()
	// Cut-off at 0.95 of the lower Nyquist frequency, in input samples.
	fc := 0.95 * math.Min(1, float64(to)/float64(from))
	half := float64(resamplerZeros) / fc // kernel half-width in input samples
	step := fc * resamplerSteps          // table steps per input sample
	for i := range out {
		p := float64(i) * float64(from) / float64(to)
		lo := int(math.Ceil(p - half))
		hi := int(math.Floor(p + half))
		if lo < 0 {
			lo = 0
		}
		if hi > len(x)-1 {
			hi = len(x) - 1
		}
		var acc float64
		for j := lo; j <= hi; j++ {
			d := math.Abs(p-float64(j)) * step
			t := int(d)
			if t >= len(k)-1 {
				continue
			}
			f := d - float64(t)
			acc += float64(x[j]) * (k[t] + f*(k[t+1]-k[t]))
		}
		out[i] = float32(acc * fc)
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
