package device

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"callcoach/audio"
	"callcoach/audio/record"

	"github.com/gordonklaus/portaudio"
)

// Ears says how a stereo call reaches the ears ("mixed" names a verdict
// band; the playback mode is "both ears").
type Ears uint8

const (
	// Stereo plays the rep on the left and the customer on the right.
	Stereo Ears = iota
	// BothEars plays both parties in both ears.
	BothEars
)

// sink is an output stream that plays queued stereo audio.
type sink interface {
	put(interleaved []float32) bool // queue; false when full (try later)
	played() int64                  // frames heard since start
	buffered() int                  // fragments or samples still queued (0 when drained)
	latency() time.Duration         // the output's latency, as the device or server reports it
	start() error
	stop() // stop at once, dropping what is queued
	close()
}

// Player plays a recorded call, for the review screen: Play, Pause, Seek,
// and Position for the playhead. A goroutine reads the file ahead into
// the output's queue; the output's audio thread only copies from it.
// On Linux with a sound server it plays through libpulse (PortAudio's
// ALSA output to PulseAudio stalls); elsewhere through PortAudio's default
// output. Methods are safe for concurrent use.
type Player struct {
	mu      sync.Mutex
	src     *audio.Reader
	frames  int64 // in the file
	rate    int   // the file's, and the output's
	ears    atomic.Uint32
	out     sink
	start   int64 // file frame at which the current run started
	playing bool
	stopFn  func()
	done    atomic.Bool
	closed  bool
}

// OpenPlayer opens a WAV file (mono or stereo) for playback on the default
// output.
func OpenPlayer(path string) (*Player, error) {
	r, err := audio.Open(path)
	if err != nil {
		return nil, err
	}
	info := r.Info()
	p := &Player{src: r, frames: info.Frames, rate: info.Rate}
	if os.Getenv("CALLCOACH_PLAYBACK") != "portaudio" {
		if ps, err := openPulseSink(info.Rate); err == nil {
			p.out = ps
			return p, nil
		}
	}
	ps, err := openPASink(info.Rate)
	if err != nil {
		r.Close()
		return nil, err
	}
	p.out = ps
	return p, nil
}

// Duration is the length of the call.
func (p *Player) Duration() time.Duration {
	return time.Duration(p.frames) * time.Second / time.Duration(p.rate)
}

// SetEars chooses stereo or both parties in both ears; it applies to audio
// read from now on (a fraction of a second later).
func (p *Player) SetEars(e Ears) { p.ears.Store(uint32(e)) }

// Position is the playhead: the time in the call of the audio heard now.
func (p *Player) Position() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Duration(p.frameLocked()) * time.Second / time.Duration(p.rate)
}

func (p *Player) frameLocked() int64 {
	f := p.start
	if p.playing {
		f += p.out.played()
	}
	return min(f, p.frames)
}

// Latency is how far behind the audio handed to the output the sound is
// heard, as the device (PortAudio) or the sound server reports it: the
// playhead's own uncertainty.
func (p *Player) Latency() time.Duration { return p.out.latency() }

// Playing reports whether the call is playing (false after its end).
func (p *Player) Playing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.playing && !p.finishedLocked()
}

func (p *Player) finishedLocked() bool {
	return p.done.Load() && p.out.buffered() == 0 && p.start+p.out.played() >= p.frames
}

// Play starts or resumes playback at the playhead (from the start after
// the end).
func (p *Player) Play() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("play of a closed player")
	}
	if p.playing && !p.finishedLocked() {
		return nil
	}
	pos := p.frameLocked()
	p.stopLocked()
	if pos >= p.frames {
		pos = 0
	}
	return p.runFrom(pos)
}

