package analysis

import (
	"math"
	"math/bits"
	"sync"
)

// fft is a reusable radix-2 complex transform of one power-of-two size
// (after gonum's dsp/fourier: build once, transform many times, no
// allocation per call). The leak estimator uses it for cross-correlation,
// the canceller for its filters.
//
// The first two stages need no multiplication (twiddles 1 and ∓i) and run
// as their own passes; every later stage reads its twiddles from a table
// of its own, contiguous, so the inner loop strides through memory once.
type fft struct {
	n   int
	fwd []complex128 // stage with half-size h at [h, 2h): exp(-iπj/h)
	inv []complex128 // the same, exp(+iπj/h)
	// swaps: the pairs i < j that the bit-reversal permutation exchanges
	swaps [][2]int32
}

// newFFT returns a transform of size n; n must be a power of two ≥ 2.
// Transforms of one size are shared (their tables are only read): the
// leak estimators of a file's two analyzers, and every canceller, hold one
// set of tables between them, not one each.
func newFFT(n int) *fft {
	if n < 2 || n&(n-1) != 0 {
		panic("analysis: fft size must be a power of two")
	}
	fftCache.Lock()
	defer fftCache.Unlock()
	if f := fftCache.m[n]; f != nil {
		return f
	}
	f := &fft{n: n, fwd: make([]complex128, n), inv: make([]complex128, n), swaps: make([][2]int32, 0, n/2)}
	for h := 1; h < n; h <<= 1 {
		for j := 0; j < h; j++ {
			s, c := math.Sincos(-math.Pi * float64(j) / float64(h))
			f.fwd[h+j] = complex(c, s)
			f.inv[h+j] = complex(c, -s)
		}
	}
	shift := 64 - bits.Len(uint(n-1))
	for i := 0; i < n; i++ {
		if j := int(bits.Reverse64(uint64(i)) >> shift); i < j {
			f.swaps = append(f.swaps, [2]int32{int32(i), int32(j)})
		}
	}
	if fftCache.m == nil {
		fftCache.m = make(map[int]*fft)
	}
	fftCache.m[n] = f
	return f
}

// fftCache holds the transforms made so far, by size.
var fftCache struct {
	sync.Mutex
	m map[int]*fft
}

// transform replaces x (length n) by its discrete Fourier transform, or by
// n times its inverse when inverse is set.
//
// Two radix-2 stages run per pass over the data (each group of four
// points goes through both stages in registers): the arithmetic is that
// of one stage at a time, operation for operation, at half the loads and
// stores.
func (f *fft) transform(x []complex128, inverse bool) {
	n := f.n
	x = x[:n]
	for _, s := range f.swaps {
		x[s[0]], x[s[1]] = x[s[1]], x[s[0]]
	}
	if n == 2 {
		a, b := x[0], x[1]
		x[0], x[1] = a+b, a-b
		return
	}
	// Sizes 2 and 4: the second butterfly's twiddle is -i (forward) or +i.
	for i := 0; i+3 < n; i += 4 {
		q := x[i : i+4 : i+4]
		a0, a1 := q[0]+q[1], q[0]-q[1]
		b0, b1 := q[2]+q[3], q[2]-q[3]
		var t complex128
		if inverse {
			t = complex(-imag(b1), real(b1))
		} else {
			t = complex(imag(b1), -real(b1))
		}
		q[0], q[2] = a0+b0, a0-b0
		q[1], q[3] = a1+t, a1-t
	}
	tab := f.fwd
	if inverse {
		tab = f.inv
	}
	h := 4
	for ; 4*h <= n; h *= 4 {
		// Stages h and 2h together.
		tw := tab[h : 2*h]
		ua := tab[2*h : 3*h]
		ub := tab[3*h : 4*h]
		ua, ub = ua[:len(tw)], ub[:len(tw)]
		for start := 0; start < n; start += 4 * h {
			q0 := x[start : start+h]
			q1 := x[start+h : start+2*h]
			q2 := x[start+2*h : start+3*h]
			q3 := x[start+3*h : start+4*h]
			q0, q1, q2, q3 = q0[:len(tw)], q1[:len(tw)], q2[:len(tw)], q3[:len(tw)]
			for j, w := range tw {
				a, b, c, d := q0[j], q1[j], q2[j], q3[j]
				tr, ti := twiddle(w, b)
				a1 := complex(real(a)+tr, imag(a)+ti)
				b1 := complex(real(a)-tr, imag(a)-ti)
				tr, ti = twiddle(w, d)
				c1 := complex(real(c)+tr, imag(c)+ti)
				d1 := complex(real(c)-tr, imag(c)-ti)
				tr, ti = twiddle(ua[j], c1)
				q0[j] = complex(real(a1)+tr, imag(a1)+ti)
				q2[j] = complex(real(a1)-tr, imag(a1)-ti)
				tr, ti = twiddle(ub[j], d1)
				q1[j] = complex(real(b1)+tr, imag(b1)+ti)
				q3[j] = complex(real(b1)-tr, imag(b1)-ti)
			}
		}
	}
	if h < n {
		// The last stage alone.
		tw := tab[h : 2*h]
		lo := x[:h]
		hi := x[h : 2*h]
		lo, hi = lo[:len(tw)], hi[:len(tw)]
		for j, w := range tw {
			tr, ti := twiddle(w, hi[j])
			l := lo[j]
			hi[j] = complex(real(l)-tr, imag(l)-ti)
			lo[j] = complex(real(l)+tr, imag(l)+ti)
		}
	}
}

// twiddle returns w·v written out, real and imaginary part.
func twiddle(w, v complex128) (float64, float64) {
	return real(w)*real(v) - imag(w)*imag(v), real(w)*imag(v) + imag(w)*real(v)
}
