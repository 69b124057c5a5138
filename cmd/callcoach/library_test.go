package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-audio/wav"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow/interchange"
	"callcoach/store"
)

// libCLI runs callcoach in-process.
func libCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// mustLibCLI runs callcoach and fails the test unless it exits 0.
func mustLibCLI(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := libCLI(args...)
	if code != 0 {
		t.Fatalf("callcoach %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// demoCallWAV writes the rendered demo call (real speech, a rep who
// interrupts) as a stereo 16 kHz WAV.
func demoCallWAV(t *testing.T, dir string) string {
	t.Helper()
	rep, cust, _ := callgen.Render(callgen.Demo(), callgen.RenderOptions{Rate: 16000})
	path := filepath.Join(dir, "Script call.wav")
	if err := callgen.WriteStereoWAV(path, 16000, rep, cust); err != nil {
		t.Fatal(err)
	}
	return path
}

// wavSamples reads a WAV's interleaved samples.
func wavSamples(t *testing.T, path string) (rate, channels int, data []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf, err := wav.NewDecoder(f).FullPCMBuffer()
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return buf.Format.SampleRate, buf.Format.NumChannels, buf.Data
}

func decodeLibJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
	return v
}

// TestLibraryCommands walks a call through the library commands: import,
// list, show, annotate, annotations, clip, clips, export, backup, trash,
// restore and delete.
func TestLibraryCommands(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	t.Setenv("CALLCOACH_DATA", lib) // the commands below find it without --data
	t.Setenv("USER", "tester")
	src := demoCallWAV(t, t.TempDir())

	old := largeImport
	largeImport = 0 // show progress for this small file
	t.Cleanup(func() { largeImport = old })
	out, errs := mustLibCLI(t, "import", "--rep", "Ana", "--customer", "Acme", src)
	if !strings.Contains(out, `imported `+src+` as call 1 "Script call"`) || !strings.Contains(errs, "copying 100%") || !strings.Contains(errs, "analysing 100%") {
		t.Errorf("import: stdout %q, stderr %q", out, errs)
	}
	// A second import of the same bytes names the call and succeeds.
	dup := filepath.Join(t.TempDir(), "renamed.wav")
	b, _ := os.ReadFile(src)
	os.WriteFile(dup, b, 0o600)
	code, out, errs := libCLI("import", dup)
	if code != 0 || !strings.Contains(errs, `already in the library as call 1 "Script call"`) || out != "" {
		t.Errorf("duplicate import: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	out, _ = mustLibCLI(t, "list", "--json")
	list := decodeLibJSON[[]summaryJSON](t, out)
	if len(list) != 1 || list[0].ID != 1 || list[0].Rep != "Ana" || list[0].Customer != "Acme" || list[0].Status != "complete" {
		t.Fatalf("list --json: %+v", list)
	}
	out, _ = mustLibCLI(t, "list", "--rep", "ana", "--since", "2000-01-01")
	if !strings.Contains(out, "Script call") || !strings.Contains(out, "Acme") {
		t.Errorf("list: %q", out)
	}
	if out, _ := mustLibCLI(t, "list", "--rep", "Ben", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("list --rep Ben --json: %q, want []", out)
	}

	out, _ = mustLibCLI(t, "show", "1", "--json")
	call := decodeLibJSON[callJSON](t, out)
	if call.Result == nil || call.AudioFile == "" || !strings.HasPrefix(call.AudioFile, lib) || call.Duration.D() <= 0 {
		t.Fatalf("show --json: %+v", call)
	}
	res := call.Result
	if countInterruptionsBy(res, analysis.Rep) == 0 {
		t.Fatalf("the demo call measured no interruptions by the rep; the label test needs some: %+v", res.Interruptions)
	}
	if out, _ := mustLibCLI(t, "show", "1"); !strings.Contains(out, "Rep talk share") || !strings.Contains(out, "Verdict") {
		t.Errorf("show: %q", out)
	}

	out, _ = mustLibCLI(t, "annotate", "1", "--from", "0.5", "--to", "0:01.5", "--tag", "missed cue", "--note", "let them finish")
	if !strings.Contains(out, "added annotation 1 to call 1") || !strings.Contains(out, "[missed cue]") || !strings.Contains(out, "(tester)") {
		t.Errorf("annotate: %q", out)
	}
	mustLibCLI(t, "annotate", "1", "--from", "2", "--note", "a moment", "--author", "Coach")
	out, _ = mustLibCLI(t, "annotations", "1", "--json")
	as := decodeLibJSON[[]annotationJSON](t, out)
	if len(as) != 2 || as[0].Start != analysis.Dur(500e6) || as[0].End != analysis.Dur(1500e6) || as[0].Tag != "missed cue" ||
		as[0].Author != "tester" || as[1].Start != as[1].End || as[1].Author != "Coach" {
		t.Errorf("annotations --json: %+v", as)
	}

	clipOut := filepath.Join(t.TempDir(), "clip.wav")
	out, _ = mustLibCLI(t, "clip", "1", "--out", clipOut)
	if !strings.Contains(out, "saved clip 1 (1 s, 0.5 s to 1.5 s of call 1)") {
		t.Errorf("clip: %q", out)
	}
	rate, ch, all := wavSamples(t, call.AudioFile)
	crate, cch, clip := wavSamples(t, clipOut)
	if crate != rate || cch != 2 || ch != 2 || !slices.Equal(clip, all[2*rate/2:2*rate*3/2]) {
		t.Errorf("clip: %d Hz × %d, %d samples; want exactly the call's samples 0.5 s to 1.5 s", crate, cch, len(clip))
	}
	if fi, err := os.Stat(clipOut); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("clip --out file: %v, mode %v", err, fi.Mode())
	}
	if code, _, errs := libCLI("clip", "1", "--out", clipOut); code == 0 || !strings.Contains(errs, "already exists") {
		t.Errorf("clip --out onto an existing file: exit %d, %q", code, errs)
	}
	out, _ = mustLibCLI(t, "clips", "--tag", "Missed Cue", "--json")
	clips := decodeLibJSON[[]clipJSON](t, out)
	if len(clips) != 1 || clips[0].Rep != "Ana" || clips[0].CallTitle != "Script call" || clips[0].Tag != "missed cue" {
		t.Errorf("clips --json: %+v", clips)
	}

	// CSV: one header row, one row; parse it back.
	out, _ = mustLibCLI(t, "export", "1", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 || !slices.Equal(recs[0], interchange.CSVColumns) || len(recs[1]) != len(interchange.CSVColumns) {
		t.Fatalf("export csv: %v, %q", err, out)
	}
	row := map[string]string{}
	for i, k := range recs[0] {
		row[k] = recs[1][i]
	}
	share, _ := strconv.ParseFloat(row["rep_talk_share"], 64)
	dur, _ := strconv.ParseFloat(row["duration_s"], 64)
	if row["call_id"] != "1" || row["title"] != "Script call" || row["verdict"] != string(res.Listening.Verdict) ||
		row["annotations"] != "2" || !nearly(share, res.RepTalkShare, 1e-4) || !nearly(dur, res.Duration.Seconds(), 1e-3) ||
		row["rep_interruptions"] != strconv.Itoa(countInterruptionsBy(res, analysis.Rep)) {
		t.Errorf("export csv row: %v", row)
	}

	// Labels: start, end, text, tab-separated, seconds with six decimals.
	out, _ = mustLibCLI(t, "export", "1", "--format", "labels")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2+len(res.Interruptions) {
		t.Fatalf("labels: got %d lines, want 2 annotations + %d interruptions:\n%s", len(lines), len(res.Interruptions), out)
	}
	prev := -1.0
	var found bool
	for _, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("label %q: got %d fields, want 3", line, len(f))
		}
		start, err1 := strconv.ParseFloat(f[0], 64)
		end, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil || end < start || start < prev || len(f[0]) < 8 || f[0][len(f[0])-7] != '.' {
			t.Errorf("label %q: bad times", line)
		}
		prev = start
		if line == "0.500000\t1.500000\tmissed cue: let them finish" {
			found = true
		}
	}
	if !found {
		t.Errorf("labels lack the annotation:\n%s", out)
	}
	out, _ = mustLibCLI(t, "export", "1", "--format", "json")
	if j := decodeLibJSON[callJSON](t, out); len(j.Annotations) != 2 || j.Result == nil {
		t.Errorf("export json: %+v", j)
	}
	csvFile := filepath.Join(t.TempDir(), "call.csv")
	mustLibCLI(t, "export", "1", "--format", "csv", "--out", csvFile)
	if b, _ := os.ReadFile(csvFile); !strings.HasPrefix(string(b), "call_id,title") {
		t.Errorf("export --out: %q", b)
	}

	dest := filepath.Join(t.TempDir(), "backup")
	out, _ = mustLibCLI(t, "backup", dest)
	if !strings.Contains(out, "2 audio files") {
		t.Errorf("backup: %q", out)
	}
	if out, _ := mustLibCLI(t, "list", "--data", dest, "--json"); len(decodeLibJSON[[]summaryJSON](t, out)) != 1 {
		t.Errorf("the backup does not list the call: %q", out)
	}

	out, _ = mustLibCLI(t, "delete", "1")
	if !strings.Contains(out, "moved call 1 \"Script call\" to the trash") {
		t.Errorf("delete: %q", out)
	}
	if out, _ := mustLibCLI(t, "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("list after delete: %q", out)
	}
	if out, _ := mustLibCLI(t, "list", "--trash", "--json"); len(decodeLibJSON[[]summaryJSON](t, out)) != 1 {
		t.Errorf("list --trash: %q", out)
	}
	mustLibCLI(t, "restore", "1")
	if out, _ := mustLibCLI(t, "list", "--json"); len(decodeLibJSON[[]summaryJSON](t, out)) != 1 {
		t.Errorf("list after restore: %q", out)
	}
	if code, _, errs := libCLI("restore", "1"); code != 1 || !strings.Contains(errs, "not in the trash") {
		t.Errorf("restore of a live call: exit %d, %q", code, errs)
	}
	mustLibCLI(t, "delete", "--purge", "1")
	if _, err := os.Stat(call.AudioFile); !os.IsNotExist(err) {
		t.Errorf("delete --purge left the audio: %v", err)
	}
	if code, _, errs := libCLI("show", "1"); code != 1 || !strings.Contains(errs, "there is no call 1 in this library: run 'callcoach list'") {
		t.Errorf("show after delete: exit %d, %q", code, errs)
	}
	out, _ = mustLibCLI(t, "clips", "--json")
	if clips := decodeLibJSON[[]clipJSON](t, out); len(clips) != 1 || clips[0].CallID != nil {
		t.Errorf("the clip must survive its call: %+v", clips)
	} else if _, err := os.Stat(clips[0].File); err != nil {
		t.Errorf("clip audio after the call's deletion: %v", err)
	}
}

func countInterruptionsBy(r *analysis.Result, s analysis.Speaker) int {
	n := 0
	for _, in := range r.Interruptions {
		if in.By == s {
			n++
		}
	}
	return n
}

func nearly(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }

// TestLibraryBadInput checks each mistake gives a clear error and changes
// nothing.
func TestLibraryBadInput(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	src := demoCallWAV(t, t.TempDir())
	mustLibCLI(t, "import", "--data", lib, src)
	mustLibCLI(t, "annotate", "--data", lib, "1", "--from", "1", "--to", "2", "--tag", "good question")
	state := func() string {
		out, _ := mustLibCLI(t, "show", "--data", lib, "1", "--json")
		o2, _ := mustLibCLI(t, "clips", "--data", lib, "--json")
		return out + o2
	}
	before := state()
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("not audio"), 0o600)
	// A new, good call to go with a bad file: neither may be imported.
	fresh := filepath.Join(t.TempDir(), "fresh.wav")
	rep, cust, _ := callgen.Render(callgen.Demo(), callgen.RenderOptions{Rate: 8000})
	if err := callgen.WriteStereoWAV(fresh, 8000, rep[:16000], cust[:16000]); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o600)

	for _, tt := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"show", "9"}, 1, "there is no call 9 in this library"},
		{[]string{"show", "abc"}, 2, "CALL must be a call number"},
		{[]string{"show"}, 2, "give the call number"},
		{[]string{"annotate", "9", "--from", "1"}, 1, "there is no call 9"},
		{[]string{"annotate", "1", "--from", "3", "--to", "2"}, 1, "ends (2 s) before it starts (3 s)"},
		{[]string{"annotate", "1", "--from", "1", "--to", "9999"}, 1, "runs past the end of call 1"},
		{[]string{"annotate", "1", "--from", "1", "--tag", ""}, 2, "--tag cannot be empty"},
		{[]string{"annotate", "1", "--from", "1", "--tag", "   "}, 2, "--tag cannot be empty"},
		{[]string{"annotate", "1", "--from", "soon"}, 2, "a time in the call is seconds"},
		{[]string{"annotate", "1", "--to", "2"}, 2, "--from"},
		{[]string{"clip", "7"}, 1, "there is no annotation 7"},
		{[]string{"export", "1", "--format", "xml"}, 2, "--format is textgrid, eaf, rttm, labels, csv or json"},
		{[]string{"export", "1"}, 2, "--format"},
		{[]string{"list", "--since", "yesterday"}, 2, "--since takes a date"},
		{[]string{"list", "--verdict", "great"}, 2, "--verdict is listening"},
		{[]string{"delete", "5"}, 1, "there is no call 5"},
		{[]string{"restore", "5"}, 1, "there is no call 5"},
		{[]string{"import", fresh, notes}, 1, "nothing was imported"},
		{[]string{"import", filepath.Join(t.TempDir(), "missing.wav")}, 1, "cannot read"},
		{[]string{"import", "--rep-file", src}, 2, "give both --rep-file and --customer-file"},
		{[]string{"backup", lib + "/inside"}, 1, "inside the library"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{tt.args[0], "--data", lib}, tt.args[1:]...)
			code, _, errs := libCLI(args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("got exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
			if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
				t.Errorf("stderr holds a stack trace: %q", errs)
			}
		})
	}
	if out, _ := mustLibCLI(t, "list", "--data", lib, "--json"); len(decodeLibJSON[[]summaryJSON](t, out)) != 1 {
		t.Errorf("bad input added calls: %s", out)
	}
	if after := state(); after != before {
		t.Errorf("bad input changed the library:\nbefore %s\nafter %s", before, after)
	}

	// An unwritable library folder (a file is in the way) and a library
	// that does not exist yet.
	code, _, errs := libCLI("import", "--data", filepath.Join(file, "lib"), src)
	if code != 1 || !strings.Contains(errs, "cannot open the library in "+filepath.Join(file, "lib")) {
		t.Errorf("unwritable library: exit %d, %q", code, errs)
	}
	missing := filepath.Join(t.TempDir(), "nolib")
	code, _, errs = libCLI("list", "--data", missing)
	if code != 1 || !strings.Contains(errs, "there is no CallCoach library in "+missing) {
		t.Errorf("list of a missing library: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("list created %s", missing)
	}
}

