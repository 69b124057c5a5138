package analysis

import (
	"math"
	"math/bits"
	"sync"
)

// fft is a reusable complex transform of one power-of-two size (after
// gonum's dsp/fourier: build once, transform many times, no allocation per
// call). The leak estimator uses it for cross-correlation, the canceller
// for its filters.
//
// Decimation in time, radix 4: after the bit-reversal permutation a first
// pass runs the stages of sizes 2 and 4 (or 2, 4 and 8 when log₂ n is odd)
// with no general multiplication (twiddles 1, ∓i and (±1∓i)/√2), then
// every pass takes two radix-2 stages at once as one radix-4 butterfly:
// three complex multiplications per four points, not four, none at the
// first point of a group. Each pass reads its twiddles from tables of its
// own, contiguous, so the inner loop strides through memory once.
type fft struct {
	n   int
	odd bool // log₂ n is odd: the first pass is radix 8
	// tw[0] forward, tw[1] inverse; the pass with quarter-size h reads
	// w¹, w², w³ at [h, 2h) of t1, t2, t3, w = exp(∓iπj/2h).
	tw [2]struct{ t1, t2, t3 []complex128 }
	// Up to gatherMax points the first pass reads its groups of r = 4 or
	// 8 points in bit-reversed order from a copy of the input, so the
	// permutation costs no pass of its own: the k-th of the r strided
	// quarters (eighths) of the input at b goes to group grp[b]. Above,
	// the input is permuted in place first (swaps: the pairs i < j the
	// permutation exchanges) and a group's points are contiguous.
	grp   []int32
	swaps [][2]int32
}

// gatherMax is the largest size whose first pass gathers from a copy on
// the stack.
const gatherMax = 512

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
	f := &fft{n: n, odd: bits.Len(uint(n-1))%2 == 1, swaps: make([][2]int32, 0, n/2)}
	for dir, sign := range [2]float64{-1, 1} {
		t := &f.tw[dir]
		t.t1, t.t2, t.t3 = make([]complex128, n), make([]complex128, n), make([]complex128, n)
		for h := 1; h < n; h <<= 1 {
			for j := 0; j < h; j++ {
				for m, tab := range [3][]complex128{t.t1, t.t2, t.t3} {
					s, c := math.Sincos(sign * math.Pi * float64((m+1)*j) / float64(2*h))
					tab[h+j] = complex(c, s)
				}
			}
		}
	}
	shift := 64 - bits.Len(uint(n-1))
	rev := func(i int) int { return int(bits.Reverse64(uint64(i)) >> shift) }
	r := 4
	if f.odd {
		r = 8
	}
	if n >= r && n <= gatherMax {
		f.grp = make([]int32, n/r)
		for b := range f.grp {
			f.grp[b] = int32(rev(b) / r)
		}
	}
	if n > gatherMax {
		for i := 0; i < n; i++ {
			if j := rev(i); i < j {
				f.swaps = append(f.swaps, [2]int32{int32(i), int32(j)})
			}
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
func (f *fft) transform(x []complex128, inverse bool) {
	n := f.n
	x = x[:n]
	if n == 2 {
		a, b := x[0], x[1]
		x[0], x[1] = a+b, a-b
		return
	}
	h := 4
	if f.odd {
		h = 8
	}
	if n <= gatherMax {
		var tmp [gatherMax]complex128
		src := tmp[:n]
		copy(src, x)
		if f.odd {
			gather8(x, src, f.grp, inverse)
		} else {
			gather4(x, src, f.grp, inverse)
		}
	} else {
		for _, s := range f.swaps {
			x[s[0]], x[s[1]] = x[s[1]], x[s[0]]
		}
		r := h
		for i := 0; i+r <= n; i += r {
			q := x[i : i+r : i+r]
			if f.odd {
				q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7] = radix8(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], inverse)
			} else {
				q[0], q[1], q[2], q[3] = radix4(q[0], q[1], q[2], q[3], inverse)
			}
		}
	}
	f.passes(x, h, inverse)
}

