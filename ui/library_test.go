package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/store"
)

// withVerdict is the sample result with its verdict set (the store lists
// the verdict the analysis gave; here it is chosen to test the filter).
func withVerdict(t *testing.T, v analysis.Verdict) *analysis.Result {
	r := sampleResult(t)
	r.Listening.Verdict = v
	return r
}

func libraryFixture(t *testing.T) (*App, *store.Library, []int64) {
	t.Helper()
	lib := newTestLibrary(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.Local) }
	ids := []int64{
		addCall(t, lib, "Acme renewal", "Ann", withVerdict(t, analysis.VerdictListening), day(2)),
		addCall(t, lib, "Globex discovery", "Ann", withVerdict(t, analysis.VerdictScriptDriven), day(10)),
		addCall(t, lib, "Initech demo", "Bob", withVerdict(t, analysis.VerdictMixed), day(20)),
	}
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	return a, lib, ids
}

func titles(l *libraryScreen) []string {
	var out []string
	for _, r := range l.rows {
		out = append(out, r.Title)
	}
	return out
}

func TestLibraryListsAndFilters(t *testing.T) {
	a, _, _ := libraryFixture(t)
	l := a.library
	if got := titles(l); len(got) != 3 || got[0] != "Initech demo" {
		t.Fatalf("library lists %v, want the 3 calls newest first", got)
	}
	if got := l.count.Text; got != "3 calls" {
		t.Errorf("count: got %q, want %q", got, "3 calls")
	}
	// Cells: verdict coloured, talk share as a percentage.
	text, imp := cellText(l.rows[1], 6)
	if text != "Script-driven" || imp != widget.DangerImportance {
		t.Errorf("verdict cell: got %q (%v), want Script-driven in danger colour", text, imp)
	}
	if text, _ := cellText(l.rows[0], 4); text != fmtPct(l.rows[0].RepTalkShare) || text == "0%" {
		t.Errorf("talk share cell: got %q", text)
	}

	tests := []struct {
		name  string
		set   func()
		reset func()
		want  []string
	}{
		{"search", func() { test.Type(l.search, "globex") }, func() { l.search.SetText("") }, []string{"Globex discovery"}},
		{"rep", func() { l.rep.SetSelected("Bob") }, func() { l.rep.SetSelected(allFilter) }, []string{"Initech demo"}},
		{"verdict", func() { l.verdict.SetSelected("Listening") }, func() { l.verdict.SetSelected(allFilter) }, []string{"Acme renewal"}},
		{"dates", func() { l.since.SetText("2026-11-05"); l.until.SetText("2026-11-15") },
			func() { l.since.SetText(""); l.until.SetText("") }, []string{"Globex discovery"}},
		{"rep and verdict", func() { l.rep.SetSelected("Ann"); l.verdict.SetSelected("Script-driven") },
			func() { l.rep.SetSelected(allFilter); l.verdict.SetSelected(allFilter) }, []string{"Globex discovery"}},
	}
	for _, tt := range tests {
		tt.set()
		got := titles(l)
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
		tt.reset()
		if n := len(l.rows); n != 3 {
			t.Errorf("%s: after clearing the filter %d calls, want 3", tt.name, n)
		}
	}
}

func TestLibraryTagFilter(t *testing.T) {
	a, _, ids := libraryFixture(t)
	// Tag the Globex call through the review's annotate flow.
	a.OpenCall(ids[1], 0)
	a.review.timeline.SetSelection(Range{time.Second, 3 * time.Second})
	a.review.onSelect(a.review.timeline.Selection())
	test.Tap(a.review.annotate)
	a.pendingNote.tag.SetText("missed cue")
	tapDialogButton(t, a, "Save")
	a.Show("library")
	for _, r := range a.library.rows {
		if r.Title == "Globex discovery" && (len(r.Tags) != 1 || r.Tags[0] != "missed cue") {
			t.Errorf("the list shows Globex's tags as %v, want [missed cue]", r.Tags)
		}
	}
	a.library.tag.SetSelected("missed cue")
	if got := titles(a.library); len(got) != 1 || got[0] != "Globex discovery" {
		t.Errorf("tag filter: got %v, want [Globex discovery]", got)
	}
}

