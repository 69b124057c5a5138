package audio

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/go-audio/wav"
)

// readBack decodes a WAV with go-audio/wav, independently of this package.
func readBack(t *testing.T, path string) (rate, channels int, samples []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := wav.NewDecoder(f)
	if !d.IsValidFile() {
		t.Fatalf("%s: go-audio/wav says it is not a valid WAV: %v", path, d.Err())
	}
	f.Seek(0, io.SeekStart)
	d = wav.NewDecoder(f)
	buf, err := d.FullPCMBuffer()
	if err != nil {
		t.Fatalf("%s: go-audio/wav: %v", path, err)
	}
	return int(d.SampleRate), int(d.NumChans), buf.Data
}

func ramp(frames, channels int) []float32 {
	s := make([]float32, frames*channels)
	for i := range s {
		s[i] = float32(math.Sin(float64(i) * 0.01))
	}
	return s
}

func TestWriterRoundTrip(t *testing.T) {
	for _, ch := range []int{1, 2} {
		path := filepath.Join(t.TempDir(), "call.wav")
		w, err := Create(path, 16000, ch)
		if err != nil {
			t.Fatal(err)
		}
		in := ramp(16000, ch)
		in[0], in[1] = 1.5, float32(math.NaN()) // clipped, zeroed
		if err := w.WriteFrames(in[:1000*ch]); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteFrames(in[1000*ch:]); err != nil {
			t.Fatal(err)
		}
		if got := w.Frames(); got != 16000 {
			t.Errorf("Frames() = %d, want 16000", got)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", st.Mode().Perm())
		}
		if st.Size() != 44+int64(len(in))*2 {
			t.Errorf("size %d, want %d", st.Size(), 44+len(in)*2)
		}
		rate, gotCh, got := readBack(t, path)
		if rate != 16000 || gotCh != ch || len(got) != len(in) {
			t.Fatalf("read back %d Hz %d ch %d samples, want 16000 Hz %d ch %d", rate, gotCh, len(got), ch, len(in))
		}
		if got[0] != 32767 || got[1] != 0 {
			t.Errorf("clip/NaN: got %d %d, want 32767 0", got[0], got[1])
		}
		for i := 2; i < len(in); i++ {
			if want := int(math.Round(float64(in[i]) * 32768)); abs(got[i]-want) > 1 {
				t.Fatalf("sample %d = %d, want %d", i, got[i], want)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestCreateRefusesExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "call.wav")
	os.WriteFile(path, []byte("keep me"), 0o600)
	_, err := Create(path, 16000, 2)
	if !errors.Is(err, os.ErrExist) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("got %v, want an 'already exists' error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Error("existing file was changed")
	}
}

func TestCreateBadFormat(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ rate, ch int }{{16000, 0}, {16000, 3}, {100, 1}} {
		if _, err := Create(filepath.Join(dir, "x.wav"), c.rate, c.ch); err == nil {
			t.Errorf("Create(%d Hz, %d ch): got nil error", c.rate, c.ch)
		}
	}
}

// TestWriterCrash simulates kill -9: the file is copied as it lies on disk
// after Sync, without Close, with more samples written after the Sync.
func TestWriterCrash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.wav")
	w, err := Create(path, 16000, 2)
	if err != nil {
		t.Fatal(err)
	}
	in := ramp(16000, 2)
	w.WriteFrames(in)
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	synced, _ := os.ReadFile(path)
	if err := w.WriteFrames(in[:1000]); err != nil { // 500 frames after the Sync
		t.Fatal(err)
	}
	crashed, _ := os.ReadFile(path)
	crashed = append(crashed, 0x11, 0x22) // and half a frame: killed mid-write
	defer w.Close()

	// As synced: a valid file holding every synced frame.
	p1 := filepath.Join(dir, "synced.wav")
	os.WriteFile(p1, synced, 0o600)
	if _, ch, got := readBack(t, p1); len(got) != len(in) || ch != 2 {
		t.Errorf("synced copy holds %d samples, want %d", len(got), len(in))
	}
	r, err := Open(p1)
	if err != nil {
		t.Fatal(err)
	}
	if info := r.Info(); info.Frames != 16000 || len(info.Notes) != 0 {
		t.Errorf("synced copy: %d frames, notes %q; want 16000, none", info.Frames, info.Notes)
	}
	r.Close()

	// With samples after the last Sync: readable in full, and Repair keeps them.
	p2 := filepath.Join(dir, "crashed.wav")
	os.WriteFile(p2, crashed, 0o600)
	r, err = Open(p2)
	if err != nil {
		t.Fatal(err)
	}
	if info := r.Info(); info.Frames != 16500 || len(info.Notes) != 1 {
		t.Errorf("crashed copy: %d frames, notes %q; want 16500 and a note", info.Frames, info.Notes)
	}
	r.Close()
	rep, err := Repair(p2)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Changed || rep.Frames != 16500 || rep.HeaderFrames != 16000 || rep.DroppedBytes != 2 {
		t.Errorf("repair: %+v, want changed, 16500 frames kept, header 16000, 2 bytes dropped", rep)
	}
	if _, _, got := readBack(t, p2); len(got) != 16500*2 {
		t.Errorf("repaired file holds %d samples, want %d", len(got), 16500*2)
	}
	rep, err = Repair(p2)
	if err != nil || rep.Changed {
		t.Errorf("second repair: %+v %v, want unchanged", rep, err)
	}
}

// fullDisk is a File that holds at most limit bytes, failing like a full disk.
type fullDisk struct {
	b       []byte
	off     int64
	limit   int
	synced  int
	syncErr error // what Sync returns
}

func (d *fullDisk) Write(p []byte) (int, error) {
	n, err := d.WriteAt(p, d.off)
	d.off += int64(n)
	return n, err
}

