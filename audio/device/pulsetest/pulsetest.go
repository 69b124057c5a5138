// Package pulsetest starts a private sound server for tests that need a
// real sound server but no sound card: null sinks stand in for the
// microphone and the headset, their monitors are the inputs the recorder
// records, and paplay plays a call into them.
//
// The server is PulseAudio, or PipeWire with its PulseAudio server
// (pipewire-pulse) and WirePlumber when $CALLCOACH_SOUND_SERVER is
// "pipewire": most Linux desktops now run the latter, and clients reach
// both the same way.
package pulsetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Sink is a null sink to create: its monitor source is Name+".monitor" and
// shows as "Monitor of <Description>".
type Sink struct {
	Name        string
	Description string
	Rate        int // 0: the server's default (44100)
}

// EnvServer chooses the server Start starts: "pulseaudio" (the default) or
// "pipewire".
const EnvServer = "CALLCOACH_SOUND_SERVER"

// Server is a running private sound server.
type Server struct {
	Dir    string // runtime directory (socket, config, logs)
	Socket string // PULSE_SERVER value
	Kind   string // "pulseaudio" or "pipewire"
	cmd    *exec.Cmd
	extra  []*exec.Cmd // PipeWire's other daemons, stopped in reverse
	log    *lockedBuffer
	env    []string
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Start starts a PulseAudio server with the given null sinks, points this
// process at it (PULSE_SERVER, and a client configuration that never
// autospawns another server) for the rest of the test, and kills it when
// the test ends. It fails the test if pulseaudio is not installed or does
// not come up: a test that needs a sound server must not silently pass.
func Start(tb testing.TB, sinks ...Sink) *Server {
	tb.Helper()
	if os.Getenv(EnvServer) == "pipewire" {
		return startPipeWire(tb, sinks)
	}
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		tb.Fatalf("pulseaudio is not installed (apt-get install pulseaudio pulseaudio-utils): %v", err)
	}
	dir, err := os.MkdirTemp("", "callcoach-pulse-")
	if err != nil {
		tb.Fatal(err)
	}
	os.Chmod(dir, 0o700)
	s := &Server{Dir: dir, Socket: "unix:" + filepath.Join(dir, "native"), Kind: "pulseaudio", log: &lockedBuffer{}}
	var script strings.Builder
	fmt.Fprintf(&script, "load-module module-native-protocol-unix auth-anonymous=1 socket=%s\n", filepath.Join(dir, "native"))
	for _, k := range sinks {
		fmt.Fprintf(&script, "load-module module-null-sink sink_name=%s", k.Name)
		if k.Description != "" {
			// The module argument is double-quoted, the property value
			// single-quoted inside it: the one form PulseAudio accepts
			// for a value with spaces.
			fmt.Fprintf(&script, ` sink_properties="device.description='%s'"`, k.Description)
		}
		if k.Rate > 0 {
			fmt.Fprintf(&script, " rate=%d", k.Rate)
		}
		script.WriteString("\n")
	}
	if len(sinks) > 0 {
		fmt.Fprintf(&script, "set-default-sink %s\n", sinks[0].Name)
	}
	mustWrite(tb, filepath.Join(dir, "default.pa"), script.String())
	mustWrite(tb, filepath.Join(dir, "daemon.conf"), "flat-volumes = no\n")
	mustWrite(tb, filepath.Join(dir, "client.conf"), "autospawn = no\n")

	// The server runs with its own HOME and runtime directory so that it
	// neither finds nor disturbs a user's session; as root it warns that
	// it is not meant to run as root, which is harmless here.
	s.cmd = exec.Command(bin, "-n", "--daemonize=no", "--exit-idle-time=-1", "--system=false",
		"--use-pid-file=no", "--disallow-module-loading=no", "--log-target=stderr",
		"-F", filepath.Join(dir, "default.pa"))
	s.cmd.Env = append(os.Environ(),
		"HOME="+dir, "XDG_RUNTIME_DIR="+dir, "XDG_CONFIG_HOME="+dir, "PULSE_RUNTIME_PATH="+dir,
		"PULSE_STATE_PATH="+dir, "PULSE_CLIENTCONFIG="+filepath.Join(dir, "client.conf"))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start pulseaudio: %v", err)
	}
	s.env = []string{"PULSE_SERVER=" + s.Socket, "PULSE_CLIENTCONFIG=" + filepath.Join(dir, "client.conf")}
	tb.Cleanup(s.stop)
	for _, kv := range s.env {
		k, v, _ := strings.Cut(kv, "=")
		tb.Setenv(k, v)
	}
	s.waitUp(tb)
	return s
}

