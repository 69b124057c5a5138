package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow"
	"callcoach/store"
	"callcoach/ui"
)

// TestGUIReviewWarnings runs the app in a real (virtual) X window on a
// library holding a call whose channels are swapped (the rep on the right,
// the customer's voice leaking into the rep's microphone 35 ms late) and a
// real one-channel meeting excerpt (AMI trn00), opens each in Review and
// screenshots the screen. The app's widget tree at each screenshot says
// the swapped call's warning banner is on screen above the timeline, full
// width, with the analysis' message and the swap button, its figures held
// back; the one-channel call has no banner and each voice's talk instead
// of empty rep rows.
func TestGUIReviewWarnings(t *testing.T) {
	if _, err := exec.LookPath("import"); err != nil {
		t.Fatal("ImageMagick's import is not installed: run 'make deps' (Debian package imagemagick)")
	}
	display := startXvfb(t)

	lib := t.TempDir()
	l, err := store.Open(lib)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := callgen.ScenarioNamed("attentive")
	room, _ := callgen.ConditionNamed("echo_room")
	rep, cust, truth := callgen.RenderCondition(sc, room)
	wav := filepath.Join(t.TempDir(), "swapped.wav")
	if err := callgen.WriteStereoWAV(wav, truth.Rate, cust, rep); err != nil {
		t.Fatal(err)
	}
	swapped, err := callflow.Import(context.Background(), l, callflow.ImportRequest{Path: wav, Title: "Rep on the right", Rep: "Dana", Customer: "Acme"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !swapped.Result.Recording.Warned(analysis.WarnChannelsSwapped) {
		t.Fatalf("the swapped call has no channels_swapped warning: %+v", swapped.Result.Recording.Warnings)
	}
	mono, err := callflow.Import(context.Background(), l, callflow.ImportRequest{
		Path: filepath.Join("..", "..", "..", "shared", "data", "real-speech", "trn00.wav"), Title: "Team meeting (one channel)", Rep: "Dana"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()

	shots := os.Getenv("CALLCOACH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	os.MkdirAll(shots, 0o700)
	names := []string{"library-warnings", fmt.Sprintf("review-%d", swapped.ID), fmt.Sprintf("review-%d", mono.ID)}
	for _, n := range names {
		for _, ext := range []string{".png", ".ready", ".json"} {
			os.Remove(filepath.Join(shots, n+ext))
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, exe)
	app.Env = append(os.Environ(),
		"DISPLAY="+display, "LANG=en_US.UTF-8", "CALLCOACH_DATA="+lib,
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(),
		guiChildEnv+"=gui", fmt.Sprintf("%s=review:%s:%d,%d", guiTourEnv, shots, swapped.ID, mono.ID))
	screenshotTour(t, app, display, shots, names, time.Minute)
	t.Logf("screenshots in %s", shots)

	read := func(name string) ui.ReviewShot {
		checkScreenshot(t, filepath.Join(shots, name+".png"))
		b, err := os.ReadFile(filepath.Join(shots, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var s ui.ReviewShot
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	checkScreenshot(t, filepath.Join(shots, names[0]+".png"))
	s := read(names[1])
	var msg string
	for _, w := range swapped.Result.Recording.Warnings {
		if w.Code == analysis.WarnChannelsSwapped {
			msg = w.Message
		}
	}
	if !s.Banner || !contains(s.BannerMessages, msg) {
		t.Errorf("swapped call: banner on screen %v with %q, want the channels_swapped message", s.Banner, s.BannerMessages)
	}
	if s.BannerBottom > s.TimelineTop || s.BannerBottom-s.BannerTop < 40 || s.BannerWidth < 800 {
		t.Errorf("swapped call: banner at y %.0f–%.0f, %.0f wide; timeline at y %.0f: want it full width above the timeline",
			s.BannerTop, s.BannerBottom, s.BannerWidth, s.TimelineTop)
	}
	if !s.SwapButton || s.Verdict != "No verdict" || !anyContains(s.Figures, "Rep talk share: not shown") {
		t.Errorf("swapped call: swap button %v, verdict %q, figures %q", s.SwapButton, s.Verdict, s.Figures)
	}
	// Long warnings wrap; they never push the window past its default
	// width (1200) and the screen's (1280).
	for _, sh := range []ui.ReviewShot{s} {
		if sh.MinWidths["window"] > 1200 || sh.WindowWidth > 1280 {
			t.Errorf("the window is %.0f wide (at least %.0f: %v), wider than its default 1200", sh.WindowWidth, sh.MinWidths["window"], sh.MinWidths)
		}
	}
	m := read(names[2])
	if m.Banner != (len(mono.Result.Recording.Warnings) > 0) {
		t.Errorf("one-channel call: banner %v for warnings %+v", m.Banner, mono.Result.Recording.Warnings)
	}
	if !anyContains(m.Figures, "Voice 1 talk: ") || !anyContains(m.Figures, "Pick which voice is the rep") {
		t.Errorf("one-channel call: figures %q, want each voice's talk and how to get the rep's", m.Figures)
	}
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func anyContains(xs []string, sub string) bool {
	for _, s := range xs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
