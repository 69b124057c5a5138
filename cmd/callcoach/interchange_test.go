package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow/interchange"
)

// shortCallWAV writes a short attentive call (a different recording from
// the demo, and shorter) as a stereo 16 kHz WAV.
func shortCallWAV(t *testing.T, dir string) (string, time.Duration) {
	t.Helper()
	s := callgen.Attentive("short attentive", 3, 1)
	rep, cust, _ := callgen.Render(s, callgen.RenderOptions{Rate: 16000})
	path := filepath.Join(dir, "Short call.wav")
	if err := callgen.WriteStereoWAV(path, 16000, rep, cust); err != nil {
		t.Fatal(err)
	}
	return path, time.Duration(len(rep)) * time.Second / 16000
}

// annotationKeys are a call's annotations as comparable text: range, tag
// and note.
func annotationKeys(t *testing.T, call string) []string {
	t.Helper()
	out, _ := mustLibCLI(t, "annotations", call, "--json")
	var keys []string
	for _, a := range decodeLibJSON[[]annotationJSON](t, out) {
		keys = append(keys, strings.Join([]string{a.Start.D().String(), a.End.D().String(), a.Tag, a.Note}, "|"))
	}
	slices.Sort(keys)
	return keys
}

// TestExportImportRoundTrip annotates a call with the CLI, exports it in
// every format, opens the TextGrid in Praat, and imports the label track
// and the TextGrid into other calls: the annotations come back the same.
// Bad files change nothing.
func TestExportImportRoundTrip(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	t.Setenv("CALLCOACH_DATA", lib)
	t.Setenv("USER", "tester")
	dir := t.TempDir()
	mustLibCLI(t, "import", "--rep", "Zoë", demoCallWAV(t, dir))
	short, shortLen := shortCallWAV(t, dir)
	// The same short call twice (a copy with one sample changed, so it is not a duplicate).
	mustLibCLI(t, "import", short)
	b, _ := os.ReadFile(short)
	b[len(b)-1] ^= 1
	short2 := filepath.Join(dir, "Short call again.wav")
	os.WriteFile(short2, b, 0o600)
	mustLibCLI(t, "import", short2)

	for _, a := range [][]string{
		{"--from", "1", "--to", "2.5", "--tag", "interrupted", "--note", "Let José finish — then answer…"},
		{"--from", "2", "--to", "4", "--tag", "good question"},
		{"--from", "3.25", "--note", "Price: too early"},
		{"--from", "5", "--to", "6", "--note", `She said "next week"`},
	} {
		mustLibCLI(t, append([]string{"annotate", "2", "--author", "Dana"}, a...)...)
	}
	want := annotationKeys(t, "2")
	if len(want) != 4 {
		t.Fatalf("annotations of call 2: %q", want)
	}

	out := t.TempDir()
	for _, f := range interchange.ExportFormats {
		path := filepath.Join(out, "call2"+f.Ext)
		mustLibCLI(t, "export", "2", "--format", f.Name, "--out", path)
		if st, err := os.Stat(path); err != nil || st.Size() == 0 || st.Mode().Perm() != 0o600 {
			t.Errorf("export %s: %v, %v", f.Name, st, err)
		}
	}
	// Praat opens the CLI's TextGrid: tiers as written, the annotations there.
	praat, err := exec.LookPath("praat")
	if err != nil {
		t.Fatal("praat is not installed: run 'make deps'")
	}
	script, _ := filepath.Abs("../../callflow/interchange/testdata/read_textgrid.praat")
	var pout, perr bytes.Buffer
	cmd := exec.Command(praat, "--run", script, filepath.Join(out, "call2.TextGrid"))
	cmd.Stdout, cmd.Stderr = &pout, &perr
	if err := cmd.Run(); err != nil {
		t.Fatalf("praat: %v %s", err, perr.String())
	}
	for _, s := range []string{"interval\t", "rep\n", "customer\n", "point\t", "interruptions\n", "annotations\n", "annotation points\n",
		"Let José finish — then answer…", ": Price: too early", `She said "next week"`} {
		if !strings.Contains(pout.String(), s) {
			t.Errorf("praat's reading of the TextGrid lacks %q:\n%s", s, pout.String())
		}
	}

	// Round trips: labels into call 3, the TextGrid into call 1 (the
	// demo is longer than the short call, so the grid fits it).
	got, _ := mustLibCLI(t, "import-annotations", "3", filepath.Join(out, "call2.txt"))
	if !strings.Contains(got, "added 4 annotations to call 3 from the Audacity label track") {
		t.Errorf("import labels: %q", got)
	}
	if have := annotationKeys(t, "3"); !slices.Equal(have, want) {
		t.Errorf("labels round trip:\n got %q\nwant %q", have, want)
	}
	if again, _ := mustLibCLI(t, "import-annotations", "3", filepath.Join(out, "call2.txt")); !strings.Contains(again, "added 0 annotations to call 3 from the Audacity label track (4 already on the call)") {
		t.Errorf("importing again: %q", again)
	}
	got, _ = mustLibCLI(t, "import-annotations", "1", filepath.Join(out, "call2.TextGrid"), "--author", "Lee")
	if !strings.Contains(got, `added 4 annotations to call 1 from the TextGrid's tiers "annotations", "annotations 2", "annotation points"`) {
		t.Errorf("import TextGrid: %q", got)
	}
	if have := annotationKeys(t, "1"); !slices.Equal(have, want) {
		t.Errorf("TextGrid round trip:\n got %q\nwant %q", have, want)
	}
	ajs := decodeLibJSON[[]annotationJSON](t, func() string { o, _ := mustLibCLI(t, "annotations", "1", "--json"); return o }())
	if ajs[0].Author != "Lee" {
		t.Errorf("imported author: %q", ajs[0].Author)
	}

	// The library's list as CSV: one row per call, the export's columns.
	csvOut, _ := mustLibCLI(t, "list", "--csv", "--rep", "Zoë")
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) != 2 || !slices.Equal(recs[0], interchange.CSVColumns) || recs[1][0] != "1" || recs[1][2] != "Zoë" || !strings.Contains(csvOut, "\r\n") {
		t.Errorf("list --csv --rep: %v %q", err, csvOut)
	}
	csvOut, _ = mustLibCLI(t, "list", "--csv")
	if recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll(); err != nil || len(recs) != 4 {
		t.Errorf("list --csv: %v, %d rows", err, len(recs))
	}

	// Bad input: a sentence, a non-zero exit, nothing added.
	mustLibCLI(t, "annotate", "1", "--from", "30", "--to", "40", "--note", "late")
	demoGrid := filepath.Join(out, "call1.TextGrid")
	mustLibCLI(t, "export", "1", "--format", "textgrid", "--out", demoGrid)
	notes := filepath.Join(out, "notes.txt")
	os.WriteFile(notes, []byte("Call 3: she was upset about the price.\nFollow up next week.\n"), 0o600)
	empty := filepath.Join(out, "empty.TextGrid")
	os.WriteFile(empty, []byte("File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\nxmin = 0\nxmax = 2\ntiers? <exists>\nsize = 1\nitem []:\n"+
		"item [1]:\nclass = \"IntervalTier\"\nname = \"coach\"\nxmin = 0\nxmax = 2\nintervals: size = 1\nintervals [1]:\nxmin = 0\nxmax = 2\ntext = \"\"\n"), 0o600)
	before := annotationKeys(t, "3")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"3", notes}, 1, "is neither an Audacity label track"},
		{[]string{"3", demoGrid}, 1, "but the call is " + strings.TrimSuffix(strings.TrimSuffix(strconvSeconds(shortLen), "0"), ".")},
		{[]string{"3", empty}, 1, `tier 1 ("coach") of the TextGrid has no labelled intervals`},
		{[]string{"3", filepath.Join(out, "missing.txt")}, 1, "cannot read"},
		{[]string{"9", notes}, 1, "there is no call 9"},
		{[]string{"3"}, 2, "give the call number and the file"},
	} {
		code, _, errs := libCLI(append([]string{"import-annotations"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 && tc.code == 1 {
			t.Errorf("import-annotations %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	if after := annotationKeys(t, "3"); !slices.Equal(after, before) {
		t.Errorf("bad imports changed call 3's annotations:\n got %q\nwant %q", after, before)
	}
}

// strconvSeconds words a length as the import message does: seconds with
// up to three decimals.
func strconvSeconds(d time.Duration) string {
	return strings.TrimSuffix(secondsText(d.Round(time.Millisecond)), " s")
}
