package pulsetest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// KeepAwake plays silence into each sink at a 20 ms latency until the test
// ends, as a call app playing the far end into the headset does. An idle
// null sink renders in blocks of up to 2 s, so a stream newly opened on
// its monitor hears nothing for up to 2 s; a real sound card's source, or
// the monitor of a sink in use, delivers within a fragment. Tests that
// measure how fast recording starts keep the sinks awake so that they
// measure the recorder, not the null sink. It waits until the sinks run.
func (s *Server) KeepAwake(tb testing.TB, sinks ...string) {
	tb.Helper()
	for _, sink := range sinks {
		// pacat plays what arrives on its standard input, in real time.
		cmd := exec.Command("pacat", "--playback", "-d", sink, "--latency-msec=20", "--raw",
			"--format=s16le", "--rate=16000", "--channels=1")
		cmd.Env = append(os.Environ(), s.env...)
		zeros, err := cmd.StdinPipe()
		if err != nil {
			tb.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			tb.Fatalf("pacat (pulseaudio-utils): %v", err)
		}
		stop := make(chan struct{})
		go func() {
			buf := make([]byte, 640) // 20 ms
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			defer zeros.Close()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if _, err := zeros.Write(buf); err != nil {
						return
					}
				}
			}
		}()
		tb.Cleanup(func() {
			close(stop)
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	time.Sleep(2500 * time.Millisecond) // the sinks' last long block ends
}
