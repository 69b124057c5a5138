package audiotest

import (
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"callcoach/audio"
)

func readAll(t *testing.T, s audio.Source) ([]float32, error) {
	t.Helper()
	var out []float32
	buf := make([]float32, 97*s.Channels())
	for {
		n, err := s.ReadFrames(buf)
		out = append(out, buf[:n*s.Channels()]...)
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return out, err
		}
	}
}

func rms(s []float32) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(s)))
}

func TestTone(t *testing.T) {
	s, err := readAll(t, NewTone(8000, 2, 1000, 0.5, time.Second))
	if err != nil || len(s) != 16000 {
		t.Fatalf("got %d samples, %v; want 16000", len(s), err)
	}
	if s[4] != s[5] || math.Abs(float64(s[4])-0.5) > 1e-6 { // frame 2: sin(π/2)
		t.Errorf("frame 2 = %v %v, want 0.5 on both channels", s[4], s[5])
	}
	if got := rms(s); math.Abs(got-0.5/math.Sqrt2) > 1e-3 {
		t.Errorf("rms %v, want %v", got, 0.5/math.Sqrt2)
	}
}

func TestSilence(t *testing.T) {
	s, err := readAll(t, NewSilence(16000, 1, 250*time.Millisecond))
	if err != nil || len(s) != 4000 || rms(s) != 0 {
		t.Errorf("got %d samples of rms %v, %v; want 4000 of 0", len(s), rms(s), err)
	}
}

func TestBursts(t *testing.T) {
	src := NewBursts(16000, 2, 3*time.Second,
		Burst{Channel: 0, Start: 500 * time.Millisecond, End: 1500 * time.Millisecond},
		Burst{Channel: 1, Start: 2 * time.Second, End: 2500 * time.Millisecond})
	s, err := readAll(t, src)
	if err != nil || len(s) != 96000 {
		t.Fatalf("got %d samples, %v; want 96000", len(s), err)
	}
	ch := func(c int, from, to time.Duration) []float32 {
		var out []float32
		for i := int(from * 16000 / time.Second); i < int(to*16000/time.Second); i++ {
			out = append(out, s[2*i+c])
		}
		return out
	}
	for _, c := range []struct {
		ch       int
		from, to time.Duration
		speech   bool
	}{
		{0, 0, 500 * time.Millisecond, false}, {0, 600 * time.Millisecond, 1400 * time.Millisecond, true},
		{0, 1500 * time.Millisecond, 3 * time.Second, false}, {1, 0, 2 * time.Second, false},
		{1, 2100 * time.Millisecond, 2400 * time.Millisecond, true}, {1, 2500 * time.Millisecond, 3 * time.Second, false},
	} {
		r := rms(ch(c.ch, c.from, c.to))
		db := 20 * math.Log10(r+1e-12)
		if c.speech && (db < -26 || db > -14) || !c.speech && r != 0 {
			t.Errorf("channel %d %v..%v: %.1f dBFS, want speech %v (about -20 dBFS)", c.ch, c.from, c.to, db, c.speech)
		}
	}
}

func TestFailing(t *testing.T) {
	boom := errors.New("device unplugged")
	s, err := readAll(t, NewFailing(NewTone(8000, 2, 440, 0.1, time.Second), 1000, boom))
	if !errors.Is(err, boom) || len(s) != 2000 {
		t.Errorf("got %d samples then %v; want 2000 then %v", len(s), err, boom)
	}
}