// passes runs the radix-4 passes from quarter-size h on.
func (f *fft) passes(x []complex128, h int, inverse bool) {
	n := f.n
	dir := 0
	if inverse {
		dir = 1
	}
	tab := &f.tw[dir]
	for ; 4*h <= n; h *= 4 {
		// Inputs a, b, c, d at j of the four quarters of a group of 4h;
		// with B = w²·b, C = w·c, D = w³·d:
		//   q0 = a+B + (C+D)   q2 = a+B − (C+D)
		//   q1 = a−B ∓ i(C−D)  q3 = a−B ± i(C−D)
		// (upper signs forward). The inverse's q1 and q3 are the
		// forward's q3 and q1, so it writes them the other way round.
		w1 := tab.t1[h : 2*h]
		w2 := tab.t2[h : 2*h]
		w3 := tab.t3[h : 2*h]
		w2, w3 = w2[:len(w1)], w3[:len(w1)]
		for start := 0; start < n; start += 4 * h {
			q0 := x[start : start+h]
			q1 := x[start+h : start+2*h]
			q2 := x[start+2*h : start+3*h]
			q3 := x[start+3*h : start+4*h]
			q0, q1, q2, q3 = q0[:len(w1)], q1[:len(w1)], q2[:len(w1)], q3[:len(w1)]
			o1, o3 := q1, q3 // where the outputs at 1 and 3 go
			if inverse {
				o1, o3 = q3, q1
			}
			o1, o3 = o1[:len(w1)], o3[:len(w1)]
			{
				// j = 0: every twiddle is 1.
				a, b, c, d := q0[0], q1[0], q2[0], q3[0]
				s, t := a+b, a-b
				u, v := c+d, c-d
				q0[0] = s + u
				o1[0] = complex(real(t)+imag(v), imag(t)-real(v))
				q2[0] = s - u
				o3[0] = complex(real(t)-imag(v), imag(t)+real(v))
			}
			for j := 1; j < len(w1); j++ {
				a, b, c, d := q0[j], q1[j], q2[j], q3[j]
				br, bi := twiddle(w2[j], b)
				cr, ci := twiddle(w1[j], c)
				dr, di := twiddle(w3[j], d)
				ar, ai := real(a), imag(a)
				sr, si := ar+br, ai+bi
				tr, ti := ar-br, ai-bi
				ur, ui := cr+dr, ci+di
				vr, vi := cr-dr, ci-di
				q0[j] = complex(sr+ur, si+ui)
				o1[j] = complex(tr+vi, ti-vr)
				q2[j] = complex(sr-ur, si-ui)
				o3[j] = complex(tr-vi, ti+vr)
			}
		}
	}
}

// transformHalf replaces x (length n) by its discrete Fourier transform
// when half of it is zero: the first half when low is set (the
// canceller's gradient, its error in the second half), else the second
// (its constraint, the filter's first half). Where the size allows (odd
// log₂ n, 8 to gatherMax points) the zero half is not read and the first
// pass skips the butterflies' zero inputs; elsewhere it is the full
// transform, so the zero half must hold zeros.
func (f *fft) transformHalf(x []complex128, low bool) {
	n := f.n
	if !f.odd || n < 8 || n > gatherMax {
		f.transform(x, false)
		return
	}
	x = x[:n]
	var tmp [gatherMax]complex128
	src := tmp[:n]
	if low {
		copy(src[n/2:], x[n/2:])
		gather8High(x, src, f.grp)
	} else {
		copy(src[:n/2], x[:n/2])
		gather8Low(x, src, f.grp)
	}
	f.passes(x, 8, false)
}

