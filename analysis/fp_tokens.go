package analysis

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Tokens are a fingerprint's coarse landmarks, what the repeats index
// looks passages up by: the frames smoothed over fpSmooth frames, each
// named by its nearest entry of a fixed codebook of fpCodes acoustic
// classes (fp_codebook.go), runs of one name shorter than fpMinRun frames
// dropped and repeats collapsed. Said faster or slower, the same words give
// the same names in the same order with other run lengths, so a run of
// fpGram names (a shingle) is a key that survives a change of speaking
// rate.
const (
	fpCodes  = 32
	fpSmooth = 5
	fpMinRun = 2
	fpGram   = 3
	fpBits   = 5 // bits per code: fpCodes = 1 << fpBits
)

// Token is one landmark: a codebook class and the fingerprint frame its
// run starts at.
type Token struct {
	Code  uint8
	Frame int32
}

// Tokens returns the fingerprint's landmarks.
func (f *Fingerprint) Tokens() []Token {
	n := len(f.Vec)
	codes := make([]uint8, n)
	for i := 0; i < n; i++ {
		var m [fpDim]float64
		for k := max(0, i-fpSmooth/2); k <= min(n-1, i+fpSmooth/2); k++ {
			if d := f.At[k] - f.At[i]; d < -fpSmooth/2 || d > fpSmooth/2 {
				continue // across a pause
			}
			for d, x := range f.Vec[k] {
				m[d] += float64(x)
			}
		}
		codes[i] = nearestCode(&m)
	}
	var out []Token
	for i := 0; i < n; {
		j := i + 1
		for j < n && codes[j] == codes[i] && f.At[j] == f.At[j-1]+1 {
			j++
		}
		if j-i >= fpMinRun && (len(out) == 0 || out[len(out)-1].Code != codes[i]) {
			out = append(out, Token{Code: codes[i], Frame: int32(i)})
		}
		i = j
	}
	return out
}

// nearestCode returns the codebook class whose centroid has the largest
// cosine with m.
func nearestCode(m *[fpDim]float64) uint8 {
	best, bi := math.Inf(-1), 0
	for c := range fpCodebook {
		var s float64
		for d, x := range m {
			s += x * float64(fpCodebook[c][d])
		}
		if s > best {
			best, bi = s, c
		}
	}
	return uint8(bi)
}

// shingle is the key of tokens t[i : i+fpGram].
func shingle(t []Token, i int) uint32 {
	var k uint32
	for j := 0; j < fpGram; j++ {
		k = k<<fpBits | uint32(t[i+j].Code)
	}
	return k
}

// The binary form of a token list: a version byte, the count (uvarint),
// then per token its code (one byte) and the step of its frame from the
// previous token's (uvarint).
const tokFormat = 1

// AppendTokens appends the binary form of t to b.
func AppendTokens(b []byte, t []Token) []byte {
	b = append(b, tokFormat)
	b = binary.AppendUvarint(b, uint64(len(t)))
	prev := int32(0)
	for _, x := range t {
		b = append(b, x.Code)
		b = binary.AppendUvarint(b, uint64(x.Frame-prev))
		prev = x.Frame
	}
	return b
}

// DecodeTokens reads a token list written by AppendTokens.
func DecodeTokens(b []byte) ([]Token, error) {
	if len(b) == 0 || b[0] != tokFormat {
		return nil, ErrFingerprint
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, ErrFingerprint
	}
	b = b[k:]
	out := make([]Token, 0, n)
	var prev int64
	for i := uint64(0); i < n; i++ {
		if len(b) == 0 || b[0] >= fpCodes {
			return nil, fmt.Errorf("%w (token %d)", ErrFingerprint, i)
		}
		c := b[0]
		d, k := binary.Uvarint(b[1:])
		if k <= 0 || (i > 0 && d == 0) || prev+int64(d) > math.MaxInt32 {
			return nil, fmt.Errorf("%w (token %d)", ErrFingerprint, i)
		}
		b = b[1+k:]
		prev += int64(d)
		out = append(out, Token{Code: c, Frame: int32(prev)})
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w (%d bytes after the tokens)", ErrFingerprint, len(b))
	}
	return out, nil
}
