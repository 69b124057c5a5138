package ui

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sync"
	"time"
)

// EnvelopeBucket is the time one envelope entry covers: fine enough for the
// deepest zoom (one second across the timeline), small enough that a 1-hour
// call's envelope is a few megabytes.
const EnvelopeBucket = 10 * time.Millisecond

// Envelope is the waveform the timeline draws behind the speech segments: the
// minimum and maximum sample of every bucket of every channel, in [-1, 1].
// It is built by streaming the WAV file once, never holding the samples.
type Envelope struct {
	Rate     int
	Channels int
	Bucket   time.Duration
	Duration time.Duration
	Min, Max [][]float32 // [channel][bucket]
}

// wavInfo is what the envelope needs from a WAV header.
type wavInfo struct {
	rate, channels, bits int
	float                bool
	dataOff, dataLen     int64
}

// readWAVInfo parses the RIFF chunks up to the data chunk. A data length of
// zero or one running past the end of the file (a recording cut off before
// its header was finished) is taken as "to the end of the file".
func readWAVInfo(f *os.File) (wavInfo, error) {
	var w wavInfo
	st, err := f.Stat()
	if err != nil {
		return w, err
	}
	var hdr [12]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return w, fmt.Errorf("read wav header: %w", err)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return w, errors.New("not a WAV file (no RIFF/WAVE header)")
	}
	off := int64(12)
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := f.ReadAt(ch[:], off); err != nil {
			return w, errors.New("WAV file has no data chunk")
		}
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		body := off + 8
		switch id {
		case "fmt ":
			b := make([]byte, min(size, 40))
			if _, err := f.ReadAt(b, body); err != nil || len(b) < 16 {
				return w, errors.New("WAV fmt chunk is cut short")
			}
			tag := binary.LittleEndian.Uint16(b[0:2])
			w.channels = int(binary.LittleEndian.Uint16(b[2:4]))
			w.rate = int(binary.LittleEndian.Uint32(b[4:8]))
			w.bits = int(binary.LittleEndian.Uint16(b[14:16]))
			if tag == 0xFFFE && len(b) >= 26 { // WAVE_FORMAT_EXTENSIBLE: sub-format's first two bytes
				tag = binary.LittleEndian.Uint16(b[24:26])
			}
			switch {
			case tag == 1 && (w.bits == 8 || w.bits == 16 || w.bits == 24 || w.bits == 32):
			case tag == 3 && w.bits == 32:
				w.float = true
			default:
				return w, fmt.Errorf("unsupported WAV encoding (format %d, %d bits)", tag, w.bits)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return w, errors.New("WAV data chunk before fmt chunk")
			}
			if w.channels < 1 || w.rate < 1 {
				return w, errors.New("WAV header has no channels or rate")
			}
			w.dataOff = body
			w.dataLen = size
			if size == 0 || body+size > st.Size() {
				w.dataLen = st.Size() - body
			}
			block := int64(w.channels * w.bits / 8)
			w.dataLen -= w.dataLen % block
			return w, nil
		}
		off = body + size + size%2
	}
}

// LoadEnvelope streams the WAV file at path into an Envelope, splitting the
// work across the CPUs.
func LoadEnvelope(path string) (*Envelope, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open audio: %w", err)
	}
	defer f.Close()
	info, err := readWAVInfo(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	block := int64(info.channels * info.bits / 8)
	frames := info.dataLen / block
	perBucket := int64(info.rate) * int64(EnvelopeBucket) / int64(time.Second)
	if perBucket < 1 {
		perBucket = 1
	}
	n := int((frames + perBucket - 1) / perBucket)
	e := &Envelope{
		Rate: info.rate, Channels: info.channels, Bucket: EnvelopeBucket,
		Duration: time.Duration(frames) * time.Second / time.Duration(info.rate),
		Min:      make([][]float32, info.channels), Max: make([][]float32, info.channels),
	}
	for c := range info.channels {
		e.Min[c] = make([]float32, n)
		e.Max[c] = make([]float32, n)
	}
	workers := min(runtime.NumCPU(), max(1, n/1000))
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for wi := range workers {
		b0, b1 := wi*per, min(n, (wi+1)*per)
		if b0 >= b1 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			off := info.dataOff + int64(b0)*perBucket*block
			end := min(info.dataOff+int64(b1)*perBucket*block, info.dataOff+info.dataLen)
			r := io.NewSectionReader(f, off, end-off)
			errs[wi] = e.fill(r, info, perBucket, b0)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("read audio %s: %w", path, err)
	}
	return e, nil
}

