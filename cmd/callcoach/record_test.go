package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/audio"
	"callcoach/audio/device/pulsetest"
	"callcoach/audio/record"
	"callcoach/callflow"
)

var recordSinks = []pulsetest.Sink{
	{Name: "callcoach_mic", Description: "Microphone", Rate: 48000},
	{Name: "callcoach_headset", Description: "Headset", Rate: 44100},
}

var shortCall = filepath.Join("..", "..", "analysis", "testdata", "calls", "short_call_int24_16k.wav")

func TestDevicesCommand(t *testing.T) {
	pulsetest.Start(t, recordSinks...)
	var out, errb bytes.Buffer
	if code := run([]string{"devices", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var devs []struct {
		Name    string `json:"name"`
		Monitor bool   `json:"monitor"`
	}
	if err := json.Unmarshal(out.Bytes(), &devs); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, d := range devs {
		if (d.Name == "Monitor of Microphone" || d.Name == "Monitor of Headset") && d.Monitor {
			found++
		}
	}
	if found != 2 {
		t.Errorf("devices --json got %s, want both monitors", out.String())
	}
	out.Reset()
	if code := run([]string{"devices"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Monitor of Headset") {
		t.Errorf("devices: exit %d, output %q", code, out.String())
	}
}

func TestDevicesNoServer(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "client.conf"), []byte("autospawn = no\n"), 0o600)
	t.Setenv("PULSE_SERVER", "unix:"+filepath.Join(dir, "nothing-here"))
	t.Setenv("PULSE_CLIENTCONFIG", filepath.Join(dir, "client.conf"))
	var out, errb bytes.Buffer
	code := run([]string{"devices"}, &out, &errb)
	msg := errb.String()
	if code != 1 || !strings.Contains(msg, "no PulseAudio or PipeWire sound server is running") || !strings.Contains(msg, "start it") {
		t.Errorf("no server: exit %d, stderr %q; want 1 and a sentence saying to start the sound server", code, msg)
	}
	if strings.Contains(msg, "ALSA lib") || strings.Contains(msg, "Expression") {
		t.Errorf("PortAudio/ALSA noise reached the user: %q", msg)
	}
}

func TestRecordCommandErrors(t *testing.T) {
	pulsetest.Start(t, recordSinks...)
	out := filepath.Join(t.TempDir(), "x.wav")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"record", "--rep-device", "microphone"}, 2, "name the rep's and the customer's devices"},
		{[]string{"record", "--rep-device", "monitor", "--customer-device", "headset", "--out", out}, 1, "matches 2 input devices"},
		{[]string{"record", "--rep-device", "zoom", "--customer-device", "headset", "--out", out}, 1, "no input device matches \"zoom\""},
		{[]string{"record", "--stereo-device", "headset", "--rep-channel", "middle", "--out", out}, 2, "left or right"},
		{[]string{"record", "--rep-device", "microphone", "--customer-device", "headset", "--out", out, "--title", "x"}, 2, "describe a call filed in the library"},
		{[]string{"record", "--rep-device", "microphone", "--customer-device", "headset", "--out", "x.mp3"}, 2, ".wav"},
	}
	for _, tt := range tests {
		var o, e bytes.Buffer
		code := run(tt.args, &o, &e)
		if code != tt.code || !strings.Contains(e.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, e.String(), tt.code, tt.want)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed start left a file behind")
	}
}

// TestRecordCommand records a few seconds of a call played into the test
// server's sinks with 'callcoach record' and checks the file and the
// printed summary.
func TestRecordCommand(t *testing.T) {
	srv := pulsetest.Start(t, recordSinks...)
	call := pulsetest.LoadCall(t, shortCall)
	path := filepath.Join(t.TempDir(), "call.wav")
	go func() {
		// The command prints "Recording" once the devices deliver; the
		// call may start a little before that, which is fine here.
		time.Sleep(500 * time.Millisecond)
		srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	}()
	var out, errb bytes.Buffer
	code := run([]string{"record", "--rep-device", "of microphone", "--customer-device", "HEADSET", "--seconds", "4", "--out", path}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Recording " + path, "Saved " + path, "Talk ", "rep: left, customer: right"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode got %v, want 0600", st.Mode().Perm())
	}
	r, err := audio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	info := r.Info()
	r.Close()
	if info.Channels != 2 || info.Rate != 16000 || info.Duration < 3900*time.Millisecond || info.Duration > 4300*time.Millisecond {
		t.Errorf("file got %d ch %d Hz %v, want stereo 16 kHz about 4 s", info.Channels, info.Rate, info.Duration)
	}
	if _, err := os.Stat(path + record.MarkSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Error("crash marker left after a clean finish")
	}
}

// TestDevicesNoNoise runs 'callcoach devices' as a process of its own and
// checks that PortAudio's, ALSA's and JACK's start-up chatter (pages of it
// on this machine) never reaches the user's terminal.
func TestDevicesNoNoise(t *testing.T) {
	pulsetest.Start(t, recordSinks...)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordHelperProcess$")
	cmd.Env = append(os.Environ(), "CALLCOACH_RECORD_CHILD=devices", "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("devices: %v; stderr %q", err, errb.String())
	}
	if !strings.Contains(out.String(), "Monitor of Headset") {
		t.Errorf("devices listed %q, want the headset's monitor", out.String())
	}
	for _, noise := range []string{"ALSA lib", "Expression", "Jack", "Cannot connect"} {
		if strings.Contains(errb.String(), noise) {
			t.Errorf("stderr shows sound system noise %q:\n%s", noise, errb.String())
		}
	}
}

// TestRecordHelperProcess is not a test: TestRecordKill9 runs the test
// binary again with this test selected to get a 'callcoach record' process
// it can kill.
func TestRecordHelperProcess(t *testing.T) {
	args := os.Getenv("CALLCOACH_RECORD_CHILD")
	if args == "" {
		return
	}
	os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}