// waitUp waits for the server to answer pactl.
func (s *Server) waitUp(tb testing.TB) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := s.Pactl("info"); err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the test %s server did not come up in 10 s; its log:\n%s", s.Kind, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startPipeWire starts PipeWire, WirePlumber (its session manager, which
// links streams to sinks) and pipewire-pulse, all private: their own
// runtime, config and state folders, and their own D-Bus session bus —
// WirePlumber 0.4 exits without one ("Error acquiring bus address ...
// disconnected from pipewire", even with support.dbus = false and no
// device monitors), so a private dbus-daemon runs beside them, never the
// user's bus. Null sinks are loaded through pipewire-pulse with pactl.
func startPipeWire(tb testing.TB, sinks []Sink) *Server {
	tb.Helper()
	for _, bin := range []string{"dbus-daemon", "pipewire", "wireplumber", "pipewire-pulse"} {
		if _, err := exec.LookPath(bin); err != nil {
			tb.Fatalf("%s is not installed (apt-get install pipewire pipewire-pulse wireplumber dbus): %v", bin, err)
		}
	}
	dir, err := os.MkdirTemp("", "callcoach-pipewire-")
	if err != nil {
		tb.Fatal(err)
	}
	os.Chmod(dir, 0o700)
	s := &Server{Dir: dir, Socket: "unix:" + filepath.Join(dir, "pulse", "native"), Kind: "pipewire", log: &lockedBuffer{}}
	mustWrite(tb, filepath.Join(dir, "client.conf"), "autospawn = no\n")
	env := append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(dir, "bus"),
		"PIPEWIRE_RUNTIME_DIR="+dir, "DISPLAY=")
	tb.Cleanup(s.stop)
	start := func(wait func() bool, name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = s.log, s.log
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start %s: %v", name, err)
		}
		s.extra = append(s.extra, cmd)
		deadline := time.Now().Add(10 * time.Second)
		for !wait() {
			if time.Now().After(deadline) {
				tb.Fatalf("%s did not come up in 10 s; the log:\n%s", name, s.log.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	exists := func(p string) func() bool {
		return func() bool { _, err := os.Stat(p); return err == nil }
	}
	start(exists(filepath.Join(dir, "bus")), "dbus-daemon", "--session", "--address=unix:path="+filepath.Join(dir, "bus"), "--nofork", "--nopidfile")
	start(exists(filepath.Join(dir, "pipewire-0")), "pipewire")
	start(func() bool { return true }, "wireplumber")
	start(exists(filepath.Join(dir, "pulse", "native")), "pipewire-pulse")
	s.env = []string{"PULSE_SERVER=" + s.Socket, "PULSE_CLIENTCONFIG=" + filepath.Join(dir, "client.conf")}
	for _, kv := range s.env {
		k, v, _ := strings.Cut(kv, "=")
		tb.Setenv(k, v)
	}
	s.waitUp(tb)
	for _, k := range sinks {
		args := []string{"load-module", "module-null-sink", "sink_name=" + k.Name}
		if k.Description != "" {
			args = append(args, fmt.Sprintf(`sink_properties="device.description='%s'"`, k.Description))
		}
		if k.Rate > 0 {
			args = append(args, fmt.Sprintf("rate=%d", k.Rate))
		}
		if _, err := s.Pactl(args...); err != nil {
			tb.Fatalf("creating the null sink %s: %v", k.Name, err)
		}
	}
	// WirePlumber makes each sink a node a moment after pipewire-pulse
	// loads it: wait until every monitor is listed.
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _ := s.Pactl("list", "short", "sources")
		ok := true
		for _, k := range sinks {
			ok = ok && strings.Contains(out, k.Name+".monitor")
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the null sinks' monitors did not appear in 10 s: %s\n%s", out, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(sinks) > 0 {
		// pipewire-pulse may refuse the default ("Not supported") until
		// WirePlumber has taken the new node in, a moment after its
		// monitor is listed: try again for up to 10 s.
		deadline = time.Now().Add(10 * time.Second)
		for {
			_, err := s.Pactl("set-default-sink", sinks[0].Name)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				tb.Fatalf("setting the default sink: %v\n%s", err, s.log.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return s
}

func mustWrite(tb testing.TB, path, s string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		tb.Fatal(err)
	}
}

func (s *Server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
	for i := len(s.extra) - 1; i >= 0; i-- {
		if p := s.extra[i].Process; p != nil {
			p.Kill()
			s.extra[i].Wait()
		}
	}
	os.RemoveAll(s.Dir)
}

// Stall stops the process that runs the server's audio (pulseaudio, or
// PipeWire's graph daemon, its PulseAudio front end left running) for d
// and resumes it: what a machine too busy to schedule it for a moment
// does. Measured here: PipeWire then plays digital silence into its
// sinks and their monitors, a quantum (1024 samples at 48 kHz) or more;
// PulseAudio catches up without a gap. (Stopping all of PipeWire's
// daemons together leaves no gap either.)
func (s *Server) Stall(tb testing.TB, d time.Duration) {
	tb.Helper()
	c := s.cmd
	for _, x := range s.extra {
		if filepath.Base(x.Path) == "pipewire" {
			c = x
		}
	}
	if c == nil || c.Process == nil {
		tb.Fatal("no sound server process to stall")
	}
	if err := c.Process.Signal(syscall.SIGSTOP); err != nil {
		tb.Fatalf("stop the sound server: %v", err)
	}
	time.Sleep(d)
	if err := c.Process.Signal(syscall.SIGCONT); err != nil {
		tb.Fatalf("resume the sound server: %v", err)
	}
}

// Env is the environment a child process needs to reach the server.
func (s *Server) Env() []string { return append([]string(nil), s.env...) }

// Log returns the server's log so far.
func (s *Server) Log() string { return s.log.String() }

// Pactl runs pactl against the server and returns its output.
func (s *Server) Pactl(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "pactl", args...)
	cmd.Env = append(append(os.Environ(), "LC_ALL=C"), s.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("pactl %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// Play starts paplay playing the WAV file into sink and returns the
// running command; Wait on it for the end.
func (s *Server) Play(tb testing.TB, sink, wav string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command("paplay", "-d", sink, wav)
	cmd.Env = append(os.Environ(), s.env...)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("paplay: %v", err)
	}
	tb.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// UnloadSink removes a sink (its module) as if the device were unplugged.
func (s *Server) UnloadSink(name string) error {
	out, err := s.Pactl("list", "short", "modules")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[1] == "module-null-sink" && strings.Contains(line, "sink_name="+name) {
			_, err := s.Pactl("unload-module", f[0])
			return err
		}
	}
	return fmt.Errorf("no null sink %q is loaded", name)
}
