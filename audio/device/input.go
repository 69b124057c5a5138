package device

import (
	"fmt"
	"os"
	"sync"
	"time"

	"callcoach/audio/record"

	"github.com/gordonklaus/portaudio"
)

// Input is an open capture stream; it is a record.Input. Its PortAudio
// callback only copies into the ring (no allocation, no locks, no I/O).
type Input struct {
	dev      Device
	stream   *portaudio.Stream
	ring     *record.Ring
	rate     int
	channels int
	latency  time.Duration
	watch    *watcher

	// Sound server sources are read natively (see pulsecapture_linux.go):
	// a C thread blocks on the server and queues fragments that Poll moves
	// into the ring.
	pr *pulseReader

	mu     sync.Mutex
	closed bool
}

var _ record.Input = (*Input)(nil)

// Capture settings.
const (
	// bufferTime is the audio per callback: short enough for live figures
	// well inside 150 ms, long enough that callbacks cost little.
	bufferTime = 20 * time.Millisecond
	// minLatency is the least input latency asked of the host API; lower
	// values make ALSA's pulse plugin overrun on a busy machine.
	minLatency = 20 * time.Millisecond
	// ringTime is how much audio the ring holds: the writer would have to
	// stall this long before a buffer is dropped.
	ringTime = 2 * time.Second
)

// OpenInput opens dev for capture with the given number of channels (1
// when the device carries one party, 2 for a stereo device carrying both)
// at the device's preferred rate. A device that cannot deliver one channel
// is opened with two; the recorder then takes the first. Start it (or let
// the recorder start it) to capture; Close it when done.
func OpenInput(dev Device, channels int) (*Input, error) {
	s, err := acquire()
	if err != nil {
		return nil, err
	}
	var pa *portaudio.DeviceInfo
	for _, d := range s.inputs {
		if d.paName == dev.paName {
			pa = d.pa
		}
	}
	if pa == nil {
		release()
		return nil, errorf(ErrNoDevice, nil, "%q is no longer connected; plug it back in or choose another device", dev.Name)
	}
	if channels < 1 || channels > pa.MaxInputChannels {
		release()
		return nil, fmt.Errorf("%q has %d input channel(s), not %d", dev.Name, pa.MaxInputChannels, channels)
	}
	rate := dev.DefaultRate
	if rate == 0 {
		rate = pa.DefaultSampleRate
	}
	in := &Input{dev: dev, rate: int(rate), channels: channels}
	if dev.Source != "" && os.Getenv("CALLCOACH_CAPTURE") != "portaudio" && pulseNativeAvailable() {
		frag := int(rate * bufferTime.Seconds())
		pr, err := openPulseReader(dev.Source, in.rate, channels, frag)
		if err != nil {
			release()
			return nil, errorf(ErrNoDevice, err, "cannot open %q for recording (%v); check that it is still connected", dev.Name, err)
		}
		in.pr, in.latency = pr, bufferTime
		in.ring = record.NewRing(int(rate*ringTime.Seconds()), channels)
		in.watch = s.watchSources()
		return in, nil
	}
	p := portaudio.LowLatencyParameters(pa, nil)
	p.Input.Latency = max(p.Input.Latency, minLatency)
	p.SampleRate = rate
	p.FramesPerBuffer = int(rate * bufferTime.Seconds())
	p.Input.Channels = channels
	if channels == 1 && pa.MaxInputChannels >= 2 {
		var supported error
		hush(func() { supported = portaudio.IsFormatSupported(p, []float32{}) })
		if supported != nil {
			p.Input.Channels, in.channels = 2, 2
		}
	}
	in.ring = record.NewRing(int(rate*ringTime.Seconds()), in.channels)
	var stream *portaudio.Stream
	hush(func() { stream, err = portaudio.OpenStream(p, in.callback) })
	if err != nil {
		release()
		return nil, openError(dev, err)
	}
	in.stream = stream
	in.latency = stream.Info().InputLatency
	if dev.Source != "" {
		in.watch = s.watchSources()
	}
	return in, nil
}

func openError(dev Device, err error) error {
	return errorf(ErrNoDevice, err, "cannot open %q for recording: it may have been unplugged or be in use by another program; check the connection and close other recording programs (PortAudio: %v)", dev.Name, err)
}

// callback runs on PortAudio's audio thread.
func (in *Input) callback(buf []float32, _ portaudio.StreamCallbackTimeInfo, flags portaudio.StreamCallbackFlags) {
	if flags&(portaudio.InputOverflow|portaudio.InputUnderflow) != 0 {
		in.ring.NoteOverflow()
	}
	in.ring.Write(buf, record.Clock())
}

// Poll moves queued audio into the ring (record.Poller); the recorder's
// writer calls it.
func (in *Input) Poll() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.pr != nil && !in.closed {
		in.pr.q.poll(in.ring)
	}
}

// Name is the device's name.
func (in *Input) Name() string { return in.dev.Name }

// Rate is the rate the stream runs at (nominal; the recorder measures the
// real one).
func (in *Input) Rate() int { return in.rate }

// Channels is the number of channels captured.
func (in *Input) Channels() int { return in.channels }

// Latency is the input latency PortAudio reports.
func (in *Input) Latency() time.Duration { return in.latency }

// Ring is where the callback writes.
func (in *Input) Ring() *record.Ring { return in.ring }

// Start starts capturing.
func (in *Input) Start() error {
	if in.pr != nil {
		if err := in.pr.start(); err != nil {
			return fmt.Errorf("%q did not start recording: %w", in.dev.Name, err)
		}
		return nil
	}
	var err error
	hush(func() { err = in.stream.Start() })
	if err != nil {
		return fmt.Errorf("%q did not start recording; it may have been unplugged (PortAudio: %w)", in.dev.Name, err)
	}
	return nil
}

// Err reports a sound server source that went away (see watcher). A
// vanished ALSA, Core Audio or WASAPI device is not reported here:
// PortAudio's callback interface does not say so, it stops calling back,
// and the recorder notices the silence (record.Options.StallAfter).
func (in *Input) Err() error {
	in.mu.Lock()
	closed := in.closed
	in.mu.Unlock()
	if closed {
		return nil
	}
	if in.pr != nil {
		if err := in.pr.failure(); err != nil {
			return fmt.Errorf("it was unplugged or removed: %w", err)
		}
	}
	if err := in.watch.err(in.dev.Source); err != nil {
		return fmt.Errorf("it was unplugged or removed: %w", err)
	}
	return nil
}

// Close stops and closes the stream. It may be called more than once.
func (in *Input) Close() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil
	}
	in.closed = true
	if in.pr != nil {
		in.pr.stop()
		in.pr.q.poll(in.ring) // what arrived before the stop
		in.pr.close()
		release()
		return nil
	}
	var err error
	hush(func() {
		in.stream.Stop()
		err = in.stream.Close()
	})
	release()
	if err != nil {
		return fmt.Errorf("close %q: %w", in.dev.Name, err)
	}
	return nil
}
