package analysis

import (
	"fmt"
	"math"
	"time"
)

// The feature frame's shape. They are constants so that a Features value is
// a fixed-size array (no allocation per frame) and so that features stored
// by one version stay comparable with the next.
const (
	// MelBands is the number of log-mel bands between FeatureLowHz and
	// FeatureHighHz.
	MelBands = 24
	// Cepstra is the number of cepstral coefficients kept, c0 … c19
	// (c0 is the band's overall level).
	Cepstra = 20
	// FeatureLowHz and FeatureHighHz bound the band every feature is
	// measured in: the telephone band (ITU-T G.712's 300–3400 Hz), so
	// that a call recorded at 8 kHz and one at 48 kHz give comparable
	// features.
	FeatureLowHz  = 300
	FeatureHighHz = 3400
	// FeatureRate is the rate the extractor works at internally: every
	// input is low-passed and resampled to it.
	FeatureRate = 8000
	// FeatureWindow is the analysis window of one feature frame.
	FeatureWindow = 25 * time.Millisecond
)

// Features is one frame of speech features.
type Features struct {
	// Mel is the energy per mel band, dB re full scale, pre-emphasised
	// (1 − 0.97 z⁻¹: at 1 kHz a sine of mean square P reads about
	// 10·log10(P) − 2.5 in its band), floored at −120.
	Mel [MelBands]float32
	// MFCC is the orthonormal DCT-II of Mel: MFCC[0] is the mean band
	// level times √MelBands; MFCC[1:] the spectral shape (tilt, formants),
	// independent of gain. A fixed channel (microphone, codec) adds a
	// constant to them, which a per-call mean subtraction removes.
	MFCC [Cepstra]float32
	// Level is the energy in the band, dBFS (mean square), floored at −120.
	Level float32
	// Pitch is the fundamental frequency in Hz (80–400) when the frame is
	// voiced (Voicing ≥ 0.5), else 0. Voicing is the normalised
	// autocorrelation at the pitch lag, 0..1.
	Pitch, Voicing float32
}

// Cepstrum extracts Features from a stream of samples at any rate from 8
// to 192 kHz. Samples are pre-decimated by block averages to at most ~48
// kHz (the band they fold from is far above speech), low-passed at the
// band's top (8th-order Butterworth), resampled by linear interpolation to
// FeatureRate; Frame then measures the last
// FeatureWindow: a Hamming window in a 256-point real FFT, the power
// spectrum pooled into MelBands triangular mel bands over 300–3400 Hz,
// pre-emphasised, their log, the DCT, and the pitch from the autocorrelation (the inverse
// transform of the power spectrum).
//
// The contract: Write any number of samples, call Frame whenever a frame
// ends (the caller owns the frame grid; NewFrameCepstrum follows the
// Analyzer's 10 ms grid for a caller that has none); frame k's features
// describe the 25 ms of audio ending at the samples written so far, i.e.
// centred 12.5 ms (plus the resampler's ~0.3 ms) before the last sample.
// Neither Write nor Frame allocates. Input is floats in [−1, 1]; NaN and
// ±Inf read as 0. A Cepstrum is not safe for concurrent use.
type Cepstrum struct {
	rate int
	// Pre-decimation: dec input samples averaged per intermediate sample.
	dec      int
	acc      float64
	nAcc     int
	lp       [4]biquad // anti-alias low-pass at the intermediate rate
	bypassLP bool      // input already at FeatureRate
	// Linear interpolation to FeatureRate: next output position, in units
	// of 1/(FeatureRate·dec) input samples... see push.
	next, here int64
	step       int64      // input rate, the position step per output sample
	unit       int64      // FeatureRate·dec, one intermediate sample
	hist       [4]float64 // the last four intermediate samples, oldest first
	started    bool

	ring []float32 // last ringLen samples at FeatureRate
	w    int       // next write position (mod ringLen)

	win     []float32    // Hamming window, FeatureWindow long
	buf     []complex128 // 128 points: the 256-point real FFT, packed
	spec    []float32    // power spectrum, 129 bins
	tw      []complex128 // exp(-2πik/256), k < 128, for the real-FFT split
	f       *fft
	mel     [MelBands]melBand
	dct     [Cepstra][MelBands]float32
	acWin   []float32 // autocorrelation of the window (folded), for pitch
	norm    float64   // power spectrum to mean square
	pitchLP []float32 // spectral taper for the pitch autocorrelation
	binLo   int       // the band's bins, [binLo, binHi)
	binHi   int
	lagLo   int
	lagHi   int
}

type melBand struct {
	lo int       // first bin
	w  []float32 // weights from bin lo on
}

const (
	cepFFT  = 256
	ringLen = 256 // a power of two ≥ the window
)

