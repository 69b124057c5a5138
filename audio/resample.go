package audio

import (
	"fmt"
	"math"
)

// Resampler settings. The kernel is a Kaiser-windowed sinc with
// resampleZeros zero crossings each side, cut off at resampleCutoff of the
// lower rate's Nyquist frequency. Between rates whose ratio reduces to a
// denominator of at most resampleMaxExact (44,100 to 16,000 is 441/160),
// output positions fall on that many fractions of an input sample, and a
// kernel is tabulated for each: one dot product per output, no error in
// position. Otherwise, and once SetRatio has been called, a table of
// resamplePhases kernels interpolated linearly serves any position.
// Measured (see TestResamplerAliasing): a tone above the new Nyquist
// frequency comes out more than 60 dB down; 0.1 dB passband ripple up to
// 0.8 of it.
const (
	resampleZeros    = 16
	resampleCutoff   = 0.9
	resampleBeta     = 7.0
	resamplePhases   = 256
	resampleMaxExact = 1024
)

// Resampler converts one channel of audio from one rate to another as it
// streams, keeping time: output sample n is the input signal at time
// n/to seconds, however the input is cut into calls. For the slow drift
// between two sound cards' clocks, SetRatio adjusts the conversion ratio as
// it runs. A Resampler is for one channel and one goroutine; it allocates
// only while its buffers grow to the largest input handed to it.
type Resampler struct {
	from, to int
	fc       float64   // cutoff, cycles per input sample
	step     float64   // input samples per output sample
	half     int       // kernel taps each side of the position
	taps     int       // 2*half
	table    []float32 // interpolated mode: resamplePhases+1 kernels

	// Exact mode (when exact): positions are ip + num/den input samples,
	// each output moves num on by stepNum, and exactTable holds den kernels.
	exact      bool
	den        int64
	stepNum    int64
	num        int64
	exactTable []float32

	hist  []float32 // input samples from index base on
	base  int64
	ip    int64   // integer part of the next output's input position
	frac  float64 // fractional part, in [0, 1)
	total int64   // input samples received, flush padding excluded
	done  bool
}