// runFrom starts the feeder and the output at file frame pos.
func (p *Player) runFrom(pos int64) error {
	if err := p.src.SeekFrame(pos); err != nil {
		return fmt.Errorf("seek in the call: %w", err)
	}
	p.start = pos
	p.done.Store(false)
	stop, fed := make(chan struct{}), make(chan struct{})
	ch := p.src.Channels()
	go func() {
		defer close(fed)
		buf := make([]float32, 1024*ch)
		out := make([]float32, 0, 2048)
		for {
			n, err := p.src.ReadFrames(buf)
			out = out[:0]
			for i := range n {
				l, r := buf[i*ch], buf[i*ch+ch-1]
				if p.ears.Load() == uint32(BothEars) && ch == 2 {
					m := (l + r) / 2
					l, r = m, m
				}
				out = append(out, l, r)
			}
			for len(out) > 0 && !p.out.put(out) {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
			if err != nil || n == 0 {
				if errors.Is(err, io.EOF) || n == 0 {
					p.done.Store(true)
				}
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	p.stopFn = func() { close(stop); <-fed }
	if err := p.out.start(); err != nil {
		p.stopFn()
		p.stopFn = nil
		return errorf(ErrNoDevice, err, "the sound output did not start; connect speakers or headphones (%v)", err)
	}
	p.playing = true
	return nil
}

// stopLocked stops the output and the feeder, keeping the playhead.
func (p *Player) stopLocked() {
	if !p.playing {
		return
	}
	p.start = p.frameLocked()
	if p.stopFn != nil {
		p.stopFn()
		p.stopFn = nil
	}
	p.out.stop()
	p.playing = false
}

// Pause stops playback at the playhead.
func (p *Player) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
}

// Seek moves the playhead to d (clamped to the call), playing on from
// there if it was playing.
func (p *Player) Seek(d time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	was := p.playing && !p.finishedLocked()
	p.stopLocked()
	f := int64(d) * int64(p.rate) / int64(time.Second)
	f = max(0, min(f, p.frames))
	p.start = f
	if was {
		return p.runFrom(f)
	}
	return nil
}

// Close stops playback and releases the output.
func (p *Player) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.stopLocked()
	p.out.close()
	return p.src.Close()
}

// paSink plays through PortAudio's default output: a Go ring the
// callback copies from.
type paSink struct {
	stream *portaudio.Stream
	ring   atomic.Pointer[record.Ring]
	rate   int
	lat    int64        // output latency, frames (the stream's report)
	count  atomic.Int64 // real frames handed to PortAudio
	silent atomic.Int64 // silent frames handed since the last real ones
	t0     atomic.Int64 // when the stream started (record.Clock: monotonic; the wall clock may be slewed or stepped)
}

func openPASink(rate int) (*paSink, error) {
	if _, err := acquire(); err != nil {
		return nil, err
	}
	out, err := portaudio.DefaultOutputDevice()
	if err != nil {
		release()
		return nil, errorf(ErrNoDevice, err, "there is no sound output to play the call on: connect speakers or headphones (PortAudio: %v)", err)
	}
	s := &paSink{rate: rate}
	s.ring.Store(record.NewRing(rate, 2))
	params := portaudio.HighLatencyParameters(nil, out)
	params.Output.Channels = 2
	params.SampleRate = float64(rate)
	params.FramesPerBuffer = rate / 50
	hush(func() { s.stream, err = portaudio.OpenStream(params, s.callback) })
	if err != nil {
		release()
		return nil, errorf(ErrNoDevice, err, "cannot play on %q at %d Hz: it may be in use or unplugged (PortAudio: %v)", out.Name, rate, err)
	}
	s.lat = int64(s.stream.Info().OutputLatency.Seconds() * float64(rate))
	return s, nil
}

func (s *paSink) callback(out []float32) {
	n := s.ring.Load().Read(out)
	clear(out[n:])
	if n > 0 {
		s.count.Add(int64(n / 2))
		s.silent.Store(0)
	}
	s.silent.Add(int64((len(out) - n) / 2))
}

func (s *paSink) put(x []float32) bool { return s.ring.Load().Write(x, 0) }

// played is what has been heard: handed over minus what is still in the
// output's buffers (the silence handed after the end drains them), and
// never more than the time since the start: after an underrun ALSA's pulse
// plugin asks for a whole buffer again, so the frames handed over run
// ahead of what was heard (the playhead jumped a second ahead under load).
func (s *paSink) played() int64 {
	heard := max(0, s.count.Load()-max(0, s.lat-s.silent.Load()))
	wall := time.Duration(record.Clock() - s.t0.Load())
	return min(heard, int64(wall)*int64(s.rate)/int64(time.Second))
}
func (s *paSink) buffered() int { return s.ring.Load().Len() }

func (s *paSink) latency() time.Duration {
	return time.Duration(s.lat) * time.Second / time.Duration(s.rate)
}

// start starts the stream on what the feeder has queued since the last
// stop (it may have begun before start is called).
func (s *paSink) start() error {
	s.count.Store(0)
	s.silent.Store(0)
	s.t0.Store(record.Clock())
	var err error
	hush(func() { err = s.stream.Start() })
	return err
}

// stop stops the stream and drops what is queued. The queue is emptied
// here, with the feeder already stopped, and not in start: the next run's
// feeder starts before the stream does, and its first block put into a
// queue that start then replaced was lost (the playhead stopped 64 ms short
// of the end, never finishing, when the feeder ran first on a busy machine).
func (s *paSink) stop() {
	hush(func() { s.stream.Abort() })
	s.ring.Store(record.NewRing(s.rate, 2))
}

func (s *paSink) close() {
	hush(func() { s.stream.Close() })
	release()
}