// TestLibraryNewerSchema: a library from a newer CallCoach is refused with
// the store's sentence.
func TestLibraryNewerSchema(t *testing.T) {
	lib := t.TempDir()
	l, err := store.Open(lib)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := bumpSchema(filepath.Join(lib, store.DBName)); err != nil {
		t.Fatal(err)
	}
	code, _, errs := libCLI("list", "--data", lib)
	if code != 1 || !strings.Contains(errs, "this library was made by a newer CallCoach") || !strings.Contains(errs, "update the app") {
		t.Errorf("got exit %d, %q", code, errs)
	}
}

// bumpSchema marks a library as made by a schema two versions ahead.
func bumpSchema(path string) error {
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, 'future', 0)`, store.SchemaVersion()+2)
	return err
}

// TestImportPairCLI imports one mono file per party.
func TestImportPairCLI(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	dir := t.TempDir()
	rep, cust, _ := callgen.Render(callgen.Demo(), callgen.RenderOptions{Rate: 16000})
	repWAV, custWAV := filepath.Join(dir, "rep.wav"), filepath.Join(dir, "customer.wav")
	if err := callgen.WriteWAV(repWAV, 16000, callgen.Int16, rep); err != nil {
		t.Fatal(err)
	}
	// The customer's side at a phone line's rate.
	if err := callgen.WriteWAV(custWAV, 8000, callgen.Int16, callgen.Resample(cust, 16000, 8000)); err != nil {
		t.Fatal(err)
	}
	out, _ := mustLibCLI(t, "import", "--data", lib, "--json", "--rep", "Ana", "--rep-file", repWAV, "--customer-file", custWAV)
	got := decodeLibJSON[[]summaryJSON](t, out)
	if len(got) != 1 || got[0].Title != "rep" || got[0].Rep != "Ana" {
		t.Fatalf("import --json: %+v", got)
	}
	out, _ = mustLibCLI(t, "show", "--data", lib, "1", "--json")
	c := decodeLibJSON[callJSON](t, out)
	if c.Channels != (analysis.Channels{Rep: "left", Customer: "right"}) || c.Result == nil || c.Result.File != "rep.wav + customer.wav" {
		t.Errorf("pair call: channels %+v, result file %q", c.Channels, c.Result.File)
	}
	if rate, ch, _ := wavSamples(t, c.AudioFile); rate != 8000 || ch != 2 {
		t.Errorf("merged file: %d Hz × %d, want 8000 Hz stereo (the lower rate)", rate, ch)
	}
	if code, _, errs := libCLI("import", "--data", lib, "--rep-file", repWAV, "--customer-file", custWAV); code != 0 || !strings.Contains(errs, "already in the library as call 1") {
		t.Errorf("second pair import: exit %d, %q", code, errs)
	}
}

// TestRepairCLI damages a real library's database and checks that every
// command says so and names the repair (not "choose a folder you can write
// to"), that 'callcoach repair' brings the calls and annotations back with
// their numbers, and that a second repair changes nothing.
func TestRepairCLI(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	src := demoCallWAV(t, t.TempDir())
	mustLibCLI(t, "import", "--data", lib, "--rep", "Ana", src)
	mustLibCLI(t, "annotate", "--data", lib, "1", "--from", "1", "--to", "2.5", "--tag", "interrupted", "--note", "cut in here")
	want, _ := mustLibCLI(t, "show", "--data", lib, "1", "--json")

	// Overwrite the database's header: SQLite calls it "not a database".
	f, err := os.OpenFile(filepath.Join(lib, store.DBName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("this is not sqlite at all"), 0)
	f.Close()
	for _, cmd := range []string{"list", "show"} {
		args := []string{cmd, "--data", lib}
		if cmd == "show" {
			args = append(args, "1")
		}
		code, _, errs := libCLI(args...)
		if code != 1 || !strings.Contains(errs, "is damaged") || !strings.Contains(errs, "callcoach repair") || strings.Contains(errs, "write to") {
			t.Errorf("%s on a damaged library: exit %d, %q; want a sentence naming 'callcoach repair'", cmd, code, errs)
		}
	}
	out, _ := mustLibCLI(t, "repair", "--data", lib)
	if !strings.Contains(out, "Rebuilt the library") || !strings.Contains(out, "1 calls, 1 annotations") || !strings.Contains(out, "The old database is kept as") {
		t.Errorf("repair said %q", out)
	}
	got, _ := mustLibCLI(t, "show", "--data", lib, "1", "--json")
	if got != want {
		t.Errorf("call 1 after repair:\n%s\nwant\n%s", got, want)
	}
	out, _ = mustLibCLI(t, "repair", "--data", lib)
	if !strings.Contains(out, "is not damaged") || !strings.Contains(out, "Nothing was changed") {
		t.Errorf("second repair said %q", out)
	}
	// A deleted database: the calls come back from the files beside them.
	os.Remove(filepath.Join(lib, store.DBName))
	code, _, errs := libCLI("list", "--data", lib)
	if code != 1 || !strings.Contains(errs, "database file is missing") || !strings.Contains(errs, "callcoach repair") {
		t.Errorf("list with the database deleted: exit %d, %q", code, errs)
	}
	mustLibCLI(t, "repair", "--data", lib)
	if got, _ := mustLibCLI(t, "show", "--data", lib, "1", "--json"); got != want {
		t.Errorf("call 1 after the database was deleted and repaired:\n%s\nwant\n%s", got, want)
	}
}

// TestOneChannelCallCLI imports a real one-channel recording (an AMI
// meeting excerpt) and checks that import, list and show say what was
// measured (speech, silence, the voices) and never a rep talk share of 0%.
func TestOneChannelCallCLI(t *testing.T) {
	data := t.TempDir()
	mono := filepath.Join("..", "..", "..", "shared", "data", "real-speech", "trn00.wav")
	code, out, errs := runCLI("import", "--data", data, mono)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "one channel: 0:") || !strings.Contains(out, "of speech") || strings.Contains(out, "you talked") {
		t.Errorf("import says %q, want the speech of a one-channel call", out)
	}
	code, out, _ = runCLI("list", "--data", data)
	if code != 0 || !strings.Contains(out, "1 channel") || strings.Contains(out, " 0%") {
		t.Errorf("list: exit %d:\n%s\nwant '1 channel' in the talk column, no 0%%", code, out)
	}
	code, out, _ = runCLI("list", "--data", data, "--json")
	if code != 0 || !strings.Contains(out, `"unattributed": true`) {
		t.Errorf("list --json: %s", out)
	}
	code, out, _ = runCLI("show", "--data", data, "1")
	for _, want := range []string{"Speech:", "(one channel)", "Silence:", "Rep and customer:    not known"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if code != 0 || strings.Contains(out, "Rep talk share") || strings.Contains(out, "rep 0:00") {
		t.Errorf("show prints rep and customer figures of zero:\n%s", out)
	}
}

// TestTagsAndEmptyTrash: the tag set and the trash can be managed from the
// command line (the store's AddTag, RenameTag, DeleteTag and PurgeTrash
// have their users).
func TestTagsAndEmptyTrash(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCLI("import", "--data", data, filepath.Join("..", "..", "assets", "demo.wav")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	for _, args := range [][]string{{"--add", "pricing"}, {"--rename", "pricing", "--to", "price talk"}} {
		if code, _, errs := runCLI(append([]string{"tags", "--data", data}, args...)...); code != 0 {
			t.Fatalf("tags %v: %s", args, errs)
		}
	}
	if code, out, _ := runCLI("annotate", "1", "--data", data, "--from", "1", "--to", "2", "--tag", "price talk"); code != 0 {
		t.Fatalf("annotate: %s", out)
	}
	code, out, _ := runCLI("tags", "--data", data)
	if code != 0 || !regexp.MustCompile(`price talk +1\n`).MatchString(out) {
		t.Errorf("tags lists:\n%s\nwant 'price talk' with one annotation", out)
	}
	if code, _, _ := runCLI("tags", "--data", data, "--delete", "price talk"); code != 0 {
		t.Error("tags --delete failed")
	}
	if _, out, _ := runCLI("tags", "--data", data, "--json"); strings.Contains(out, "price talk") {
		t.Errorf("deleted tag still listed: %s", out)
	}
	if code, _, errs := runCLI("tags", "--data", data, "--rename", "x"); code != 2 || !strings.Contains(errs, "--to") {
		t.Errorf("--rename without --to: exit %d %q", code, errs)
	}
	runCLI("delete", "1", "--data", data)
	if code, out, _ := runCLI("delete", "--empty-trash", "--older-than", "1", "--data", data); code != 0 || !strings.Contains(out, "deleted 0 call") {
		t.Errorf("empty the trash of calls older than a day: exit %d %q", code, out)
	}
	if code, out, _ := runCLI("delete", "--empty-trash", "--data", data); code != 0 || !strings.Contains(out, "deleted 1 call") {
		t.Errorf("empty the trash: exit %d %q", code, out)
	}
	if _, out, _ := runCLI("list", "--trash", "--data", data); strings.Contains(out, "demo") {
		t.Errorf("the trash still holds the call: %s", out)
	}
}