// NewResampler returns a Resampler from from Hz to to Hz.
func NewResampler(from, to int) (*Resampler, error) {
	if from <= 0 || to <= 0 || from > 10*MaxRate || to > 10*MaxRate {
		return nil, fmt.Errorf("cannot resample from %d Hz to %d Hz", from, to)
	}
	// Cutoff in cycles per input sample, below both Nyquist frequencies.
	fc := 0.5 * resampleCutoff * math.Min(1, float64(to)/float64(from))
	half := int(math.Ceil(resampleZeros / (2 * fc)))
	r := &Resampler{from: from, to: to, fc: fc, step: float64(from) / float64(to), half: half, taps: 2 * half}
	g := gcd(from, to)
	if den := to / g; den <= resampleMaxExact && den*r.taps <= 1<<20 {
		r.exact, r.den, r.stepNum = true, int64(den), int64(from/g)
		r.exactTable = kernelTable(fc, half, den, false)
	} else {
		r.table = kernelTable(fc, half, resamplePhases, true)
	}
	r.Reset()
	return r, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// kernelTable tabulates the windowed sinc for positions p/phases, p = 0 to
// phases-1 (to phases with last): row p holds the weights of input samples
// at offsets -half+1..half from the integer position, each row summing to 1.
func kernelTable(fc float64, half, phases int, last bool) []float32 {
	taps := 2 * half
	rows := phases
	if last {
		rows++
	}
	t := make([]float32, rows*taps)
	i0b := besselI0(resampleBeta)
	w := make([]float64, taps)
	for p := range rows {
		frac := float64(p) / float64(phases)
		sum := 0.0
		for j := range taps {
			x := float64(j-half+1) - frac // distance from the output position
			v := 2 * fc * sinc(2*fc*x)
			if u := x / float64(half); u > -1 && u < 1 {
				v *= besselI0(resampleBeta*math.Sqrt(1-u*u)) / i0b
			} else {
				v = 0
			}
			w[j] = v
			sum += v
		}
		for j := range taps {
			t[p*taps+j] = float32(w[j] / sum)
		}
	}
	return t
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the modified Bessel function of the first kind, order 0.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 100; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

// Reset forgets all input, as if just made (the ratio is kept).
func (r *Resampler) Reset() {
	// half zeros before the first sample: the kernel reaches back that far.
	r.hist = append(r.hist[:0], make([]float32, r.half)...)
	r.base = -int64(r.half)
	r.ip, r.frac, r.num, r.total, r.done = 0, 0, 0, 0, false
}

// Ratio returns output samples per input sample.
func (r *Resampler) Ratio() float64 { return 1 / r.step }

// SetRatio sets output samples per input sample from the next output on.
// NewResampler starts at to/from; a recorder whose device really runs at
// 44,089 Hz instead of 44,100 sets to/44089. The anti-alias filter stays
// where NewResampler put it, so keep to corrections of a few percent.
// It panics if ratio is not a positive finite number.
func (r *Resampler) SetRatio(ratio float64) {
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		panic(fmt.Sprintf("audio: resampler ratio %v", ratio))
	}
	r.step = 1 / ratio
	if r.exact { // continue from the same position in interpolated mode
		r.exact = false
		r.frac = float64(r.num) / float64(r.den)
		r.exactTable = nil
		r.table = kernelTable(r.fc, r.half, resamplePhases, true)
	}
}

// Append resamples src (the next input samples), appends the output
// samples now complete to dst and returns it. An output sample needs input
// up to about half a kernel past its position, so output trails input by
// that many samples (Flush releases them).
func (r *Resampler) Append(dst, src []float32) []float32 {
	if r.done {
		panic("audio: Resampler.Append after Flush without Reset")
	}
	r.total += int64(len(src))
	r.compact()
	r.hist = append(r.hist, src...)
	return r.run(dst, math.MaxInt64)
}

// Flush ends the input: it appends the outputs still pending, those whose
// positions fall before the end of the input, and returns dst. With a fixed
// ratio the whole stream gives ceil(inputs*to/from) outputs. Reset makes
// the Resampler usable again.
func (r *Resampler) Flush(dst []float32) []float32 {
	if r.done {
		return dst
	}
	r.done = true
	r.compact()
	r.hist = append(r.hist, make([]float32, r.half+1)...)
	return r.run(dst, r.total)
}

// run appends the outputs whose kernel is covered by the history and whose
// position is before limit.
func (r *Resampler) run(dst []float32, limit int64) []float32 {
	taps, half := r.taps, r.half
	last := r.base + int64(len(r.hist)) - 1 // last input index held
	if r.exact {
		for r.ip+int64(half) <= last && r.ip < limit {
			start := int(r.ip - int64(half) + 1 - r.base)
			p := int(r.num) * taps
			dst = append(dst, dot(r.hist[start:start+taps], r.exactTable[p:p+taps]))
			r.num += r.stepNum
			r.ip += r.num / r.den
			r.num %= r.den
		}
		return dst
	}
	for r.ip+int64(half) <= last && r.ip < limit {
		ph := r.frac * resamplePhases
		p := int(ph)
		a := float32(ph - float64(p))
		start := int(r.ip - int64(half) + 1 - r.base)
		x := r.hist[start : start+taps]
		k0 := r.table[p*taps : p*taps+taps]
		k1 := r.table[(p+1)*taps : (p+1)*taps+taps]
		if a == 0 { // on a tabulated phase
			dst = append(dst, dot(x, k0))
		} else {
			s0, s1 := dot(x, k0), dot(x, k1)
			dst = append(dst, s0+a*(s1-s0))
		}
		r.frac += r.step
		if r.frac >= 1 {
			n := math.Floor(r.frac)
			r.ip += int64(n)
			r.frac -= n
		}
	}
	return dst
}

// dot returns the dot product of x and k (len(k) >= len(x), len(x) even).
func dot(x, k []float32) float32 {
	k = k[:len(x)]
	// Four independent sums keep the FPU busy.
	var s0, s1, s2, s3 float32
	for j := 0; j+3 < len(x); j += 4 {
		s0 += x[j] * k[j]
		s1 += x[j+1] * k[j+1]
		s2 += x[j+2] * k[j+2]
		s3 += x[j+3] * k[j+3]
	}
	if len(x)%4 != 0 {
		j := len(x) - 2
		s0 += x[j] * k[j]
		s1 += x[j+1] * k[j+1]
	}
	return (s0 + s1) + (s2 + s3)
}

// compact drops history the next output no longer needs.
func (r *Resampler) compact() {
	drop := int(r.ip - int64(r.half) + 1 - r.base)
	if drop <= 0 {
		return
	}
	drop = min(drop, len(r.hist))
	n := copy(r.hist, r.hist[drop:])
	r.hist = r.hist[:n]
	r.base += int64(drop)
}