func TestLibraryTrashAndUndo(t *testing.T) {
	a, _, _ := libraryFixture(t)
	l := a.library
	if !l.trashBtn.Disabled() || !l.openBtn.Disabled() {
		t.Error("trash/open enabled with nothing selected")
	}
	l.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if l.trashBtn.Disabled() {
		t.Fatal("trash disabled with a call selected")
	}
	test.Tap(l.trashBtn)
	if got := titles(l); len(got) != 2 || got[0] == "Initech demo" {
		t.Fatalf("after trashing Initech: %v", got)
	}
	if !l.undoBtn.Visible() {
		t.Fatal("no Undo offered after a delete")
	}
	l.trash.SetChecked(true)
	if got := titles(l); len(got) != 1 || got[0] != "Initech demo" {
		t.Errorf("trash lists %v, want [Initech demo]", got)
	}
	l.trash.SetChecked(false)
	test.Tap(l.undoBtn)
	if got := titles(l); len(got) != 3 {
		t.Errorf("after Undo: %v, want all 3 calls", got)
	}
	if l.undoBtn.Visible() {
		t.Error("Undo still offered after undoing")
	}
}

func TestLibraryOpensReview(t *testing.T) {
	a, _, ids := libraryFixture(t)
	l := a.library
	l.table.Select(widget.TableCellID{Row: 2, Col: 0})
	test.Tap(l.openBtn)
	if a.Current() != "review" || a.review.call == nil || a.review.call.ID != ids[0] {
		t.Errorf("Review shows %v on %q, want call %d", a.review.call, a.Current(), ids[0])
	}
}

// TestFollowsLibrary: a call imported, changed or trashed through another
// connection to the library (what the command line or a second window
// does) shows in the open app without a restart, and the selection stays.
func TestFollowsLibrary(t *testing.T) {
	a, lib, ids := libraryFixture(t)
	l := a.library
	l.table.Select(widget.TableCellID{Row: 1, Col: 0})
	selected := l.rows[1].ID
	cli, err := store.Open(lib.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	id := addCall(t, cli, "Umbrella follow-up", "Cy", nil, time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local))
	waitFor(t, "the new call in the list", func() bool { return len(l.rows) == 4 && l.rows[0].ID == id })
	waitFor(t, "the selection to stay on its call", func() bool {
		c, ok := l.selected()
		return ok && c.ID == selected
	})
	if err := cli.UpdateCall(context.Background(), ids[0], "Acme renewal (renamed)", "Ann", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the renamed call", func() bool {
		for _, r := range l.rows {
			if r.ID == ids[0] && r.Title == "Acme renewal (renamed)" {
				return true
			}
		}
		return false
	})
	if err := cli.Trash(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the trashed call to leave the list", func() bool { return len(l.rows) == 3 })
}

// TestLibraryDoubleClickOpens: a double click on a row opens that call in
// Review; one on the header opens nothing.
func TestLibraryDoubleClickOpens(t *testing.T) {
	a, _, ids := libraryFixture(t)
	l := a.library
	head := l.table.CreateHeader().MinSize().Height
	row := l.table.CreateCell().MinSize().Height
	sep := theme.SeparatorThicknessSize()
	l.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(40, head/2)})
	if a.Current() == "review" {
		t.Fatal("a double click on the header opened a call")
	}
	// The second row (Globex, ids[1]: the list is newest first).
	l.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(40, head+sep+row+sep+row/2)})
	if a.Current() != "review" || a.review.call == nil || a.review.call.ID != ids[1] {
		t.Errorf("after a double click on the second row Review shows %v on %q, want call %d", a.review.call, a.Current(), ids[1])
	}
}
