package callflow

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// TestRepairAnalysesOrphanAudio: a call whose database row and sidecar are
// both lost comes back from its audio, analysed again with the same figures
// Import gave it; the other call comes back from its sidecar as it was.
func TestRepairAnalysesOrphanAudio(t *testing.T) {
	dir := t.TempDir()
	lib, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := Import(ctx, lib, ImportRequest{Path: shortCall, Rep: "Ana", Title: "kept"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	orphan, err := Import(ctx, lib, ImportRequest{RepPath: repMono, CustomerPath: custMono, Title: "orphan"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lib.Close()
	os.Remove(filepath.Join(dir, store.DBName))
	os.Remove(filepath.Join(dir, strings.TrimSuffix(filepath.FromSlash(orphan.AudioPath), ".wav")+".json"))

	rep, err := Repair(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", rep)
	if rep.Calls != 2 || rep.FromSidecars != 1 || rep.FromAudio != 1 {
		t.Fatalf("got %d calls, %d from sidecars, %d from audio; want 2, 1, 1", rep.Calls, rep.FromSidecars, rep.FromAudio)
	}
	lib, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	c, err := lib.Call(ctx, kept.ID)
	if err != nil || c.Title != "kept" || c.Rep != "Ana" || c.Result.RepTalkShare != kept.Result.RepTalkShare {
		t.Errorf("the kept call came back as %+v, %v", c, err)
	}
	list, _ := lib.Calls(ctx, store.CallFilter{})
	for _, s := range list {
		if s.ID == kept.ID {
			continue
		}
		got, _ := lib.Call(ctx, s.ID)
		if got.AudioPath != orphan.AudioPath || got.Result == nil ||
			got.Result.Talk.Rep != orphan.Result.Talk.Rep || got.Result.Talk.Customer != orphan.Result.Talk.Customer {
			t.Errorf("the orphan came back as %+v; want its audio %s analysed as before (talk %v / %v)",
				got, orphan.AudioPath, orphan.Result.Talk.Rep, orphan.Result.Talk.Customer)
		}
	}
}

// TestRepairMatchesRepeatsAgain: the fingerprints and repeated passages
// are derived from the audio and have no sidecar, so a rebuilt library
// starts without them; Repair fingerprints and matches the calls again
// before it returns, and the passages and the script reuse come back as
// they were.
func TestRepairMatchesRepeatsAgain(t *testing.T) {
	dir := t.TempDir()
	lib, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, paths := scriptCalls(t, 4, 0, 11)
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	var ids []int64
	before := map[int64][]analysis.Repeat{}
	for i, p := range paths {
		c, err := Import(ctx, lib, ImportRequest{Path: p, Rep: "Jordan", RecordedAt: t0.Add(time.Duration(i) * time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	total := 0
	for _, id := range ids {
		rs, err := lib.Repeats(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = rs
		total += len(rs)
	}
	reuse, err := lib.ScriptReuse(ctx)
	if err != nil || total == 0 || len(reuse) == 0 {
		t.Fatalf("before the repair: %d repeats, script reuse %v (%v); want some of each", total, reuse, err)
	}
	lib.Close()
	os.Remove(filepath.Join(dir, store.DBName))

	rep, err := Repair(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", rep)
	if rep.Rematched != len(ids) || !strings.Contains(rep.String(), "repeated passages") {
		t.Errorf("the report says %d calls matched again (%q); want %d", rep.Rematched, rep.String(), len(ids))
	}
	lib, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	for _, id := range ids {
		if ok, _ := lib.HasFingerprint(ctx, id); !ok {
			t.Errorf("call %d has no fingerprint after the repair", id)
		}
		got, err := lib.Repeats(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, before[id]) {
			t.Errorf("call %d's repeats after the repair: %+v; want %+v", id, got, before[id])
		}
	}
	if got, err := lib.ScriptReuse(ctx); err != nil || !reflect.DeepEqual(got, reuse) {
		t.Errorf("script reuse after the repair: %v (%v); want %v", got, err, reuse)
	}
}
