package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/audio/device/pulsetest"
	"callcoach/callflow"
	"callcoach/store"
	"callcoach/ui"
)

// TestGUIRecordAndMono runs the app in a real (virtual) X window against
// the test PulseAudio server, as a new user would record a call: the
// Record screen with the devices chosen, a title typed into its field and
// Ctrl+R pressed there (xdotool: real key events through the X server),
// a call played into the devices, Ctrl+R again 10.0 s later; then the
// filed call's Review and the Review of a real one-channel recording.
// Each screen is screenshot; the library must hold the call, titled, with
// at least 9.8 s of the 10.0 s between the key presses.
func TestGUIRecordAndMono(t *testing.T) {
	for _, tool := range []string{"import", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run 'make deps' (Debian packages imagemagick, xdotool)", tool)
		}
	}
	srv := pulsetest.Start(t, recordSinks...)
	call := pulsetest.LoadCall(t, shortCall)
	display := startXvfb(t)

	data := t.TempDir()
	l, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	mono, err := callflow.Import(context.Background(), l, callflow.ImportRequest{
		Path: filepath.Join("..", "..", "..", "shared", "data", "real-speech", "trn00.wav"), Title: "Team meeting (one channel)"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := ui.DefaultPrefs()
	p.RepDevice, p.CustomerDevice, p.Author, p.ConsentShown = "Monitor of Microphone", "Monitor of Headset", "Dana", true
	if err := l.SetSetting(context.Background(), "ui.prefs", p); err != nil {
		t.Fatal(err)
	}
	l.Close()

	shots := os.Getenv("CALLCOACH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	os.MkdirAll(shots, 0o700)
	names := []string{"record", "record-live", "record-review", "review-mono"}
	for _, n := range names {
		os.Remove(filepath.Join(shots, n+".png"))
		os.Remove(filepath.Join(shots, n+".ready"))
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, exe)
	app.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "CALLCOACH_DATA="+data,
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(),
		guiChildEnv+"=gui", guiTourEnv+"=record:"+shots+":"+strconv.FormatInt(mono.ID, 10))
	var out strings.Builder
	app.Stdout, app.Stderr = &out, &out
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	xdo := func(args ...string) {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v: %s", args, err, b)
		}
	}
	shoot := func(name string) {
		t.Helper()
		ready := filepath.Join(shots, name+".ready")
		for deadline := time.Now().Add(90 * time.Second); ; {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("the app exited before %s (%v):\n%s", name, err, out.String())
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("the app did not reach %s:\n%s", name, out.String())
			}
		}
		tmp := filepath.Join(shots, name+".tmp.png")
		if b, err := exec.Command("import", "-display", display, "-window", "root", tmp).CombinedOutput(); err != nil {
			t.Fatalf("screenshot of %s: %v\n%s", name, err, b)
		}
		if err := os.Rename(tmp, filepath.Join(shots, name+".png")); err != nil {
			t.Fatal(err)
		}
	}

	shoot("record") // both meters alive, the title field focused
	xdo("search", "--sync", "--name", "CallCoach", "windowfocus", "--sync")
	xdo("type", "--delay", "30", "Acme live call")
	srv.PlayCall(t, call, "callcoach_mic", "callcoach_headset")
	start := time.Now()
	xdo("key", "ctrl+r")
	shoot("record-live")
	time.Sleep(time.Until(start.Add(10 * time.Second)))
	apart := time.Since(start)
	xdo("key", "ctrl+r")
	shoot("record-review")
	shoot("review-mono")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the app failed: %v\n%s", err, out.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("the app did not quit after the tour:\n%s", out.String())
	}

	b, err := os.ReadFile(filepath.Join(shots, "recorded-id"))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(string(b), 10, 64)
	l, err = store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := l.Call(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Ctrl+R pressed %v apart; the call filed holds %v; screenshots in %s", apart, c.Duration, shots)
	if c.Title != "Acme live call" || c.Rep != "Dana" || c.Status != store.StatusComplete {
		t.Errorf("filed call: title %q (typed into the title field, Ctrl+R pressed there), rep %q, status %q", c.Title, c.Rep, c.Status)
	}
	if c.Duration < apart-200*time.Millisecond {
		t.Errorf("Ctrl+R %v apart filed %v, want at least %v", apart, c.Duration, apart-200*time.Millisecond)
	}
	for _, n := range names {
		checkScreenshot(t, filepath.Join(shots, n+".png"))
	}
	live := checkScreenshot(t, filepath.Join(shots, "record-live.png"))
	if n := live.count(isMeterGreen); n < 200 {
		t.Errorf("record-live.png: %d meter-green pixels, want both level meters moving while recording", n)
	}
	if n := checkScreenshot(t, filepath.Join(shots, "review-mono.png")).count(isOverlapPink); n > 50 {
		t.Errorf("review-mono.png: %d pixels in the 'both at once' colour on a call whose speakers are not known", n)
	}
}

func isMeterGreen(r, g, b int) bool { return r < 70 && g > 140 && g < 190 && b > 50 && b < 110 }

// isOverlapPink is the timeline's "both at once" wash over the lane.
func isOverlapPink(r, g, b int) bool { return r > 200 && g < 190 && b > 150 && r > g+40 }
