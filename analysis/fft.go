package analysis

import (
	"math"
	"math/bits"
)

// fft is a reusable radix-2 complex transform of one power-of-two size
// (after gonum's dsp/fourier: build once, transform many times, no
// allocation per call). The leak estimator uses it for cross-correlation.
type fft struct {
	n       int
	twiddle []complex128 // exp(-2πik/n), k < n/2
	inverse []complex128 // exp(+2πik/n), k < n/2
	rev     []int32      // bit-reversal permutation
}

// newFFT returns a transform of size n; n must be a power of two ≥ 2.
func newFFT(n int) *fft {
	if n < 2 || n&(n-1) != 0 {
		panic("analysis: fft size must be a power of two")
	}
	f := &fft{n: n, twiddle: make([]complex128, n/2), inverse: make([]complex128, n/2), rev: make([]int32, n)}
	for k := range f.twiddle {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.twiddle[k] = complex(c, s)
		f.inverse[k] = complex(c, -s)
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
	tw := f.twiddle
	if inverse {
		tw = f.inverse
	}
	for size := 2; size <= n; size <<= 1 {
		half := size >> 1
		step := n / size
		for start := 0; start < n; start += size {
			lo := x[start : start+half]
			hi := x[start+half : start+size]
			for j := range lo {
				w := tw[j*step]
				h := hi[j]
				tr := real(w)*real(h) - imag(w)*imag(h)
				ti := real(w)*imag(h) + imag(w)*real(h)
				l := lo[j]
				hi[j] = complex(real(l)-tr, imag(l)-ti)
				lo[j] = complex(real(l)+tr, imag(l)+ti)
			}
		}
	}
}
