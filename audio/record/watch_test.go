package record

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestWatchThenBegin watches two devices (the headset starts half a
// second after the microphone), then begins the file mid-stream, and
// checks on a simulated clock that the meters moved before the recording,
// that the file's first sample is the audio captured at the time Begin
// reports (clicks on the true timeline land where that time says), and
// that a device still silent is named.
func TestWatchThenBegin(t *testing.T) {
	var now float64
	rep := newSimInput("mic", 48000, 100e-6, 1, 0, 1)
	cust := newSimInput("headset", 44100, -100e-6, 1, 0.5, 2)
	rep.signal, cust.signal = pulseAt(1), pulseAt(1)
	w := &peakWriter{}
	var lives []Live
	r, err := newRecorder(Options{
		Rep: Tap{Input: rep}, Customer: Tap{Input: cust},
		Create: func(string, int, int) (FileWriter, error) { return w, nil },
		Clock:  func() int64 { return int64(now * 1e9) },
		OnLive: func(l Live) { lives = append(lives, l) },
	})
	if err != nil {
		t.Fatal(err)
	}
	run := func(until float64) {
		for ; now < until; now += 0.01 {
			rep.advance(now)
			cust.advance(now)
			if err := r.pump(false); err != nil {
				t.Fatalf("pump at %.2f s: %v", now, err)
			}
		}
	}
	run(0.3)
	if got := r.Waiting(); !slices.Equal(got, []string{"headset"}) {
		t.Errorf("waiting for %v, want the headset", got)
	}
	last := lives[len(lives)-1]
	if last.Recording || last.RepWaiting || !last.CustomerWaiting {
		t.Errorf("before the headset starts: %+v", last)
	}
	run(1.2) // the first click (at 1 s) shows on both meters
	var repPeak, custPeak float64
	for _, l := range lives {
		repPeak, custPeak = max(repPeak, l.RepPeak), max(custPeak, l.CustomerPeak)
		if l.Recording || l.Elapsed != 0 {
			t.Fatalf("recording before Begin: %+v", l)
		}
	}
	if repPeak < 0.5 || custPeak < 0.5 {
		t.Errorf("meters before recording: peaks %.2f / %.2f, want the clicks (0.8)", repPeak, custPeak)
	}
	if len(r.Waiting()) != 0 {
		t.Errorf("still waiting for %v", r.Waiting())
	}

	run(2.55)
	b, err := r.openFile(filepath.Join(t.TempDir(), "x.wav"))
	if err != nil {
		t.Fatal(err)
	}
	r.pending = b
	run(2.56)
	at := float64(<-b.at) / 1e9
	// The file starts with the audio already captured when Begin came:
	// no later than the request (2.55 s), and not earlier than the
	// alignment needs (a buffer or two).
	if at > 2.555 || at < 2.45 {
		t.Errorf("the file starts with audio captured at %.3f s, want just before 2.55 s", at)
	}
	run(6)
	if err := r.disk.close(); err != nil {
		t.Fatal(err)
	}
	if !lives[len(lives)-1].Recording || lives[len(lives)-1].Elapsed < 3*time.Second {
		t.Errorf("live while recording: %+v", lives[len(lives)-1])
	}
	// Clicks at 3, 4 and 5 s of true time land at (click - at) in both
	// channels.
	for c := range 2 {
		var got []float64
		for _, p := range w.peaks[c] {
			got = append(got, p/16000+at)
		}
		if len(got) < 3 {
			t.Fatalf("channel %d: %d clicks in the file, want 3", c, len(got))
		}
		for i, want := range []float64{3, 4, 5} {
			if math.Abs(got[i]-want) > 0.005 {
				t.Errorf("channel %d click %d at %.4f s of true time, want %.1f", c, i, got[i], want)
			}
		}
	}
}

// TestWatchOneDevice: with only the rep's device chosen the recorder
// meters it and refuses to record.
func TestWatchOneDevice(t *testing.T) {
	mic := newSimInput("mic", 48000, 0, 1, float64(Clock())/1e9, 1)
	mic.signal = tone(440)
	lives := make(chan Live, 100)
	r, err := Start(Options{Rep: Tap{Input: mic}, OnLive: func(l Live) {
		select {
		case lives <- l:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	stopFeed := runFeeder(t, mic)
	defer stopFeed()
	deadline := time.After(5 * time.Second)
	for moved := false; !moved; {
		select {
		case l := <-lives:
			moved = l.RepPeak > 0.2 && !l.RepWaiting && l.CustomerWaiting
		case <-deadline:
			t.Fatal("the microphone's meter did not move")
		}
	}
	if _, err := r.Begin(filepath.Join(t.TempDir(), "x.wav"), 0); !errors.Is(err, ErrNotRecordable) {
		t.Errorf("Begin with one device: got %v", err)
	}
	o, err := r.Stop()
	if err != nil || o.Path != "" || o.Duration != 0 {
		t.Errorf("stop: %+v, %v; want nothing recorded", o, err)
	}
}

// TestWaitingKeepsLittle: a device that never starts must not make the
// other's audio pile up while the recorder waits.
func TestWaitingKeepsLittle(t *testing.T) {
	var now float64
	rep := newSimInput("mic", 48000, 0, 1, 0, 1)
	dead := newSimInput("headset", 44100, 0, 1, 0, 2)
	r, err := newRecorder(Options{Rep: Tap{Input: rep}, Customer: Tap{Input: dead},
		Clock: func() int64 { return int64(now * 1e9) }})
	if err != nil {
		t.Fatal(err)
	}
	for ; now < 30; now += 0.02 {
		rep.advance(now)
		if err := r.pump(false); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.streams[0].rs[0].hist); n > 2*48000 {
		t.Errorf("after 30 s waiting the microphone's resampler holds %d samples, want at most about a second", n)
	}
	if got := r.Waiting(); !slices.Equal(got, []string{"headset"}) {
		t.Errorf("waiting for %v", got)
	}
}

// TestBeginRealTime begins a file on a running recorder and stops it 1 s
// later: the file holds that second (nothing lost to the start), and
// starts with the audio captured when Begin was called.
func TestBeginRealTime(t *testing.T) {
	now := float64(Clock()) / 1e9
	mic := newSimInput("mic", 48000, 0, 1, now, 1)
	hs := newSimInput("headset", 44100, 0, 1, now, 2)
	mic.signal, hs.signal = tone(440), tone(300)
	r, _ := startSim(t, Options{Rep: Tap{Input: mic}, Customer: Tap{Input: hs}}, mic, hs)
	<-r.FirstAudio()
	time.Sleep(300 * time.Millisecond)
	path := filepath.Join(t.TempDir(), "call.wav")
	asked := Clock()
	at, err := r.Begin(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	<-r.Begun()
	time.Sleep(time.Second)
	stopAt := Clock()
	o, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	lead := time.Duration(asked - at)
	t.Logf("Begin asked at %v, file starts with audio captured %v before; stopped after %v, file %v",
		time.Duration(asked), lead, time.Duration(stopAt-asked), o.Duration)
	if o.Path != path || o.FileStart != at {
		t.Errorf("outcome %q start %d, want %q %d", o.Path, o.FileStart, path, at)
	}
	// The simulated devices deliver 10 ms buffers up to 8 ms late; the
	// writer wakes every 25 ms: the first sample is at most that old.
	if lead < 0 || lead > 100*time.Millisecond {
		t.Errorf("the file starts %v before Begin, want 0 to 100 ms", lead)
	}
	if want := time.Duration(stopAt - at); o.Duration < want-60*time.Millisecond || o.Duration > want+10*time.Millisecond {
		t.Errorf("file holds %v, want the %v from its first sample to Stop", o.Duration, want)
	}
}

// TestBeginReachesBack: a file begun after the moment it was asked for
// (the writer saw the request 0.4 s late) starts with the audio captured
// at that moment, from the pre-roll, and runs on without a seam: every
// click from then on lands where its true time says, in both channels. One
// asked for further back than the pre-roll reaches starts with the oldest
// audio kept.
func TestBeginReachesBack(t *testing.T) {
	for _, tc := range []struct {
		name       string
		from, want float64 // asked-for start and the file's start, s of true time
	}{
		{"within the pre-roll", 2.15, 2.15},
		{"beyond it", 0.9, 2.55 - preRoll.Seconds()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var now float64
			rep := newSimInput("mic", 48000, 100e-6, 1, 0, 1)
			cust := newSimInput("headset", 44100, -100e-6, 1, 0.3, 2)
			const period = 0.3 // clicks at 1, 1.3, ... 2.2, 2.5, 2.8 s
			rep.signal, cust.signal = pulseAt(period), pulseAt(period)
			w := &peakWriter{}
			r, err := newRecorder(Options{
				Rep: Tap{Input: rep}, Customer: Tap{Input: cust},
				Create: func(string, int, int) (FileWriter, error) { return w, nil },
				Clock:  func() int64 { return int64(now * 1e9) },
			})
			if err != nil {
				t.Fatal(err)
			}
			run := func(until float64) {
				for ; now < until; now += 0.01 {
					rep.advance(now)
					cust.advance(now)
					if err := r.pump(false); err != nil {
						t.Fatalf("pump at %.2f s: %v", now, err)
					}
				}
			}
			run(2.55)
			b, err := r.openFile(filepath.Join(t.TempDir(), "x.wav"))
			if err != nil {
				t.Fatal(err)
			}
			b.from = int64(tc.from * 1e9)
			r.pending = b
			run(2.56)
			at := float64(<-b.at) / 1e9
			// The pre-roll ends with what the writer had aligned, a
			// buffer or so short of the newest capture.
			if at < tc.want-0.015 || at > tc.want+0.001 {
				t.Errorf("the file starts with audio captured at %.4f s, want %.2f s", at, tc.want)
			}
			run(4)
			if err := r.disk.close(); err != nil {
				t.Fatal(err)
			}
			first := math.Ceil((at-1)/period-1e-9)*period + 1
			for c := range 2 {
				var got []float64
				for _, p := range w.peaks[c] {
					got = append(got, p/16000+at)
				}
				want := int((3.9-first)/period) + 1
				if len(got) != want {
					t.Fatalf("channel %d: clicks at %.4f, want %d from %.1f s on", c, got, want, first)
				}
				// Where a click lands carries the writer's few ms of
				// alignment (as in TestWatchThenBegin); a seam between
				// pre-roll and live audio would show as a click out of
				// its period.
				for i, g := range got {
					if wt := first + float64(i)*period; math.Abs(g-wt) > 0.005 {
						t.Errorf("channel %d click %d at %.4f s of true time, want %.2f", c, i, g, wt)
					}
					if i > 0 && math.Abs(g-got[i-1]-period) > 0.0005 {
						t.Errorf("channel %d clicks %d and %d %.4f s apart, want %.1f", c, i-1, i, g-got[i-1], period)
					}
				}
			}
		})
	}
}
