package record

import (
	"sync"
	"testing"
)

func TestRingWriteRead(t *testing.T) {
	r := NewRing(8, 2) // 16 samples
	tests := []struct {
		name    string
		write   int // samples
		ok      bool
		read    int // samples asked
		gotRead int
	}{
		{"fits", 10, true, 6, 6},
		{"wraps", 10, true, 16, 14},
		{"too big for the free space", 12, true, 0, 0},
		{"full: dropped", 6, false, 16, 12},
		{"odd read keeps whole frames", 6, true, 5, 4},
	}
	var next float32
	var want float32
	for _, tt := range tests {
		p := make([]float32, tt.write)
		for i := range p {
			p[i] = next + float32(i)
		}
		ok := r.Write(p, 0)
		if ok != tt.ok {
			t.Fatalf("%s: Write ok got %v, want %v", tt.name, ok, tt.ok)
		}
		if ok {
			next += float32(tt.write)
		}
		q := make([]float32, tt.read)
		n := r.Read(q)
		if n != tt.gotRead {
			t.Fatalf("%s: Read got %d, want %d", tt.name, n, tt.gotRead)
		}
		for i := range n {
			if q[i] != want {
				t.Fatalf("%s: sample %d got %v, want %v", tt.name, i, q[i], want)
			}
			want++
		}
	}
	c := r.Counts()
	if c.Dropped != 1 || c.Buffers != 5 {
		t.Errorf("counts got %+v, want 1 dropped of 5 buffers", c)
	}
	if r.Lost() != 3 {
		t.Errorf("lost frames got %d, want 3", r.Lost())
	}
	if f, _ := r.Stamp(); f != (10+10+12+6+6)/2 {
		t.Errorf("stamp frames got %d, want %d (dropped frames were captured too)", f, 22)
	}
}

// TestRingConcurrent runs a producer and a consumer at once (meaningful
// under -race): every sample arrives once, in order.
func TestRingConcurrent(t *testing.T) {
	r := NewRing(256, 1)
	const total = 200000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]float32, 64)
		var v float32
		for sent := 0; sent < total; {
			for i := range buf {
				buf[i] = v + float32(i)
			}
			if r.Write(buf, int64(sent)) {
				v += float32(len(buf))
				sent += len(buf)
			}
		}
	}()
	got := make([]float32, 100)
	var want float32
	for want < total {
		n := r.Read(got)
		for _, x := range got[:n] {
			if x != want {
				t.Fatalf("got %v, want %v", x, want)
			}
			want++
		}
		r.Stamp()
	}
	wg.Wait()
}

func BenchmarkRingWrite(b *testing.B) {
	r := NewRing(1<<16, 2)
	buf := make([]float32, 2*256)
	out := make([]float32, 2*256)
	b.ReportAllocs()
	b.SetBytes(int64(4 * len(buf)))
	for b.Loop() {
		r.Write(buf, Clock())
		r.Read(out)
	}
}