func (d *fullDisk) WriteAt(p []byte, off int64) (int, error) {
	end := int(off) + len(p)
	var err error
	if end > d.limit {
		end, err = max(d.limit, int(off)), &os.PathError{Op: "write", Path: "disk", Err: syscall.ENOSPC}
	}
	if end > len(d.b) {
		d.b = append(d.b, make([]byte, end-len(d.b))...)
	}
	n := copy(d.b[off:end], p)
	return n, err
}

func (d *fullDisk) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		d.off = off
	case io.SeekCurrent:
		d.off += off
	case io.SeekEnd:
		d.off = int64(len(d.b)) + off
	}
	return d.off, nil
}

func (d *fullDisk) Truncate(n int64) error { d.b = d.b[:min(int(n), len(d.b))]; return nil }
func (d *fullDisk) Sync() error            { d.synced++; return d.syncErr }
func (d *fullDisk) Close() error           { return nil }

func TestWriterDiskFull(t *testing.T) {
	disk := &fullDisk{limit: 44 + 4*1000 + 3} // room for 1000 frames and a bit
	w, err := NewWriter(disk, 8000, 2)
	if err != nil {
		t.Fatal(err)
	}
	in := ramp(3000, 2)
	err = w.WriteFrames(in)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("got %v, want a 'disk is full' error wrapping ENOSPC", err)
	}
	if err2 := w.WriteFrames(in[:2]); err2 != err {
		t.Errorf("write after failure: got %v, want the same error", err2)
	}
	if w.Frames() != 1000 {
		t.Errorf("Frames() = %d, want 1000", w.Frames())
	}
	if cerr := w.Close(); !errors.Is(cerr, syscall.ENOSPC) {
		t.Errorf("Close: got %v, want the disk-full error", cerr)
	}
	path := filepath.Join(t.TempDir(), "full.wav")
	os.WriteFile(path, disk.b, 0o600)
	_, _, got := readBack(t, path)
	if len(got) != 2000 || len(disk.b) != 44+4000 {
		t.Errorf("file holds %d samples in %d bytes, want 2000 in %d", len(got), len(disk.b), 44+4000)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := r.Info().Notes; len(n) != 0 {
		t.Errorf("notes %q, want none: the header must be exact", n)
	}
}

func BenchmarkWriteFrames(b *testing.B) {
	w, err := Create(filepath.Join(b.TempDir(), "b.wav"), 16000, 2)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	in := ramp(1600, 2)
	b.SetBytes(int64(len(in) * 2))
	b.ReportAllocs()
	for b.Loop() {
		w.WriteFrames(in)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/sample")
}

// FuzzRepair: on any bytes Repair either fails cleanly or leaves a file that
// opens with exactly the frames it reported and no header notes.
func FuzzRepair(f *testing.F) {
	data, _ := encode(sine(50, 2, 8000), fmtPCM, 16)
	for _, size := range []int64{-1, 0, 42, 100, 0xFFFFFFFF} {
		f.Add(wavSpec{format: 1, channels: 2, rate: 8000, bits: 16, data: data, dataSize: size}.bytes())
	}
	f.Add(append(wavSpec{format: 1, channels: 1, rate: 8000, bits: 24, data: data[:31], dataSize: 0}.bytes(), 1, 2))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "r.wav")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := Repair(path)
		if err != nil {
			return
		}
		r, err := Open(path)
		if err != nil {
			t.Fatalf("repaired file does not open: %v (report %+v)", err, rep)
		}
		defer r.Close()
		info := r.Info()
		if info.Frames != rep.Frames {
			t.Fatalf("repaired file has %d frames, report says %d", info.Frames, rep.Frames)
		}
		for _, n := range info.Notes {
			if !strings.Contains(n, "bytes per frame") {
				t.Fatalf("repaired file still has a note: %q", n)
			}
		}
	})
}

func TestWriterTooLong(t *testing.T) {
	disk := &fullDisk{limit: 1 << 20}
	w, err := NewWriter(disk, 16000, 2)
	if err != nil {
		t.Fatal(err)
	}
	w.frames = maxDataBytes/4 - 10 // as if 18 hours were written
	if err := w.WriteFrames(make([]float32, 2*10)); err != nil {
		t.Fatalf("the last 10 frames that fit: %v", err)
	}
	if err := w.WriteFrames(make([]float32, 2)); !errors.Is(err, ErrTooLong) {
		t.Errorf("one frame past 4 GiB: got %v, want ErrTooLong", err)
	}
}

func TestNewWriterEmptiesFile(t *testing.T) {
	disk := &fullDisk{limit: 1 << 20, b: []byte("old content that is longer than a WAV header, left from before")}
	disk.off = int64(len(disk.b))
	w, err := NewWriter(disk, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFrames([]float32{0.5})
	w.Close()
	if len(disk.b) != 46 || string(disk.b[:4]) != "RIFF" {
		t.Errorf("file is %d bytes starting %q, want 46 starting RIFF", len(disk.b), disk.b[:4])
	}
}

// Some file systems report a full disk only when flushing.
func TestWriterDiskFullOnSync(t *testing.T) {
	disk := &fullDisk{limit: 1 << 20}
	w, err := NewWriter(disk, 8000, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFrames(make([]float32, 800))
	disk.syncErr = syscall.ENOSPC
	if err := w.Sync(); !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("Sync: got %v, want a disk-full error", err)
	}
	if err := w.WriteFrames(make([]float32, 8)); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("write after a failed Sync: got %v, want the disk-full error", err)
	}
	if got := binary.LittleEndian.Uint32(disk.b[40:]); got != 1600 {
		t.Errorf("header data size %d, want 1600", got)
	}
}
