package device

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"callcoach/audio/record"

	"github.com/gordonklaus/portaudio"
)

// Input is an open capture stream; it is a record.Input and a
// record.Poller. Its audio thread (PortAudio's callback, or the sound
// server reader) only copies into a queue in C memory; Poll, on the
// recorder's writer goroutine, moves the queue into the Ring.
type Input struct {
	dev      Device
	ring     *record.Ring
	rate     int
	channels int
	latency  time.Duration
	watch    *watcher

	pas *paStream    // a PortAudio stream, or
	pr  *pulseReader // a sound server source read natively (pulsecapture_linux.go)

	mu      sync.Mutex
	started bool
	closed  bool
}

var (
	_ record.Input  = (*Input)(nil)
	_ record.Poller = (*Input)(nil)
)

// Capture settings.
const (
	// bufferTime is the audio per callback or fragment: short enough for
	// live figures well inside 150 ms (measured: under 60 ms behind),
	// long enough that the audio threads wake seldom (measured on the
	// soak test: 20 ms fragments cost 2.6-3.1% of a core, 40 ms 2.1%).
	bufferTime = 40 * time.Millisecond
	// minLatency is the least input latency asked of the host API; lower
	// values make ALSA's pulse plugin overrun on a busy machine.
	minLatency = 20 * time.Millisecond
	// ringTime is how much audio the queues hold: the writer would have
	// to stall this long before a buffer is dropped.
	ringTime = 2 * time.Second
)

// OpenInput opens dev for capture with the given number of channels (1
// when the device carries one party, 2 for a stereo device carrying both)
// at the device's preferred rate. A device that cannot deliver one channel
// is opened with two; the recorder then takes the first. Sound server
// sources are read with libpulse directly unless CALLCOACH_CAPTURE is
// "portaudio" (see pulsecapture_linux.go); everything else through
// PortAudio. Start it (or let the recorder start it); Close it when done.
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
	maxCh := pa.MaxInputChannels
	if dev.Source != "" {
		maxCh = dev.Channels
	}
	if channels < 1 || channels > maxCh {
		release()
		return nil, fmt.Errorf("%q has %d input channel(s), not %d", dev.Name, maxCh, channels)
	}
	rate := dev.DefaultRate
	if rate == 0 {
		rate = pa.DefaultSampleRate
	}
	in := &Input{dev: dev, rate: int(rate), channels: channels}
	fpb := int(rate * bufferTime.Seconds())
	if dev.Source != "" {
		in.watch = s.watchSources()
	}
	if dev.Source != "" && os.Getenv("CALLCOACH_CAPTURE") != "portaudio" && pulseNativeAvailable() {
		pr, err := openPulseReader(dev.Source, in.rate, channels, fpb)
		if err != nil {
			release()
			return nil, errorf(ErrNoDevice, err, "cannot open %q for recording (%v); check that it is still connected", dev.Name, err)
		}
		in.pr, in.latency = pr, bufferTime
		in.ring = record.NewRing(int(rate*ringTime.Seconds()), channels)
		return in, nil
	}

	latency := max(pa.DefaultLowInputLatency, minLatency)
	if channels == 1 && pa.MaxInputChannels >= 2 {
		p := portaudio.StreamParameters{
			Input:      portaudio.StreamDeviceParameters{Device: pa, Channels: 1, Latency: latency},
			SampleRate: rate, FramesPerBuffer: fpb,
		}
		var supported error
		hush(func() { supported = portaudio.IsFormatSupported(p, []float32{}) })
		if supported != nil {
			in.channels = 2
		}
	}
	in.ring = record.NewRing(int(rate*ringTime.Seconds()), in.channels)
	hush(func() { in.pas, err = openPAStream(pa.Index, in.channels, latency.Seconds(), rate, fpb) })
	if err != nil {
		release()
		return nil, errorf(ErrNoDevice, err, "cannot open %q for recording: it may have been unplugged or be in use by another program; check the connection and close other recording programs (PortAudio: %v)", dev.Name, err)
	}
	in.latency = time.Duration(in.pas.latency() * float64(time.Second))
	return in, nil
}

// Name is the device's name.
func (in *Input) Name() string { return in.dev.Name }

// Rate is the rate the stream runs at (nominal; the recorder measures the
// real one).
func (in *Input) Rate() int { return in.rate }

// Channels is the number of channels captured.
func (in *Input) Channels() int { return in.channels }

// Latency is the input latency the host reports.
func (in *Input) Latency() time.Duration { return in.latency }

// Ring is where Poll puts the audio.
func (in *Input) Ring() *record.Ring { return in.ring }

// Start starts capturing.
func (in *Input) Start() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return errors.New("start of a closed input")
	}
	var err error
	if in.pr != nil {
		err = in.pr.start()
	} else {
		hush(func() { err = in.pas.start() })
	}
	if err != nil {
		return fmt.Errorf("%q did not start recording; it may have been unplugged (%w)", in.dev.Name, err)
	}
	in.started = true
	return nil
}

// Poll moves the queued audio into the ring (record.Poller); the
// recorder's writer calls it.
func (in *Input) Poll() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return
	}
	in.queue().poll(in.ring)
}

func (in *Input) queue() *cring {
	if in.pr != nil {
		return in.pr.q
	}
	return in.pas.q
}

// Err reports a device that went away: a sound server source that
// vanished (see watcher), a sound server stream that failed, or a
// PortAudio stream that stopped by itself. A device that merely falls
// silent is noticed by the recorder (record.Options.StallAfter).
func (in *Input) Err() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed || !in.started {
		return nil
	}
	var err error
	switch {
	case in.pr != nil:
		err = in.pr.failure()
	case !in.pas.active():
		err = errors.New("the audio system ended the stream")
	}
	if err == nil {
		err = in.watch.err(in.dev.Source)
	}
	if err != nil {
		return fmt.Errorf("it was unplugged or removed: %w", err)
	}
	return nil
}

// Close stops and closes the stream, keeping what it had captured in the
// ring. It may be called more than once.
func (in *Input) Close() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil
	}
	in.closed = true
	var err error
	if in.pr != nil {
		in.pr.stop()
	} else {
		hush(func() { err = in.pas.close() })
	}
	q := in.queue()
	q.poll(in.ring) // what arrived before the stop
	q.free()
	if in.pr != nil {
		in.pr.q = nil
		in.pr.close()
	}
	release()
	if err != nil {
		return fmt.Errorf("close %q: %w", in.dev.Name, err)
	}
	return nil
}
