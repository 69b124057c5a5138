package device_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"callcoach/audio/device/pulsetest"
)

// TestPipeWire runs the real-device tests again against PipeWire with its
// PulseAudio server and WirePlumber, as most Linux desktops now have: the
// speech recorded through PortAudio from null sinks' monitors, a stereo
// device (and the server stalled under it), a device unplugged mid-call,
// the device list and the player.
// Each runs in a child test process whose servers are private and ended
// with it (see pulsetest).
func TestPipeWire(t *testing.T) {
	if os.Getenv(pulsetest.EnvServer) == "pipewire" {
		t.Skip("already running against PipeWire") // the child itself
	}
	tests := "^(TestInputsListsServerSources|TestRecordRealCall|TestRecordStereoDevice|TestServerStall|TestUnplugMidCall|TestPlayer)$"
	cmd := exec.Command(os.Args[0], "-test.run", tests, "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), pulsetest.EnvServer+"=pipewire")
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--- ") || strings.Contains(line, "_test.go:") {
			t.Log(line)
		}
	}
	if err != nil {
		// ALSA's "underrun occurred" lines (PortAudio's player on a
		// loaded machine) run to hundreds: counted, not repeated.
		var keep []string
		alsa := 0
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "ALSA lib ") {
				alsa++
				continue
			}
			keep = append(keep, line)
		}
		t.Fatalf("the real-device tests against PipeWire failed: %v (and %d lines from ALSA left out)\n%s", err, alsa, strings.Join(keep, "\n"))
	}
	for _, name := range []string{"TestInputsListsServerSources", "TestRecordRealCall", "TestRecordStereoDevice", "TestServerStall", "TestUnplugMidCall", "TestPlayer"} {
		if !strings.Contains(string(out), "--- PASS: "+name) {
			t.Errorf("%s did not pass against PipeWire", name)
		}
	}
}
