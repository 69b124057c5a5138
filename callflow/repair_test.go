package callflow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
