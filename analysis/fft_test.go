package analysis

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// TestFFT checks the transform against the plain DFT sum and its inverse
// against the input, at every size the package uses and a few more.
func TestFFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 4, 8, 16, 32, 64, 128, 512, 1024, 2048} {
		f := newFFT(n)
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		y := append([]complex128(nil), x...)
		f.transform(y, false)
		for k := 0; k < n; k++ {
			var want complex128
			for j, v := range x {
				want += v * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k)/float64(n)))
			}
			if d := cmplx.Abs(y[k] - want); d > 1e-9*float64(n) {
				t.Fatalf("n %d bin %d: got %v, want %v", n, k, y[k], want)
			}
		}
		f.transform(y, true)
		for i := range y {
			if d := cmplx.Abs(y[i]/complex(float64(n), 0) - x[i]); d > 1e-12*float64(n) {
				t.Fatalf("n %d: inverse at %d got %v, want %v", n, i, y[i]/complex(float64(n), 0), x[i])
			}
		}
	}
}

// TestFFTHalf checks the transform of a half-zero input against the full
// transform, both halves, at every size (the pruned sizes and the ones
// that fall back).
func TestFFTHalf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048} {
		f := newFFT(n)
		for _, low := range []bool{true, false} {
			x := make([]complex128, n)
			for i := range x {
				if (i < n/2) != low {
					x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
				}
			}
			want := append([]complex128(nil), x...)
			f.transform(want, false)
			got := append([]complex128(nil), x...)
			f.transformHalf(got, low)
			for k := range got {
				if d := cmplx.Abs(got[k] - want[k]); d > 1e-12*float64(n) {
					t.Fatalf("n %d low %v bin %d: got %v, want %v", n, low, k, got[k], want[k])
				}
			}
		}
	}
}

func BenchmarkFFT512(b *testing.B) {
	f := newFFT(512)
	x := make([]complex128, 512)
	for i := range x {
		x[i] = complex(float64(i%7), float64(i%3))
	}
	for b.Loop() {
		f.transform(x, false)
	}
}
