package ui

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"callcoach/callflow"
	"callcoach/callflow/interchange"
	"callcoach/callflow/report"
	"callcoach/store"
)

// TestReviewReportAndExport: the Review screen's Report… and Export… open
// their forms, then the file chooser; once a file is chosen the report
// (HTML and PDF) and every export format are written there, readable by
// the user alone.
func TestReviewReportAndExport(t *testing.T) {
	a, _, _, id := openSample(t)
	r := a.review
	for _, b := range []string{"Report…", "Export…", "Import annotations…"} {
		if btn := findButton(r.content, b); btn == nil || btn.Disabled() {
			t.Fatalf("Review has no enabled %q button", b)
		}
	}
	test.Tap(r.reportBtn)
	tapDialogButton(t, a, "Choose file…") // the form's confirm opens the file chooser
	if a.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no file chooser after the report form")
	}
	a.win.Canvas().Overlays().Top().Hide()
	a.win.Canvas().Overlays().Remove(a.win.Canvas().Overlays().Top())

	dir := t.TempDir()
	html := filepath.Join(dir, "call.html")
	msg, err := r.writeReport(id, html, callflow.ReportHTML, report.A4)
	if err != nil || !strings.Contains(msg, "Saved the report of call") {
		t.Fatalf("writeReport: %q, %v", msg, err)
	}
	b, _ := os.ReadFile(html)
	for _, want := range append([]string{"Acme renewal", "Ann", "Figures against their targets"}, r.call.Result.Listening.Reasons[0]) {
		if !strings.Contains(string(b), strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("the report lacks %q", want)
		}
	}
	pdf := filepath.Join(dir, "call.pdf")
	if _, err := r.writeReport(id, pdf, callflow.ReportPDF, report.Letter); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(pdf); !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("the PDF starts %.10q", b)
	}
	for _, f := range interchange.ExportFormats {
		path := filepath.Join(dir, "call"+f.Ext)
		if _, err := r.writeExport(id, path, f); err != nil {
			t.Fatalf("export %s: %v", f.Name, err)
		}
		st, err := os.Stat(path)
		if err != nil || st.Size() == 0 || st.Mode().Perm() != 0o600 {
			t.Errorf("export %s: %v %v", f.Name, st, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "call.TextGrid")); !strings.HasPrefix(string(b), `File type = "ooTextFile"`) {
		t.Errorf("TextGrid export: %.40q", b)
	}
	test.Tap(r.exportBtn)
	if a.win.Canvas().Overlays().Top() == nil {
		t.Error("Export… showed no form")
	}
}

// TestReviewImportAnnotations: a label track imported from Review shows in
// the call's annotation list; a bad file says why and adds nothing.
func TestReviewImportAnnotations(t *testing.T) {
	a, _, lib, id := openSample(t)
	r := a.review
	a.prefs.Author = "Coach Kim"
	dir := t.TempDir()
	labels := filepath.Join(dir, "marks.txt")
	os.WriteFile(labels, []byte("2.000000\t4.500000\tinterrupted: too soon\n10.000000\t10.000000\tnice pause\n"), 0o600)
	msg, err := r.importAnnotations(id, labels)
	if err != nil || msg != "Added 2 annotations to call "+itoa(id)+" from the Audacity label track." {
		t.Fatalf("import: %q, %v", msg, err)
	}
	if len(r.notes) != 2 || r.notes[0].Tag != "interrupted" || r.notes[0].Note != "too soon" || r.notes[0].Author != "Coach Kim" || r.notes[1].Note != "nice pause" {
		t.Errorf("Review's annotations after the import: %+v", r.notes)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("1\t2\tok\n31\t40\tpast the end\n"), 0o600)
	if _, err := r.importAnnotations(id, bad); err == nil || !strings.Contains(err.Error(), "runs past the end of the call") {
		t.Errorf("bad import: %v", err)
	}
	if as, _ := lib.Annotations(context.Background(), id); len(as) != 2 {
		t.Errorf("the bad import left %d annotations, want 2", len(as))
	}
}

// TestTrendsReportAndLibraryCSV: Trends' Report… writes the rep's report;
// the Library's Export CSV… writes the calls it lists, filters applied.
func TestTrendsReportAndLibraryCSV(t *testing.T) {
	lib := newTestLibrary(t)
	day := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	for i, rep := range []string{"Ann", "Ann", "Ben"} {
		addCall(t, lib, "Call "+itoa(int64(i+1)), rep, nil, day.AddDate(0, 0, i))
	}
	a := newTestApp(t, Options{Library: lib})
	a.Show("trends")
	a.trends.rep.SetSelected("Ann")
	if findButton(a.trends.content, "Report…") == nil {
		t.Fatal("Trends has no Report… button")
	}
	test.Tap(findButton(a.trends.content, "Report…"))
	if a.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Trends' Report… showed no form")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ann.pdf")
	if _, err := a.trends.writeReport("Ann", day, day.AddDate(0, 0, 7), path, callflow.ReportPDF, report.A4); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("rep PDF: %.10q", b)
	}

	a.Show("library")
	a.library.rep.SetSelected("Ann")
	csvPath := filepath.Join(dir, "calls.csv")
	msg, err := a.library.exportCSV(a.library.query(), csvPath)
	if err != nil || msg != "Exported 2 calls as CSV (one row per call, every figure)." {
		t.Fatalf("export CSV: %q, %v", msg, err)
	}
	f, _ := os.Open(csvPath)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][2] != "Ann" || recs[2][2] != "Ann" {
		t.Errorf("CSV: %v %v", err, recs)
	}
	if findButton(a.library.content, "Export CSV…") == nil {
		t.Error("the Library has no Export CSV… button")
	}
}

// TestShareNeedsALibraryCall: the demo shown without a library cannot be
// reported or exported (its buttons are disabled).
func TestShareNeedsALibraryCall(t *testing.T) {
	a := newTestApp(t, Options{})
	a.review.Open(&store.Call{Title: "demo", Result: sampleResult(t)}, 0)
	for _, b := range []string{"Report…", "Export…", "Import annotations…"} {
		if btn := findButton(a.review.content, b); btn == nil || !btn.Disabled() {
			t.Errorf("%q is enabled for the demo", b)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
