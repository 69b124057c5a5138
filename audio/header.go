package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/go-audio/wav"
)

// Sample encodings a Reader decodes.
type Encoding uint8

const (
	// PCMInt is linear integer PCM (8-bit unsigned, 16/24/32-bit signed).
	PCMInt Encoding = iota + 1
	// PCMFloat is IEEE float (32 or 64 bits).
	PCMFloat
	// ALaw and MuLaw are 8-bit G.711 telephone encodings.
	ALaw
	MuLaw
)

var encodingNames = [...]string{PCMInt: "int", PCMFloat: "float", ALaw: "a-law", MuLaw: "mu-law"}

func (e Encoding) String() string {
	if int(e) < len(encodingNames) && encodingNames[e] != "" {
		return encodingNames[e]
	}
	return fmt.Sprintf("encoding(%d)", uint8(e))
}

// The rates Open accepts. Telephone audio is 8 kHz; studio files go to 192.
const (
	MinRate = 8000
	MaxRate = 192000
)

// WAV format codes (the fmt chunk's wFormatTag).
const (
	fmtPCM        = 0x0001
	fmtFloat      = 0x0003
	fmtALaw       = 0x0006
	fmtMuLaw      = 0x0007
	fmtExtensible = 0xFFFE
)

// The tail shared by the KSDATAFORMAT_SUBTYPE_* GUIDs of WAVE_FORMAT_EXTENSIBLE;
// the first two bytes hold the plain format code.
var subtypeTail = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// maxFmtChunk bounds the fmt chunk we read; real ones are 16 to 40 bytes.
const maxFmtChunk = 4096

// canonicalHeaderLen is the length of the header go-audio's Encoder (and
// every Writer) puts before the samples: RIFF, fmt (16 bytes) and data headers.
const canonicalHeaderLen = 44

// layout is what scanning a WAV header finds: the sample format, where the
// samples are, and what was wrong with the sizes.
type layout struct {
	format      uint16 // after resolving WAVE_FORMAT_EXTENSIBLE
	encoding    Encoding
	extensible  bool
	channels    int
	rate        int
	bits        int // container bits per sample
	blockAlign  int // bytes per frame
	riffSize    uint32
	dataSizeOff int64 // offset of the data chunk's size field
	dataOff     int64 // first sample byte
	declared    int64 // the data chunk's size field
	avail       int64 // sample bytes we will read: whole frames only
	repaired    bool  // avail comes from the file length, not the header
	notes       []string
}

func (l *layout) frames() int64 { return l.avail / int64(l.blockAlign) }

func (l *layout) dur(frames int64) time.Duration {
	return time.Duration(frames) * time.Second / time.Duration(l.rate)
}

// secs formats a duration the way notes show it.
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// secs2 formats two durations that differ so that they read differently.
func secs2(a, b time.Duration) (string, string) {
	if sa, sb := secs(a), secs(b); sa != sb {
		return sa, sb
	}
	return fmt.Sprintf("%.3f s", a.Seconds()), fmt.Sprintf("%.3f s", b.Seconds())
}

func isChunkID(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	for _, c := range b[:4] {
		ok := c == ' ' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if !ok {
			return false
		}
	}
	return true
}

