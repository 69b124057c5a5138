package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"callcoach/analysis"
	"callcoach/audio"
)

const D = 16

type V = analysis.FPVec

func load(path string) ([]float32, int) {
	r, err := audio.Open(path)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	var out []float32
	buf := make([]float32, 4096*r.Channels())
	for {
		n, err := r.ReadFrames(buf)
		for i := 0; i < n; i++ {
			out = append(out, buf[i*r.Channels()])
		}
		if err != nil || n == 0 {
			break
		}
	}
	return out, r.Rate()
}

func fp(path string) []V {
	x, rate := load(path)
	a, _ := analysis.NewAnalyzer(analysis.DefaultConfig(), rate, analysis.MonoMixed)
	a.Write(x, nil)
	res := a.Finish()
	f, _ := analysis.NewFingerprinter(rate, res.Segments)
	f.Write(x)
	return f.Finish().Vec
}

func cos(a, b *V) float64 {
	var ab int32
	for i := range a {
		ab += int32(a[i]) * int32(b[i])
	}
	return float64(ab) / (127 * 127)
}

// dtw: global alignment; returns path as map i -> j
func dtw(a, b []V) (float64, []int) {
	n, m := len(a), len(b)
	S := make([][]float64, n)
	for i := range S {
		S[i] = make([]float64, m)
		for j := range S[i] {
			S[i][j] = cos(&a[i], &b[j])
		}
	}
	inf := math.Inf(-1)
	Dm := make([][]float64, n)
	P := make([][]int8, n)
	for i := range Dm {
		Dm[i] = make([]float64, m)
		P[i] = make([]int8, m)
		for j := range Dm[i] {
			Dm[i][j] = inf
		}
	}
	Dm[0][0] = S[0][0]
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			if i == 0 && j == 0 {
				continue
			}
			best, bp := inf, int8(0)
			if i > 0 && j > 0 && Dm[i-1][j-1]+2*S[i][j] > best {
				best, bp = Dm[i-1][j-1]+2*S[i][j], 1
			}
			if i > 0 && j > 1 && Dm[i-1][j-2]+1.5*(S[i][j-1]+S[i][j]) > best {
				best, bp = Dm[i-1][j-2]+1.5*(S[i][j-1]+S[i][j]), 2
			}
			if i > 1 && j > 0 && Dm[i-2][j-1]+1.5*(S[i-1][j]+S[i][j]) > best {
				best, bp = Dm[i-2][j-1]+1.5*(S[i-1][j]+S[i][j]), 3
			}
			if best > inf {
				Dm[i][j], P[i][j] = best, bp
			}
		}
	}
	path := make([]int, n)
	i, j := n-1, m-1
	for i >= 0 && j >= 0 {
		path[i] = j
		switch P[i][j] {
		case 1:
			i, j = i-1, j-1
		case 2:
			i, j = i-1, j-2
		case 3:
			path[i-1] = j
			i, j = i-2, j-1
		default:
			i = -1
		}
	}
	return Dm[n-1][m-1], path
}

var planes [][D]float32

func initPlanes(n int) {
	r := rand.New(rand.NewPCG(1, 2))
	planes = make([][D]float32, n)
	for i := range planes {
		for d := range planes[i] {
			planes[i][d] = float32(r.NormFloat64())
		}
	}
}

// tokens: smoothed frames -> codes -> runs (min run length) -> token sequence with frame positions
func tokens(v []V, bits, smooth, minRun int) (tok []uint32, pos []int) {
	codes := make([]uint32, len(v))
	for i := range v {
		var m [D]float32
		for k := max(0, i-smooth/2); k <= min(len(v)-1, i+smooth/2); k++ {
			for d := range m {
				m[d] += float32(v[k][d]) / 127
			}
		}
		var c uint32
		if cents != nil {
			best := math.Inf(1)
			for ci := range cents {
				var dd float64
				for d := range m {
					x := float64(m[d])/float64(smooth) - cents[ci][d]
					dd += x * x
				}
				if dd < best {
					best, c = dd, uint32(ci)
				}
			}
		} else {
			for b := 0; b < bits; b++ {
				var s float32
				for d := range m {
					s += m[d] * planes[b][d]
				}
				if s > 0 {
					c |= 1 << b
				}
			}
		}
		codes[i] = c
	}
	for i := 0; i < len(codes); {
		j := i
		for j < len(codes) && codes[j] == codes[i] {
			j++
		}
		if j-i >= minRun {
			if len(tok) == 0 || tok[len(tok)-1] != codes[i] {
				tok = append(tok, codes[i])
				pos = append(pos, i)
			}
		}
		i = j
	}
	return
}

