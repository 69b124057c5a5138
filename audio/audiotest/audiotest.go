// Package audiotest holds fake audio sources for tests: a tone, silence,
// speech-like bursts on chosen channels, and a source that fails. Each is an
// audio.Source of known length and content, with no files and no sound card.
package audiotest

import (
	"errors"
	"io"
	"math"
	"time"

	"callcoach/audio"
)

var (
	_ audio.Source = (*Tone)(nil)
	_ audio.Source = (*Silence)(nil)
	_ audio.Source = (*Bursts)(nil)
	_ audio.Source = (*Failing)(nil)
)

// frames converts a length to frames at rate.
func frames(d time.Duration, rate int) int64 {
	return int64(d) * int64(rate) / int64(time.Second)
}

// clock is the part every fake shares: a rate, a channel count, a length
// and a position.
type clock struct {
	rate, channels int
	frames, pos    int64
}

func (c *clock) Rate() int     { return c.rate }
func (c *clock) Channels() int { return c.channels }

// next returns how many frames to produce into dst, or io.EOF.
func (c *clock) next(dst []float32) (int, error) {
	n := min(int64(len(dst)/c.channels), c.frames-c.pos)
	if n <= 0 {
		if len(dst) < c.channels {
			return 0, errors.New("audiotest: buffer smaller than a frame")
		}
		return 0, io.EOF
	}
	return int(n), nil
}

// Tone is a sine of Amp amplitude at Freq Hz, the same on every channel.
type Tone struct {
	clock
	freq, amp float64
}

// NewTone returns a tone of length d.
func NewTone(rate, channels int, freq, amp float64, d time.Duration) *Tone {
	return &Tone{clock: clock{rate: rate, channels: channels, frames: frames(d, rate)}, freq: freq, amp: amp}
}

// ReadFrames implements audio.Source.
func (t *Tone) ReadFrames(dst []float32) (int, error) {
	n, err := t.next(dst)
	for i := range n {
		v := float32(t.amp * math.Sin(2*math.Pi*t.freq*float64(t.pos+int64(i))/float64(t.rate)))
		for c := range t.channels {
			dst[i*t.channels+c] = v
		}
	}
	t.pos += int64(n)
	return n, err
}

// Silence is digital silence.
type Silence struct{ clock }

// NewSilence returns silence of length d.
func NewSilence(rate, channels int, d time.Duration) *Silence {
	return &Silence{clock{rate: rate, channels: channels, frames: frames(d, rate)}}
}

// ReadFrames implements audio.Source.
func (s *Silence) ReadFrames(dst []float32) (int, error) {
	n, err := s.next(dst)
	clear(dst[:n*s.channels])
	s.pos += int64(n)
	return n, err
}

// Burst is one utterance: Channel speaks from Start to End.
type Burst struct {
	Channel    int
	Start, End time.Duration
}

// Bursts is speech-like sound on chosen channels and silence elsewhere: a
// voiced buzz (a 120 Hz fundamental with harmonics falling off to 3 kHz)
// whose loudness rises and falls four times a second like syllables, at
// about -20 dBFS RMS, with 10 ms fades at each end.
type Bursts struct {
	clock
	bursts []Burst
}

// NewBursts returns a source of length d holding the given bursts.
func NewBursts(rate, channels int, d time.Duration, bursts ...Burst) *Bursts {
	return &Bursts{clock: clock{rate: rate, channels: channels, frames: frames(d, rate)}, bursts: bursts}
}

// ReadFrames implements audio.Source.
func (b *Bursts) ReadFrames(dst []float32) (int, error) {
	n, err := b.next(dst)
	clear(dst[:n*b.channels])
	for _, u := range b.bursts {
		if u.Channel < 0 || u.Channel >= b.channels {
			continue
		}
		s, e := frames(u.Start, b.rate), frames(u.End, b.rate)
		for i := max(s, b.pos); i < min(e, b.pos+int64(n)); i++ {
			dst[int(i-b.pos)*b.channels+u.Channel] = b.voice(i, s, e)
		}
	}
	b.pos += int64(n)
	return n, err
}

// voice is the burst's sample at frame i of a burst from s to e.
func (b *Bursts) voice(i, s, e int64) float32 {
	t := float64(i) / float64(b.rate)
	var v float64
	for h := 1; h*120 < 3000 && h*120 < b.rate/2; h++ {
		v += math.Sin(2*math.Pi*120*float64(h)*t) / float64(h)
	}
	env := 0.55 + 0.45*math.Sin(2*math.Pi*4*float64(i-s)/float64(b.rate))
	fade := min(1, float64(i-s)/(0.01*float64(b.rate)), float64(e-i)/(0.01*float64(b.rate)))
	return float32(0.18 * v * env * fade)
}

// Failing passes Source through and then fails: after After frames, every
// read returns Err.
type Failing struct {
	audio.Source
	After int64
	Err   error
	pos   int64
}

// NewFailing returns src failing with err after frames frames.
func NewFailing(src audio.Source, after int64, err error) *Failing {
	return &Failing{Source: src, After: after, Err: err}
}

// ReadFrames implements audio.Source.
func (f *Failing) ReadFrames(dst []float32) (int, error) {
	left := f.After - f.pos
	if left <= 0 {
		return 0, f.Err
	}
	ch := f.Channels()
	n, err := f.Source.ReadFrames(dst[:min(int64(len(dst)/ch), left)*int64(ch)])
	f.pos += int64(n)
	return n, err
}
