package callgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"callcoach/analysis"
)

// Fingerprints of large libraries without rendering them (the repeats
// benchmarks: a thousand calls of one rep): speech-like frame sequences
// spliced from an hour of the rep's voice in phone-sized snippets, so
// that no two calls share anything a passage could be made of, with a
// passage said again where one is wanted.

var (
	poolOnce sync.Once
	pool     []*analysis.Fingerprint
	poolErr  error
)

// poolSentences: how many sentences of made-up words the pool holds
// (about 5 s each: an hour of speech).
const poolSentences = 720

// FingerprintPool returns the fingerprints of an hour of the rep's voice
// saying made-up words (espeak-ng, through Speak's cache), one per
// sentence: material large enough that calls spliced from it share no
// snippet by chance.
func FingerprintPool() ([]*analysis.Fingerprint, error) {
	poolOnce.Do(func() {
		r := rand.New(rand.NewPCG(7, 7))
		cons := []string{"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "th", "br", "st", "pl"}
		vow := []string{"a", "e", "i", "o", "u", "ai", "ee", "oo", "ou"}
		for i := 0; i < poolSentences; i++ {
			var words []string
			for w := 12 + r.IntN(6); w > 0; w-- {
				var b strings.Builder
				for syl := 1 + r.IntN(3); syl > 0; syl-- {
					b.WriteString(cons[r.IntN(len(cons))] + vow[r.IntN(len(vow))])
				}
				if r.IntN(2) == 0 {
					b.WriteString(cons[r.IntN(len(cons))])
				}
				words = append(words, b.String())
			}
			u, err := Speak(fmt.Sprintf("pool-%03d", i), strings.Join(words, " ")+".", RepVoice)
			if err != nil {
				poolErr = err
				return
			}
			f, err := UtteranceFingerprint(u)
			if err != nil {
				poolErr = err
				return
			}
			pool = append(pool, f)
		}
	})
	return pool, poolErr
}

// UtteranceFingerprint fingerprints one utterance, all of it speech.
func UtteranceFingerprint(u *Utterance) (*analysis.Fingerprint, error) {
	f, err := analysis.NewFingerprinter(BankRate, []analysis.Segment{{Speaker: analysis.Rep, End: analysis.Dur(time.Duration(len(u.Samples)) * time.Second / BankRate)}})
	if err != nil {
		return nil, err
	}
	f.Write(u.Samples)
	return f.Finish(), nil
}

// SynthCall is the fingerprint of a call's rep speech made up on demand,
// in blocks of synthBlock frames each made from its own seed, so that any
// stretch of it costs what it holds (as a stored fingerprint's chunks do):
// snippets of 5–12 frames drawn from the pool at random, each block's
// speech followed by a pause; with a Passage, said once from speech
// position At at the given Rate (1.2: 20% faster), a little noise on
// every frame.
type SynthCall struct {
	Pool    []*analysis.Fingerprint
	Seed    uint64
	Speech  time.Duration
	Passage *analysis.Fingerprint
	At      time.Duration
	Rate    float64
}

const (
	synthBlock = 256 // frames of speech per block
	synthSlot  = 300 // frame slots per block: the rest is a pause
)

// Len is the number of frames.
func (c *SynthCall) Len() int {
	n := int(c.Speech / analysis.FPHop)
	if c.Passage != nil {
		n += c.passageLen()
	}
	return n
}

func (c *SynthCall) passageLen() int { return int(math.Round(float64(c.Passage.Len()) / c.Rate)) }

// Frames returns frames [from, to) (clipped to Len).
func (c *SynthCall) Frames(from, to int) *analysis.Fingerprint {
	to = min(to, c.Len())
	from = max(0, min(from, to))
	out := &analysis.Fingerprint{At: make([]int32, 0, to-from), Vec: make([]analysis.FPVec, 0, to-from)}
	pa, pb := -1, -1
	if c.Passage != nil {
		pa = int(c.At / analysis.FPHop)
		pb = pa + c.passageLen()
	}
	var blk []analysis.FPVec
	cur := -1
	for f := from; f < to; f++ {
		out.At = append(out.At, int32(f/synthBlock*synthSlot+f%synthBlock))
		if f >= pa && f < pb {
			r := rand.New(rand.NewPCG(c.Seed, uint64(f)))
			v := c.Passage.Vec[min(c.Passage.Len()-1, int(float64(f-pa)*c.Rate))]
			for d := range v {
				v[d] = int8(max(-127, min(127, int(v[d])+r.IntN(13)-6)))
			}
			out.Vec = append(out.Vec, v)
			continue
		}
		g := f
		if pb >= 0 && f >= pb {
			g = f - (pb - pa) // the speech after the passage goes on as before it
		}
		if b := g / synthBlock; b != cur {
			cur, blk = b, c.block(b)
		}
		out.Vec = append(out.Vec, blk[g%synthBlock])
	}
	return out
}

func (c *SynthCall) block(b int) []analysis.FPVec {
	r := rand.New(rand.NewPCG(c.Seed, 1<<40+uint64(b)))
	out := make([]analysis.FPVec, 0, synthBlock+12)
	for len(out) < synthBlock {
		p := c.Pool[r.IntN(len(c.Pool))]
		l := 5 + r.IntN(8)
		s := r.IntN(max(1, p.Len()-l))
		out = append(out, p.Vec[s:min(p.Len(), s+l)]...)
	}
	return out[:synthBlock]
}