// TestRecordKill9 kills 'callcoach record' with SIGKILL in the middle of a
// call, then checks that the next run's recovery repairs the file and that
// it holds all but at most the last second.
func TestRecordKill9(t *testing.T) {
	srv := pulsetest.Start(t, recordSinks...)
	call := pulsetest.LoadCall(t, shortCall)
	dir := t.TempDir()
	path := filepath.Join(dir, "killed.wav")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecordHelperProcess$")
	cmd.Env = append(os.Environ(), "CALLCOACH_RECORD_CHILD="+strings.Join([]string{
		"record", "--rep-device", "of microphone", "--customer-device", "of headset", "--out", path}, "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	started := make(chan time.Time, 1)
	go func() {
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), "Recording ") {
				started <- time.Now()
			}
		}
	}()
	var t0 time.Time
	select {
	case t0 = <-started:
	case <-time.After(10 * time.Second):
		t.Fatalf("the recorder did not start; stderr: %s", stderr.String())
	}
	srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	time.Sleep(7500 * time.Millisecond) // the customer speaks from 6.1 s
	if err := cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	killed := time.Since(t0)
	cmd.Wait()

	if _, err := os.Stat(path + record.MarkSuffix); err != nil {
		t.Fatalf("no crash marker after kill -9: %v", err)
	}
	got, err := callflow.RecoverFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != path {
		t.Fatalf("recovered got %+v, want %s", got, path)
	}
	kept := got[0].Report.Duration
	t.Logf("killed %v after the first audio; the repaired file holds %v (header said %d frames, now %d)",
		killed, kept, got[0].Report.HeaderFrames, got[0].Report.Frames)
	if kept < killed-time.Second {
		t.Errorf("kept %v of %v, want all but at most the last second", kept, killed)
	}
	// What a power cut would leave: the header (and fsync) as of the last
	// Sync, at most a second old.
	if synced := time.Duration(got[0].Report.HeaderFrames) * time.Second / 16000; synced < killed-time.Second {
		t.Errorf("the last header update described %v of %v, want at most a second behind", synced, killed)
	}
	// The repaired file is a valid WAV with the call in it.
	r, err := audio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := r.Info().Notes; len(n) > 0 {
		t.Errorf("repaired file still has notes: %q", n)
	}
	buf := make([]float32, 2*16000*8)
	n, _ := r.ReadFrames(buf)
	var peak [2]float32
	for i := range n {
		for c := range 2 {
			peak[c] = max(peak[c], buf[2*i+c], -buf[2*i+c])
		}
	}
	if peak[0] < 0.05 || peak[1] < 0.05 {
		t.Errorf("peaks got %v, want both parties' speech in the kept audio", peak)
	}
}

// TestRecordIntoLibrary records with 'callcoach record --seconds 10' into a
// library: the call is filed with its names and analysis, the command
// prints its id and takes about ten seconds, 'callcoach list' shows it at
// once, and the file holds the ten seconds.
func TestRecordIntoLibrary(t *testing.T) {
	srv := pulsetest.Start(t, recordSinks...)
	srv.KeepAwake(t, "callcoach_mic", "callcoach_headset")
	call := pulsetest.LoadCall(t, shortCall)
	data := t.TempDir()
	srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	var errb bytes.Buffer
	out := &stampedWriter{mark: "Analysing the recording"}
	start := time.Now()
	code := run([]string{"record", "--rep-device", "of microphone", "--customer-device", "of headset", "--seconds", "10",
		"--data", data, "--rep", "Ann", "--title", "Acme renewal", "--customer", "Acme"}, out, &errb)
	wall := time.Since(start)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// The recording itself (from the command's start to its stop, which
	// prints "Analysing the recording…") takes the ten seconds and a
	// little; the file analysis after it is CPU work, which a busy
	// machine stretches: it gets its own, looser bound.
	recorded, analysed := out.at.Sub(start), wall-out.at.Sub(start)
	t.Logf("record --seconds 10: recording %v, analysis and filing %v of wall time", recorded, analysed)
	if out.at.IsZero() || recorded < 10*time.Second || recorded > 10800*time.Millisecond {
		t.Errorf("record --seconds 10 recorded for %v, want about 10 s", recorded)
	}
	if analysed > 8*time.Second {
		t.Errorf("analysing and filing a 10 s call took %v of wall time", analysed)
	}
	for _, want := range []string{"Recording call 1 into the library", "Saved call 1 \"Acme renewal\"", "Talk ", "Call 1: 'callcoach show 1'"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"list", "--data", data, "--json"}, out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	var rows []struct {
		ID       int64   `json:"id"`
		Title    string  `json:"title"`
		Rep      string  `json:"rep"`
		Customer string  `json:"customer"`
		Duration float64 `json:"duration_s"`
		Source   string  `json:"source"`
		Status   string  `json:"status"`
	}
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ID != 1 || rows[0].Title != "Acme renewal" || rows[0].Rep != "Ann" || rows[0].Customer != "Acme" ||
		rows[0].Source != "recorded" || rows[0].Status != "complete" {
		t.Fatalf("list shows %+v", rows)
	}
	if rows[0].Duration < 9.8 || rows[0].Duration > 10.3 {
		t.Errorf("the call filed holds %.2f s, want the 10 s recorded", rows[0].Duration)
	}
}

// stampedWriter is a buffer that notes when mark was first written to it.
type stampedWriter struct {
	bytes.Buffer
	mark string
	at   time.Time
}

func (w *stampedWriter) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if w.at.IsZero() && strings.Contains(w.String(), w.mark) {
		w.at = time.Now()
	}
	return n, err
}
