package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"callcoach/analysis"
)

// The crash and concurrency tests re-run this test binary as a child
// process that works on a library until killed or done.
const childEnv = "CALLCOACH_STORE_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "import-loop":
		os.Exit(childImportLoop(os.Getenv("LIB"), os.Getenv("SRC")))
	case "late-writes":
		os.Exit(childLateWrites(os.Getenv("LIB")))
	case "writer":
		n, _ := strconv.Atoi(os.Getenv("N"))
		at, _ := strconv.ParseInt(os.Getenv("START"), 10, 64)
		time.Sleep(time.Until(time.Unix(0, at)))
		os.Exit(childWriter(os.Getenv("LIB"), os.Getenv("SRC"), "child", n))
	}
}

// childTB lets the test helpers run in a child process.
type childTB struct{ testing.TB }

func (childTB) Helper()                   {}
func (childTB) Fatal(a ...any)            { fmt.Fprintln(os.Stderr, a...); os.Exit(3) }
func (childTB) Fatalf(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...); os.Exit(3) }
func (childTB) TempDir() string           { d, _ := os.MkdirTemp("", "child"); return d }
func (childTB) Cleanup(func())            {}
func (childTB) Errorf(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...); os.Exit(3) }
func (childTB) Logf(f string, a ...any)   {}
func (childTB) Skipf(f string, a ...any)  {}
func (childTB) Name() string              { return "child" }

// childImportLoop imports fresh WAVs forever, annotating and clipping each
// and deleting every third, printing "ok N" after each round.
func childImportLoop(dir, src string) int {
	l, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for i := 0; ; i++ {
		path := filepath.Join(src, fmt.Sprintf("c%d-%d.wav", os.Getpid(), i))
		left, right := noise(20 * testRate)
		writeWAV(childTB{}, path, testRate, left, right)
		st, err := l.Stage(ctx, StageRequest{Path: path})
		if err != nil {
			fmt.Fprintln(os.Stderr, "stage:", err)
			return 2
		}
		c, err := l.AddStaged(ctx, st, CallInfo{Rep: "Ana"}, testResult(20*time.Second, .5, 1, 0, analysis.VerdictListening, 70))
		if err != nil {
			fmt.Fprintln(os.Stderr, "import:", err)
			return 2
		}
		a := &Annotation{CallID: c.ID, Start: time.Second, End: 3 * time.Second, Tag: "interrupted"}
		if err := l.AddAnnotation(ctx, a); err != nil {
			fmt.Fprintln(os.Stderr, "annotate:", err)
			return 2
		}
		if _, err := l.SaveClip(ctx, a.ID); err != nil {
			fmt.Fprintln(os.Stderr, "clip:", err)
			return 2
		}
		if i%3 == 2 {
			if err := l.DeleteCall(ctx, c.ID); err != nil {
				fmt.Fprintln(os.Stderr, "delete:", err)
				return 2
			}
		}
		os.Remove(path)
		fmt.Printf("ok %d\n", i)
	}
}

// TestKillDuringImport kills (SIGKILL) a child process at random moments
// while it imports, annotates, clips and deletes, and checks after each
// kill that the reopened library is consistent: integrity_check ok, no
// foreign key violations, every call has its analysis, and no file lacks
// its row or row its file.
func TestKillDuringImport(t *testing.T) {
	old := partialGrace
	partialGrace = 0 // the killed child's partial files are stale at once
	t.Cleanup(func() { partialGrace = old })
	dir, src := t.TempDir(), t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	rounds := 0
	for kill := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=import-loop", "LIB="+dir, "SRC="+src)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		if !lines.Scan() { // one round done: the child is past Open
			cmd.Wait()
			t.Fatalf("child %d died before its first import", kill)
		}
		rounds++
		go func() {
			for lines.Scan() {
			}
		}()
		time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		l := MustOpenDir(t, dir)
		checkConsistent(t, l)
		l.Close()
	}
	l := MustOpenDir(t, dir)
	if n, _ := l.CallCount(ctx, CallFilter{}); n < rounds*2/3 {
		t.Errorf("got %d calls after %d completed rounds", n, rounds)
	}
}

