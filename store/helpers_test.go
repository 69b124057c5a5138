package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"

	"callcoach/analysis"
)

var ctx = context.Background()

// t0 is the test clock's start.
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// MustOpen opens a new library in a temp directory with a test clock that
// starts at t0 and advances one second per reading.
func MustOpen(tb testing.TB) *Library {
	tb.Helper()
	return MustOpenDir(tb, tb.TempDir())
}

// MustOpenDir opens (or creates) the library in dir, closed at cleanup.
func MustOpenDir(tb testing.TB, dir string) *Library {
	tb.Helper()
	l, err := Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	now := t0
	l.Now = func() time.Time { now = now.Add(time.Second); return now }
	tb.Cleanup(func() { l.Close() })
	return l
}

// testResult is an analysis result with the summary figures set: the rep
// interrupts repInts times and the customer custInts times.
func testResult(dur time.Duration, share float64, repInts, custInts int, v analysis.Verdict, score int) *analysis.Result {
	r := &analysis.Result{
		Duration:     analysis.Dur(dur),
		Channels:     analysis.Channels{Rep: "left", Customer: "right"},
		RepTalkShare: share,
		Segments: []analysis.Segment{
			{Speaker: analysis.Rep, Start: 0, End: analysis.Dur(dur / 2)},
			{Speaker: analysis.Customer, Start: analysis.Dur(dur / 2), End: analysis.Dur(dur)},
		},
		Listening: analysis.Listening{Score: score, Verdict: v, Reasons: []string{"test reason"}},
	}
	for i := range repInts {
		r.Interruptions = append(r.Interruptions, analysis.Interruption{At: analysis.Dur(time.Duration(i) * time.Second), By: analysis.Rep})
	}
	for i := range custInts {
		r.Interruptions = append(r.Interruptions, analysis.Interruption{At: analysis.Dur(time.Duration(i)*time.Second + 500*time.Millisecond), By: analysis.Customer, Yielded: true})
	}
	return r
}

// testRate is the sample rate of the test WAVs.
const testRate = 8000

// ramp returns n frames of distinct, deterministic stereo samples: left
// counts up from seed, right counts down.
func ramp(n, seed int) (left, right []int) {
	left, right = make([]int, n), make([]int, n)
	for i := range n {
		left[i] = (seed+i)%30000 - 15000
		right[i] = 15000 - (seed+3*i)%30000
	}
	return left, right
}

// writeWAV writes a 16-bit stereo WAV.
func writeWAV(tb testing.TB, path string, rate int, left, right []int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	e := wav.NewEncoder(f, rate, 16, 2, 1)
	data := make([]int, 0, 2*len(left))
	for i := range left {
		data = append(data, left[i], right[i])
	}
	buf := &goaudio.IntBuffer{Format: &goaudio.Format{NumChannels: 2, SampleRate: rate}, Data: data, SourceBitDepth: 16}
	if err := e.Write(buf); err != nil {
		tb.Fatal(err)
	}
	if err := e.Close(); err != nil {
		tb.Fatal(err)
	}
}

// writeMono writes a 16-bit mono WAV.
func writeMono(tb testing.TB, path string, samples []int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	e := wav.NewEncoder(f, testRate, 16, 1, 1)
	buf := &goaudio.IntBuffer{Format: &goaudio.Format{NumChannels: 1, SampleRate: testRate}, Data: samples, SourceBitDepth: 16}
	if err := e.Write(buf); err != nil {
		tb.Fatal(err)
	}
	if err := e.Close(); err != nil {
		tb.Fatal(err)
	}
}

// readWAV reads a 16-bit stereo WAV back.
func readWAV(tb testing.TB, path string) (rate int, left, right []int) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	d := wav.NewDecoder(f)
	buf, err := d.FullPCMBuffer()
	if err != nil {
		tb.Fatalf("reading %s: %v", path, err)
	}
	if buf.Format.NumChannels != 2 {
		tb.Fatalf("%s: got %d channels, want 2", path, buf.Format.NumChannels)
	}
	for i := 0; i+1 < len(buf.Data); i += 2 {
		left = append(left, buf.Data[i])
		right = append(right, buf.Data[i+1])
	}
	return buf.Format.SampleRate, left, right
}

// addCall adds a recorded call with a small WAV of dur and result r.
func addCall(tb testing.TB, l *Library, title, rep string, at time.Time, dur time.Duration, r *analysis.Result) *Call {
	tb.Helper()
	src := filepath.Join(tb.TempDir(), "rec.wav")
	left, right := ramp(int(dur.Seconds()*testRate), int(at.Unix()%1000))
	writeWAV(tb, src, testRate, left, right)
	c, err := l.AddRecording(ctx, RecordingRequest{Path: src, Title: title, Rep: rep, RecordedAt: at, Result: r})
	if err != nil {
		tb.Fatalf("AddRecording: %v", err)
	}
	return c
}

// seedCalls inserts n calls directly (no audio files), in one transaction:
// four reps, three verdicts, one call in ten tagged "interrupted", one in
// fifty trashed.
func seedCalls(tb testing.TB, l *Library, n int) {
	tb.Helper()
	reps := []string{"Ana", "Ben", "Chloé", "Dev"}
	verdicts := []analysis.Verdict{analysis.VerdictListening, analysis.VerdictMixed, analysis.VerdictScriptDriven}
	err := l.tx(ctx, func(tx *sql.Tx) error {
		tag, err := l.tagID(ctx, tx, "interrupted")
		if err != nil {
			return err
		}
		for i := range n {
			r := testResult(time.Duration(5+i%20)*time.Minute, float64(i%100)/100, i%7, i%3, verdicts[i%3], 40+i%60)
			if i%25 == 0 { // one call in 25 has a recording warning
				r.Recording.Warn(analysis.WarnNoisy, "Noisy.")
			}
			id, err := l.insertCall(ctx, tx, newCall{
				Title: fmt.Sprintf("Call %d with Acme", i), Rep: reps[i%len(reps)], Customer: fmt.Sprintf("Customer %d", i%50),
				RecordedAt: t0.Add(time.Duration(i) * time.Hour), AudioPath: fmt.Sprintf("calls/seed-%d.wav", i),
				Source: SourceImported, Status: StatusComplete, Result: r, Hash: fmt.Sprintf("%064x", i)})
			if err != nil {
				return err
			}
			if i%10 == 0 {
				if _, err := tx.Exec(`INSERT INTO annotations (call_id, start_ns, end_ns, tag_id, created_ms, edited_ms) VALUES (?, 0, 1e9, ?, 0, 0)`, id, tag); err != nil {
					return err
				}
			}
			if i%50 == 0 {
				if _, err := tx.Exec(`UPDATE calls SET trashed_ms = 1 WHERE id = ?`, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seeding %d calls: %v", n, err)
	}
}

func mode(tb testing.TB, path string) os.FileMode {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Mode().Perm()
}
