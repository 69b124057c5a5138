// Package device is CallCoach's only door to the sound hardware: it lists
// input devices, opens capture streams for the recorder (audio/record) and
// plays recordings back, through PortAudio (github.com/gordonklaus/portaudio).
//
// On Linux it also makes every PulseAudio/PipeWire source selectable
// (including the monitors of playback sinks, which carry the far end of a
// call) without the user editing ALSA files; see pulse.go. PortAudio's and
// ALSA's start-up chatter on standard error is hidden.
package device

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gordonklaus/portaudio"
)

// Device is an input device as the user picks it.
type Device struct {
	// Name is what the user sees and types (matched case-insensitively by
	// substring): the PortAudio name, or a sound server source's
	// description ("Monitor of Headset").
	Name string `json:"name"`
	// HostAPI is the PortAudio host API ("ALSA", "Core Audio", "WASAPI"),
	// or "PulseAudio" for a sound server source.
	HostAPI string `json:"host_api"`
	// Channels and DefaultRate are the device's input channels and
	// preferred sample rate.
	Channels    int     `json:"channels"`
	DefaultRate float64 `json:"default_rate"`
	// Default marks the system's default input.
	Default bool `json:"default"`
	// Source is the sound server's name for a PulseAudio/PipeWire source
	// ("alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"), also
	// matched by substring.
	Source string `json:"source,omitempty"`
	// Monitor is set for a source that carries what a playback device
	// plays: the customer's side of a call.
	Monitor bool `json:"monitor,omitempty"`

	paName string // PortAudio's name, to find it again in a later session
	pa     *portaudio.DeviceInfo
}

// Kinds of error, for errors.Is. The errors themselves read as sentences
// for the user: what is missing and how to fix it.
var (
	ErrNoSoundSystem = errors.New("no sound system")
	ErrNoDevice      = errors.New("no such device")
	ErrAmbiguous     = errors.New("ambiguous device name")
)

// userError is a sentence for the user of one of the kinds above.
type userError struct {
	kind error
	msg  string
	err  error // cause, if any
}

func (e *userError) Error() string   { return e.msg }
func (e *userError) Is(t error) bool { return t == e.kind }
func (e *userError) Unwrap() error   { return e.err }

func errorf(kind error, cause error, format string, a ...any) error {
	return &userError{kind: kind, msg: fmt.Sprintf(format, a...), err: cause}
}

// session is one PortAudio initialisation, shared by everything open.
type session struct {
	refs   int
	pulse  *pulseConfig
	inputs []Device
	noise  string
	watch  *watcher // follows the sound server's sources while inputs are open
}

// watchSources starts the source watcher of the session if needed.
func (s *session) watchSources() *watcher {
	sessMu.Lock()
	defer sessMu.Unlock()
	if s.watch == nil {
		s.watch = startWatcher()
	}
	return s.watch
}

var (
	sessMu sync.Mutex
	sess   *session
)

// acquire starts PortAudio (or shares the running session).
func acquire() (*session, error) {
	sessMu.Lock()
	defer sessMu.Unlock()
	if sess != nil {
		sess.refs++
		return sess, nil
	}
	s := &session{refs: 1}
	s.pulse = setupPulse()
	var err error
	s.noise = hush(func() {
		if err = portaudio.Initialize(); err != nil {
			return
		}
		s.inputs, err = enumerate(s.pulse)
		if err != nil {
			portaudio.Terminate()
		}
	})
	if err != nil {
		s.pulse.cleanup()
		return nil, errorf(ErrNoSoundSystem, err, "the sound system could not be started (PortAudio: %v)%s", err, serverHint(s.pulse))
	}
	sess = s
	return s, nil
}

// release ends a use of the session; the last one terminates PortAudio.
func release() {
	sessMu.Lock()
	defer sessMu.Unlock()
	if sess == nil {
		return
	}
	sess.refs--
	if sess.refs > 0 {
		return
	}
	sess.watch.stop()
	hush(func() { portaudio.Terminate() })
	sess.pulse.cleanup()
	sess = nil
}

