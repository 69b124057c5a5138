package callflow

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
	"callcoach/store"
)

// scriptCalls renders a scripted rep's corpus (callgen.ScriptCorpus: n
// calls, the last none of which read no passage) as stereo WAVs.
func scriptCalls(t *testing.T, n, none int, seed uint64) ([]callgen.ScriptCall, []string) {
	t.Helper()
	calls, err := callgen.ScriptCorpus(callgen.ScriptConditions()[0], n, none, seed, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, c := range calls {
		rep, cust, _ := callgen.Render(c.Scenario, c.Render)
		p := filepath.Join(dir, c.Name+".wav")
		if err := callgen.WriteStereoWAV(p, 16000, rep, cust); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return calls, paths
}

// sharesPassage reports whether a and b read a passage in common.
func sharesPassage(a, b callgen.ScriptCall) bool {
	for _, p := range a.Passages {
		for _, q := range b.Passages {
			if p.Passage == q.Passage {
				return true
			}
		}
	}
	return false
}

// overlaps60 reports whether [a0, a1) and a true passage overlap by 60% of
// each.
func overlaps60(a0, a1 analysis.Dur, p callgen.PassageTruth) bool {
	in := min(a1, p.End) - max(a0, p.Start)
	return in > 0 && float64(in) >= 0.6*float64(a1-a0) && float64(in) >= 0.6*float64(p.End-p.Start)
}

// TestImportMatchesRepeats: importing a scripted rep's calls one by one
// files each call's repeated passages, readable from both calls, only
// between calls of the same rep; the verdict of a later call carries the
// script evidence of the calls before it, with its reason; the Library's
// script reuse follows.
func TestImportMatchesRepeats(t *testing.T) {
	lib := mustOpen(t)
	calls, paths := scriptCalls(t, 5, 1, 7)
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	ids := make([]int64, len(calls))
	for i, p := range paths {
		c, err := Import(ctx, lib, ImportRequest{Path: p, Rep: "Jordan", RecordedAt: t0.Add(time.Duration(i) * time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
		if ok, _ := lib.HasFingerprint(ctx, c.ID); !ok {
			t.Fatalf("%s: no fingerprint after the import", calls[i].Name)
		}
	}
	// Another rep reads the same first call's words (rendered in noise,
	// so it is other audio): nothing of Jordan's may show for them.
	rep, cust, _ := callgen.Render(calls[0].Scenario, callgen.RenderOptions{Rate: 16000, NoiseSNR: 25, Seed: 99})
	sam := filepath.Join(t.TempDir(), "sam.wav")
	if err := callgen.WriteStereoWAV(sam, 16000, rep, cust); err != nil {
		t.Fatal(err)
	}
	sc, err := Import(ctx, lib, ImportRequest{Path: sam, Rep: "Sam", RecordedAt: t0.Add(10 * time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs, _ := lib.Repeats(ctx, sc.ID); len(rs) != 0 {
		t.Errorf("Sam's call shows Jordan's passages: %+v", rs)
	}

	for i, id := range ids {
		rs, err := lib.Repeats(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for j := range calls {
			if j == i {
				continue
			}
			var with []analysis.Repeat
			for _, r := range rs {
				if r.Call == ids[j] {
					with = append(with, r)
				}
			}
			if !sharesPassage(calls[i], calls[j]) {
				if len(with) > 0 {
					t.Errorf("%s and %s share nothing, got %+v", calls[i].Name, calls[j].Name, with)
				}
				continue
			}
			for _, p := range calls[i].Passages {
				shared := slices.ContainsFunc(calls[j].Passages, func(q callgen.PassageTruth) bool { return q.Passage == p.Passage })
				found := slices.ContainsFunc(with, func(r analysis.Repeat) bool { return overlaps60(r.Start, r.End, p) })
				if shared != found {
					t.Errorf("%s's %s (%.1f–%.1f s) with %s: shared %v, found %v (%+v)", calls[i].Name, p.Passage, p.Start.Seconds(), p.End.Seconds(), calls[j].Name, shared, found, with)
				}
			}
		}
	}

	// The fourth script call was compared with the three before it.
	c, err := lib.Call(ctx, ids[3])
	if err != nil {
		t.Fatal(err)
	}
	e := c.Result.Script
	if e == nil || e.CallsConsidered != 3 {
		t.Fatalf("script evidence of the fourth call: %+v, want 3 calls considered", e)
	}
	sharing := 0
	for j := 0; j < 3; j++ {
		if sharesPassage(calls[3], calls[j]) {
			sharing++
		}
	}
	if e.CallsSharing != sharing || e.ReusedShare <= 0 || e.Longest.D() < 4*time.Second {
		t.Errorf("evidence %+v, want %d calls sharing, some reuse, a passage of 4 s or more", e, sharing)
	}
	if !slices.ContainsFunc(c.Result.Listening.Factors, func(f analysis.Factor) bool { return f.Name == analysis.FactorScriptReuse }) {
		t.Errorf("the verdict weighs no script reuse: %+v", c.Result.Listening.Factors)
	}
	first, _ := lib.Call(ctx, ids[0])
	if first.Result.Script != nil {
		t.Errorf("the rep's first call was compared with %+v", first.Result.Script)
	}
	reuse, err := lib.ScriptReuse(ctx)
	if err != nil || reuse[ids[3]] != e.ReusedShare {
		t.Errorf("the Library's script reuse of the fourth call: %v (%v), want %v", reuse[ids[3]], err, e.ReusedShare)
	}
	// The call that reads nothing shares nothing.
	if rs, _ := lib.Repeats(ctx, ids[4]); len(rs) != 0 {
		t.Errorf("the call without a script: %+v", rs)
	}
	checkRepeatsStorage(t, lib, append(ids, sc.ID))
}

// Storage of the fingerprints, measured on the library's rows: at most
// repeatsBytesPerSpeechSecond bytes (the tokens, the frames — 16 bytes
// per 20 ms frame and its time — and the repeats' rows) per second of rep
// speech. The README's figure per hour of audio comes from this test's
// log.
const repeatsBytesPerSpeechSecond = 1000

// checkRepeatsStorage logs what the fingerprints and repeats of the calls
// ids take in the library's database, per hour of audio and of rep
// speech, from SQLite's own page accounting where it has it (dbstat) and
// from the rows' bytes, and holds the bytes per second of rep speech to
// repeatsBytesPerSpeechSecond.
func checkRepeatsStorage(t *testing.T, lib *store.Library, ids []int64) {
	t.Helper()
	var audioD time.Duration
	for _, id := range ids {
		c, err := lib.Call(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		audioD += c.Result.Duration.D()
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(lib.Dir(), store.DBName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var frames, tokBytes, frameBytes, repeatRows int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(frames), 0), coalesce(sum(length(tokens)), 0) FROM fingerprints`).Scan(&frames, &tokBytes); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(length(frames)), 0) FROM fingerprint_chunks`).Scan(&frameBytes); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM repeats`).Scan(&repeatRows); err != nil {
		t.Fatal(err)
	}
	// A repeats row: two ids and four times of up to 8 bytes each, a
	// header and its two index entries: about 80 bytes, counted so.
	const repeatRowBytes = 80
	total := tokBytes + frameBytes + repeatRows*repeatRowBytes
	speech := time.Duration(frames) * analysis.FPHop
	if speech <= 0 || audioD <= 0 {
		t.Fatalf("no fingerprinted speech (%v of %v audio)", speech, audioD)
	}
	perSpeechS := float64(total) / speech.Seconds()
	t.Logf("fingerprint storage: %d calls, %.1f min of audio, %.1f min of rep speech (%.0f%%); tokens %d B, frames %d B, %d repeats rows (~%d B): %.0f B per second of rep speech, %.2f MB per hour of audio, %.2f MB per hour of rep speech",
		len(ids), audioD.Minutes(), speech.Minutes(), 100*speech.Seconds()/audioD.Seconds(), tokBytes, frameBytes, repeatRows, repeatRows*repeatRowBytes,
		perSpeechS, float64(total)/audioD.Hours()/1e6, perSpeechS*3600/1e6)
	var pages int64
	if err := db.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name IN ('fingerprints', 'fingerprint_chunks', 'repeats', 'repeats_call', 'repeats_other', 'script_reuse')`).Scan(&pages); err == nil {
		t.Logf("fingerprint storage in SQLite pages (dbstat): %d B, %.2f MB per hour of audio (pages are shared out by table; a small library leaves them part empty)", pages, float64(pages)/audioD.Hours()/1e6)
	}
	if perSpeechS > repeatsBytesPerSpeechSecond {
		t.Errorf("fingerprints and repeats take %.0f B per second of rep speech; want at most %d", perSpeechS, repeatsBytesPerSpeechSecond)
	}
}

// TestUpdateRepeatsFillsOldCalls: calls filed without fingerprints (a
// library from before them) get theirs, and their passages, on the first
// update, with progress; the next update has nothing to do. A call moved
// to another rep is matched again among that rep's calls.
func TestUpdateRepeatsFillsOldCalls(t *testing.T) {
	lib := mustOpen(t)
	calls, paths := scriptCalls(t, 3, 0, 11)
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i, p := range paths {
		// As before this change: analysed and filed, never matched.
		staged, err := lib.Stage(ctx, store.StageRequest{Path: p})
		if err != nil {
			t.Fatal(err)
		}
		res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: staged.Path}, analysis.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		c, err := lib.AddStaged(ctx, staged, store.CallInfo{Title: calls[i].Name, Rep: "Jordan", RecordedAt: t0.Add(time.Duration(i) * time.Hour)}, &res)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	var seen []string
	if err := UpdateRepeats(ctx, lib, func(done, total int) { seen = append(seen, fmt.Sprintf("%d/%d", done, total)) }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, " "); got != "0/3 1/3 2/3 3/3" {
		t.Errorf("progress: got %s, want 0/3 1/3 2/3 3/3", got)
	}
	n := 0
	for _, id := range ids {
		rs, _ := lib.Repeats(ctx, id)
		n += len(rs)
	}
	want := 0
	for i := range calls {
		for j := range calls {
			if i != j {
				for _, p := range calls[i].Passages {
					for _, q := range calls[j].Passages {
						if p.Passage == q.Passage {
							want++
						}
					}
				}
			}
		}
	}
	if n != want {
		t.Errorf("passages after the update: %d, want %d", n, want)
	}
	last, _ := lib.Call(ctx, ids[2])
	if last.Result.Script == nil || last.Result.Script.CallsConsidered != 2 {
		t.Errorf("the third call's evidence: %+v", last.Result.Script)
	}
	seen = nil
	if err := UpdateRepeats(ctx, lib, func(done, total int) { seen = append(seen, fmt.Sprintf("%d/%d", done, total)) }); err != nil || strings.Join(seen, " ") != "0/0" {
		t.Errorf("a second update: %v, progress %v", err, seen)
	}
	// Move the last call to another rep: it loses its passages, and the
	// update matches it among that rep's calls (none).
	if err := lib.UpdateCall(ctx, ids[2], "x", "Sam", ""); err != nil {
		t.Fatal(err)
	}
	if err := UpdateRepeats(ctx, lib, nil); err != nil {
		t.Fatal(err)
	}
	if rs, _ := lib.Repeats(ctx, ids[2]); len(rs) != 0 {
		t.Errorf("after moving to Sam: %+v", rs)
	}
	if ok, _ := lib.HasFingerprint(ctx, ids[2]); !ok {
		t.Error("the moved call has no fingerprint after the update")
	}
}
