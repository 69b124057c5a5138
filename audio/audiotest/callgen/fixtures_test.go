package callgen

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"callcoach/analysis"
)

// The committed fixtures and the demo call, relative to this package.
const (
	fixtureDir = "../../../analysis/testdata/calls"
	demoDir    = "../../../assets"
)

// TestFixturesUpToDate re-renders every committed fixture and the demo
// call and compares them with the files in the repository: the truth must
// be identical and the audio equal to within two steps of its format, so
// the fixtures are what the generator (and its tests) say they are.
// Re-make them with
//
//	go run ./cmd/callgen -fixtures analysis/testdata/calls -demo assets
func TestFixturesUpToDate(t *testing.T) {
	const remake = "re-make: go run ./cmd/callgen -fixtures analysis/testdata/calls -demo assets"
	var total int64
	check := func(dir string, files []audioFile, f Format, truthName string, truth Truth) {
		for _, a := range files {
			path := filepath.Join(dir, a.name)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%v (%s)", err, remake)
				continue
			}
			total += int64(len(b))
			compareWAV(t, path, b, a, f)
		}
		got, err := ReadTruth(filepath.Join(dir, truthName))
		if err != nil {
			t.Errorf("%v (%s)", err, remake)
			return
		}
		// Through JSON and back, as the committed file went.
		tmp := filepath.Join(t.TempDir(), "t.json")
		if err := truth.WriteJSON(tmp); err != nil {
			t.Fatal(err)
		}
		want, err := ReadTruth(tmp)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from a fresh render (%s)", truthName, remake)
		}
	}
	for _, f := range Fixtures() {
		files, truth, err := f.render()
		if err != nil {
			t.Fatal(err)
		}
		check(fixtureDir, files, f.Format, f.Name+".truth.json", truth)
	}
	if total > 12<<20 {
		t.Errorf("fixtures take %.1f MB, want under 12 MB", float64(total)/(1<<20))
	}
	rep, cust, truth := Render(Demo(), DemoOptions())
	check(demoDir, []audioFile{{"demo.wav", truth.Rate, [][]float32{rep, cust}}}, Int16, "demo.json", truth)
	if d := truth.Duration.Seconds(); d < 30 || d > 50 {
		t.Errorf("demo lasts %.1fs, want 30–50 s", d)
	}
	var repInts, yielded int
	for _, i := range truth.Interruptions {
		if i.By == analysis.Rep {
			repInts++
			if i.Yielded {
				yielded++
			}
		}
	}
	var custBC int
	for _, b := range truth.Backchannels {
		if b.By == analysis.Customer {
			custBC++
		}
	}
	if repInts < 2 || repInts > 3 || yielded < 1 || custBC < 1 {
		t.Errorf("demo: %d rep interruptions (%d yielded), %d customer backchannels; want 2–3, >= 1, >= 1", repInts, yielded, custBC)
	}
}

// compareWAV checks a committed WAV file against the audio it should hold.
// It reads the RIFF chunks directly: decoding 12 MB sample by sample
// through go-audio takes seconds.
func compareWAV(t *testing.T, path string, b []byte, a audioFile, f Format) {
	t.Helper()
	ch, rate, bits, tag, data, err := parseWAV(b)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	wantBits, wantTag := map[Format]int{Int16: 16, Int24: 24, Float32: 32}[f], map[Format]int{Int16: 1, Int24: 1, Float32: 3}[f]
	n := len(a.chans[0])
	if ch != len(a.chans) || rate != a.rate || bits != wantBits || tag != wantTag || len(data) != n*ch*bits/8 {
		t.Errorf("%s: %d ch %d Hz %d bits tag %d %d bytes, want %d ch %d Hz %d bits tag %d %d bytes",
			path, ch, rate, bits, tag, len(data), len(a.chans), a.rate, wantBits, wantTag, n*len(a.chans)*wantBits/8)
		return
	}
	step := bits / 8
	for i := 0; i < n; i++ {
		for c := range a.chans {
			o := (i*ch + c) * step
			var got int
			switch bits {
			case 16:
				got = int(int16(binary.LittleEndian.Uint16(data[o:])))
			case 24:
				got = int(int32(uint32(data[o])<<8|uint32(data[o+1])<<16|uint32(data[o+2])<<24) >> 8)
			case 32:
				got = int(int32(binary.LittleEndian.Uint32(data[o:])))
			}
			want := encodeSample(max(-1, min(1, a.chans[c][i])), f)
			if f == Float32 {
				d := math.Abs(float64(math.Float32frombits(uint32(int32(got)))) - float64(math.Float32frombits(uint32(int32(want)))))
				if d > 1e-5 {
					t.Errorf("%s: sample %d ch %d differs by %g from a fresh render", path, i, c, d)
					return
				}
				continue
			}
			if got-want > 2 || want-got > 2 {
				t.Errorf("%s: sample %d ch %d = %d, a fresh render has %d", path, i, c, got, want)
				return
			}
		}
	}
}

// parseWAV finds the format and data chunks of a RIFF WAVE file.
func parseWAV(b []byte) (chans, rate, bits, tag int, data []byte, err error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, 0, 0, 0, nil, errors.New("not a RIFF WAVE file")
	}
	for o := 12; o+8 <= len(b); {
		id, size := string(b[o:o+4]), int(binary.LittleEndian.Uint32(b[o+4:]))
		body := b[o+8 : min(o+8+size, len(b))]
		switch id {
		case "fmt ":
			tag = int(binary.LittleEndian.Uint16(body))
			chans = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			return chans, rate, bits, tag, body, nil
		}
		o += 8 + size + size%2
	}
	return 0, 0, 0, 0, nil, errors.New("no data chunk")
}
