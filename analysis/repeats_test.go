package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// synthSpeech builds fingerprint frames without audio: "phones" are fixed
// random directions, an utterance a sequence of them, each held 3–8
// frames; said at rate r each phone lasts 1/r as long, and every frame
// carries its own noise.
type synthSpeech struct {
	phones [][fpDim]float64
	r      *rand.Rand
}

func newSynth(seed uint64) *synthSpeech {
	s := &synthSpeech{r: rand.New(rand.NewPCG(seed, 7))}
	for range 40 {
		var v [fpDim]float64
		for d := range v {
			v[d] = s.r.NormFloat64()
		}
		s.phones = append(s.phones, v)
	}
	return s
}

type utt struct {
	phone []int
	dur   []int // frames at rate 1
}

func (s *synthSpeech) utterance(d time.Duration) utt {
	var u utt
	for n := 0; n < int(d/FPHop); {
		u.phone = append(u.phone, s.r.IntN(len(s.phones)))
		k := 3 + s.r.IntN(6)
		u.dur = append(u.dur, k)
		n += k
	}
	return u
}

// say appends utterance u said at rate r (with noise sd per dimension) to
// f, starting at frame at; it returns the frame after it.
func (s *synthSpeech) say(f *Fingerprint, u utt, r, sd float64, at int32) int32 {
	for p, ph := range u.phone {
		n := max(1, int(math.Round(float64(u.dur[p])/r)))
		for range n {
			var v [fpDim]float64
			var ss float64
			for d := range v {
				v[d] = s.phones[ph][d] + sd*s.r.NormFloat64()
				ss += v[d] * v[d]
			}
			var q FPVec
			for d := range v {
				q[d] = int8(math.Round(v[d] / math.Sqrt(ss) * fpScale))
			}
			f.At = append(f.At, at)
			f.Vec = append(f.Vec, q)
			at++
		}
	}
	return at
}

func memSource(fps map[int64]*Fingerprint) FrameSource {
	return func(id int64, from, to int) (*Fingerprint, error) {
		f := fps[id]
		to = min(to, f.Len())
		from = min(from, to)
		return &Fingerprint{At: f.At[from:to], Vec: f.Vec[from:to]}, nil
	}
}

// TestRepeatIndexSynthetic: on feature sequences made without audio, a
// passage said again 20% slower, 20% faster and in more noise, at another
// place and after other words, is found with its bounds in both calls;
// calls that share nothing match nothing; a passage shorter than
// MinPassage does not count; a removed call is no longer matched.
func TestRepeatIndexSynthetic(t *testing.T) {
	s := newSynth(1)
	pitch := s.utterance(8 * time.Second)
	short := s.utterance(2500 * time.Millisecond)
	fps := map[int64]*Fingerprint{}
	type place struct{ start, end time.Duration }
	where := map[int64]place{}
	// Call 1: other words, the pitch at rate 1, a short phrase.
	// Calls 2–4: the short phrase, other words, the pitch at 0.8, 1.25
	// and 1.0 with more noise, after a pause.
	for id, r := range map[int64]float64{1: 1, 2: 0.8, 3: 1.25, 4: 1} {
		f := &Fingerprint{}
		at := s.say(f, s.utterance(time.Duration(3+id)*time.Second), 1, 0.5, 10)
		at = s.say(f, short, 1, 0.5, at+40)
		sd := 0.5
		if id == 4 {
			sd = 0.7
		}
		start := time.Duration(at+100) * FPHop
		at = s.say(f, pitch, r, sd, at+100)
		where[id] = place{start, time.Duration(at) * FPHop}
		s.say(f, s.utterance(4*time.Second), 1, 0.5, at+60)
		fps[id] = f
	}
	// Calls 5, 6: nothing shared.
	for id := int64(5); id <= 6; id++ {
		f := &Fingerprint{}
		at := s.say(f, s.utterance(10*time.Second), 1, 0.5, 0)
		s.say(f, s.utterance(10*time.Second), 1, 0.5, at+50)
		fps[id] = f
	}
	x := NewRepeatIndex(DefaultRepeatConfig())
	src := memSource(fps)
	for id := int64(1); id <= 6; id++ {
		rs, err := x.Match(id, fps[id], src)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if id >= 2 && id <= 4 {
			want = int(id - 1) // each earlier pitch call
		}
		if len(rs) != want {
			t.Errorf("call %d: got %d repeats %+v, want %d", id, len(rs), rs, want)
		}
		for _, r := range rs {
			a, b := where[id], where[r.Call]
			const tol = 300 * time.Millisecond
			if d := r.Start.D() - a.start; d < -tol || d > tol {
				t.Errorf("call %d with %d: starts at %v, want %v", id, r.Call, r.Start.D(), a.start)
			}
			if d := r.End.D() - a.end; d < -tol || d > tol {
				t.Errorf("call %d with %d: ends at %v, want %v", id, r.Call, r.End.D(), a.end)
			}
			if d := r.OtherStart.D() - b.start; d < -tol || d > tol {
				t.Errorf("call %d with %d: other starts at %v, want %v", id, r.Call, r.OtherStart.D(), b.start)
			}
			if d := r.OtherEnd.D() - b.end; d < -tol || d > tol {
				t.Errorf("call %d with %d: other ends at %v, want %v", id, r.Call, r.OtherEnd.D(), b.end)
			}
		}
		x.Add(id, fps[id].Tokens())
	}
	x.Remove(1)
	rs, err := x.Match(4, fps[4], src)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Call == 1 || r.Call == 4 {
			t.Errorf("after removing call 1: matched call %d", r.Call)
		}
	}
	if len(rs) != 2 {
		t.Errorf("after removing call 1: got %d repeats, want 2 (calls 2, 3)", len(rs))
	}
}
