package ui

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

const testRate = 16000

func sec(s float64) analysis.Dur { return analysis.Dur(time.Duration(s * float64(time.Second))) }

func seg(who analysis.Speaker, from, to float64) analysis.Segment {
	return analysis.Segment{Speaker: who, Start: sec(from), End: sec(to)}
}

// sampleSegments is a 32-second call: the customer cuts in at 4 s, the rep
// at 8 s, a 5-second silence from 14 s, a rep backchannel at 21 s.
func sampleSegments() ([]analysis.Segment, time.Duration) {
	return []analysis.Segment{
		seg(analysis.Rep, 0.5, 5),
		seg(analysis.Customer, 4, 9),
		seg(analysis.Rep, 8, 14),
		seg(analysis.Customer, 19, 25),
		seg(analysis.Rep, 21, 21.4),
		seg(analysis.Rep, 26, 30),
	}, 32 * time.Second
}

// sampleResult measures sampleSegments with the real analysis.
func sampleResult(t testing.TB) *analysis.Result {
	t.Helper()
	segs, dur := sampleSegments()
	r := analysis.Measure(segs, analysis.TwoParty, dur, analysis.DefaultConfig())
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	if len(r.Interruptions) == 0 {
		t.Fatalf("sample call has no interruptions: %+v", r)
	}
	return &r
}

// writeCallWAV writes a stereo 16-bit WAV of dur in which each party's
// channel carries a tone (rep 220 Hz at 0.5, customer 330 Hz at 0.25)
// during its segments and silence elsewhere.
func writeCallWAV(t testing.TB, path string, segs []analysis.Segment, dur time.Duration) {
	t.Helper()
	w, err := audio.Create(path, testRate, 2)
	if err != nil {
		t.Fatal(err)
	}
	frames := int(dur * testRate / time.Second)
	// Per-frame activity of each party, from the segments.
	act := [2][]bool{make([]bool, frames), make([]bool, frames)}
	for _, s := range segs {
		if s.Speaker > analysis.Customer {
			continue
		}
		a := act[s.Speaker]
		for i := int(s.Start.D() * testRate / time.Second); i < int(s.End.D()*testRate/time.Second) && i < frames; i++ {
			a[i] = true
		}
	}
	repTone, custTone := make([]float32, testRate), make([]float32, testRate)
	for i := range testRate {
		repTone[i] = 0.5 * float32(math.Sin(2*math.Pi*220*float64(i)/testRate))
		custTone[i] = 0.25 * float32(math.Sin(2*math.Pi*330*float64(i)/testRate))
	}
	buf := make([]float32, 0, 2*testRate)
	for i := 0; i < frames; i++ {
		var l, r float32
		if act[0][i] {
			l = repTone[i%testRate]
		}
		if act[1][i] {
			r = custTone[i%testRate]
		}
		buf = append(buf, l, r)
		if len(buf) == cap(buf) {
			if err := w.WriteFrames(buf); err != nil {
				t.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if err := w.WriteFrames(buf); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// newTestLibrary opens a real library in a temporary folder.
func newTestLibrary(t testing.TB) *store.Library {
	t.Helper()
	lib, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

// addCall files the sample call (audio and analysis) in lib.
func addCall(t testing.TB, lib *store.Library, title, rep string, res *analysis.Result, at time.Time) int64 {
	t.Helper()
	segs, dur := sampleSegments()
	if res == nil {
		res = sampleResult(t)
	}
	path := filepath.Join(t.TempDir(), "call.wav")
	writeCallWAV(t, path, segs, dur)
	c, err := lib.AddRecording(context.Background(), store.RecordingRequest{
		Path: path, Title: title, Rep: rep, RecordedAt: at, Result: res,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// fakePlayer records what the app asks of a player.
type fakePlayer struct {
	mu      sync.Mutex
	path    string
	pos     time.Duration
	playing bool
	seeks   []time.Duration
	loads   int
	both    bool
}

func (p *fakePlayer) SetBothEars(on bool) { p.mu.Lock(); p.both = on; p.mu.Unlock() }

var _ Player = (*fakePlayer)(nil)

func (p *fakePlayer) Load(path string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.path, p.pos, p.playing = path, 0, false
	p.loads++
	return nil
}
func (p *fakePlayer) Play() error  { p.mu.Lock(); p.playing = true; p.mu.Unlock(); return nil }
func (p *fakePlayer) Pause() error { p.mu.Lock(); p.playing = false; p.mu.Unlock(); return nil }
func (p *fakePlayer) Seek(at time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pos = at
	p.seeks = append(p.seeks, at)
	return nil
}
func (p *fakePlayer) Position() time.Duration { p.mu.Lock(); defer p.mu.Unlock(); return p.pos }
func (p *fakePlayer) Playing() bool           { p.mu.Lock(); defer p.mu.Unlock(); return p.playing }
func (p *fakePlayer) Close() error            { return nil }
func (p *fakePlayer) lastSeek() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.seeks) == 0 {
		return -1
	}
	return p.seeks[len(p.seeks)-1]
}

// newTestApp builds the app in a test window with background work run
// synchronously, so each step of a flow has finished when it returns.
func newTestApp(t *testing.T, opts Options) *App {
	t.Helper()
	prev := runAsync
	runAsync = func(f func()) { f() }
	t.Cleanup(func() { runAsync = prev })
	fa := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	a := New(fa, w, opts)
	w.Resize(fyne.NewSize(1200, 760))
	a.Start()
	t.Cleanup(a.Close)
	return a
}

// waitFor polls cond (for work that runs on real goroutines, like tickers).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
