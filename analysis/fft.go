package analysis

import (
	"math"
	"math/bits"
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
	rev []int32      // bit-reversal permutation
}

// newFFT returns a transform of size n; n must be a power of two ≥ 2.
func newFFT(n int) *fft {
	if n < 2 || n&(n-1) != 0 {
		panic("analysis: fft size must be a power of two")
	}
	f := &fft{n: n, fwd: make([]complex128, n), inv: make([]complex128, n), rev: make([]int32, n)}
	for h := 1; h < n; h <<= 1 {
		for j := 0; j < h; j++ {
			s, c := math.Sincos(-math.Pi * float64(j) / float64(h))
			f.fwd[h+j] = complex(c, s)
			f.inv[h+j] = complex(c, -s)
		}
	}
	shift := 64 - bits.Len(uint(n-1))
	for i := range f.rev {
		f.rev[i] = int32(bits.Reverse64(uint64(i)) >> shift)
	}
	return f
}

// transform replaces x (length n) by its discrete Fourier transform, or by
// n times its inverse when inverse is set.
func (f *fft) transform(x []complex128, inverse bool) {
	n := f.n
	x = x[:n]
	for i, r := range f.rev {
		if j := int(r); i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	// Size 2.
	for i := 0; i+1 < n; i += 2 {
		a, b := x[i], x[i+1]
		x[i], x[i+1] = a+b, a-b
	}
	if n == 2 {
		return
	}
	// Size 4: the second butterfly's twiddle is -i (forward) or +i.
	for i := 0; i+3 < n; i += 4 {
		a0, a1, b0, b1 := x[i], x[i+1], x[i+2], x[i+3]
		var t complex128
		if inverse {
			t = complex(-imag(b1), real(b1))
		} else {
			t = complex(imag(b1), -real(b1))
		}
		x[i], x[i+2] = a0+b0, a0-b0
		x[i+1], x[i+3] = a1+t, a1-t
	}
	tab := f.fwd
	if inverse {
		tab = f.inv
	}
	for h := 4; h < n; h <<= 1 {
		tw := tab[h : 2*h]
		for start := 0; start < n; start += 2 * h {
			lo := x[start : start+h]
			hi := x[start+h : start+2*h]
			for j, w := range tw {
				hv := hi[j]
				tr := real(w)*real(hv) - imag(w)*imag(hv)
				ti := real(w)*imag(hv) + imag(w)*real(hv)
				l := lo[j]
				hi[j] = complex(real(l)-tr, imag(l)-ti)
				lo[j] = complex(real(l)+tr, imag(l)+ti)
			}
		}
	}
}