// gather8Low is gather8, forward, for src whose second half (its eighths
// 4 to 7) is zero: each size-4 transform has two zero inputs.
func gather8Low(x, src []complex128, grp []int32) {
	const r = math.Sqrt2 / 2
	S := len(grp)
	s0, s1, s2, s3 := src[:S], src[S:2*S], src[2*S:3*S], src[3*S:4*S]
	s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
	grp = grp[:len(s0)]
	for b := range s0 {
		g := int(grp[b])
		q := x[8*g : 8*g+8 : 8*g+8]
		// radix4(a, 0, c, 0) = a+c, a−i·c, a−c, a+i·c
		a, c := s0[b], s2[b]
		l0, l2 := a+c, a-c
		l1 := complex(real(a)+imag(c), imag(a)-real(c))
		l3 := complex(real(a)-imag(c), imag(a)+real(c))
		a, c = s1[b], s3[b]
		h0, h2 := a+c, a-c
		h1 := complex(real(a)+imag(c), imag(a)-real(c))
		h3 := complex(real(a)-imag(c), imag(a)+real(c))
		t1 := complex(r*(real(h1)+imag(h1)), r*(imag(h1)-real(h1)))
		t2 := complex(imag(h2), -real(h2))
		t3 := complex(r*(imag(h3)-real(h3)), -r*(real(h3)+imag(h3)))
		q[0], q[4] = l0+h0, l0-h0
		q[1], q[5] = l1+t1, l1-t1
		q[2], q[6] = l2+t2, l2-t2
		q[3], q[7] = l3+t3, l3-t3
	}
}

// gather8High is gather8, forward, for src whose first half (its eighths
// 0 to 3) is zero.
func gather8High(x, src []complex128, grp []int32) {
	const r = math.Sqrt2 / 2
	S := len(grp)
	s4, s5, s6, s7 := src[4*S:5*S], src[5*S:6*S], src[6*S:7*S], src[7*S:8*S]
	s5, s6, s7 = s5[:len(s4)], s6[:len(s4)], s7[:len(s4)]
	grp = grp[:len(s4)]
	for b := range s4 {
		g := int(grp[b])
		q := x[8*g : 8*g+8 : 8*g+8]
		// radix4(0, b, 0, d) = b+d, −b+i·d, b−d, −b−i·d
		v, w := s4[b], s6[b]
		l0, l2 := v+w, v-w
		l1 := complex(-real(v)-imag(w), real(w)-imag(v))
		l3 := complex(imag(w)-real(v), -imag(v)-real(w))
		v, w = s5[b], s7[b]
		h0, h2 := v+w, v-w
		h1 := complex(-real(v)-imag(w), real(w)-imag(v))
		h3 := complex(imag(w)-real(v), -imag(v)-real(w))
		t1 := complex(r*(real(h1)+imag(h1)), r*(imag(h1)-real(h1)))
		t2 := complex(imag(h2), -real(h2))
		t3 := complex(r*(imag(h3)-real(h3)), -r*(real(h3)+imag(h3)))
		q[0], q[4] = l0+h0, l0-h0
		q[1], q[5] = l1+t1, l1-t1
		q[2], q[6] = l2+t2, l2-t2
		q[3], q[7] = l3+t3, l3-t3
	}
}

// gather4 runs the stages of sizes 2 and 4 (twiddles 1 and ∓i) on src
// in natural order: the points at b of its four strided quarters, in
// bit-reversed order, are group grp[b] of x.
func gather4(x, src []complex128, grp []int32, inverse bool) {
	S := len(grp)
	s0, s1, s2, s3 := src[:S], src[S:2*S], src[2*S:3*S], src[3*S:4*S]
	s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
	grp = grp[:len(s0)]
	for b := range s0 {
		g := int(grp[b])
		q := x[4*g : 4*g+4 : 4*g+4]
		q[0], q[1], q[2], q[3] = radix4(s0[b], s2[b], s1[b], s3[b], inverse)
	}
}