// NewCepstrum returns an extractor for audio at rate Hz.
func NewCepstrum(rate int) (*Cepstrum, error) {
	if rate < 8000 || rate > 192000 {
		return nil, fmt.Errorf("sample rate %d Hz is outside 8000–192000 Hz", rate)
	}
	c := &Cepstrum{rate: rate, dec: max(1, rate/48000)}
	inter := float64(rate) / float64(c.dec)
	c.bypassLP = rate == FeatureRate
	if !c.bypassLP {
		// 8th-order Butterworth at the band's top: four biquads with the
		// pole pairs' Qs.
		for i := range c.lp {
			q := 1 / (2 * math.Cos(math.Pi*float64(2*i+1)/16))
			c.lp[i] = newLowPass(FeatureHighHz, inter, q)
		}
	}
	c.step = int64(rate)
	c.unit = int64(FeatureRate) * int64(c.dec)
	c.ring = make([]float32, ringLen)
	n := int(FeatureWindow.Seconds() * FeatureRate)
	c.win = make([]float32, n)
	for i := range c.win {
		c.win[i] = float32(0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(n-1)))
	}
	c.buf = make([]complex128, cepFFT/2)
	c.spec = make([]float32, cepFFT/2+1)
	c.tw = make([]complex128, cepFFT/2)
	for k := range c.tw {
		s, co := math.Sincos(-2 * math.Pi * float64(k) / cepFFT)
		c.tw[k] = complex(co, s)
	}
	c.f = newFFT(cepFFT / 2)
	c.initMel()
	c.pitchLP = make([]float32, cepFFT/2+1)
	for k := range c.pitchLP {
		f := float64(k) * FeatureRate / cepFFT
		switch {
		case f <= 1000:
			c.pitchLP[k] = 1
		case f < 2000:
			c.pitchLP[k] = float32(0.5 + 0.5*math.Cos(math.Pi*(f-1000)/1000))
		}
	}
	binHz := float64(FeatureRate) / cepFFT
	c.binLo, c.binHi = int(math.Ceil(FeatureLowHz/binHz)), int(math.Floor(FeatureHighHz/binHz))+1
	for k := 0; k < Cepstra; k++ {
		s := math.Sqrt(2.0 / MelBands)
		if k == 0 {
			s = math.Sqrt(1.0 / MelBands)
		}
		for j := 0; j < MelBands; j++ {
			c.dct[k][j] = float32(s * math.Cos(math.Pi*float64(k)*(float64(j)+0.5)/MelBands))
		}
	}
	// The autocorrelation of the window itself, to undo its taper (Boersma
	// 1993): r_x(τ)/r_w(τ) is flat for a periodic signal.
	c.lagLo = FeatureRate / 400
	c.lagHi = FeatureRate / 80
	c.acWin = make([]float32, c.lagHi+1)
	lin := func(lag int) float64 {
		var s float64
		for i := lag; i < n; i++ {
			s += float64(c.win[i]) * float64(c.win[i-lag])
		}
		return s
	}
	for lag := range c.acWin {
		c.acWin[lag] = float32(lin(lag))
		if lag > 0 {
			c.acWin[lag] += float32(lin(cepFFT - lag))
		}
	}
	var ww float64
	for _, w := range c.win {
		ww += float64(w) * float64(w)
	}
	c.norm = 2 / (ww * cepFFT)
	return c, nil
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// initMel lays MelBands triangles (peak 1), equally spaced in mel, over
// the band; at 8 kHz and 256 points the narrowest spans four bins.
func (c *Cepstrum) initMel() {
	lo, hi := hzToMel(FeatureLowHz), hzToMel(FeatureHighHz)
	binHz := float64(FeatureRate) / cepFFT
	edge := func(i int) float64 { return melToHz(lo+(hi-lo)*float64(i)/(MelBands+1)) / binHz }
	for b := range c.mel {
		l, m, h := edge(b), edge(b+1), edge(b+2)
		first := int(math.Ceil(l))
		last := int(math.Floor(h))
		w := make([]float32, 0, last-first+1)
		for k := first; k <= last; k++ {
			f := float64(k)
			v := 0.0
			if f <= m {
				v = (f - l) / (m - l)
			} else {
				v = (h - f) / (h - m)
			}
			// Pre-emphasis (1 − 0.97 z⁻¹, as in most MFCC front ends)
			// folded into the weights: Level stays the plain level.
			e := 1 + 0.97*0.97 - 2*0.97*math.Cos(2*math.Pi*f/cepFFT)
			w = append(w, float32(max(v, 0)*e))
		}
		c.mel[b] = melBand{lo: first, w: w}
	}
}

