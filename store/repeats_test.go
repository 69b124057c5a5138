package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"callcoach/analysis"
)

// testFingerprint makes a fingerprint of n frames (random unit-ish
// vectors, a pause every 300 frames).
func testFingerprint(n int, seed uint64) *analysis.Fingerprint {
	r := rand.New(rand.NewPCG(seed, 1))
	f := &analysis.Fingerprint{}
	at := int32(50)
	for i := 0; i < n; i++ {
		if i%300 == 299 {
			at += 40
		}
		var v analysis.FPVec
		for d := range v {
			v[d] = int8(r.IntN(61) - 30)
		}
		f.At = append(f.At, at)
		f.Vec = append(f.Vec, v)
		at++
	}
	return f
}

func rep(s, e float64, call int64, os, oe float64) analysis.Repeat {
	d := func(x float64) analysis.Dur { return analysis.Dur(x * float64(time.Second)) }
	return analysis.Repeat{Start: d(s), End: d(e), Call: call, OtherStart: d(os), OtherEnd: d(oe)}
}

// TestFingerprintRoundTrip: a fingerprint survives the store whole and in
// any stretch (across chunk boundaries), its tokens too; a newer
// fingerprint replaces the old.
func TestFingerprintRoundTrip(t *testing.T) {
	ctx := context.Background()
	l := MustOpen(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := addCall(t, l, "a", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	if _, err := l.Fingerprint(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no fingerprint yet: got %v, want ErrNotFound", err)
	}
	fp := testFingerprint(2*fingerprintChunk+77, 1)
	if err := l.SaveFingerprint(ctx, c.ID, fp, nil); err != nil {
		t.Fatal(err)
	}
	got, err := l.Fingerprint(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.At, fp.At) || !slices.Equal(got.Vec, fp.Vec) {
		t.Fatal("the fingerprint changed in the store")
	}
	for _, r := range [][2]int{{0, 10}, {1000, 1100}, {fingerprintChunk - 1, fingerprintChunk + 1}, {2000, 99999}, {-5, 3}, {5000, 6000}, {7, 7}} {
		g, err := l.FingerprintFrames(ctx, c.ID, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := min(max(r[0], 0), fp.Len()), min(r[1], fp.Len())
		hi = max(hi, lo)
		if !slices.Equal(g.At, fp.At[lo:hi]) || !slices.Equal(g.Vec, fp.Vec[lo:hi]) {
			t.Errorf("frames %v: got %d frames, want %d equal to the original's", r, g.Len(), hi-lo)
		}
	}
	if ok, err := l.HasFingerprint(ctx, c.ID); !ok || err != nil {
		t.Errorf("HasFingerprint: %v, %v", ok, err)
	}
	d := addCall(t, l, "b", "Ana", t0.Add(time.Hour), time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	toks, err := l.SameRepTokens(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := fp.Tokens(); len(toks) != 1 || !slices.Equal(toks[c.ID], want) {
		t.Errorf("tokens: got %d calls, want call %d's %d tokens", len(toks), c.ID, len(want))
	}
	small := testFingerprint(10, 2)
	if err := l.SaveFingerprint(ctx, c.ID, small, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Fingerprint(ctx, c.ID); got == nil || got.Len() != 10 {
		t.Errorf("a new fingerprint did not replace the old")
	}
	if err := l.SaveFingerprint(ctx, 999, small, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown call: got %v, want ErrNotFound", err)
	}
}

// TestRepeatsBothSides: a passage found from the later call reads from
// both; only the same rep's live calls show; a rep change forgets the
// call's passages and fingerprint; deleting a call drops its rows.
func TestRepeatsBothSides(t *testing.T) {
	ctx := context.Background()
	l := MustOpen(t)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := addCall(t, l, "a", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	b := addCall(t, l, "b", "Ana", t0.Add(time.Hour), time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	c := addCall(t, l, "c", "Ana", t0.Add(2*time.Hour), time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	other := addCall(t, l, "x", "Bo", t0.Add(3*time.Hour), time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	if ids, err := l.Unfingerprinted(ctx); err != nil || len(ids) != 4 || ids[0] != a.ID {
		t.Fatalf("Unfingerprinted: %v, %v", ids, err)
	}
	for _, id := range []int64{a.ID, b.ID, other.ID} {
		if err := l.SaveFingerprint(ctx, id, testFingerprint(100, uint64(id)), nil); err != nil {
			t.Fatal(err)
		}
	}
	found := []analysis.Repeat{rep(10, 20, a.ID, 30, 41), rep(50, 56, b.ID, 5, 11)}
	if err := l.SaveFingerprint(ctx, c.ID, testFingerprint(100, 9), found); err != nil {
		t.Fatal(err)
	}
	if ids, _ := l.Unfingerprinted(ctx); len(ids) != 0 {
		t.Errorf("Unfingerprinted after: %v", ids)
	}
	got, err := l.Repeats(ctx, c.ID)
	if err != nil || !slices.Equal(got, found) {
		t.Fatalf("c's repeats: got %+v, %v; want %+v", got, err, found)
	}
	got, _ = l.Repeats(ctx, a.ID)
	if want := []analysis.Repeat{rep(30, 41, c.ID, 10, 20)}; !slices.Equal(got, want) {
		t.Errorf("a's repeats: got %+v, want %+v", got, want)
	}
	if ids, _ := l.RecentSameRep(ctx, c.ID, 15, false); !slices.Equal(ids, []int64{b.ID, a.ID}) {
		t.Errorf("recent before c: got %v, want [b a]", ids)
	}
	if ids, _ := l.RecentSameRep(ctx, a.ID, 1, true); !slices.Equal(ids, []int64{b.ID}) {
		t.Errorf("first after a: got %v, want [b]", ids)
	}
	// The trash hides a call's passages from the others.
	if err := l.Trash(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Repeats(ctx, c.ID); len(got) != 1 || got[0].Call != b.ID {
		t.Errorf("with a in the trash: got %+v, want b's passage only", got)
	}
	if err := l.Restore(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	// Another rep: c's passages were matched within Ana's calls.
	if err := l.UpdateCall(ctx, c.ID, "c", "Bo", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Repeats(ctx, a.ID); len(got) != 0 {
		t.Errorf("after c moved to another rep, a's repeats: %+v", got)
	}
	if ok, _ := l.HasFingerprint(ctx, c.ID); ok {
		t.Error("after a rep change the fingerprint stays")
	}
	if ids, _ := l.Unfingerprinted(ctx); !slices.Equal(ids, []int64{c.ID}) {
		t.Errorf("Unfingerprinted after the rep change: %v", ids)
	}
	// Renaming nothing keeps everything.
	if err := l.SaveFingerprint(ctx, c.ID, testFingerprint(100, 9), []analysis.Repeat{rep(1, 6, other.ID, 2, 7)}); err != nil {
		t.Fatal(err)
	}
	if err := l.UpdateCall(ctx, c.ID, "c again", "Bo", "Acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Repeats(ctx, other.ID); len(got) != 1 {
		t.Errorf("a title change dropped the repeats: %+v", got)
	}
	if err := l.DeleteCall(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Repeats(ctx, c.ID); len(got) != 0 {
		t.Errorf("after deleting the other call: %+v", got)
	}
	if err := l.SaveFingerprint(ctx, c.ID, testFingerprint(5, 1), []analysis.Repeat{rep(1, 6, c.ID, 2, 7)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a repeat with itself: got %v, want ErrInvalid", err)
	}
}

// TestScriptReuseFollowsResult: the Library's script reuse column is the
// stored result's evidence, and goes when the result has none.
func TestScriptReuseFollowsResult(t *testing.T) {
	ctx := context.Background()
	l := MustOpen(t)
	c := addCall(t, l, "a", "Ana", time.Now(), time.Second, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80))
	r := *c.Result
	r.Script = &analysis.ScriptEvidence{ReusedShare: 0.42, CallsSharing: 3, CallsConsidered: 5}
	if err := l.SetResult(ctx, c.ID, &r); err != nil {
		t.Fatal(err)
	}
	m, err := l.ScriptReuse(ctx)
	if err != nil || m[c.ID] != 0.42 {
		t.Fatalf("script reuse: got %v, %v; want 0.42", m, err)
	}
	if rows, err := l.Calls(ctx, CallFilter{}); err != nil || len(rows) != 1 || rows[0].ScriptReuse == nil || *rows[0].ScriptReuse != 0.42 {
		t.Errorf("the list's script reuse: %+v, %v", rows, err)
	}
	if pts, err := l.Trend(ctx, "Ana", analysis.DefaultVerdictConfig()); err != nil || len(pts) != 1 || pts[0].ScriptReuse == nil || *pts[0].ScriptReuse != 0.42 {
		t.Errorf("trend point: %+v, %v", pts, err)
	}
	r.Script = nil
	if err := l.SetResult(ctx, c.ID, &r); err != nil {
		t.Fatal(err)
	}
	if m, _ := l.ScriptReuse(ctx); len(m) != 0 {
		t.Errorf("after a result without evidence: %v", m)
	}
}