// scan walks the RIFF chunks of r (size bytes long) up to the data chunk.
// It reads a bounded number of bytes whatever the header claims, so any
// input is safe. name is used in messages.
func scan(r io.ReaderAt, size int64, path string) (*layout, error) {
	name := filepath.Base(path)
	bad := func(kind error, format string, args ...any) error {
		return &FileError{Path: path, Kind: kind, Msg: fmt.Sprintf(format, args...)}
	}
	var hdr [12]byte
	n, err := r.ReadAt(hdr[:], 0)
	if n < 12 {
		if err != nil && err != io.EOF {
			return nil, &FileError{Path: path, Kind: ErrTruncated, Err: err,
				Msg: fmt.Sprintf("cannot read %s: %v", name, err)}
		}
		if n >= 4 && string(hdr[:4]) == "RIFF" {
			return nil, bad(ErrTruncated, "%s is truncated: it ends inside its WAV header, so it holds no audio; re-export or re-record it", name)
		}
		if size == 0 {
			return nil, bad(ErrNoAudio, "%s is empty (0 bytes): re-export or re-record it", name)
		}
		return nil, bad(ErrNotWAV, "%s is not a WAV file (no RIFF header): convert it with e.g. `sox %s %s.wav`", name, name, trimExt(name))
	}
	switch string(hdr[:4]) {
	case "RIFF":
	case "RF64", "BW64":
		return nil, bad(ErrUnsupported, "%s is an RF64 (over 4 GB) WAV, which CallCoach does not read: split it into parts under 4 GB, e.g. one hour each", name)
	case "RIFX":
		return nil, bad(ErrUnsupported, "%s is a big-endian (RIFX) WAV, which CallCoach does not read: convert it with e.g. `sox %s %s-le.wav`", name, name, trimExt(name))
	default:
		return nil, bad(ErrNotWAV, "%s is not a WAV file (no RIFF header): convert it with e.g. `sox %s %s.wav`", name, name, trimExt(name))
	}
	if string(hdr[8:12]) != "WAVE" {
		return nil, bad(ErrNotWAV, "%s is a RIFF file but not WAVE audio (it is %q): convert it with e.g. `sox %s %s.wav`", name, string(hdr[8:12]), name, trimExt(name))
	}
	l := &layout{riffSize: binary.LittleEndian.Uint32(hdr[4:8]), dataOff: -1}

	var fmtSeen, dataFirst bool
	off := int64(12)
	for {
		var ch [8]byte
		n, _ := r.ReadAt(ch[:], off)
		if n < 8 {
			break
		}
		id := string(ch[:4])
		csize := int64(binary.LittleEndian.Uint32(ch[4:8]))
		body := off + 8
		switch id {
		case "fmt ":
			if csize < 16 || csize > maxFmtChunk {
				return nil, bad(ErrDamaged, "%s has a damaged WAV header (a fmt chunk of %d bytes): re-export the file", name, csize)
			}
			buf := make([]byte, csize)
			if n, _ := r.ReadAt(buf, body); int64(n) < csize {
				return nil, bad(ErrTruncated, "%s is truncated: it ends inside its WAV header, so it holds no audio; re-export or re-record it", name)
			}
			if err := l.parseFmt(buf, name, bad); err != nil {
				return nil, err
			}
			fmtSeen = true
		case "data":
			if l.dataOff < 0 {
				dataFirst = !fmtSeen
				l.dataSizeOff = off + 4
				l.dataOff = body
				l.declared = csize
			}
		}
		if l.dataOff >= 0 && fmtSeen {
			break
		}
		next := body + csize + csize&1
		if id == "data" && (csize == 0 || next > size) {
			// A data chunk with a bogus size before the fmt chunk: we
			// cannot know where it ends, so we cannot find the format.
			break
		}
		if next > size {
			break
		}
		off = next
	}
	if !fmtSeen {
		if l.dataOff >= 0 || size >= 1024 {
			return nil, bad(ErrDamaged, "%s has a damaged WAV header (no fmt chunk saying how the samples are stored): re-export the file", name)
		}
		return nil, bad(ErrTruncated, "%s is truncated: it ends inside its WAV header, so it holds no audio; re-export or re-record it", name)
	}
	if l.dataOff < 0 {
		return nil, bad(ErrNoAudio, "%s holds no audio (its WAV header has no data chunk): re-export or re-record it", name)
	}
	if !dataFirst && l.dataOff <= 1<<20 {
		l.readWithDecoder(r, size)
	}
	l.settleData(r, size, name)
	if l.avail == 0 {
		return nil, bad(ErrNoAudio, "%s holds no audio samples (0 s): re-export or re-record it", name)
	}
	return l, nil
}

