package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"callcoach/callflow"
	"callcoach/store"
)

// TestDamagedLibraryRepair damages a real library's database, checks the
// app's screen says so and offers Repair, repairs through callflow, and
// opens the call again with its annotation.
func TestDamagedLibraryRepair(t *testing.T) {
	prev := runAsync
	runAsync = func(f func()) { f() }
	t.Cleanup(func() { runAsync = prev })
	test.NewTempApp(t)

	dir := t.TempDir()
	lib, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := callflow.Import(context.Background(), lib, callflow.ImportRequest{
		Path: filepath.Join("..", "analysis", "testdata", "calls", "short_call_int24_16k.wav"), Rep: "Ana"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.AddAnnotation(context.Background(), &store.Annotation{CallID: c.ID, Start: 0, End: 1e9, Note: "keep me"}); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	f, _ := os.OpenFile(filepath.Join(dir, store.DBName), os.O_RDWR, 0)
	f.WriteAt([]byte("garbage over the header!"), 0)
	f.Close()

	_, err = store.Open(dir)
	if !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("Open of the damaged library: %v", err)
	}
	opened := false
	d := NewDamaged(err, func(ctx context.Context) (string, error) {
		rep, err := callflow.Repair(ctx, dir)
		return rep.String(), err
	}, func() { opened = true })
	w := test.NewWindow(d.Content)
	defer w.Close()
	if !strings.Contains(d.message.Text, "is damaged") || !strings.Contains(d.message.Text, "callcoach repair") || d.repairBtn.Hidden {
		t.Fatalf("the screen says %q (Repair shown: %v)", d.message.Text, !d.repairBtn.Hidden)
	}
	test.Tap(d.repairBtn)
	if d.report.Hidden || !strings.Contains(d.report.Text, "Rebuilt the library") || !strings.Contains(d.report.Text, "1 calls, 1 annotations") {
		t.Fatalf("after Repair the report says %q", d.report.Text)
	}
	if d.openBtn.Hidden || !d.repairBtn.Hidden {
		t.Error("after the repair the screen should offer to open the library, not to repair again")
	}
	test.Tap(d.openBtn)
	if !opened {
		t.Error("Open the library did nothing")
	}
	lib, err = store.Open(dir)
	if err != nil {
		t.Fatalf("the repaired library: %v", err)
	}
	defer lib.Close()
	as, err := lib.Annotations(context.Background(), c.ID)
	if err != nil || len(as) != 1 || as[0].Note != "keep me" {
		t.Errorf("call %d's annotations after repair: %+v, %v", c.ID, as, err)
	}
}