// fill reads whole frames from r into buckets starting at bucket b.
func (e *Envelope) fill(r io.Reader, info wavInfo, perBucket int64, b int) error {
	bps := info.bits / 8
	block := info.channels * bps
	buf := make([]byte, (256<<10)/block*block)
	ch := info.channels
	lo := make([]float32, ch)
	hi := make([]float32, ch)
	reset := func() {
		for c := range ch {
			lo[c], hi[c] = math.MaxFloat32, -math.MaxFloat32
		}
	}
	reset()
	var inBucket int64
	flush := func() {
		for c := range ch {
			e.Min[c][b], e.Max[c][b] = lo[c], hi[c]
		}
		b++
		inBucket = 0
		reset()
	}
	for {
		k, err := io.ReadFull(r, buf)
		k -= k % block
		p := buf[:k]
		for len(p) >= block {
			// Decode as many frames as remain in this bucket in one tight loop.
			frames := min(int64(len(p)/block), perBucket-inBucket)
			nb := int(frames) * block
			decodeMinMax(p[:nb], ch, bps, info.float, lo, hi)
			p = p[nb:]
			inBucket += frames
			if inBucket == perBucket {
				flush()
			}
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if inBucket > 0 {
		flush()
	}
	return nil
}

// decodeMinMax widens lo/hi per channel over interleaved frames in p. The
// 16-bit paths (every recording and most imports) compare integers and
// convert once per call: this loop is the whole cost of opening a long call.
func decodeMinMax(p []byte, ch, bps int, isFloat bool, lo, hi []float32) {
	switch {
	case bps == 2 && ch == 2:
		l0, h0, l1, h1 := int16(math.MaxInt16), int16(math.MinInt16), int16(math.MaxInt16), int16(math.MinInt16)
		for len(p) >= 4 {
			a := int16(uint16(p[0]) | uint16(p[1])<<8)
			c := int16(uint16(p[2]) | uint16(p[3])<<8)
			l0, h0 = min(l0, a), max(h0, a)
			l1, h1 = min(l1, c), max(h1, c)
			p = p[4:]
		}
		lo[0], hi[0] = min(lo[0], float32(l0)/32768), max(hi[0], float32(h0)/32768)
		lo[1], hi[1] = min(lo[1], float32(l1)/32768), max(hi[1], float32(h1)/32768)
		return
	case bps == 2 && ch == 1:
		l0, h0 := int16(math.MaxInt16), int16(math.MinInt16)
		for len(p) >= 2 {
			a := int16(uint16(p[0]) | uint16(p[1])<<8)
			l0, h0 = min(l0, a), max(h0, a)
			p = p[2:]
		}
		lo[0], hi[0] = min(lo[0], float32(l0)/32768), max(hi[0], float32(h0)/32768)
		return
	}
	for i := 0; i+ch*bps <= len(p); {
		for c := range ch {
			var v float32
			switch {
			case isFloat:
				v = math.Float32frombits(binary.LittleEndian.Uint32(p[i:]))
			case bps == 1:
				v = float32(int(p[i])-128) / 128
			case bps == 2:
				v = float32(int16(binary.LittleEndian.Uint16(p[i:]))) / 32768
			case bps == 3:
				s := int32(uint32(p[i])<<8|uint32(p[i+1])<<16|uint32(p[i+2])<<24) >> 8
				v = float32(s) / (1 << 23)
			case bps == 4:
				v = float32(int32(binary.LittleEndian.Uint32(p[i:]))) / (1 << 31)
			}
			lo[c], hi[c] = min(lo[c], v), max(hi[c], v)
			i += bps
		}
	}
}

// Buckets is the number of buckets per channel.
func (e *Envelope) Buckets() int {
	if e == nil || len(e.Min) == 0 {
		return 0
	}
	return len(e.Min[0])
}

// Peak returns the minimum and maximum of channel c over [t0, t1). It
// returns zeros outside the audio or for a channel the file does not have.
func (e *Envelope) Peak(c int, t0, t1 time.Duration) (lo, hi float32) {
	if e == nil || c < 0 || c >= e.Channels {
		return 0, 0
	}
	n := e.Buckets()
	b0 := int(t0 / e.Bucket)
	b1 := int((t1 + e.Bucket - 1) / e.Bucket)
	b0, b1 = max(b0, 0), min(b1, n)
	if b1 <= b0 {
		if b0 < n && b0 >= 0 {
			return e.Min[c][b0], e.Max[c][b0]
		}
		return 0, 0
	}
	lo, hi = e.Min[c][b0], e.Max[c][b0]
	for _, v := range e.Min[c][b0+1 : b1] {
		lo = min(lo, v)
	}
	for _, v := range e.Max[c][b0+1 : b1] {
		hi = max(hi, v)
	}
	return lo, hi
}