// newLowPass returns a 2nd-order low-pass at cut Hz with quality q.
func newLowPass(cut, rate, q float64) biquad {
	w := 2 * math.Pi * cut / rate
	sn, cs := math.Sincos(w)
	alpha := sn / (2 * q)
	a0 := 1 + alpha
	f := biquad{
		b0: (1 - cs) / 2 / a0,
		b1: (1 - cs) / a0,
		b2: (1 - cs) / 2 / a0,
		a1: -2 * cs / a0,
		a2: (1 - alpha) / a0,
	}
	f.c1, f.c2 = f.a1*f.a1-f.a2, f.a1*f.a2
	return f
}

// Write feeds samples.
func (c *Cepstrum) Write(x []float32) {
	for _, v := range x {
		if !(v >= -1e30 && v <= 1e30) { // NaN, ±Inf
			v = 0
		}
		if c.dec > 1 {
			c.acc += float64(v)
			c.nAcc++
			if c.nAcc < c.dec {
				continue
			}
			c.push(c.acc / float64(c.dec))
			c.acc, c.nAcc = 0, 0
			continue
		}
		c.push(float64(v))
	}
}

// push takes one intermediate sample: low-pass, then interpolate the
// FeatureRate samples that fall between the previous one and it.
func (c *Cepstrum) push(y float64) {
	if c.bypassLP {
		c.emit(y)
		return
	}
	for i := range c.lp {
		y = c.lp[i].step(y)
	}
	if !c.started {
		c.started = true
		c.hist = [4]float64{y, y, y, y}
	}
	c.hist = [4]float64{c.hist[1], c.hist[2], c.hist[3], y}
	// Output j sits at intermediate position j·rate/(FeatureRate·dec);
	// positions are kept in units of 1/(FeatureRate·dec) intermediate
	// samples. Outputs between hist[1] and hist[2] are interpolated now
	// (Catmull-Rom, flatter in the pass band than a straight line: the
	// band's top is a third of an 11 kHz input's rate), one sample late.
	c.here += c.unit
	p0, p1, p2, p3 := c.hist[0], c.hist[1], c.hist[2], c.hist[3]
	for c.next < c.here {
		t := float64(c.next-(c.here-c.unit)) / float64(c.unit)
		c.emit(p1 + 0.5*t*(p2-p0+t*(2*p0-5*p1+4*p2-p3+t*(3*(p1-p2)+p3-p0))))
		c.next += c.step
	}
}

// emit stores one FeatureRate sample.
func (c *Cepstrum) emit(y float64) {
	c.ring[c.w] = float32(y)
	c.w = (c.w + 1) & (ringLen - 1)
}

// Frame measures the last FeatureWindow written into dst.
func (c *Cepstrum) Frame(dst *Features) {
	n := len(c.win)
	// Real FFT of 256 points as a complex FFT of 128: even samples real,
	// odd imaginary.
	var z [cepFFT]float32
	start := (c.w - n) & (ringLen - 1)
	for i := 0; i < n; i++ {
		z[i] = c.ring[(start+i)&(ringLen-1)] * c.win[i]
	}
	for i := range c.buf {
		c.buf[i] = complex(float64(z[2*i]), float64(z[2*i+1]))
	}
	c.f.transform(c.buf, false)
	const h = cepFFT / 2
	for k := 0; k <= h; k++ {
		a := c.buf[k%h]
		b := c.buf[(h-k)%h]
		b = complex(real(b), -imag(b))
		even := (a + b) * 0.5
		odd := (a - b) * 0.5
		odd = complex(imag(odd), -real(odd)) // divide by i
		var x complex128
		if k < h {
			x = even + c.tw[k]*odd
		} else {
			x = even - odd
		}
		c.spec[k] = float32(real(x)*real(x) + imag(x)*imag(x))
	}
	// norm scales a band's pooled power so that mean square reads in
	// dBFS (Parseval: Σ_k |X_k|² = N·Σ x²w² over the whole spectrum).
	norm := c.norm
	for b := range c.mel {
		mb := &c.mel[b]
		var s float32
		for i, w := range mb.w {
			s += w * c.spec[mb.lo+i]
		}
		dst.Mel[b] = float32(max(-120, 10*math.Log10(float64(s)*norm+1e-12)))
	}
	var band float32
	for _, p := range c.spec[c.binLo:c.binHi] {
		band += p
	}
	dst.Level = float32(max(-120, 10*math.Log10(float64(band)*norm+1e-12)))
	for k := range dst.MFCC {
		var s float32
		for j, m := range dst.Mel {
			s += c.dct[k][j] * m
		}
		dst.MFCC[k] = s
	}
	c.pitch(dst)
}

