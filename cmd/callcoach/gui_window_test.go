package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"callcoach/callflow"
	"callcoach/store"
	"callcoach/ui"
)

// guiChildEnv makes the test binary run the app instead of the tests: the
// real-window test starts itself with it, so the app under test is this
// very build.
const guiChildEnv = "CALLCOACH_GUI_CHILD_ARGS"

// guiTourEnv has the app, run by the test binary, tour its screens for
// the test's screenshots: "shots:DIR" (ui.App.Screenshots) or
// "record:DIR:MONO-CALL-ID" (ui.App.RecordTour) or "review:DIR:ID,ID..."
// (ui.App.ReviewTour). The shipped command has
// no such switch; the tour is hooked in through appStarted.
const guiTourEnv = "CALLCOACH_GUI_TOUR"

func TestMain(m *testing.M) {
	if args := os.Getenv(guiChildEnv); args != "" {
		if tour := os.Getenv(guiTourEnv); tour != "" {
			appStarted = func(a *ui.App, _ *store.Library, quit func(error)) {
				kind, rest, _ := strings.Cut(tour, ":")
				switch kind {
				case "shots":
					a.Screenshots(rest, quit)
				case "review":
					dir, list, _ := strings.Cut(rest, ":")
					var ids []int64
					for _, f := range strings.Split(list, ",") {
						id, _ := strconv.ParseInt(f, 10, 64)
						ids = append(ids, id)
					}
					a.ReviewTour(dir, ids, quit)
				case "record":
					dir, id, _ := strings.Cut(rest, ":")
					mono, _ := strconv.ParseInt(id, 10, 64)
					a.RecordTour(dir, mono, quit)
				default:
					quit(fmt.Errorf("unknown tour %q", tour))
				}
			}
		}
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// staleXLock reports whether an X lock file names a process that no
// longer runs.
func staleXLock(b []byte) bool {
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}

// startXvfb starts a virtual X server on a free display and returns it.
func startXvfb(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("Xvfb is not installed: run 'make deps' (Debian package xvfb) to run the real-window test")
	}
	for n := 90; n < 200; n++ {
		lock, sock := fmt.Sprintf("/tmp/.X%d-lock", n), fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		if b, err := os.ReadFile(lock); err == nil {
			if !staleXLock(b) {
				continue
			}
			// A server that died (a killed test run) leaves its lock and
			// socket behind: X itself takes such a display over.
			os.Remove(lock)
			os.Remove(sock)
		}
		if _, err := os.Stat(sock); err == nil {
			continue
		}
		cmd := exec.Command("Xvfb", fmt.Sprintf(":%d", n), "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting Xvfb: %v", err)
		}
		t.Cleanup(func() {
			// Asked to stop, X removes its lock and socket; killed, it
			// leaves them behind for every later run to step over.
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
			}
			os.Remove(lock)
			os.Remove(sock)
		})
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(sock); err == nil {
				return fmt.Sprintf(":%d", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb on :%d did not come up", n)
	}
	t.Fatal("no free X display between :90 and :199")
	return ""
}

// TestGUIRealWindow runs the app in a real (virtual) X window on a library
// holding an imported call, has it show Library and Review, screenshots
// the screen with ImageMagick, and checks that the screenshots show the
// app: not blank, many colours, the rep's blue on the timeline and the
// verdict's colour in the list.
func TestGUIRealWindow(t *testing.T) {
	if _, err := exec.LookPath("import"); err != nil {
		t.Fatal("ImageMagick's import is not installed: run 'make deps' (Debian package imagemagick)")
	}
	display := startXvfb(t)

	lib := t.TempDir()
	l, err := store.Open(lib)
	if err != nil {
		t.Fatal(err)
	}
	c, err := callflow.Import(context.Background(), l, callflow.ImportRequest{
		Path: filepath.Join("..", "..", "assets", "demo.wav"), Title: "Acme renewal (imported)", Rep: "Dana", Customer: "Acme",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	t.Logf("imported call %d: verdict %q", c.ID, c.Result.Listening.Verdict)

	shots := os.Getenv("CALLCOACH_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	os.MkdirAll(shots, 0o700)
	for _, n := range []string{"library", "review", "review-report", "review-export", "trends-report", "trends"} {
		os.Remove(filepath.Join(shots, n+".png"))
		os.Remove(filepath.Join(shots, n+".ready"))
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
		// Keep the app's preferences and waveform cache out of the user's.
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(),
		guiChildEnv+"=gui", guiTourEnv+"=shots:"+shots)
	ran := screenshotTour(t, app, display, shots, []string{"library", "review", "review-report", "review-export", "trends-report", "trends"}, time.Minute)
	t.Logf("screenshots in %s (app ran %v)", shots, ran.Round(time.Millisecond))

	// The sharing forms were on screen, and the report the app wrote holds
	// the call.
	for _, n := range []string{"review-report", "review-export", "trends-report"} {
		checkScreenshot(t, filepath.Join(shots, n+".png"))
	}
	for _, n := range []string{"app-report.html", "app-report.pdf"} {
		b, err := os.ReadFile(filepath.Join(shots, n))
		if err != nil || len(b) < 10000 {
			t.Errorf("the app's %s: %d bytes, %v", n, len(b), err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(shots, "app-report.html")); !strings.Contains(string(b), "Acme renewal (imported)") {
		t.Error("the app's HTML report lacks the call's title")
	}
	lst := checkScreenshot(t, filepath.Join(shots, "library.png"))
	rev := checkScreenshot(t, filepath.Join(shots, "review.png"))
	// The library row shows the verdict in its colour (green, amber or red).
	if n := lst.count(isVerdictColour); n < 20 {
		t.Errorf("library.png: %d pixels in a verdict colour, want the coloured verdict", n)
	}
	// The review timeline shows the rep's speech in blue and the customer's
	// in green over a good part of the window.
	if n := rev.count(isRepBlue); n < 2000 {
		t.Errorf("review.png: %d rep-blue pixels, want the rep's segments on the timeline", n)
	}
	if n := rev.count(isCustomerGreen); n < 2000 {
		t.Errorf("review.png: %d customer-green pixels, want the customer's segments", n)
	}
}

type shot struct{ img image.Image }

func (s shot) count(f func(r, g, b int) bool) int {
	n := 0
	b := s.img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := s.img.At(x, y).RGBA()
			if f(int(r>>8), int(g>>8), int(bl>>8)) {
				n++
			}
		}
	}
	return n
}

func isVerdictColour(r, g, b int) bool {
	green := g > 140 && r < 110 && b < 130
	amber := r > 200 && g > 110 && g < 190 && b < 80
	red := r > 190 && g < 90 && b < 90
	return green || amber || red
}

func isRepBlue(r, g, b int) bool       { return b > 150 && b > r+50 && b > g+20 }
func isCustomerGreen(r, g, b int) bool { return g > 120 && g > r+40 && g > b+20 }

// checkScreenshot decodes a PNG and fails unless it is a real picture of
// the app: luminance varies and there are many distinct colours.
func checkScreenshot(t *testing.T, path string) shot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 500 {
		t.Errorf("%s: %dx%d, want the whole screen", path, b.Dx(), b.Dy())
	}
	colours := map[uint32]bool{}
	var sum, sum2 float64
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
			l := 0.299*float64(r>>8) + 0.587*float64(g>>8) + 0.114*float64(bl>>8)
			sum += l
			sum2 += l * l
			n++
		}
	}
	mean := sum / float64(n)
	sd := math.Sqrt(sum2/float64(n) - mean*mean)
	t.Logf("%s: %dx%d, %d colours, luminance mean %.0f sd %.1f", filepath.Base(path), b.Dx(), b.Dy(), len(colours), mean, sd)
	if len(colours) < 50 {
		t.Errorf("%s: only %d distinct colours: blank or nearly", path, len(colours))
	}
	if sd < 10 {
		t.Errorf("%s: luminance sd %.1f: blank or nearly", path, sd)
	}
	return shot{img}
}

// screenshotTour runs app (a callcoach child on display, made to write
// NAME.ready in shots when it shows each screen of names, then quit),
// screenshots the whole display into NAME.png at each, and waits for it to
// quit; limit bounds the time to the last screen. It returns how long the
// app ran.
func screenshotTour(t *testing.T, app *exec.Cmd, display, shots string, names []string, limit time.Duration) time.Duration {
	t.Helper()
	var out strings.Builder
	app.Stdout, app.Stderr = &out, &out
	start := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	for _, name := range names {
		ready := filepath.Join(shots, name+".ready")
		for {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("the app exited before showing %s (%v):\n%s", name, err, out.String())
			case <-time.After(100 * time.Millisecond):
			}
			if time.Since(start) > limit {
				t.Fatalf("the app did not show %s within %v:\n%s", name, limit, out.String())
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
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the app failed: %v\n%s", err, out.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("the app did not quit after the screenshots:\n%s", out.String())
	}
	return time.Since(start)
}
