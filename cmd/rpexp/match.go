package main

import (
	"fmt"
	"os"
	"time"

	"callcoach/analysis"
)

func fpFull(path string) *analysis.Fingerprint {
	x, rate := load(path)
	a, _ := analysis.NewAnalyzer(analysis.DefaultConfig(), rate, analysis.MonoMixed)
	a.Write(x, nil)
	res := a.Finish()
	f, _ := analysis.NewFingerprinter(rate, res.Segments)
	f.Write(x)
	return f.Finish()
}

func matchMode() {
	q := fpFull(os.Args[1])
	lib := map[int64]*analysis.Fingerprint{}
	idx := analysis.NewRepeatIndex(analysis.DefaultRepeatConfig())
	names := map[int64]string{}
	for i, p := range os.Args[2:] {
		f := fpFull(p)
		id := int64(i + 1)
		lib[id] = f
		names[id] = short(p)
		idx.Add(id, f.Tokens())
	}
	src := func(id int64, from, to int) (*analysis.Fingerprint, error) {
		f := lib[id]
		to = min(to, f.Len())
		from = min(from, to)
		return &analysis.Fingerprint{At: f.At[from:to], Vec: f.Vec[from:to]}, nil
	}
	t0 := time.Now()
	rs, err := idx.Match(0, q, src)
	fmt.Println("match took", time.Since(t0), err)
	for _, r := range rs {
		fmt.Printf("%6.2f-%6.2f  %-22s %6.2f-%6.2f\n", r.Start.Seconds(), r.End.Seconds(), names[r.Call], r.OtherStart.Seconds(), r.OtherEnd.Seconds())
	}
}
