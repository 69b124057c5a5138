package analysis

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// readStereo16 reads the two channels of a 16-bit stereo test file laid
// out as the generated calls are (a 44-byte header).
func readStereo16(t *testing.T, path string) (rep, cust []float32, rate int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[36:40]) != "data" ||
		binary.LittleEndian.Uint16(b[22:24]) != 2 || binary.LittleEndian.Uint16(b[34:36]) != 16 {
		t.Fatalf("%s: want a plain 16-bit stereo WAV", path)
	}
	rate = int(binary.LittleEndian.Uint32(b[24:28]))
	data := b[44:]
	n := len(data) / 4
	rep, cust = make([]float32, n), make([]float32, n)
	for i := range n {
		rep[i] = float32(int16(binary.LittleEndian.Uint16(data[4*i:]))) / 32768
		cust[i] = float32(int16(binary.LittleEndian.Uint16(data[4*i+2:]))) / 32768
	}
	return rep, cust, rate
}

// TestCleanCallDigitalSilenceNoLeak: a clean call whose sides are digital
// silence between turns (a softphone's stream, a generated call) has no
// leak either way, so the headset path must decide it and no canceller
// may run — live (as the recorder feeds it, 25 ms at a time) and from the
// file. The averaged cross spectrum took the transform's rounding in
// windows where one side was silent for a steady peak at lag 0, a weak
// leak 33 dB down, from 18 s on, and the live recording ran the canceller
// in both directions for the rest of the call.
func TestCleanCallDigitalSilenceNoLeak(t *testing.T) {
	rep, cust, rate := readStereo16(t, filepath.Join("testdata", "calls", "attentive_clean_16k.wav"))
	// Three plays, as a recording of the looped fixture would hold.
	for range 2 {
		rep, cust = append(rep, rep[:len(rep)/3]...), append(cust, cust[:len(cust)/3]...)
	}
	for _, tc := range []struct {
		name string
		new  func(Config, int, Layout) (*Analyzer, error)
	}{{"live", NewAnalyzer}, {"file", NewFileAnalyzer}} {
		a, err := tc.new(DefaultConfig(), rate, TwoParty)
		if err != nil {
			t.Fatal(err)
		}
		chunk := rate / 40
		for i := 0; i < len(rep); i += chunk {
			e := min(len(rep), i+chunk)
			a.Write(rep[i:e], cust[i:e])
		}
		a.Finish()
		for dst := range 2 {
			if w := a.leak.weak[dst]; w.gainDB != 0 {
				t.Errorf("%s: a weak leak into channel %d found (%.1f dB, lag %d), want none", tc.name, dst, w.gainDB, w.peakLag)
			}
			if a.path[dst].state == leakPresent {
				t.Errorf("%s: a leak into channel %d found, want none", tc.name, dst)
			}
		}
		if a.xc != nil {
			t.Errorf("%s: the canceller ran on a clean call (directions on: %v %v)", tc.name, a.xc.dir[0].on, a.xc.dir[1].on)
		}
	}
}
