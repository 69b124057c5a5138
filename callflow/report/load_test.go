package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
	"callcoach/store"
)

var ctx = context.Background()

// addCall files a call with the given analysis in a real library. Its
// audio is a short tone unique to n (the library refuses duplicates); the
// report reads only the analysis.
func addCall(tb testing.TB, lib *store.Library, n int, info store.CallInfo, r *analysis.Result) *store.Call {
	tb.Helper()
	src := filepath.Join(tb.TempDir(), fmt.Sprintf("call%d.wav", n))
	rep := make([]float32, 1600)
	cust := make([]float32, 1600)
	for i := range rep {
		rep[i] = float32((i*(n+3))%200) / 1000
		cust[i] = float32((i*(n+7))%300) / 1000
	}
	if err := callgen.WriteStereoWAV(src, 16000, rep, cust); err != nil {
		tb.Fatal(err)
	}
	st, err := lib.Stage(ctx, store.StageRequest{Path: src})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := lib.AddStaged(ctx, st, info, r)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func openLib(tb testing.TB) *store.Library {
	tb.Helper()
	lib, err := store.Open(filepath.Join(tb.TempDir(), "lib"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { lib.Close() })
	return lib
}

// TestLoadFromLibrary reads a call's and a rep's report from a real
// library: the call's annotations and only its clips; the rep's calls in
// the period (others' and those outside it left out); a rep the library
// does not know is a sentence naming those it does.
func TestLoadFromLibrary(t *testing.T) {
	lib := openLib(t)
	in := fixtureInput(t, 6*time.Minute, true)
	march := time.Date(2026, 3, 2, 14, 0, 0, 0, time.Local)
	c := addCall(t, lib, 1, store.CallInfo{Title: in.Call.Title, Rep: "Zoë Ångström", Customer: "Jürgen Müller", RecordedAt: march}, in.Call.Result)
	other := addCall(t, lib, 2, store.CallInfo{Title: "Other rep", Rep: "Ben", RecordedAt: march}, in.Call.Result)
	april := addCall(t, lib, 3, store.CallInfo{Title: "April call", Rep: "Zoë Ångström", RecordedAt: march.AddDate(0, 1, 0)}, in.Call.Result)
	for _, a := range in.Annotations {
		a.CallID = c.ID
		if err := lib.AddAnnotation(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	// The stand-in audio is 0.1 s long: the clips are cut from its start.
	ca := store.Annotation{CallID: c.ID, Start: 0, End: sec(0.08), Tag: "good question"}
	lib.AddAnnotation(ctx, &ca)
	if _, err := lib.SaveClip(ctx, ca.ID); err != nil {
		t.Fatal(err)
	}
	oa := store.Annotation{CallID: april.ID, Start: 0, End: sec(0.05), Tag: "x"}
	lib.AddAnnotation(ctx, &oa)
	if _, err := lib.SaveClip(ctx, oa.ID); err != nil {
		t.Fatal(err)
	}

	ci, err := LoadCall(ctx, lib, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.Annotations) != 5 || len(ci.Clips) != 1 || ci.Clips[0].Tag != "good question" || ci.Call.Result == nil {
		t.Errorf("LoadCall: %d annotations, clips %+v", len(ci.Annotations), ci.Clips)
	}
	d, err := CallDocument(ci)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, d); err != nil || !strings.Contains(buf.String(), "You cut her off — let José finish…") {
		t.Errorf("call report from the library: %v", err)
	}

	ri, err := LoadRep(ctx, lib, "zoë ångström", time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local), time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local), analysis.DefaultVerdictConfig())
	if err != nil {
		t.Fatal(err)
	}
	if ri.Rep != "Zoë Ångström" || len(ri.Calls) != 1 || ri.Calls[0].ID != c.ID || len(ri.Clips) != 1 {
		t.Errorf("LoadRep: rep %q, calls %+v, clips %d (other rep's call %d, April's %d)", ri.Rep, ri.Calls, len(ri.Clips), other.ID, april.ID)
	}
	ri, _ = LoadRep(ctx, lib, "Zoë Ångström", time.Time{}, time.Time{}, analysis.DefaultVerdictConfig())
	if len(ri.Calls) != 2 || !ri.Calls[0].RecordedAt.Before(ri.Calls[1].RecordedAt) {
		t.Errorf("LoadRep, no period: %+v", ri.Calls)
	}
	if _, err := LoadRep(ctx, lib, "Nobody", time.Time{}, time.Time{}, analysis.DefaultVerdictConfig()); err == nil ||
		err.Error() != `there is no rep called "Nobody"; the library knows Ben, Zoë Ångström` {
		t.Errorf("unknown rep: %v", err)
	}
	if _, err := LoadCall(ctx, lib, 99); err == nil {
		t.Error("LoadCall of a missing call: no error")
	}
}

// hourResult is a 1-hour call of about 1,400 segments (quick turns).
func hourResult(seed uint64) *analysis.Result {
	r := analysis.Measure(synthTurns(time.Hour, seed, false, 1.7), analysis.TwoParty, time.Hour, analysis.DefaultConfig())
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	return &r
}

// BenchmarkCallReportHour: the report of a 1-hour call (about 1,400 segments) with 40
// annotations, from the library to the file (load, build, write).
func BenchmarkCallReportHour(b *testing.B) {
	lib := openLib(b)
	r := hourResult(3)
	c := addCall(b, lib, 1, store.CallInfo{Title: "An hour", Rep: "Zoë"}, r)
	for i := 0; i < 40; i++ {
		a := store.Annotation{CallID: c.ID, Start: time.Duration(i) * 90 * time.Second, End: time.Duration(i)*90*time.Second + 20*time.Second,
			Tag: "interrupted", Note: "Let the customer finish — then answer…", Author: "Dana"}
		lib.AddAnnotation(ctx, &a)
	}
	b.Logf("%d segments, %d interruptions", len(r.Segments), len(r.Interruptions))
	for _, f := range []string{"html", "pdf"} {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				in, err := LoadCall(ctx, lib, c.ID)
				if err != nil {
					b.Fatal(err)
				}
				d, err := CallDocument(in)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if f == "html" {
					err = HTML(&buf, d)
				} else {
					err = PDF(&buf, d, A4)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRepReport500: a rep's report over 500 calls of 5–15 minutes,
// from the library to the file.
func BenchmarkRepReport500(b *testing.B) {
	lib := openLib(b)
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.Local)
	cfg := analysis.DefaultConfig()
	for i := 0; i < 500; i++ {
		l := time.Duration(5+i%11) * time.Minute
		r := analysis.Measure(synthSegments(l, uint64(i), i%3 == 0), analysis.TwoParty, l, cfg)
		r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
		addCall(b, lib, i, store.CallInfo{Title: fmt.Sprintf("Call %d", i), Rep: "Zoë", Customer: "Acme", RecordedAt: start.Add(time.Duration(i) * 4 * time.Hour)}, &r)
	}
	for _, f := range []string{"html", "pdf"} {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				in, err := LoadRep(ctx, lib, "Zoë", time.Time{}, time.Time{}, cfg.Verdict)
				if err != nil || len(in.Calls) != 500 {
					b.Fatalf("%v, %d calls", err, len(in.Calls))
				}
				d := RepDocument(in)
				var buf bytes.Buffer
				if f == "html" {
					err = HTML(&buf, d)
				} else {
					err = PDF(&buf, d, A4)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHourReport makes the report of a 1-hour call from a library, well
// inside the 1 s the README promises (here with a margin for a busy
// machine: 5 s), and leaves the PDF's timeline page to look at.
func TestHourReport(t *testing.T) {
	lib := openLib(t)
	c := addCall(t, lib, 1, store.CallInfo{Title: "An hour with Acme", Rep: "Zoë"}, hourResult(3))
	start := time.Now()
	d, err := func() (*Document, error) {
		in, err := LoadCall(ctx, lib, c.ID)
		if err != nil {
			return nil, err
		}
		return CallDocument(in)
	}()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := PDF(&buf, d, A4); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the report of a 1-hour call took %v", el)
	}
	dir := artifacts(t)
	path := filepath.Join(dir, "hour-report.pdf")
	os.WriteFile(path, buf.Bytes(), 0o600)
	prefix := filepath.Join(dir, "hour-report-page")
	run(t, "pdftoppm", "-r", "90", "-png", "-f", "2", "-l", "2", path, prefix)
	if share, found := inked(t, prefix+"-2.png", colRep, colCustomer, colRepCut); share < 0.05 || !found[0] || !found[1] || !found[2] {
		t.Errorf("the hour's timeline page: %.1f%% inked, colours %v", 100*share, found)
	}
	text := run(t, "pdftotext", path, "-")
	mustContain(t, "the hour's report", text, "Each row is 5 minutes of the call", "55:00", "1:00:00")
}
