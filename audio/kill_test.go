package audio

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// childEnv makes the test binary act as a recording process (see TestMain).
const childEnv = "CALLCOACH_AUDIO_WRITER_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		recordForever(path)
		return
	}
	os.Exit(m.Run())
}

// recordForever writes a tone to path in 100 ms blocks, syncing every 10
// blocks and printing "synced N" with the frames synced, until killed.
func recordForever(path string) {
	w, err := Create(path, 16000, 2)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	block := ramp(1600, 2)
	for i := 1; ; i++ {
		if err := w.WriteFrames(block); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if i%10 == 0 {
			if err := w.Sync(); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			fmt.Println("synced", w.Frames())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWriterKill9 kills a writing process with SIGKILL between two Syncs:
// the file must open holding at least everything synced, and Repair must
// keep it.
func TestWriterKill9(t *testing.T) {
	path := filepath.Join(t.TempDir(), "killed.wav")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var synced int64
	sc := bufio.NewScanner(out)
	for syncs := 0; syncs < 3 && sc.Scan(); {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "synced" {
			synced, _ = strconv.ParseInt(f[1], 10, 64)
			syncs++
			continue
		}
		t.Fatalf("child: %s", sc.Text())
	}
	time.Sleep(23 * time.Millisecond) // mid-way between two Syncs
	cmd.Process.Kill()
	cmd.Wait()
	if synced < 3*16000 {
		t.Fatalf("child synced %d frames before the kill, want at least 48000", synced)
	}

	r, err := Open(path)
	if err != nil {
		t.Fatalf("killed recording does not open: %v", err)
	}
	info := r.Info()
	r.Close()
	if info.Frames < synced || info.Frames > synced+16000 {
		t.Errorf("killed recording holds %d frames, want %d (synced) to %d", info.Frames, synced, synced+16000)
	}
	rep, err := Repair(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Frames != info.Frames || rep.HeaderFrames < synced {
		t.Errorf("repair: %+v, want %d frames kept and at least %d in the old header", rep, info.Frames, synced)
	}
	// And a player reads it: sox, where installed, stands for one.
	if _, err := exec.LookPath("sox"); err == nil {
		out, err := exec.Command("sox", path, "-n", "stat").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Length (seconds)") {
			t.Errorf("sox cannot read the repaired file: %v: %s", err, out)
		}
	}
}
