package callflow

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
	"callcoach/audio/device/pulsetest"
	"callcoach/audio/record"
	"callcoach/store"
)

// The recording tests' devices: two null sinks of a private PulseAudio
// server (pulsetest) at the rates of a USB microphone and a headset.
var testSinks = []pulsetest.Sink{
	{Name: "callcoach_mic", Description: "Microphone", Rate: 48000},
	{Name: "callcoach_headset", Description: "Headset", Rate: 44100},
}

var twoMonitors = Inputs{Rep: "monitor of microphone", Customer: "monitor of headset"}

// TestMain lets a test run this binary as a recording process it can kill.
func TestMain(m *testing.M) {
	if os.Getenv("CALLFLOW_CHILD") == "recorder" {
		os.Exit(childRecorder(os.Getenv("LIB")))
	}
	os.Exit(m.Run())
}

// childRecorder does what Session.Record does to a library without
// devices: mark, row, a file growing; then waits to be killed.
func childRecorder(dir string) int {
	lib, err := store.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	rel, err := lib.NewCallPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	mark, err := record.NewMark(lib.Abs(rel))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer mark.Done()
	c, err := lib.BeginRecording(ctx, store.RecordingStart{AudioPath: rel, Title: "child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w, err := audio.Create(lib.Abs(rel), 16000, 2)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w.WriteFrames(make([]float32, 2*16000*3))
	w.Sync()
	w.WriteFrames(make([]float32, 2*16000)) // after the last header update
	fmt.Printf("recording %d\n", c.ID)
	time.Sleep(time.Minute)
	return 0
}

// TestRecoverLeavesLiveRecordings: a recording in progress in another
// process is left alone by Recover until that process is killed; then it is
// repaired (every frame kept), analysed and filed as recovered, and its
// mark is gone. A recording whose crash came before its file is removed.
func TestRecoverLeavesLiveRecordings(t *testing.T) {
	dir := t.TempDir()
	lib, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CALLFLOW_CHILD=recorder", "LIB="+dir)
	cmd.Stderr = os.Stderr
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if !bufio.NewScanner(out).Scan() {
		cmd.Wait()
		t.Fatal("the recorder died before recording")
	}
	// A recording whose process died before it wrote any audio.
	rel, _ := lib.NewCallPath()
	empty, err := lib.BeginRecording(ctx, store.RecordingStart{AudioPath: rel, Title: "never began"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Recover(ctx, lib)
	if err != nil || len(got) != 0 {
		t.Fatalf("while the other process records: recovered %v, %v; want none", got, err)
	}
	if _, err := lib.Call(ctx, empty.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the recording without audio is still there: %v", err)
	}
	un, _ := lib.UnfinishedRecordings(ctx)
	if len(un) != 1 || un[0].Title != "child" {
		t.Fatalf("unfinished: %+v, want the child's", un)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	got, err = Recover(ctx, lib)
	if err != nil || len(got) != 1 {
		t.Fatalf("after the recorder was killed: recovered %v, %v; want its call", got, err)
	}
	c := got[0]
	if c.Status != store.StatusRecovered || c.Result == nil || c.Duration != 4*time.Second {
		t.Errorf("recovered call: status %q, duration %v (want 4 s, the frames after the last header update too)", c.Status, c.Duration)
	}
	if _, err := os.Stat(lib.Abs(c.AudioPath) + record.MarkSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the mark is still there: %v", err)
	}
	if again, _ := Recover(ctx, lib); len(again) != 0 {
		t.Errorf("a second pass recovered %d more", len(again))
	}
}

// liveLog keeps the live figures a session reports.
type liveLog struct {
	mu    sync.Mutex
	lives []record.Live
}

func (l *liveLog) add(v record.Live) { l.mu.Lock(); l.lives = append(l.lives, v); l.mu.Unlock() }

func (l *liveLog) all() []record.Live {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]record.Live(nil), l.lives...)
}

// TestRecordIntoLibrary records a generated call played into the test
// server's sinks through a Session into a real library, and checks the
// filed call against the call's truth, the start latency (the audio the
// file starts with against the moment Record was asked) and that nothing
// between Record and Stop was lost.
func TestRecordIntoLibrary(t *testing.T) {
	srv := pulsetest.Start(t, testSinks...)
	srv.KeepAwake(t, "callcoach_mic", "callcoach_headset")
	call := pulsetest.LoadCall(t, shortCall)
	lib := mustOpen(t)
	var lives liveLog
	s, err := Open(twoMonitors, analysis.DefaultConfig(), Watch{Live: lives.add})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	select {
	case <-s.FirstAudio():
	case <-time.After(5 * time.Second):
		t.Fatal("no sound from the monitors within 5 s")
	}
	var before []record.Live
	for deadline := time.Now().Add(time.Second); len(before) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		before = lives.all()
	}
	if len(before) == 0 || before[len(before)-1].Recording {
		t.Fatalf("watching: %d live reports, want levels before recording", len(before))
	}
	wait := srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	asked := record.Clock()
	c, err := s.Record(ctx, lib, store.CallInfo{Title: "Live call", Rep: "Ann", Customer: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	answered := record.Clock()
	if c.Status != store.StatusRecording || !record.InProgress(lib.Abs(c.AudioPath)) {
		t.Errorf("while recording: status %q, mark held %v", c.Status, record.InProgress(lib.Abs(c.AudioPath)))
	}
	if un, _ := Recover(ctx, lib); len(un) != 0 {
		t.Errorf("Recover took a recording in progress for a crashed one")
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	stopAt := record.Clock()
	rec, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Ended != nil || rec.Call == nil {
		t.Fatalf("stop: ended %v, call %v", rec.Ended, rec.Call)
	}
	got := rec.Call
	if got.ID != c.ID || got.Status != store.StatusComplete || got.Title != "Live call" || got.Customer != "Acme" || got.Result == nil {
		t.Errorf("filed call: %+v", got)
	}
	if _, err := os.Stat(lib.Abs(got.AudioPath) + record.MarkSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the mark outlived the recording: %v", err)
	}
	if st, _ := os.Stat(lib.Abs(got.AudioPath)); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode: %v, want 0600", st)
	}
	latency := time.Duration(rec.FileStart - asked)
	kept := time.Duration(stopAt-asked) - rec.Duration
	t.Logf("Record asked at 0, answered after %v; the file's first sample was captured at %+v; Stop %v after asking, file %v (%v of the time from asking to Stop not in the file)",
		time.Duration(answered-asked), latency, time.Duration(stopAt-asked), rec.Duration, kept)
	// The call's row is written (an SQLite transaction and its sidecar,
	// each synced to disk: 2-63 ms measured under a writing dd) before the
	// file begins, and once, at load 7 with the disk busy, the file
	// started 289 ms late. It now reaches back to the audio captured when
	// Record was asked (the recorder keeps a second of it), or starts a
	// little before if the writer had not aligned that far yet. ~100 ms
	// of asking-to-Stop is not in the file (140 ms seen with both cores
	// busy): the tail.
	if latency > 5*time.Millisecond {
		t.Errorf("the file starts with audio captured %v after Record was asked, want at the moment it was asked", latency)
	}
	if kept > 300*time.Millisecond {
		t.Errorf("%v between Record and Stop is missing from the file", kept)
	}
	r := pulsetest.Check(t, lib.Abs(got.AudioPath), call)
	for _, e := range r.Errors() {
		t.Error(e)
	}
	ls := lives.all()
	last := ls[len(ls)-1]
	if !last.Recording || last.Talk.Rep == 0 || last.Talk.Customer == 0 || last.RepInterruptions+last.TalkedOver > last.Interruptions {
		t.Errorf("last live report %+v: want talk of both parties and consistent counts", last)
	}
	rows, _ := lib.Calls(ctx, store.CallFilter{})
	if len(rows) != 1 || rows[0].ID != got.ID {
		t.Errorf("the list shows %+v, want the recording", rows)
	}
}

// TestRecordDeviceUnplugged unloads the headset mid-call: the session
// ends by itself, files what it kept as recovered and says which device
// went; the mark is gone.
func TestRecordDeviceUnplugged(t *testing.T) {
	srv := pulsetest.Start(t, testSinks...)
	srv.KeepAwake(t, "callcoach_mic")
	lib := mustOpen(t)
	type end struct {
		rec *Recorded
		why error
	}
	ended := make(chan end, 1)
	s, err := Open(twoMonitors, analysis.DefaultConfig(), Watch{Ended: func(r *Recorded, why error) { ended <- end{r, why} }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Record(ctx, lib, store.CallInfo{Title: "cut short"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if err := srv.UnloadSink("callcoach_headset"); err != nil {
		t.Fatal(err)
	}
	var e end
	select {
	case e = <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end within 5 s of the headset going away")
	}
	if e.why == nil || !strings.Contains(e.why.Error(), "Monitor of Headset") || !strings.Contains(e.why.Error(), "saved") {
		t.Errorf("why: %v, want a sentence naming the headset and saying the audio is saved", e.why)
	}
	if e.rec == nil || e.rec.Call == nil || e.rec.Call.ID != c.ID || e.rec.Call.Status != store.StatusRecovered || e.rec.Duration < 1500*time.Millisecond {
		t.Fatalf("kept: %+v", e.rec)
	}
	path := lib.Abs(e.rec.Call.AudioPath)
	if _, err := os.Stat(path + record.MarkSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Error("the mark is still there after the recording ended by itself")
	}
	if info, err := audio.Repair(path); err != nil || info.Changed {
		t.Errorf("the kept file needed repair: %+v, %v", info, err)
	}
}

// TestRecordNoSound: a device that delivers nothing (a suspended sink) is
// named after FirstAudioTimeout and nothing is filed.
func TestRecordNoSound(t *testing.T) {
	srv := pulsetest.Start(t, testSinks...)
	if _, err := srv.Pactl("suspend-sink", "callcoach_headset", "1"); err != nil {
		t.Fatal(err)
	}
	lib := mustOpen(t)
	s, err := Open(twoMonitors, analysis.DefaultConfig(), Watch{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = s.Record(ctx, lib, store.CallInfo{})
	if err == nil || !strings.Contains(err.Error(), "no sound arrived from Monitor of Headset") {
		t.Fatalf("got %v, want a sentence naming the silent headset", err)
	}
	if d := time.Since(start); d < FirstAudioTimeout || d > FirstAudioTimeout+3*time.Second {
		t.Errorf("gave up after %v, want about %v", d, FirstAudioTimeout)
	}
	if n, _ := lib.CallCount(ctx, store.CallFilter{}); n != 0 {
		t.Errorf("%d calls filed", n)
	}
	des, _ := os.ReadDir(filepath.Join(lib.Dir(), store.CallsDir))
	if len(des) != 0 {
		t.Errorf("files left: %v", des)
	}
}

func TestInputsCheck(t *testing.T) {
	for _, c := range []struct {
		in   Inputs
		want string
	}{
		{Inputs{Rep: "mic", Customer: "monitor"}, ""},
		{Inputs{Stereo: "usb", RepChannel: audio.Right}, ""},
		{Inputs{Rep: "mic"}, "choose both"},
		{Inputs{Rep: "Mic", Customer: "mic"}, "same device"},
		{Inputs{Rep: "mic", Stereo: "usb"}, "not both"},
	} {
		err := c.in.Check()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: got %v, want %q", c.in, err, c.want)
		}
	}
}

// scriptDriven is a generated call whose rep speaks in monologues of 9-10 s,
// long enough for the delivery cues, over a room echo and noise.
var scriptDriven = filepath.Join(testCalls, "script_driven_echo_noise_16k.wav")

// cleanScriptCall writes the script-driven call (monologues of 9-10 s)
// without an echo in the file, with its truth, and returns its path. A call
// played through the test server goes out as two paplay streams whose
// start-ups differ by up to ~150 ms on a busy machine: an echo baked into
// the file would reach the recording that much early or late against its
// source — no room does that — and its figures would measure the rig.
func cleanScriptCall(t *testing.T) string {
	t.Helper()
	sc, ok := callgen.ScenarioNamed("script_driven")
	if !ok {
		t.Fatal("no script-driven scenario in the call generator")
	}
	rep, cust, truth := callgen.Render(sc, callgen.RenderOptions{Rate: 16000, NoiseSNR: 35})
	path := filepath.Join(t.TempDir(), "script_driven_clean_16k.wav")
	if err := callgen.WriteStereoWAV(path, truth.Rate, rep, cust); err != nil {
		t.Fatal(err)
	}
	if err := truth.WriteJSON(strings.TrimSuffix(path, ".wav") + ".truth.json"); err != nil {
		t.Fatal(err)
	}
	return path
}

// sameFiling fails unless two filed analyses agree in every figure (the
// file's name aside): the recording's and the same audio's import.
func sameFiling(t *testing.T, what string, got, want *analysis.Result) {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("%s: analyses %v and %v", what, got, want)
	}
	a, b := *got, *want
	a.File, b.File = "", ""
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		i := 0
		for i < len(ja) && i < len(jb) && ja[i] == jb[i] {
			i++
		}
		lo := max(0, i-200)
		t.Logf("first difference at byte %d:\n got …%s…\nwant …%s…", i, ja[lo:min(len(ja), i+200)], jb[lo:min(len(jb), i+200)])
		t.Errorf("%s: filed analysis differs from the import's:\n got talk %v share %.4f, %d interruptions, %d delivery cues, verdict %q, notes %q\nwant talk %v share %.4f, %d interruptions, %d delivery cues, verdict %q, notes %q",
			what, a.Talk, a.RepTalkShare, len(a.Interruptions), len(a.Delivery), a.Listening.Verdict, a.Notes,
			b.Talk, b.RepTalkShare, len(b.Interruptions), len(b.Delivery), b.Listening.Verdict, b.Notes)
	}
	if len(a.Delivery) == 0 {
		t.Errorf("%s: no delivery cues, want those of the rep's monologues", what)
	}
}

// TestRecordedAsImported records a call through real PulseAudio devices
// with the rep named, stops, and imports the recorded file into another
// library: the recording is filed with the file analysis an import gives
// (every figure equal, the delivery cues the live analysis cannot give),
// the rep's voice profile learns from both, and Stop reports the analysis'
// progress. The live figures stay with the live screen.
func TestRecordedAsImported(t *testing.T) {
	srv := pulsetest.Start(t, testSinks...)
	srv.KeepAwake(t, "callcoach_mic", "callcoach_headset")
	call := pulsetest.LoadCall(t, cleanScriptCall(t))
	lib := mustOpen(t)
	var mu sync.Mutex
	var progress []Progress
	s, err := Open(twoMonitors, analysis.DefaultConfig(), Watch{Analysing: func(p Progress) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	select {
	case <-s.FirstAudio():
	case <-time.After(5 * time.Second):
		t.Fatal("no sound from the monitors within 5 s")
	}
	wait := srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	if _, err := s.Record(ctx, lib, store.CallInfo{Title: "Scripted", Rep: "Ann"}); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	stopAt := time.Now()
	rec, err := s.Stop()
	stopTook := time.Since(stopAt)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Call == nil || rec.Call.Result == nil || rec.Analysis == nil {
		t.Fatalf("stop: call %+v, analysis %v", rec.Call, rec.Analysis)
	}
	mu.Lock()
	last := Progress{}
	if len(progress) > 0 {
		last = progress[len(progress)-1]
	}
	mu.Unlock()
	if len(progress) < 3 || last.Stage != Analysing || last.Done != last.Total || time.Duration(last.Total) < rec.Duration-time.Second {
		t.Errorf("analysis progress: %d reports, last %+v; want several, ending at the file's %v", len(progress), last, rec.Duration)
	}
	// The live analysis measures no delivery cues (they need the
	// monologue's audio again); the filed one has them.
	if len(rec.Result.Delivery) != 0 {
		t.Errorf("the live figures have %d delivery cues; the test no longer tells the file analysis from the live one", len(rec.Result.Delivery))
	}
	sameFiling(t, "Stop's result", rec.Analysis, rec.Call.Result)
	path := lib.Abs(rec.Call.AudioPath)
	other := mustOpen(t)
	imp, err := Import(ctx, other, ImportRequest{Path: path, Rep: "Ann"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Call.Result.Notes); n > 0 && strings.Contains(rec.Call.Result.Notes[n-1], "disagreed") {
		// The guard against a file analysis gone wrong (checkLive) filed
		// the live figures: only when the import's truly differ.
		t.Logf("filed with the live figures: %s", rec.Call.Result.Notes[n-1])
		if got := checkLive(*imp.Result, rec.Result); got.Talk != rec.Result.Talk {
			t.Errorf("filed with the live figures although the import's (talk %+v) agree with them (%+v)", imp.Result.Talk, rec.Result.Talk)
		}
		if rec.Call.Result.Talk != rec.Result.Talk {
			t.Errorf("filed talk %+v, want the live %+v", rec.Call.Result.Talk, rec.Result.Talk)
		}
	} else {
		sameFiling(t, "recorded call", rec.Call.Result, imp.Result)
	}
	t.Logf("recorded %v, Stop took %v: talk rep %v customer %v (share %.3f), %d interruptions, %d delivery cues, verdict %q; live: talk rep %v customer %v, %d interruptions",
		rec.Duration, stopTook, rec.Call.Result.Talk.Rep, rec.Call.Result.Talk.Customer, rec.Call.Result.RepTalkShare, len(rec.Call.Result.Interruptions),
		len(rec.Call.Result.Delivery), rec.Call.Result.Listening.Verdict, rec.Result.Talk.Rep, rec.Result.Talk.Customer, len(rec.Result.Interruptions))
	for _, l := range []*store.Library{lib, other} {
		v, n, err := l.RepVoice(ctx, "Ann")
		if err != nil || v == nil || n != 1 {
			t.Errorf("Ann's voice profile in %s: %v from %d calls (%v), want learnt from the one call", l.Dir(), v, n, err)
		}
	}
	if rec.Call.Result.RepVoice != nil {
		t.Error("the voice print was stored with the call; it belongs to the rep's profile")
	}
	// And the figures filed are the call's, within the spec's tolerances.
	for _, e := range pulsetest.Check(t, path, call).Errors() {
		t.Errorf("the recorded file against the call's truth: %s", e)
	}
}

// TestRecoveredAsImported: a recording a crash left unfinished is filed by
// Recover with the analysis an import of the same audio gives, and teaches
// the named rep's voice profile.
func TestRecoveredAsImported(t *testing.T) {
	lib := mustOpen(t)
	rel, err := lib.NewCallPath()
	if err != nil {
		t.Fatal(err)
	}
	c, err := lib.BeginRecording(ctx, store.RecordingStart{AudioPath: rel, Title: "crashed", Rep: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(scriptDriven)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib.Abs(rel), b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Recover(ctx, lib)
	if err != nil || len(got) != 1 || got[0].ID != c.ID || got[0].Status != store.StatusRecovered {
		t.Fatalf("recovered %+v, %v; want call %d", got, err, c.ID)
	}
	other := mustOpen(t)
	imp, err := Import(ctx, other, ImportRequest{Path: scriptDriven, Rep: "Ann"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The recovered call says it was cut short; every figure is the import's.
	res := *got[0].Result
	if n := len(res.Notes); n == 0 || !strings.Contains(res.Notes[n-1], "cut short") {
		t.Errorf("notes %q, want the last saying the recording was cut short", res.Notes)
	} else {
		res.Notes = res.Notes[:n-1]
	}
	sameFiling(t, "recovered call", &res, imp.Result)
	if v, n, err := lib.RepVoice(ctx, "Ann"); err != nil || v == nil || n != 1 {
		t.Errorf("Ann's voice profile: %v from %d calls (%v), want learnt from the recovered call", v, n, err)
	}
}

// TestCheckLive: a recording whose file analysis disagrees grossly with
// its live one (a party's talk off by more than a quarter and 2 s) is
// filed with the live figures and a note saying so; small differences
// keep the file analysis.
func TestCheckLive(t *testing.T) {
	sec := func(s float64) analysis.Dur { return analysis.Dur(s * float64(time.Second)) }
	file := analysis.Result{Talk: analysis.PerParty{Rep: sec(1.58), Customer: sec(7.4)}, Delivery: []analysis.DeliveryCue{{}}}
	live := analysis.Result{Talk: analysis.PerParty{Rep: sec(13.5), Customer: sec(7.3)}, Notes: []string{"live note"}}
	got := checkLive(file, live)
	if got.Talk != live.Talk || len(got.Notes) != 2 || got.Notes[0] != "live note" {
		t.Fatalf("a gross disagreement: filed talk %+v, notes %q; want the live figures with a note", got.Talk, got.Notes)
	}
	note := got.Notes[1]
	for _, want := range []string{"disagreed", "the rep talked 1.6 s by the recorded file, 13.5 s live", "check the figures"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q does not say %q", note, want)
		}
	}
	if strings.Contains(note, "customer") {
		t.Errorf("note %q names the customer, whose figures agree", note)
	}
	if len(live.Notes) != 1 {
		t.Errorf("the live result's notes were changed: %q", live.Notes)
	}
	// Off by 2.5 s of 40.7 (6%), or by 32% but 1.9 s: the file analysis
	// stands.
	for _, c := range [][2]analysis.PerParty{
		{{Rep: sec(38.2), Customer: sec(7.4)}, {Rep: sec(40.7), Customer: sec(7.4)}},
		{{Rep: sec(38.2), Customer: sec(4.0)}, {Rep: sec(38.2), Customer: sec(5.9)}},
	} {
		if got := checkLive(analysis.Result{Talk: c[0]}, analysis.Result{Talk: c[1]}); got.Talk != c[0] || len(got.Notes) != 0 {
			t.Errorf("file %+v, live %+v: filed %+v with notes %q; want the file analysis", c[0], c[1], got.Talk, got.Notes)
		}
	}
}