// serverHint says what to do when no sound server answered, on Linux.
func serverHint(pc *pulseConfig) string {
	if runtime.GOOS != "linux" || pc == nil || pc.serverOK {
		return ""
	}
	return "; no PulseAudio or PipeWire sound server is running (" + firstLine(pc.err.Error()) + "): start it (systemctl --user start pipewire-pulse, or pulseaudio --start), and make sure pactl is installed (package pulseaudio-utils)"
}

// enumerate lists PortAudio's input devices, the sound server's sources
// under their own names.
func enumerate(pc *pulseConfig) ([]Device, error) {
	devs, err := portaudio.Devices()
	if err != nil {
		return nil, err
	}
	var def *portaudio.DeviceInfo
	if d, err := portaudio.DefaultInputDevice(); err == nil {
		def = d
	}
	var out []Device
	for _, d := range devs {
		if d.MaxInputChannels < 1 {
			continue
		}
		dev := Device{Name: d.Name, HostAPI: d.HostApi.Name, Channels: d.MaxInputChannels, DefaultRate: d.DefaultSampleRate, paName: d.Name, pa: d}
		if src, ok := pc.source(d.Name); ok {
			dev.Name, dev.HostAPI, dev.Source = src.Description, "PulseAudio", src.Name
			dev.Channels, dev.DefaultRate = src.channels, float64(src.rate)
			dev.Monitor = src.Monitor != ""
			dev.Default = pc.server.DefaultSource == src.Name
		} else if def != nil && d.Index == def.Index {
			dev.Default = true
		}
		if d.Name == "pulse" || d.Name == "default" {
			// ALSA's catch-alls offer up to 32 channels; what arrives is the
			// default source's.
			dev.Channels = min(dev.Channels, 2)
		}
		out = append(out, dev)
	}
	// One default: the sound server's default source where there is one
	// (ALSA's "default" leads to it anyway).
	serverDefault := false
	for _, d := range out {
		serverDefault = serverDefault || (d.Default && d.Source != "")
	}
	for i := range out {
		if serverDefault && out[i].Source == "" {
			out[i].Default = false
		}
	}
	// Sound server sources first (they are what a user means on a desktop),
	// then the rest in PortAudio's order.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Source != "" && out[j].Source == "" })
	return out, nil
}

// Inputs lists the input devices.
func Inputs() ([]Device, error) {
	s, err := acquire()
	if err != nil {
		return nil, err
	}
	defer release()
	if len(s.inputs) == 0 {
		return nil, noInputs(s.pulse)
	}
	return append([]Device(nil), s.inputs...), nil
}

func noInputs(pc *pulseConfig) error {
	msg := "no microphone or other input device was found: plug one in"
	switch runtime.GOOS {
	case "linux":
		if pc != nil && !pc.serverOK {
			msg += serverHint(pc)
		} else {
			msg += ", or check that your user may use the sound card (the audio group)"
		}
	case "darwin":
		msg += ", and allow CallCoach to use the microphone (System Settings > Privacy & Security > Microphone)"
	case "windows":
		msg += ", and allow apps to use the microphone (Settings > Privacy > Microphone)"
	}
	return errorf(ErrNoDevice, nil, "%s", msg)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Find returns the input device whose name (or sound server source name)
// contains name, ignoring case. An exact name wins over partial matches;
// an unknown or ambiguous name is an error listing the candidates.
func Find(devs []Device, name string) (Device, error) {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		return Device{}, errorf(ErrNoDevice, nil, "no device name given; the input devices are:\n%s", names(devs))
	}
	var hits []Device
	for _, d := range devs {
		if strings.ToLower(d.Name) == want || strings.ToLower(d.Source) == want {
			return d, nil
		}
		if strings.Contains(strings.ToLower(d.Name), want) || strings.Contains(strings.ToLower(d.Source), want) {
			hits = append(hits, d)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return Device{}, errorf(ErrNoDevice, nil, "no input device matches %q; the input devices are:\n%s", name, names(devs))
	}
	return Device{}, errorf(ErrAmbiguous, nil, "%q matches %d input devices; use more of the name:\n%s", name, len(hits), names(hits))
}

func names(devs []Device) string {
	var b strings.Builder
	for _, d := range devs {
		fmt.Fprintf(&b, "  %s", d.Name)
		if d.Source != "" {
			fmt.Fprintf(&b, " (%s)", d.Source)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