func keys(tok []uint32, n, bits int) []uint64 {
	var out []uint64
	for i := 0; i+n <= len(tok); i++ {
		var k uint64
		for j := 0; j < n; j++ {
			k = k<<bits | uint64(tok[i+j])
		}
		out = append(out, k)
	}
	return out
}

func atoi(s string, d int) int {
	if v, err := strconv.Atoi(os.Getenv(s)); err == nil {
		return v
	}
	return d
}

func main() {
	if os.Getenv("MODE") == "corpus" {
		corpusMode()
		return
	}
	if os.Getenv("MODE") == "match" {
		matchMode()
		return
	}
	bits, smooth, minRun, n, tol := atoi("BITS", 5), atoi("SMOOTH", 3), atoi("MINRUN", 2), atoi("N", 3), atoi("TOL", 25)
	initPlanes(bits)
	if os.Getenv("VQ") != "" {
		train(1<<bits, smooth)
	}
	a := fp(os.Args[1])
	if os.Getenv("SELF") != "" {
		var ss, mn float64
		mn = 2
		for i := range a {
			c := cos(&a[i], &a[i])
			ss += c
			mn = math.Min(mn, c)
		}
		fmt.Println("self mean", ss/float64(len(a)), "min", mn, a[0], a[100])
	}
	ta, pa := tokens(a, bits, smooth, minRun)
	ka := keys(ta, n, bits)
	fmt.Printf("A: %d frames, %d tokens (%.1f/s), %d keys\n", len(a), len(ta), float64(len(ta))/(float64(len(a))*0.02), len(ka))
	for _, p := range os.Args[2:] {
		b := fp(p)
		_, path := dtw(a, b)
		if os.Getenv("MODE") == "sim" {
			tot, _ := dtw(a, b)
			fmt.Printf("%s %.3f  ", short(p), tot/float64(len(a)+len(b)))
			continue
		}
		tb, pb := tokens(b, bits, smooth, minRun)
		kb := keys(tb, n, bits)
		// true hit: key at A pos i, B has same key at pos within tol frames of path[pa[i]]
		hits := 0
		for i, k := range ka {
			want := path[pa[i]]
			for j, k2 := range kb {
				if k2 == k && abs(pb[j]-want) <= tol {
					hits++
					break
				}
			}
		}
		// random collisions: count pairs with equal key overall, minus near-path
		coll := 0
		for i, k := range ka {
			want := path[pa[i]]
			for j, k2 := range kb {
				if k2 == k && abs(pb[j]-want) > 3*tol {
					coll++
				}
			}
		}
		fmt.Printf("%-20s hit rate %.3f (%d/%d)  off-path collisions per key pair %.2e\n", short(p), float64(hits)/float64(len(ka)), hits, len(ka), float64(coll)/float64(len(ka)*len(kb)))
	}
}

func short(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var cents [][D]float64

func train(k, smooth int) {
	var data [][D]float64
	for i := 0; i < 10; i++ {
		v := fp(fmt.Sprintf("/work/shared/data/real-speech/trn%02d.wav", i))
		for j := range v {
			var m [D]float64
			c := 0
			for q := max(0, j-smooth/2); q <= min(len(v)-1, j+smooth/2); q++ {
				for d := range m {
					m[d] += float64(v[q][d]) / 127
				}
				c++
			}
			for d := range m {
				m[d] /= float64(c)
			}
			data = append(data, m)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	cents = make([][D]float64, k)
	for i := range cents {
		cents[i] = data[r.IntN(len(data))]
	}
	assign := make([]int, len(data))
	for it := 0; it < 30; it++ {
		var sum = make([][D]float64, k)
		cnt := make([]int, k)
		for i, x := range data {
			best, bi := math.Inf(1), 0
			for c := range cents {
				var dd float64
				for d := range x {
					t := x[d] - cents[c][d]
					dd += t * t
				}
				if dd < best {
					best, bi = dd, c
				}
			}
			assign[i] = bi
			cnt[bi]++
			for d := range x {
				sum[bi][d] += x[d]
			}
		}
		for c := range cents {
			if cnt[c] > 0 {
				for d := range sum[c] {
					cents[c][d] = sum[c][d] / float64(cnt[c])
				}
			} else {
				cents[c] = data[r.IntN(len(data))]
			}
		}
	}
	fmt.Println("trained", k, "centroids on", len(data), "frames")
}