// readWithDecoder reads the format and the start of the samples with
// go-audio/wav's Decoder (ReadInfo, FwdToPCM). It runs after the bounded
// scan has checked every chunk size up to the samples, because the Decoder
// trusts sizes in the file (it allocates what a fmt or LIST chunk claims and
// ignores a chunk size it could not read), and it leaves to the scan what
// the Decoder does not read: the WAVE_FORMAT_EXTENSIBLE sub-format, and the
// true extent of the samples when the data size is zero or wrong. Headers
// the Decoder misreads (a data chunk before fmt) are not given to it.
func (l *layout) readWithDecoder(r io.ReaderAt, size int64) {
	defer func() { recover() }() // a Decoder failure leaves the scan's reading
	sr := io.NewSectionReader(r, 0, size)
	d := wav.NewDecoder(sr)
	d.ReadInfo()
	if d.Err() != nil || d.FwdToPCM() != nil || d.PCMChunk == nil {
		return
	}
	off, err := sr.Seek(0, io.SeekCurrent)
	if err != nil || int(d.NumChans) != l.channels || int(d.SampleRate) != l.rate {
		return
	}
	// Where the Decoder stopped must be just past a data chunk header.
	var hdr [8]byte
	if n, _ := r.ReadAt(hdr[:], off-8); n < 8 || string(hdr[:4]) != "data" {
		return
	}
	l.dataOff = off
	l.dataSizeOff = off - 4
	l.declared = int64(binary.LittleEndian.Uint32(hdr[4:]))
}

func (l *layout) parseFmt(b []byte, name string, bad func(error, string, ...any) error) error {
	le := binary.LittleEndian
	code := le.Uint16(b[0:])
	l.channels = int(le.Uint16(b[2:]))
	l.rate = int(le.Uint32(b[4:]))
	align := int(le.Uint16(b[12:]))
	l.bits = int(le.Uint16(b[14:]))
	if code == fmtExtensible {
		if len(b) < 40 || le.Uint16(b[16:]) < 22 {
			return bad(ErrDamaged, "%s has a damaged WAV header (a WAVE_FORMAT_EXTENSIBLE fmt chunk of %d bytes, want 40): re-export the file", name, len(b))
		}
		if [14]byte(b[26:40]) != subtypeTail {
			return bad(ErrUnsupported, "%s holds audio in an unknown WAVE_FORMAT_EXTENSIBLE sub-format: convert it to PCM with e.g. `sox %s -e signed-integer -b 16 %s-pcm.wav`", name, name, trimExt(name))
		}
		l.extensible = true
		code = le.Uint16(b[24:])
	}
	l.format = code
	switch code {
	case fmtPCM:
		l.encoding = PCMInt
	case fmtFloat:
		l.encoding = PCMFloat
	case fmtALaw:
		l.encoding = ALaw
	case fmtMuLaw:
		l.encoding = MuLaw
	default:
		return bad(ErrUnsupported, "%s holds compressed audio (%s), not PCM: convert it with e.g. `sox %s -e signed-integer -b 16 %s-pcm.wav`", name, formatName(code), name, trimExt(name))
	}
	switch {
	case l.channels == 0:
		return bad(ErrDamaged, "%s has a damaged WAV header (0 channels): re-export the file", name)
	case l.channels > 2:
		return bad(ErrUnsupported, "%s has %d channels; CallCoach reads mono or stereo (rep and customer): keep two with e.g. `sox %s %s-stereo.wav remix 1 2`", name, l.channels, name, trimExt(name))
	}
	if l.rate < MinRate || l.rate > MaxRate {
		return bad(ErrUnsupported, "%s has a sample rate of %d Hz; CallCoach reads %d to %d Hz: resample it with e.g. `sox %s -r 16000 %s-16k.wav`", name, l.rate, MinRate, MaxRate, name, trimExt(name))
	}
	ok := false
	switch l.encoding {
	case PCMInt:
		// Non-byte depths (12, 20 bits) sit in whole bytes, left-justified.
		l.bits = (l.bits + 7) / 8 * 8
		ok = l.bits >= 8 && l.bits <= 32
	case PCMFloat:
		ok = l.bits == 32 || l.bits == 64
	case ALaw, MuLaw:
		ok = l.bits == 8
	}
	if !ok {
		return bad(ErrUnsupported, "%s stores %d-bit %s samples, which CallCoach does not read: convert it with e.g. `sox %s -e signed-integer -b 16 %s-16bit.wav`", name, l.bits, l.encoding, name, trimExt(name))
	}
	l.blockAlign = l.channels * l.bits / 8
	if align != l.blockAlign {
		l.notes = append(l.notes, fmt.Sprintf("The header of %s gives %d bytes per frame where %d-bit %d-channel audio takes %d; it was read as %d.", name, align, l.bits, l.channels, l.blockAlign, l.blockAlign))
	}
	return nil
}

