package audio

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"
)

// Pair streams two mono files, the rep's and the customer's, as one stereo
// Source: left = rep, right = customer. The two are aligned at their first
// sample. When their rates differ, the higher-rate file is resampled to the
// lower rate (never up: upsampling adds no information and costs time); the
// shorter one is padded with silence to the length of the longer.
type Pair struct {
	sides [2]pairSide
	rate  int
	total int64 // output frames
	pos   int64
}

type pairSide struct {
	r    *Reader
	rs   *Resampler // nil at the common rate
	pend []float32  // converted samples not yet handed out
	buf  []float32
	eof  bool
}

var _ Source = (*Pair)(nil)

// OpenPair opens the rep's and the customer's mono files as one stereo stream.
func OpenPair(repPath, customerPath string) (*Pair, error) {
	p := &Pair{}
	for i, path := range [2]string{repPath, customerPath} {
		r, err := Open(path)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.sides[i].r = r
		if r.Channels() != 1 {
			p.Close()
			return nil, &FileError{Path: path, Kind: ErrUnsupported, Msg: fmt.Sprintf(
				"%s has %d channels, but the rep's and the customer's files must each be mono: give a stereo call file on its own, or split it with e.g. `sox %s %s-left.wav remix 1`",
				filepath.Base(path), r.Channels(), filepath.Base(path), trimExt(filepath.Base(path)))}
		}
	}
	p.rate = min(p.sides[0].r.Rate(), p.sides[1].r.Rate())
	for i := range p.sides {
		s := &p.sides[i]
		from := s.r.Rate()
		n := s.r.Info().Frames
		if from != p.rate {
			rs, err := NewResampler(from, p.rate)
			if err != nil {
				p.Close()
				return nil, err
			}
			s.rs = rs
			n = (n*int64(p.rate) + int64(from) - 1) / int64(from)
		}
		p.total = max(p.total, n)
	}
	return p, nil
}

// Rate returns the common rate: the lower of the two files' rates.
func (p *Pair) Rate() int { return p.rate }

// Channels returns 2.
func (p *Pair) Channels() int { return 2 }

// Info describes the stereo stream as converted (float samples at the
// common rate); its notes gather both files' notes.
func (p *Pair) Info() Info {
	info := Info{Rate: p.rate, Channels: 2, Encoding: PCMFloat, BitDepth: 32, Frames: p.total,
		Duration: time.Duration(p.total) * time.Second / time.Duration(p.rate)}
	for _, s := range p.sides {
		info.Notes = append(info.Notes, s.r.Info().Notes...)
	}
	return info
}

// Files returns the Info of the rep's and of the customer's file.
func (p *Pair) Files() (rep, customer Info) { return p.sides[0].r.Info(), p.sides[1].r.Info() }

// ReadFrames fills dst with stereo frames (rep, customer, rep, ...).
func (p *Pair) ReadFrames(dst []float32) (int, error) {
	want := int(min(int64(len(dst)/2), p.total-p.pos))
	if want <= 0 {
		if len(dst) < 2 {
			return 0, errors.New("read into a buffer of less than one stereo frame")
		}
		return 0, io.EOF
	}
	for i := range p.sides {
		if err := p.sides[i].fill(want); err != nil {
			return 0, err
		}
	}
	for c := range p.sides {
		s := &p.sides[c]
		n := min(want, len(s.pend))
		for j, v := range s.pend[:n] {
			dst[2*j+c] = v
		}
		for j := n; j < want; j++ { // past the end of the shorter file
			dst[2*j+c] = 0
		}
		s.pend = s.pend[:copy(s.pend, s.pend[n:])]
	}
	p.pos += int64(want)
	return want, nil
}

// fill converts samples until want are pending or the file ends.
func (s *pairSide) fill(want int) error {
	for len(s.pend) < want && !s.eof {
		if s.buf == nil {
			s.buf = make([]float32, 8192)
		}
		n, err := s.r.ReadFrames(s.buf[:min(len(s.buf), max(want-len(s.pend), 256))])
		if s.rs != nil {
			s.pend = s.rs.Append(s.pend, s.buf[:n])
		} else {
			s.pend = append(s.pend, s.buf[:n]...)
		}
		if err == io.EOF {
			s.eof = true
			if s.rs != nil {
				s.pend = s.rs.Flush(s.pend)
			}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Close closes both files.
func (p *Pair) Close() error {
	var errs []error
	for _, s := range p.sides {
		if s.r != nil {
			errs = append(errs, s.r.Close())
		}
	}
	return errors.Join(errs...)
}
