package audio

import (
	"encoding/binary"
	"math"
)

// decoderFor returns the bulk converter from l's sample bytes to float32.
// Converters take whole samples (len(src) == len(dst)*bytes per sample);
// float converters count NaN/Inf and over-range samples in r.
func decoderFor(l *layout, r *Reader) func(dst []float32, src []byte) {
	switch l.encoding {
	case PCMFloat:
		if l.bits == 64 {
			return r.decodeF64
		}
		return r.decodeF32
	case ALaw:
		return func(dst []float32, src []byte) { decodeTable(dst, src, &alawTable) }
	case MuLaw:
		return func(dst []float32, src []byte) { decodeTable(dst, src, &mulawTable) }
	}
	switch l.bits {
	case 8:
		return func(dst []float32, src []byte) { decodeTable(dst, src, &u8Table) }
	case 16:
		return func(dst []float32, src []byte) { decode16(dst, src) }
	case 24:
		return func(dst []float32, src []byte) { decode24(dst, src) }
	default: // 32
		return func(dst []float32, src []byte) { decode32(dst, src) }
	}
}

func decode16(dst []float32, src []byte) {
	// Four at a time: twice as fast as the plain loop (measured), which
	// waits on each int-to-float conversion in turn.
	for len(src) >= 8 && len(dst) >= 4 {
		d, s := dst[:4:4], src[:8:8]
		d[0] = float32(int16(uint16(s[0])|uint16(s[1])<<8)) * (1.0 / 32768)
		d[1] = float32(int16(uint16(s[2])|uint16(s[3])<<8)) * (1.0 / 32768)
		d[2] = float32(int16(uint16(s[4])|uint16(s[5])<<8)) * (1.0 / 32768)
		d[3] = float32(int16(uint16(s[6])|uint16(s[7])<<8)) * (1.0 / 32768)
		dst, src = dst[4:], src[8:]
	}
	src = src[:2*len(dst)]
	for i := range dst {
		dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) * (1.0 / 32768)
	}
}

func decode24(dst []float32, src []byte) {
	src = src[:3*len(dst)]
	for i := range dst {
		b := src[3*i : 3*i+3 : 3*i+3]
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		dst[i] = float32(v) * (1.0 / 8388608)
	}
}

func decode32(dst []float32, src []byte) {
	src = src[:4*len(dst)]
	for i := range dst {
		dst[i] = float32(int32(binary.LittleEndian.Uint32(src[4*i:]))) * (1.0 / 2147483648)
	}
}

func decodeTable(dst []float32, src []byte, t *[256]float32) {
	src = src[:len(dst)]
	for i, b := range src {
		dst[i] = t[b]
	}
}

func (r *Reader) decodeF32(dst []float32, src []byte) {
	src = src[:4*len(dst)]
	for i := range dst {
		u := binary.LittleEndian.Uint32(src[4*i:])
		if u&0x7fffffff > 0x3f800000 { // beyond ±1, Inf or NaN: an integer test is faster
			dst[i] = r.sanitize(float64(math.Float32frombits(u)))
			continue
		}
		dst[i] = math.Float32frombits(u)
	}
}

func (r *Reader) decodeF64(dst []float32, src []byte) {
	src = src[:8*len(dst)]
	for i := range dst {
		v := math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
		if !(v >= -1 && v <= 1) {
			v = float64(r.sanitize(v))
		}
		dst[i] = float32(v)
	}
}

// sanitize maps a float sample outside [-1, 1] to one inside and counts it:
// NaN and ±Inf become silence, other values are clipped.
func (r *Reader) sanitize(v float64) float32 {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		r.nonFinite++
		return 0
	case v > 1:
		r.clipped++
		return 1
	default:
		r.clipped++
		return -1
	}
}

var u8Table, alawTable, mulawTable [256]float32

func init() {
	for i := range 256 {
		u8Table[i] = float32(i-128) / 128
		alawTable[i] = float32(alaw(byte(i))) / 32768
		mulawTable[i] = float32(mulaw(byte(i))) / 32768
	}
}

// alaw and mulaw expand G.711 codes to 16-bit linear (ITU-T G.711).
func alaw(a byte) int16 {
	a ^= 0x55
	t := int16(a&0x0f) << 4
	seg := (a & 0x70) >> 4
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return t
	}
	return -t
}

func mulaw(u byte) int16 {
	u = ^u
	t := (int16(u&0x0f) << 3) + 0x84
	t <<= (u & 0x70) >> 4
	if u&0x80 != 0 {
		return 0x84 - t
	}
	return t - 0x84
}
