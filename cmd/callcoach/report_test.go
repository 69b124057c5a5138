package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand makes a call's and a rep's report with the CLI, as
// HTML and as PDF (on the paper asked for, and the locale's), and checks
// the bad inputs.
func TestReportCommand(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	t.Setenv("CALLCOACH_DATA", lib)
	t.Setenv("USER", "tester")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_PAPER", "")
	t.Setenv("LANG", "en_US.UTF-8")
	mustLibCLI(t, "import", "--rep", "Zoë Ångström", "--customer", "Jürgen", demoCallWAV(t, t.TempDir()))
	mustLibCLI(t, "annotate", "1", "--from", "2", "--to", "5", "--tag", "interrupted", "--note", "Let him finish — then answer…", "--author", "Dana")
	out := t.TempDir()
	html := filepath.Join(out, "call.html")
	if got, _ := mustLibCLI(t, "report", "1", "--out", html); !strings.Contains(got, "wrote "+html) {
		t.Errorf("report: %q", got)
	}
	b, _ := os.ReadFile(html)
	show, _ := mustLibCLI(t, "show", "1", "--json")
	c := decodeLibJSON[callJSON](t, show)
	for _, s := range append([]string{"Script call", "Zoë Ångström", "Let him finish — then answer…", "Dana"}, c.Result.Listening.Reasons...) {
		if !strings.Contains(string(b), strings.ReplaceAll(s, "'", "&#39;")) {
			t.Errorf("the HTML report lacks %q", s)
		}
	}
	if st, _ := os.Stat(html); st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", st.Mode().Perm())
	}
	pdfs := map[string]string{"locale": "612 x 792", "a4": "595.28 x 841.89"}
	for paper, size := range pdfs {
		path := filepath.Join(out, "call-"+paper+".pdf")
		args := []string{"report", "1", "--out", path}
		if paper != "locale" {
			args = append(args, "--paper", paper)
		}
		mustLibCLI(t, args...)
		info, err := exec.Command("pdfinfo", path).Output()
		if err != nil || !strings.Contains(string(info), size) {
			t.Errorf("PDF on %s paper: %v\n%s", paper, err, info)
		}
		text, _ := exec.Command("pdftotext", path, "-").Output()
		if !strings.Contains(string(text), "Script call") || !strings.Contains(flatten(string(text)), flatten(c.Result.Listening.Reasons[0])) {
			t.Errorf("PDF text lacks the title or the first reason:\n%s", text)
		}
	}
	rep := filepath.Join(out, "rep.pdf")
	mustLibCLI(t, "report", "--rep", "zoë ångström", "--since", "2000-01-01", "--out", rep)
	text, _ := exec.Command("pdftotext", rep, "-").Output()
	if !strings.Contains(string(text), "Averages against the targets") || !strings.Contains(string(text), "Zoë Ångström") {
		t.Errorf("rep PDF:\n%s", text)
	}
	// Without --out: a file named after the call, here.
	wd, _ := os.Getwd()
	os.Chdir(out)
	defer os.Chdir(wd)
	mustLibCLI(t, "report", "1")
	if _, err := os.Stat(filepath.Join(out, "call-1-report.html")); err != nil {
		t.Error(err)
	}
	if o, _ := mustLibCLI(t, "report", "1", "--out", "-"); !strings.HasPrefix(o, "<!DOCTYPE html>") {
		t.Errorf("--out -: %.40q", o)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "1"}, 1, "call-1-report.html already exists"},
		{[]string{"report", "1", "--out", "x.txt"}, 2, "a report is an .html or a .pdf file"},
		{[]string{"report", "1", "--paper", "legal"}, 2, "--paper is a4 or letter"},
		{[]string{"report", "9", "--out", "n.html"}, 1, "there is no call 9"},
		{[]string{"report", "--rep", "Nobody"}, 1, `there is no rep called "Nobody"; the library knows Zoë Ångström`},
		{[]string{"report", "1", "--since", "2026-01-01"}, 2, "give --rep NAME too"},
		{[]string{"report", "1", "--rep", "Zoë"}, 2, "not both"},
		{[]string{"report"}, 2, "give the call number"},
	} {
		code, _, errs := libCLI(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 && code == 1 {
			t.Errorf("%q: exit %d, %q; want %d, %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "n.html")); err == nil {
		t.Error("a failed report left a file")
	}
}

func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }
