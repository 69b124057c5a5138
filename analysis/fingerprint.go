package analysis

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// A fingerprint is what the repeats matcher (repeats.go) knows of one
// party's speech in a call: one short feature vector per FPHop of that
// party's speech, nothing for the rest of the call. The vectors are the
// spectral shape of the shared extractor's mel bands (cepstrum.go) — gain
// and a fixed channel normalised away per call, a noise floor kept level —
// and how it moves, so the same words said again by the same person match
// at another speed, pitch or level, through another microphone, in other
// noise.
const (
	// FingerprintVersion names the fingerprint's definition (features,
	// codebook, binary forms): stored fingerprints of another version are
	// computed again.
	FingerprintVersion = 1
	// FPHop is the spacing of fingerprint frames.
	FPHop = 20 * time.Millisecond
	// fpCeps cepstral coefficients (c1…c8 of the floored mel bands: the
	// spectral envelope, coarse enough not to follow the pitch's
	// harmonics) and their slopes make one frame.
	fpCeps = 8
	fpDim  = 2 * fpCeps
	// fpFloorDB: each mel band is floored this far below its mean level
	// over the party's speech, so that noise filling the spectrum's
	// valleys changes a frame little (a clean call and a noisy one then
	// share the floor).
	fpFloorDB = 20
	// fpLead is how much audio before a stretch of speech is fed to the
	// extractor, for its filters and window to settle.
	fpLead = 40 * time.Millisecond
)

// FPVec is one fingerprint frame: a unit vector quantised to int8 (the dot
// product of two, divided by fpScale², is their cosine similarity).
type FPVec [fpDim]int8

const fpScale = 127

// Fingerprint is the fingerprint of one party's speech in one call.
type Fingerprint struct {
	// At[i] is frame i's index on the FPHop grid of the call: it covers
	// [At[i]·FPHop, (At[i]+1)·FPHop). Ascending.
	At  []int32
	Vec []FPVec
}

// Len is the number of frames.
func (f *Fingerprint) Len() int { return len(f.At) }

// Speech is the speech the fingerprint covers.
func (f *Fingerprint) Speech() time.Duration { return time.Duration(len(f.At)) * FPHop }

// Time returns where frame i starts in the call.
func (f *Fingerprint) Time(i int) time.Duration { return time.Duration(f.At[i]) * FPHop }

// Fingerprinter computes the fingerprint of one party's speech from that
// party's channel, streamed in blocks of any size. Only the frames whose
// centre lies in one of the party's speech segments are measured, and only
// the audio around them reaches the extractor, so the cost follows the
// party's talk time, not the call's length.
type Fingerprinter struct {
	c      *Cepstrum
	rate   int
	fp, fq int64  // samples per frame = fp/fq
	zones  []zone // sample ranges fed to the extractor
	speech []Span // frames centred in these count
	zi     int    // current zone
	pos    int64  // samples written
	k      int64  // next frame
	end    int64  // sample at which frame k ends
	feat   Features
	mel    [][MelBands]float32
	at     []int32
}

type zone struct{ from, to int64 }

// NewFingerprinter returns a Fingerprinter for a channel at rate Hz whose
// party speaks in the given segments (time order).
func NewFingerprinter(rate int, speech []Segment) (*Fingerprinter, error) {
	c, err := NewCepstrum(rate)
	if err != nil {
		return nil, err
	}
	num, den := int64(rate)*int64(FPHop), int64(time.Second)
	g := gcd(num, den)
	f := &Fingerprinter{c: c, rate: rate, fp: num / g, fq: den / g}
	f.end = f.fp / f.fq
	sample := func(d time.Duration) int64 { return int64(d) * int64(rate) / int64(time.Second) }
	for _, s := range speech {
		f.speech = append(f.speech, Span{Start: s.Start, End: s.End})
		z := zone{max(0, sample(s.Start.D()-fpLead)), sample(s.End.D() + FeatureWindow)}
		if n := len(f.zones); n > 0 && z.from <= f.zones[n-1].to {
			f.zones[n-1].to = max(f.zones[n-1].to, z.to)
			continue
		}
		f.zones = append(f.zones, z)
	}
	return f, nil
}

// Zones returns the sample ranges [from, to) of the channel the
// Fingerprinter needs; a reader may skip the rest (SkipTo) instead of
// decoding it.
func (f *Fingerprinter) Zones() [][2]int64 {
	out := make([][2]int64, len(f.zones))
	for i, z := range f.zones {
		out[i] = [2]int64{z.from, z.to}
	}
	return out
}

// SkipTo moves to sample pos as if the samples up to it had been written
// (it never moves back). Only samples outside Zones may be skipped.
func (f *Fingerprinter) SkipTo(pos int64) {
	f.pos = max(f.pos, pos)
}

// Write feeds the channel's next samples.
func (f *Fingerprinter) Write(x []float32) {
	for len(x) > 0 {
		for f.zi < len(f.zones) && f.zones[f.zi].to <= f.pos {
			f.zi++
		}
		if f.zi == len(f.zones) {
			f.pos += int64(len(x))
			return
		}
		z := f.zones[f.zi]
		if f.pos < z.from { // skip to the zone
			n := min(int64(len(x)), z.from-f.pos)
			f.pos += n
			x = x[n:]
			continue
		}
		// Inside the zone: feed up to the next frame end or the zone's end.
		for f.end <= f.pos {
			f.k++
			f.end = (f.k + 1) * f.fp / f.fq
		}
		n := min(int64(len(x)), f.end-f.pos, z.to-f.pos)
		f.c.Write(x[:n])
		x = x[n:]
		f.pos += n
		if f.pos == f.end {
			if f.inSpeech(f.k) {
				f.c.Frame(&f.feat)
				f.mel = append(f.mel, f.feat.Mel)
				f.at = append(f.at, int32(f.k))
			}
			f.k++
			f.end = (f.k + 1) * f.fp / f.fq
		}
	}
}

// inSpeech reports whether frame k's centre lies in a speech segment. The
// extractor's frame describes the FeatureWindow ending at the frame's end.
func (f *Fingerprinter) inSpeech(k int64) bool {
	c := Dur(time.Duration(k+1)*FPHop - FeatureWindow/2)
	lo, hi := 0, len(f.speech)
	for lo < hi {
		m := (lo + hi) / 2
		if f.speech[m].End <= c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(f.speech) && f.speech[lo].Start <= c
}

// fpDCT is the orthonormal DCT-II row q of MelBands points, q = 1..fpCeps.
var fpDCT = func() (t [fpCeps][MelBands]float64) {
	for q := range t {
		for b := range t[q] {
			t[q][b] = math.Sqrt(2.0/MelBands) * math.Cos(math.Pi*float64(q+1)*(float64(b)+0.5)/MelBands)
		}
	}
	return t
}()

// Finish normalises the frames measured and returns the fingerprint.
func (f *Fingerprinter) Finish() *Fingerprint {
	return fingerprintFromMel(f.at, f.mel)
}

// fingerprintFromMel turns mel frames (dB) into a fingerprint: floored
// log-mel, cepstra c1…c8, their slopes over ±2 frames (within a stretch of
// consecutive frames), each dimension's mean and spread normalised over
// the call, each frame scaled to unit length.
func fingerprintFromMel(at []int32, mel [][MelBands]float32) *Fingerprint {
	n := len(at)
	out := &Fingerprint{At: at, Vec: make([]FPVec, n)}
	if n == 0 {
		return out
	}
	var floor [MelBands]float64
	for i := range mel {
		for b, v := range mel[i] {
			floor[b] += math.Pow(10, float64(v)/10)
		}
	}
	for b := range floor {
		floor[b] = floor[b] / float64(n) * math.Pow(10, -fpFloorDB/10.0)
	}
	v := make([][fpDim]float64, n)
	for i := range mel {
		var lg [MelBands]float64
		for b, m := range mel[i] {
			lg[b] = 10 * math.Log10(math.Pow(10, float64(m)/10)+floor[b]+1e-15)
		}
		for q := 0; q < fpCeps; q++ {
			var s float64
			for b := range lg {
				s += fpDCT[q][b] * lg[b]
			}
			v[i][q] = s
		}
	}
	for i := range v {
		var num [fpCeps]float64
		var den float64
		for d := 1; d <= 2; d++ {
			a, b := i-d, i+d
			if a < 0 || b >= n || int(at[b]-at[a]) != 2*d {
				continue
			}
			for q := 0; q < fpCeps; q++ {
				num[q] += float64(d) * (v[b][q] - v[a][q])
			}
			den += 2 * float64(d*d)
		}
		if den > 0 {
			for q := 0; q < fpCeps; q++ {
				v[i][fpCeps+q] = num[q] / den
			}
		}
	}
	for d := 0; d < fpDim; d++ {
		var s, ss float64
		for i := range v {
			s += v[i][d]
			ss += v[i][d] * v[i][d]
		}
		m := s / float64(n)
		sd := math.Sqrt(max(ss/float64(n)-m*m, 1e-12))
		for i := range v {
			v[i][d] = (v[i][d] - m) / sd
		}
	}
	for i := range v {
		var ss float64
		for _, x := range v[i] {
			ss += x * x
		}
		g := fpScale / math.Sqrt(max(ss, 1e-12))
		for d, x := range v[i] {
			out.Vec[i][d] = int8(math.Round(max(-fpScale, min(fpScale, x*g))))
		}
	}
	return out
}

// fpDot is the cosine similarity of two frames times fpScale².
func fpDot(a, b *FPVec) int32 {
	var s int32
	for d := range a {
		s += int32(a[d]) * int32(b[d])
	}
	return s
}

// The binary form of a run of fingerprint frames (what the store keeps):
// a version byte, the frame count (uvarint), the At values (the first as a
// uvarint, then each step from the one before), then fpDim bytes per frame.
const fpFormat = 1

// ErrFingerprint reports stored fingerprint data that cannot be read.
var ErrFingerprint = errors.New("the stored fingerprint is damaged or from a newer version")

// AppendFrames appends the binary form of frames [from, to) to b.
func (f *Fingerprint) AppendFrames(b []byte, from, to int) []byte {
	b = append(b, fpFormat)
	b = binary.AppendUvarint(b, uint64(to-from))
	prev := int32(0)
	for i := from; i < to; i++ {
		b = binary.AppendUvarint(b, uint64(f.At[i]-prev))
		prev = f.At[i]
	}
	for i := from; i < to; i++ {
		for _, x := range f.Vec[i] {
			b = append(b, byte(x))
		}
	}
	return b
}

// DecodeFrames reads frames written by AppendFrames and appends them to f
// (they must follow f's last frame). On error f is left as it was.
func (f *Fingerprint) DecodeFrames(b []byte) error {
	nAt, nVec := len(f.At), len(f.Vec)
	if err := f.decodeFrames(b); err != nil {
		f.At, f.Vec = f.At[:nAt], f.Vec[:nVec]
		return err
	}
	return nil
}

func (f *Fingerprint) decodeFrames(b []byte) error {
	if len(b) == 0 || b[0] != fpFormat {
		return ErrFingerprint
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return ErrFingerprint
	}
	b = b[k:]
	var prev int64
	last := int64(-1)
	if len(f.At) > 0 {
		last = int64(f.At[len(f.At)-1])
	}
	for i := uint64(0); i < n; i++ {
		d, k := binary.Uvarint(b)
		if k <= 0 || d > math.MaxInt32 {
			return fmt.Errorf("%w (frame times)", ErrFingerprint)
		}
		b = b[k:]
		prev += int64(d)
		if prev <= last || prev > math.MaxInt32 {
			return fmt.Errorf("%w (frame times out of order)", ErrFingerprint)
		}
		last = prev
		f.At = append(f.At, int32(prev))
	}
	if uint64(len(b)) != n*fpDim {
		return fmt.Errorf("%w (%d bytes of frames, want %d)", ErrFingerprint, len(b), n*fpDim)
	}
	for i := uint64(0); i < n; i++ {
		var v FPVec
		for d := range v {
			v[d] = int8(b[int(i)*fpDim+d])
		}
		f.Vec = append(f.Vec, v)
	}
	return nil
}
