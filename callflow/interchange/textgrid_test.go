package interchange

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

// praatItem is one interval or point as Praat reports it.
type praatItem struct {
	start, end time.Duration
	label      string
}

type praatTier struct {
	kind, name string
	items      []praatItem // every interval (labelled or not), every point
}

// praatRead opens a TextGrid in Praat itself and returns its duration and
// tiers as Praat sees them.
func praatRead(t *testing.T, path string) (time.Duration, []praatTier) {
	t.Helper()
	praat := tool(t, "praat")
	script, _ := filepath.Abs("testdata/read_textgrid.praat")
	var out, errb bytes.Buffer
	cmd := exec.Command(praat, "--run", script, path)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("praat could not read %s: %v\n%s", path, err, errb.String())
	}
	var total time.Duration
	var tiers []praatTier
	parseT := func(s string) time.Duration {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("praat printed %q for a time", s)
		}
		return time.Duration(v * float64(time.Second)).Round(time.Microsecond)
	}
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		f := strings.Split(line, "\t")
		switch f[0] {
		case "grid":
			total = parseT(f[1])
		case "tier":
			tiers = append(tiers, praatTier{kind: f[2], name: f[4]})
		case "item":
			tt := &tiers[len(tiers)-1]
			tt.items = append(tt.items, praatItem{parseT(f[2]), parseT(f[3]), f[4]})
		default:
			t.Fatalf("praat printed %q", line)
		}
	}
	return total, tiers
}

// TestTextGridInPraat writes the fixture as a TextGrid, opens it in Praat
// and compares every tier with the call: the speech intervals are the
// analysis' segments, the interruption points its interruptions, the
// annotation intervals and points its annotations (label = tag and note).
func TestTextGridInPraat(t *testing.T) {
	c := fixtureCall(t)
	path := filepath.Join(t.TempDir(), "call 7.TextGrid")
	var buf bytes.Buffer
	if err := WriteTextGrid(&buf, c); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o600)
	total, tiers := praatRead(t, path)
	if total != 60*time.Second {
		t.Errorf("praat: total duration %v, want 60s", total)
	}
	names := []string{}
	for _, tt := range tiers {
		names = append(names, tt.kind+" "+tt.name)
	}
	want := []string{"interval rep", "interval customer", "point interruptions", "interval annotations",
		"interval annotations 2", "point annotation points"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("praat tiers: got %q, want %q", names, want)
	}
	labelled := func(tt praatTier) []praatItem {
		var out []praatItem
		for _, it := range tt.items {
			if it.label != "" {
				out = append(out, it)
			}
		}
		return out
	}
	// The interval tiers tile the call.
	for _, tt := range tiers {
		if tt.kind != "interval" {
			continue
		}
		at := time.Duration(0)
		for _, it := range tt.items {
			if it.start != at || it.end <= it.start {
				t.Errorf("tier %q: interval %v–%v does not follow %v", tt.name, it.start, it.end, at)
			}
			at = it.end
		}
		if at != 60*time.Second {
			t.Errorf("tier %q ends at %v, want 60s", tt.name, at)
		}
	}
	for i, who := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		var wantSp []praatItem
		for _, s := range c.Result.SegmentsOf(who) {
			wantSp = append(wantSp, praatItem{s.Start.D(), s.End.D(), SpeechLabel})
		}
		if got := labelled(tiers[i]); fmt.Sprint(got) != fmt.Sprint(wantSp) {
			t.Errorf("%s speech in praat:\n got %v\nwant %v", who, got, wantSp)
		}
	}
	var wantInt []praatItem
	for _, in := range c.Result.Interruptions {
		wantInt = append(wantInt, praatItem{in.At.D(), in.At.D(), InterruptionText(in)})
	}
	if got := tiers[2].items; fmt.Sprint(got) != fmt.Sprint(wantInt) {
		t.Errorf("interruptions in praat:\n got %v\nwant %v", got, wantInt)
	}
	if len(wantInt) != 2 || wantInt[0].label != "rep interrupts customer (customer yields)" ||
		wantInt[1].label != "customer interrupts rep (rep talks on)" {
		t.Errorf("interruption labels: %v", wantInt)
	}
	// Every annotation is in exactly one annotation tier, label = tag and note.
	var gotAnn []praatItem
	for _, tt := range tiers[3:] {
		gotAnn = append(gotAnn, labelled(tt)...)
	}
	if len(gotAnn) != len(c.Annotations) {
		t.Fatalf("praat has %d annotations, want %d: %v", len(gotAnn), len(c.Annotations), gotAnn)
	}
	for _, a := range c.Annotations {
		w := praatItem{a.Start, a.End, EncodeLabel(a.Tag, a.Note)}
		found := false
		for _, g := range gotAnn {
			found = found || g == w
		}
		if !found {
			t.Errorf("annotation %d (%v) not in praat's tiers %v", a.ID, w, gotAnn)
		}
	}
	if l := labelled(tiers[3])[0].label; l != "interrupted: You cut her off — let José finish…" {
		t.Errorf("praat read the first label as %q", l)
	}
}

// TestTextGridMonoAndEmpty: a mono call has one speech tier and no
// interruptions; a call without annotations still gets an (empty)
// annotation tier, and Praat opens both.
func TestTextGridMonoAndEmpty(t *testing.T) {
	c := fixtureCall(t)
	segs := []analysis.Segment{{Speaker: analysis.Unattributed, Start: dur(1), End: dur(4)}, {Speaker: analysis.Unattributed, Start: dur(5), End: dur(9.5)}}
	r := analysis.Measure(segs, analysis.OneChannel, sec(10), analysis.DefaultConfig())
	r.Channels = analysis.Channels{OneChannel: "mono"}
	cc := *c.Call
	cc.Result, cc.Duration = &r, sec(10)
	c.Call, c.Annotations = &cc, nil
	var buf bytes.Buffer
	if err := WriteTextGrid(&buf, c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mono.TextGrid")
	os.WriteFile(path, buf.Bytes(), 0o600)
	total, tiers := praatRead(t, path)
	if total != 10*time.Second || len(tiers) != 2 || tiers[0].name != TierSpeech || tiers[1].name != TierAnnotations {
		t.Fatalf("mono grid in praat: %v %+v", total, tiers)
	}
	if n := len(tiers[0].items); n != 5 { // gap, speech, gap, speech, tail
		t.Errorf("mono speech tier: %d intervals, want 5: %v", n, tiers[0].items)
	}
	if len(tiers[1].items) != 1 || tiers[1].items[0].label != "" {
		t.Errorf("empty annotation tier: %v", tiers[1].items)
	}
}
