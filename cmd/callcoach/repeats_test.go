package main

import (
	"path/filepath"
	"strings"
	"testing"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
)

// TestShowRepeats: two calls of one rep that read the same pitch, imported
// with the CLI: `show --json` lists the passage on both, each naming the
// other call and its times, and `show` says it in words; a call of
// another rep shows none.
func TestShowRepeats(t *testing.T) {
	calls, err := callgen.ScriptCorpus(callgen.ScriptConditions()[0], 3, 0, 21, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "lib")
	var files []string
	for _, c := range calls {
		rep, cust, _ := callgen.Render(c.Scenario, c.Render)
		p := filepath.Join(dir, c.Name+".wav")
		if err := callgen.WriteStereoWAV(p, 16000, rep, cust); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	mustLibCLI(t, "import", "--data", data, "--rep", "Jordan", files[0], files[1])
	mustLibCLI(t, "import", "--data", data, "--rep", "Sam", files[2])
	type shown struct {
		ID      int64             `json:"id"`
		Repeats []analysis.Repeat `json:"repeats"`
	}
	shared := 0
	for _, p := range calls[0].Passages {
		for _, q := range calls[1].Passages {
			if p.Passage == q.Passage {
				shared++
			}
		}
	}
	if shared == 0 {
		t.Fatal("the corpus's first two calls share no passage: pick another seed")
	}
	out, _ := mustLibCLI(t, "show", "--data", data, "--json", "2")
	two := decodeLibJSON[shown](t, out)
	out, _ = mustLibCLI(t, "show", "--data", data, "--json", "1")
	one := decodeLibJSON[shown](t, out)
	if len(two.Repeats) != shared || len(one.Repeats) != shared {
		t.Fatalf("repeats: call 2 has %d, call 1 has %d; want %d each", len(two.Repeats), len(one.Repeats), shared)
	}
	for k, r := range two.Repeats {
		o := one.Repeats[k]
		if r.Call != 1 || o.Call != 2 || r.Start != o.OtherStart || r.OtherStart != o.Start || r.End-r.Start < analysis.Dur(4e9) {
			t.Errorf("passage %d: call 2 says %+v, call 1 says %+v", k, r, o)
		}
	}
	out, _ = mustLibCLI(t, "show", "--data", data, "--json", "3")
	if !strings.Contains(out, `"repeats": []`) {
		t.Errorf("Sam's call: want \"repeats\": [], got %s", out[strings.Index(out, `"repeats"`):])
	}
	out, _ = mustLibCLI(t, "show", "--data", data, "2")
	if !strings.Contains(out, "Repeated passages") || !strings.Contains(out, "in 1 other call: call 1 at") {
		t.Errorf("show in words:\n%s", out)
	}
}