func checkConsistent(t *testing.T, l *Library) {
	t.Helper()
	var ic string
	if err := l.db.QueryRow(`PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity_check: %q, %v", ic, err)
	}
	rows, err := l.db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check reports violations")
	}
	rows.Close()
	var noResult int
	l.db.QueryRow(`SELECT count(*) FROM calls c WHERE status <> 'recording' AND NOT EXISTS (SELECT 1 FROM call_results r WHERE r.call_id = c.id)`).Scan(&noResult)
	if noResult != 0 {
		t.Errorf("%d calls without their analysis", noResult)
	}
	assertNoStrays(t, l)
}

// noise returns n frames of random stereo samples: every file differs.
func noise(n int) (left, right []int) {
	left, right = make([]int, n), make([]int, n)
	for i := range n {
		left[i], right[i] = rand.IntN(20000)-10000, rand.IntN(20000)-10000
	}
	return left, right
}

// childWriter adds n calls (AddRecording), annotations and settings.
func childWriter(dir, src, who string, n int) int {
	l, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer l.Close()
	for i := range n {
		path := filepath.Join(src, fmt.Sprintf("%s-%d.wav", who, i))
		left, right := ramp(testRate/4, i)
		writeWAV(childTB{}, path, testRate, left, right)
		c, err := l.AddRecording(ctx, RecordingRequest{Path: path, Title: fmt.Sprintf("%s %d", who, i), Rep: who,
			Result: testResult(testRate/4*time.Second/testRate, .5, 1, 0, "", 0)})
		if err != nil {
			fmt.Fprintln(os.Stderr, who, "add:", err)
			return 2
		}
		if err := l.AddAnnotation(ctx, &Annotation{CallID: c.ID, Start: 0, End: 100 * time.Millisecond, Tag: who + " tag"}); err != nil {
			fmt.Fprintln(os.Stderr, who, "annotate:", err)
			return 2
		}
		if err := l.SetSetting(ctx, "last-"+who, i); err != nil {
			fmt.Fprintln(os.Stderr, who, "setting:", err)
			return 2
		}
		if _, err := l.Calls(ctx, CallFilter{Limit: 20}); err != nil {
			fmt.Fprintln(os.Stderr, who, "list:", err)
			return 2
		}
	}
	return 0
}

// TestTwoProcesses runs a child process writing to the library while this
// process writes to it too (the app and the CLI on one library): both must
// finish without errors and every write must be there. The library does not
// exist yet: both processes create and migrate it at the same moment.
func TestTwoProcesses(t *testing.T) {
	dir, src := filepath.Join(t.TempDir(), "lib"), t.TempDir()
	const n = 40
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// Both processes open the new library at the same moment.
	start := time.Now().Add(500 * time.Millisecond)
	cmd.Env = append(os.Environ(), childEnv+"=writer", "LIB="+dir, "SRC="+src, "N="+strconv.Itoa(n),
		"START="+strconv.FormatInt(start.UnixNano(), 10))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(start))
	// A backup runs while both write.
	dest := filepath.Join(t.TempDir(), "backup")
	backedUp := make(chan error, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		b, err := Open(dir)
		if err != nil {
			backedUp <- err
			return
		}
		defer b.Close()
		rep, err := b.Backup(ctx, dest)
		if err == nil && rep.MissingFiles > 0 {
			err = fmt.Errorf("backup misses %d files", rep.MissingFiles)
		}
		backedUp <- err
	}()
	if code := childWriter(dir, src, "parent", n); code != 0 {
		t.Errorf("parent writer failed")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child writer: %v", err)
	}
	if err := <-backedUp; err != nil {
		t.Fatalf("backup during writes: %v", err)
	}
	b := MustOpenDir(t, dest)
	checkConsistent(t, b)
	l := MustOpenDir(t, dir)
	checkConsistent(t, l)
	for _, who := range []string{"parent", "child"} {
		if n2, _ := l.CallCount(ctx, CallFilter{Rep: who}); n2 != n {
			// Seen when Open closed a descriptor of the database file
			// and so dropped this process's SQLite locks: the last writes
			// were lost.
			t.Errorf("%s: got %d calls, want %d", who, n2, n)
		}
		if n2, _ := l.CallCount(ctx, CallFilter{Tag: who + " tag"}); n2 != n {
			t.Errorf("%s: got %d tagged calls, want %d", who, n2, n)
		}
		var last int
		if err := l.Setting(ctx, "last-"+who, &last); err != nil || last != n-1 {
			t.Errorf("%s: last setting %d, %v", who, last, err)
		}
	}
}