// gather8 is gather4 for the stages of sizes 2, 4 and 8 and the eighths
// of src.
func gather8(x, src []complex128, grp []int32, inverse bool) {
	const r = math.Sqrt2 / 2
	S := len(grp)
	s0, s1, s2, s3 := src[:S], src[S:2*S], src[2*S:3*S], src[3*S:4*S]
	s4, s5, s6, s7 := src[4*S:5*S], src[5*S:6*S], src[6*S:7*S], src[7*S:8*S]
	s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
	s4, s5, s6, s7 = s4[:len(s0)], s5[:len(s0)], s6[:len(s0)], s7[:len(s0)]
	grp = grp[:len(s0)]
	for b := range s0 {
		g := int(grp[b])
		q := x[8*g : 8*g+8 : 8*g+8]
		// radix8(s0[b], s4[b], s2[b], s6[b], s1[b], s5[b], s3[b], s7[b]), written out
		l0, l1, l2, l3 := radix4(s0[b], s4[b], s2[b], s6[b], inverse)
		h0, h1, h2, h3 := radix4(s1[b], s5[b], s3[b], s7[b], inverse)
		var t1, t2, t3 complex128
		if inverse {
			t1 = complex(r*(real(h1)-imag(h1)), r*(real(h1)+imag(h1)))
			t2 = complex(-imag(h2), real(h2))
			t3 = complex(-r*(real(h3)+imag(h3)), r*(real(h3)-imag(h3)))
		} else {
			t1 = complex(r*(real(h1)+imag(h1)), r*(imag(h1)-real(h1)))
			t2 = complex(imag(h2), -real(h2))
			t3 = complex(r*(imag(h3)-real(h3)), -r*(real(h3)+imag(h3)))
		}
		q[0], q[4] = l0+h0, l0-h0
		q[1], q[5] = l1+t1, l1-t1
		q[2], q[6] = l2+t2, l2-t2
		q[3], q[7] = l3+t3, l3-t3
	}
}

// radix8 is the size-8 transform of its inputs in bit-reversed order: two
// size-4 transforms and a radix-2 stage whose twiddles are 1, (1∓i)/√2,
// ∓i, (−1∓i)/√2.
func radix8(a0, a1, a2, a3, a4, a5, a6, a7 complex128, inverse bool) (q0, q1, q2, q3, q4, q5, q6, q7 complex128) {
	const r = math.Sqrt2 / 2
	l0, l1, l2, l3 := radix4(a0, a1, a2, a3, inverse)
	h0, h1, h2, h3 := radix4(a4, a5, a6, a7, inverse)
	var t1, t2, t3 complex128
	if inverse {
		t1 = complex(r*(real(h1)-imag(h1)), r*(real(h1)+imag(h1)))
		t2 = complex(-imag(h2), real(h2))
		t3 = complex(-r*(real(h3)+imag(h3)), r*(real(h3)-imag(h3)))
	} else {
		t1 = complex(r*(real(h1)+imag(h1)), r*(imag(h1)-real(h1)))
		t2 = complex(imag(h2), -real(h2))
		t3 = complex(r*(imag(h3)-real(h3)), -r*(real(h3)+imag(h3)))
	}
	return l0 + h0, l1 + t1, l2 + t2, l3 + t3, l0 - h0, l1 - t1, l2 - t2, l3 - t3
}

// radix4 is the size-4 transform of a, b, c, d (in bit-reversed order:
// the inputs 0, 2, 1, 3).
func radix4(a, b, c, d complex128, inverse bool) (q0, q1, q2, q3 complex128) {
	s, t := a+b, a-b
	u, v := c+d, c-d
	// ∓i·v
	if inverse {
		v = complex(-imag(v), real(v))
	} else {
		v = complex(imag(v), -real(v))
	}
	return s + u, t + v, s - u, t - v
}

// twiddle returns w·v written out, real and imaginary part.
func twiddle(w, v complex128) (float64, float64) {
	return real(w)*real(v) - imag(w)*imag(v), real(w)*imag(v) + imag(w)*real(v)
}
