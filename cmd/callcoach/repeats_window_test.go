package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow"
	"callcoach/store"
)

// tourShots are the screens the app's screenshot tour shows, in order.
var tourShots = []string{"library", "review", "review-report", "review-export", "trends-report", "trends"}

// runTour runs the app in a real X window (Xvfb) on the library in dir,
// has it take its screenshot tour and returns the folder of PNGs.
func runTour(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("import"); err != nil {
		t.Fatal("ImageMagick's import is not installed: run 'make deps' (Debian package imagemagick)")
	}
	display := startXvfb(t)
	shots := os.Getenv("CALLCOACH_REPEATS_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	os.MkdirAll(shots, 0o700)
	for _, n := range tourShots {
		os.Remove(filepath.Join(shots, n+".png"))
		os.Remove(filepath.Join(shots, n+".ready"))
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	app := exec.CommandContext(ctx, exe)
	app.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "CALLCOACH_DATA="+dir,
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(),
		guiChildEnv+"=gui", guiTourEnv+"=shots:"+shots)
	screenshotTour(t, app, display, shots, tourShots, 2*time.Minute)
	return shots
}

// isRepeatViolet is the timeline's mark of a repeated passage (#8a2bd6
// in the light theme, #c88cff in the dark, over the lane).
func isRepeatViolet(r, g, b int) bool { return b > 190 && r > 120 && r > g+40 && b > g+80 }

// TestGUIRepeatsRealWindow: a scripted rep's calls imported into a
// library from before fingerprints (filed without them); the app brings
// them up to date on start, and in a real window Review marks the newest
// call's repeated passages on the rep lane in violet, the Library lists
// the script reuse, Trends charts it. The screenshots are checked for the
// violet marks and kept in $CALLCOACH_REPEATS_SCREENSHOTS when set.
func TestGUIRepeatsRealWindow(t *testing.T) {
	calls, err := callgen.ScriptCorpus(callgen.ScriptConditions()[1], 5, 0, 33, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-time.Duration(len(calls)) * 24 * time.Hour)
	for i, c := range calls {
		rep, cust, _ := callgen.Render(c.Scenario, c.Render)
		p := filepath.Join(t.TempDir(), c.Name+".wav")
		if err := callgen.WriteStereoWAV(p, c.Render.Rate, rep, cust); err != nil {
			t.Fatal(err)
		}
		// The first four as an older version filed them (no fingerprints):
		// the app's start matches them; the last through callflow.Import.
		if i < len(calls)-1 {
			if _, err := importUnmatched(l, p, "Jordan", t0.Add(time.Duration(i)*24*time.Hour), c.Name); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := callflow.Import(context.Background(), l, callflow.ImportRequest{Path: p, Rep: "Jordan", Title: c.Name, RecordedAt: t0.Add(time.Duration(i) * 24 * time.Hour)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := l.Unfingerprinted(context.Background()); len(ids) != len(calls)-1 {
		t.Fatalf("calls without fingerprints before the app starts: %v", ids)
	}
	l.Close()

	shots := runTour(t, dir)
	t.Logf("screenshots in %s", shots)
	rev := checkScreenshot(t, filepath.Join(shots, "review.png"))
	if n := rev.count(isRepeatViolet); n < 300 {
		t.Errorf("review.png: %d violet pixels, want the repeated passages marked on the rep lane", n)
	}
	checkScreenshot(t, filepath.Join(shots, "library.png"))
	checkScreenshot(t, filepath.Join(shots, "trends.png"))

	l, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if ids, _ := l.Unfingerprinted(context.Background()); len(ids) != 0 {
		t.Errorf("after the app ran, calls still without fingerprints: %v", ids)
	}
}

// importUnmatched files a call the way a version without fingerprints did.
func importUnmatched(l *store.Library, path, rep string, at time.Time, title string) (*store.Call, error) {
	ctx := context.Background()
	staged, err := l.Stage(ctx, store.StageRequest{Path: path})
	if err != nil {
		return nil, err
	}
	cfg, _ := callflow.Config(ctx, l)
	res, err := analyzeForTest(ctx, staged.Path, cfg)
	if err != nil {
		staged.Discard()
		return nil, err
	}
	return l.AddStaged(ctx, staged, store.CallInfo{Title: title, Rep: rep, RecordedAt: at}, &res)
}

func analyzeForTest(ctx context.Context, path string, cfg analysis.Config) (analysis.Result, error) {
	return audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path}, cfg)
}
