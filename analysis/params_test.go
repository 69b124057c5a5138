package analysis

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDoc = flag.Bool("update", false, "rewrite the README's table of parameters")

// TestParamsKeys: each parameter's key is where its value lives in the
// settings' JSON, Set and Get agree, and every verdict goal is editable
// (target, worst and weight).
func TestParamsKeys(t *testing.T) {
	b, err := json.Marshal(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range Params() {
		if seen[p.Key] {
			t.Errorf("key %s twice", p.Key)
		}
		seen[p.Key] = true
		var v any = tree
		for _, k := range strings.Split(p.Key, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[k]
		}
		f, ok := v.(float64)
		if !ok {
			t.Errorf("%s: not a number in the settings JSON (%v)", p.Key, v)
			continue
		}
		if p.dur {
			f /= 1e9 // durations travel as nanoseconds
		}
		if f != p.Default() {
			t.Errorf("%s: JSON holds %v, Default() says %v", p.Key, f, p.Default())
		}
		c := DefaultConfig()
		p.Set(&c, 7)
		if got := p.Get(&c); got != 7 {
			t.Errorf("%s: Set 7, Get %v", p.Key, got)
		}
	}
	goalsJSON := tree["verdict"].(map[string]any)
	for k, v := range goalsJSON {
		if m, ok := v.(map[string]any); ok && m["better"] != nil {
			for _, part := range []string{"target", "worst", "weight"} {
				if !seen["verdict."+k+"."+part] {
					t.Errorf("goal %s: %s is not a parameter", k, part)
				}
			}
		}
	}
}

// TestParamsDoc keeps the README's table of parameters in step with
// Params (run with -update to rewrite it).
func TestParamsDoc(t *testing.T) {
	const (
		path  = "../README.md"
		begin = "<!-- analysis parameters: generated from analysis.Params by `go test ./analysis -run TestParamsDoc -update` -->\n"
		end   = "<!-- end of analysis parameters -->"
	)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the generated section (%q ... %q)", begin, end)
	}
	want := ParamsMarkdown()
	if got := s[i+len(begin) : j]; got != want {
		if *updateDoc {
			if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's table of parameters is out of date: run go test ./analysis -run TestParamsDoc -update\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// TestConfigValidate: the settings screen's sentence for each kind of bad
// value.
func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"defaults", func(*Config) {}, ""},
		{"negative gap", func(c *Config) { c.BridgeGap = -1 }, "bridge gap must be a number of zero or more"},
		{"half a call", func(c *Config) { c.Verdict.ScriptMinCalls = 0 }, "at least one other call"},
		{"inverted goal", func(c *Config) { c.Verdict.RepTalkShare.Target = 85 }, "target (85) is past its worst (80)"},
		{"no monologue", func(c *Config) { c.Delivery.MinMonologue = 0 }, "at least 1 s"},
	} {
		c := DefaultConfig()
		tc.change(&c)
		err := c.Validate()
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestLookaheadCoversEarlyLeaks: the canceller looks ahead far enough to
// cancel the earliest leak the detector searches for (leakEarlyMax); a
// shorter look-ahead would hand it leaks it cannot reach.
func TestLookaheadCoversEarlyLeaks(t *testing.T) {
	if la := DefaultConfig().VAD.CancelLookahead; la < leakEarlyMax {
		t.Errorf("the canceller's look-ahead %v is shorter than the earliest leak searched for, %v", la, leakEarlyMax)
	}
}
