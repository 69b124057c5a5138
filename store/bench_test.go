package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"callcoach/analysis"
)

// benchLibrary is a library of 10,000 calls (see seedCalls).
func benchLibrary(b *testing.B) *Library {
	b.Helper()
	l := MustOpen(b)
	seedCalls(b, l, 10_000) // no ANALYZE: a user's library has no statistics
	return l
}

// BenchmarkCalls10k lists a library of 10,000 calls: the first screen (100
// rows, what the app shows) and the whole live list.
func BenchmarkCalls10k(b *testing.B) {
	l := benchLibrary(b)
	for _, bc := range []struct {
		name string
		f    CallFilter
		want int
	}{
		{"page100", CallFilter{Limit: 100}, 100},
		{"all", CallFilter{}, 9800},
		{"count", CallFilter{}, -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if bc.want < 0 {
					if n, err := l.CallCount(ctx, bc.f); err != nil || n != 9800 {
						b.Fatalf("got %d, %v", n, err)
					}
					continue
				}
				s, err := l.Calls(ctx, bc.f)
				if err != nil || len(s) != bc.want {
					b.Fatalf("got %d rows, %v; want %d", len(s), err, bc.want)
				}
			}
		})
	}
}

// BenchmarkCallsFiltered10k filters a library of 10,000 calls (all
// matching rows, no limit).
func BenchmarkCallsFiltered10k(b *testing.B) {
	l := benchLibrary(b)
	for _, bc := range []struct {
		name string
		f    CallFilter
	}{
		{"rep", CallFilter{Rep: "Ben"}},
		{"tag", CallFilter{Tag: "interrupted"}},
		{"verdict", CallFilter{Verdict: analysis.VerdictListening}},
		{"since", CallFilter{Since: t0.Add(9000 * 3600e9)}},
		{"text", CallFilter{Text: "customer 7"}},
		{"rep+verdict+page", CallFilter{Rep: "Ana", Verdict: analysis.VerdictMixed, Limit: 100}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := l.Calls(ctx, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen10k opens (and sweeps) a library of 10,000 calls, each with
// its audio file: what every command-line call pays.
func BenchmarkOpen10k(b *testing.B) {
	l := MustOpen(b)
	seedCalls(b, l, 10_000)
	for i := range 10_000 {
		if err := os.WriteFile(l.Abs(fmt.Sprintf("calls/seed-%d.wav", i)), nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	dir := l.Dir()
	l.Close()
	defer reportCPU(b)()
	for b.Loop() {
		l, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
	if n, _ := filepath.Glob(filepath.Join(dir, CallsDir, "*.wav")); len(n) != 10_000 {
		b.Fatalf("the sweep removed files: %d left", len(n))
	}
	if n, _ := filepath.Glob(filepath.Join(dir, CallsDir, "*"+sidecarSuffix)); len(n) != 10_000 {
		b.Fatalf("got %d sidecars, want one per call", len(n))
	}
}