// pitch estimates F0 from the autocorrelation of the windowed frame, the
// inverse transform of its power spectrum (reusing buf).
func (c *Cepstrum) pitch(dst *Features) {
	dst.Pitch, dst.Voicing = 0, 0
	// The autocorrelation r is the inverse transform of the power
	// spectrum P (real, even, 256 points), done in 128 points: with j <
	// 128, r[2m] = IDFT₁₂₈(P[j] + P[j+128]) and r[2m+1] = IDFT₁₂₈((P[j] −
	// P[j+128])·e^{2πij/256}), both real, so one transform of the first
	// plus i times the second gives even lags in its real part and odd
	// lags in its imaginary part. The spectrum is first tapered to 0
	// between 1 and 2 kHz (pitchLP): the harmonics that decide F0 sit low,
	// and a broadband pulse train's peaks would be narrower than a lag.
	// P[j+128] = P[128−j] by symmetry. The
	// transform is circular (r[n] + r[256−n]): acWin is folded the same
	// way, so a periodic signal still reads about 1.
	const h = cepFFT / 2
	for j := 0; j < h; j++ {
		p, q := float64(c.spec[j]*c.pitchLP[j]), float64(c.spec[h-j]*c.pitchLP[h-j])
		d := complex(p-q, 0) * complex(real(c.tw[j]), -imag(c.tw[j]))
		c.buf[j] = complex(p+q, 0) + complex(-imag(d), real(d))
	}
	c.f.transform(c.buf, true)
	r0 := real(c.buf[0])
	if r0 <= 0 {
		return
	}
	lagVal := func(lag int) float64 {
		v := c.buf[lag/2]
		if lag%2 == 1 {
			return imag(v)
		}
		return real(v)
	}
	norm := func(lag int) float64 { return lagVal(lag) / r0 * float64(c.acWin[0]) / float64(c.acWin[lag]) }
	// The best peak, then the shortest lag whose local peak comes within
	// 10% of it (a period's multiples peak nearly as high: octave errors).
	best := 0.0
	for lag := c.lagLo; lag <= c.lagHi; lag++ {
		best = max(best, norm(lag))
	}
	if best <= 0 {
		return
	}
	pick := 0
	for lag := c.lagLo; lag <= c.lagHi; lag++ {
		v := norm(lag)
		if v >= 0.9*best && (lag == c.lagLo || v >= norm(lag-1)) && (lag == c.lagHi || v >= norm(lag+1)) {
			pick = lag
			break
		}
	}
	if pick == 0 {
		return
	}
	dst.Voicing = float32(min(norm(pick), 1))
	if dst.Voicing < 0.5 {
		return
	}
	lag := float64(pick)
	if pick > c.lagLo && pick < c.lagHi {
		a, b, cc := lagVal(pick-1), lagVal(pick), lagVal(pick+1)
		if d := a - 2*b + cc; d < 0 {
			lag += 0.5 * (a - cc) / d
		}
	}
	dst.Pitch = float32(FeatureRate / lag)
}

// FrameCepstrum cuts a stream into the Analyzer's frames (frame k ends at
// sample ⌊(k+1)·rate·frame/1 s⌋) and extracts the features of each.
type FrameCepstrum struct {
	c       *Cepstrum
	fp, fq  int64
	pos     int64
	k       int64
	nextEnd int64
	f       Features
}

// NewFrameCepstrum returns an extractor on frames of the given length.
func NewFrameCepstrum(rate int, frame time.Duration) (*FrameCepstrum, error) {
	c, err := NewCepstrum(rate)
	if err != nil {
		return nil, err
	}
	if frame <= 0 {
		frame = 10 * time.Millisecond
	}
	num, den := int64(rate)*int64(frame), int64(time.Second)
	g := gcd(num, den)
	fc := &FrameCepstrum{c: c, fp: num / g, fq: den / g}
	if fc.fp < fc.fq {
		return nil, fmt.Errorf("frame %v is shorter than one sample at %d Hz", frame, rate)
	}
	fc.nextEnd = fc.fp / fc.fq
	return fc, nil
}

// Write feeds samples and calls fn with each frame that ends in them (its
// index and its features; f is reused, copy it to keep it).
func (fc *FrameCepstrum) Write(x []float32, fn func(k int64, f *Features)) {
	for len(x) > 0 {
		n := int(min(int64(len(x)), fc.nextEnd-fc.pos))
		fc.c.Write(x[:n])
		x = x[n:]
		fc.pos += int64(n)
		if fc.pos == fc.nextEnd {
			fc.c.Frame(&fc.f)
			fn(fc.k, &fc.f)
			fc.k++
			fc.nextEnd = (fc.k + 1) * fc.fp / fc.fq
		}
	}
}