// settleData decides how many sample bytes to read. The header's data size
// is trusted when it fits the file and is followed by the end of the file or
// by another chunk; otherwise (zero, too large, or followed by more samples,
// which is what a writer killed between two header updates leaves) the
// samples run to the end of the file.
func (l *layout) settleData(r io.ReaderAt, size int64, name string) {
	rest := size - l.dataOff
	if rest < 0 {
		rest = 0
	}
	whole := func(b int64) int64 { return b - b%int64(l.blockAlign) }
	declared := whole(l.declared)
	switch {
	case l.declared == rest || l.declared+1 == rest: // exact, or a pad byte
		l.avail = declared
		return
	case l.declared > rest:
		l.avail = whole(rest)
		l.repaired = true
		if l.declared >= 0xFFFFFFF0 || l.declared == 42 {
			// Placeholders streaming writers leave before they know the size.
			l.notes = append(l.notes, fmt.Sprintf("The header of %s gives no length; %s of audio are readable; analysed what is there.", name, secs(l.dur(l.frames()))))
			return
		}
		said, has := secs2(l.dur(declared/int64(l.blockAlign)), l.dur(l.frames()))
		l.notes = append(l.notes, fmt.Sprintf("The file %s is truncated: the header says %s but only %s of audio are in it; analysed what is there.", name, said, has))
		return
	}
	// Fewer bytes declared than the file holds: another chunk, or more samples?
	after := l.dataOff + l.declared + l.declared&1
	var next [8]byte
	n, _ := r.ReadAt(next[:], after)
	chunkNext := n == 8 && isChunkID(next[:]) && int64(binary.LittleEndian.Uint32(next[4:])) <= size-after-8
	// Some taggers append an ID3 tag with no chunk header (ID3v2, or the
	// 128-byte ID3v1 "TAG" block at the very end).
	tagNext := n >= 3 && (string(next[:3]) == "ID3" || string(next[:3]) == "TAG" && size-after == 128)
	if l.declared > 0 && (chunkNext || tagNext) {
		l.avail = declared
		return
	}
	l.avail = whole(rest)
	l.repaired = true
	said, has := secs2(l.dur(declared/int64(l.blockAlign)), l.dur(l.frames()))
	l.notes = append(l.notes, fmt.Sprintf("The header of %s said %s but %s of audio are readable; analysed what is there.", name, said, has))
}

func formatName(code uint16) string {
	switch code {
	case 0x0002:
		return "Microsoft ADPCM"
	case 0x0011:
		return "IMA ADPCM"
	case 0x0031:
		return "GSM 6.10"
	case 0x0050:
		return "MPEG"
	case 0x0055:
		return "MP3"
	case 0x0161, 0x0162, 0x0163:
		return "WMA"
	case 0x1610, 0x00FF:
		return "AAC"
	}
	return fmt.Sprintf("format code 0x%04X", code)
}

func trimExt(name string) string { return name[:len(name)-len(filepath.Ext(name))] }
