package analysis

import "math"

// RBJ "audio EQ cookbook" biquads for the delivery meter, in the same
// direct form as the analyzer's high-pass (the low-pass is cepstrum.go's).

// newHighPassQ is a 2nd-order high-pass at cut Hz with quality q.
func newHighPassQ(cut, q float64, rate float64) biquad {
	w := 2 * math.Pi * cut / rate
	sn, cs := math.Sincos(w)
	alpha := sn / (2 * q)
	a0 := 1 + alpha
	f := biquad{
		b0: (1 + cs) / 2 / a0,
		b1: -(1 + cs) / a0,
		b2: (1 + cs) / 2 / a0,
		a1: -2 * cs / a0,
		a2: (1 - alpha) / a0,
	}
	f.c1, f.c2 = f.a1*f.a1-f.a2, f.a1*f.a2
	return f
}

// newBandPass returns a 2nd-order band-pass (0 dB at its centre) from lo to
// hi Hz.
func newBandPass(lo, hi float64, rate float64) biquad {
	c := math.Sqrt(lo * hi)
	bw := math.Log2(hi / lo) // octaves
	w := 2 * math.Pi * c / rate
	sn, cs := math.Sincos(w)
	alpha := sn * math.Sinh(math.Ln2/2*bw*w/sn)
	a0 := 1 + alpha
	f := biquad{
		b0: alpha / a0,
		b1: 0,
		b2: -alpha / a0,
		a1: -2 * cs / a0,
		a2: (1 - alpha) / a0,
	}
	f.c1, f.c2 = f.a1*f.a1-f.a2, f.a1*f.a2
	return f
}

// percentile returns the p-th percentile (0..1) of sorted xs by linear
// interpolation; NaN for an empty slice.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	x := p * float64(len(sorted)-1)
	i := int(x)
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := x - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}

// meanSD returns the mean and the (population) standard deviation of xs.
func meanSD(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)))
}

// block filters x in place, as step would sample by sample (the same
// arithmetic, so the same results), with the state in registers.
func (f *biquad) block(x []float64) {
	b0, b1, b2, a1, a2 := f.b0, f.b1, f.b2, f.a1, f.a2
	x1, x2, y1, y2 := f.x1, f.x2, f.y1, f.y2
	for i, v := range x {
		ff := b0*v + b1*x1 + b2*x2 - a2*y2
		y := ff - a1*y1
		x2, x1 = x1, v
		y2, y1 = y1, y
		x[i] = y
	}
	f.x1, f.x2, f.y1, f.y2 = x1, x2, y1, y2
}

// sqDiff returns Σ (a[i] − b[i])², in four running sums (the adds of one
// sum wait on each other; four overlap), the YIN tracker's inner loop.
func sqDiff(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		e0, e1, e2, e3 := a[i]-b[i], a[i+1]-b[i+1], a[i+2]-b[i+2], a[i+3]-b[i+3]
		s0 += e0 * e0
		s1 += e1 * e1
		s2 += e2 * e2
		s3 += e3 * e3
	}
	for ; i < len(a); i++ {
		e := a[i] - b[i]
		s0 += e * e
	}
	return (s0 + s1) + (s2 + s3)
}
