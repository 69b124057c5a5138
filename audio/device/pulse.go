package device

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// How PulseAudio and PipeWire sources reach PortAudio on Linux.
//
// PortAudio's ALSA host API lists the PCMs defined in ALSA's configuration;
// out of the box that includes "pulse" and "default", which both record
// from the sound server's default source only. The customer's voice is
// usually on another source: the monitor of the playback sink. So, before
// starting PortAudio, the package asks the server for its sources
// (`pactl -f json list sources`), writes a private ALSA configuration file
// that defines one PCM per source through ALSA's pulse plugin
// (libasound2-plugins; `type pulse; device "<source>"`), and points
// ALSA_CONFIG_PATH at ALSA's own top-level file followed by the private
// one. PortAudio then lists every source as a device of its own, by the
// source's description ("Monitor of Built-in Audio"), and opens it like any
// other. Nothing in the user's ALSA files changes.

// pulseSource is one source of the sound server.
type pulseSource struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Spec        string `json:"sample_specification"`
	Monitor     string `json:"monitor_source"` // the sink it monitors ("" for a microphone)
	State       string `json:"state"`
	channels    int
	rate        int
	pcm         string // the ALSA PCM defined for it
}

// pulseServer is what pactl says about the server.
type pulseServer struct {
	DefaultSource string `json:"default_source_name"`
	DefaultSink   string `json:"default_sink_name"`
	ServerName    string `json:"server_name"`
}

// pcmPrefix starts the names of the PCMs the package defines.
const pcmPrefix = "callcoach_pulse_"

var specRE = regexp.MustCompile(`(\d+)ch (\d+)Hz`)

// pactl runs pactl with a timeout and returns its standard output.
func pactl(args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "pactl", args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		var msg string
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		if msg != "" {
			return nil, fmt.Errorf("pactl %s: %s: %w", strings.Join(args, " "), msg, err)
		}
		return nil, fmt.Errorf("pactl %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// pulseSources asks the sound server for its sources. It returns an error
// when pactl is missing or no server answers.
func pulseSources() ([]pulseSource, pulseServer, error) {
	var srv pulseServer
	out, err := pactl("-f", "json", "info")
	if err != nil {
		return nil, srv, err
	}
	if err := json.Unmarshal(out, &srv); err != nil {
		return nil, srv, fmt.Errorf("read pactl info: %w", err)
	}
	out, err = pactl("-f", "json", "list", "sources")
	if err != nil {
		return nil, srv, err
	}
	var srcs []pulseSource
	if err := json.Unmarshal(out, &srcs); err != nil {
		return nil, srv, fmt.Errorf("read pactl's list of sources: %w", err)
	}
	for i := range srcs {
		s := &srcs[i]
		s.channels, s.rate = 2, 48000
		if m := specRE.FindStringSubmatch(s.Spec); m != nil {
			s.channels, _ = strconv.Atoi(m[1])
			s.rate, _ = strconv.Atoi(m[2])
		}
		if s.Description == "" {
			s.Description = s.Name
		}
		s.pcm = pcmPrefix + strconv.Itoa(i)
	}
	return srcs, srv, nil
}

// alsaTopConfig is ALSA's own top-level configuration file, which must
// stay first in ALSA_CONFIG_PATH.
func alsaTopConfig() string {
	for _, p := range []string{"/usr/share/alsa/alsa.conf", "/etc/alsa/alsa.conf", "/usr/local/share/alsa/alsa.conf"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// pulseConfig is the private ALSA configuration of one PortAudio session.
type pulseConfig struct {
	dir      string
	prevEnv  string
	hadEnv   bool
	sources  []pulseSource
	server   pulseServer
	serverOK bool
	err      error // why sources are unavailable (no pactl, no server)
}

// setupPulse defines an ALSA PCM for every source of the running sound
// server and points ALSA_CONFIG_PATH at it. It never fails: without a
// server (or pactl, or ALSA) it records why and leaves ALSA alone.
func setupPulse() *pulseConfig {
	pc := &pulseConfig{}
	srcs, srv, err := pulseSources()
	if err != nil {
		pc.err = err
		return pc
	}
	pc.server, pc.serverOK = srv, true
	top := alsaTopConfig()
	if top == "" || len(srcs) == 0 {
		pc.sources = nil
		return pc
	}
	dir, err := os.MkdirTemp("", "callcoach-alsa-")
	if err != nil {
		pc.err = err
		return pc
	}
	var b strings.Builder
	b.WriteString("# Written by CallCoach for its own process: one PCM per PulseAudio/PipeWire source.\n")
	for _, s := range srcs {
		fmt.Fprintf(&b, "pcm.%s {\n\ttype pulse\n\tdevice %s\n\thint { show on description %s }\n}\n",
			s.pcm, strconv.Quote(s.Name), strconv.Quote(s.Description))
	}
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		os.RemoveAll(dir)
		pc.err = err
		return pc
	}
	pc.dir, pc.sources = dir, srcs
	pc.prevEnv, pc.hadEnv = os.LookupEnv("ALSA_CONFIG_PATH")
	path := top
	if pc.hadEnv && pc.prevEnv != "" {
		path = pc.prevEnv
	}
	os.Setenv("ALSA_CONFIG_PATH", path+":"+conf)
	return pc
}

// source returns the source behind an ALSA PCM name, if it is one of ours.
func (pc *pulseConfig) source(pcm string) (pulseSource, bool) {
	for _, s := range pc.sources {
		if s.pcm == pcm {
			return s, true
		}
	}
	return pulseSource{}, false
}

// cleanup removes the private configuration and restores the environment.
// Call it only after PortAudio has terminated.
func (pc *pulseConfig) cleanup() {
	if pc.dir == "" {
		return
	}
	if pc.hadEnv {
		os.Setenv("ALSA_CONFIG_PATH", pc.prevEnv)
	} else {
		os.Unsetenv("ALSA_CONFIG_PATH")
	}
	os.RemoveAll(pc.dir)
	pc.dir = ""
}

// watcher follows the sound server's sources while inputs are open. When a
// source goes away (a headset unplugged, a sink unloaded) PulseAudio and
// PipeWire move the streams recording from it to another source rather
// than ending them, so PortAudio keeps delivering audio — from the wrong
// device. The watcher notices (`pactl subscribe`) and the Input reports it
// through Err, which ends the recording cleanly.
type watcher struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	present map[string]bool // nil until a source was removed
	dead    error           // the subscription ended: the server went away
}

// startWatcher starts following the server; nil if pactl cannot.
func startWatcher() *watcher {
	cmd := exec.Command("pactl", "subscribe")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil
	}
	if err := cmd.Start(); err != nil {
		return nil
	}
	w := &watcher{cmd: cmd}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "'remove'") && strings.Contains(line, " source ") {
				w.check()
			}
		}
		cmd.Wait()
		w.mu.Lock()
		if w.dead == nil {
			w.dead = errors.New("the sound server stopped")
		}
		w.mu.Unlock()
	}()
	return w
}

// check asks which sources exist and marks the others gone.
func (w *watcher) check() {
	out, err := pactl("list", "short", "sources")
	if err != nil {
		return
	}
	present := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			present[f[1]] = true
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.present = present
}

// err reports why source is no longer usable, or nil.
func (w *watcher) err(source string) error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dead != nil {
		return w.dead
	}
	if w.present != nil && !w.present[source] {
		return fmt.Errorf("the sound server no longer has the source %s", source)
	}
	return nil
}

// stop ends the subscription.
func (w *watcher) stop() {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.dead = errors.New("stopped")
	w.mu.Unlock()
	w.cmd.Process.Kill()
}
