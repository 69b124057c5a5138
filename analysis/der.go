package analysis

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Diarization error rate, scored the standard way (NIST md-eval, as
// pyannote.metrics and dscore do): 10 ms frames, a collar of 0.25 s either
// side of every reference boundary not scored, frames where the reference
// has overlapping speakers not scored, the hypothesis' labels mapped to
// the reference's one-to-one to maximise agreement. DER = (missed speech +
// false alarm + speaker confusion) / scored reference speech.

// Turn is one speaker's stretch of speech in a reference or a hypothesis.
type Turn struct {
	Who        string
	Start, End time.Duration
}

// TurnsOf returns a result's segments as turns, labelled by speaker name.
func TurnsOf(segs []Segment) []Turn {
	out := make([]Turn, 0, len(segs))
	for _, s := range segs {
		out = append(out, Turn{s.Speaker.String(), s.Start.D(), s.End.D()})
	}
	return out
}

// ReadRTTM returns the turns of an RTTM file (NIST's speaker-turn format:
// SPEAKER file channel start duration <NA> <NA> speaker ...).
func ReadRTTM(r io.Reader) ([]Turn, error) {
	var out []Turn
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 8 || fs[0] != "SPEAKER" {
			continue
		}
		st, err1 := strconv.ParseFloat(fs[3], 64)
		du, err2 := strconv.ParseFloat(fs[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad turn %q", sc.Text())
		}
		out = append(out, Turn{fs[7], time.Duration(st * float64(time.Second)), time.Duration((st + du) * float64(time.Second))})
	}
	return out, sc.Err()
}

// DERScore is the frame counts (10 ms) behind a diarization error rate:
// scored reference speech, missed speech, false alarm and speaker
// confusion. Scores of several recordings add up (pooled DER).
type DERScore struct {
	Scored, Miss, FalseAlarm, Confusion int
}

// Add pools o into s.
func (s *DERScore) Add(o DERScore) {
	s.Scored += o.Scored
	s.Miss += o.Miss
	s.FalseAlarm += o.FalseAlarm
	s.Confusion += o.Confusion
}

// DER is (miss + false alarm + confusion) / scored speech; 0 with nothing
// scored.
func (s DERScore) DER() float64 {
	if s.Scored == 0 {
		return 0
	}
	return float64(s.Miss+s.FalseAlarm+s.Confusion) / float64(s.Scored)
}

func (s DERScore) String() string {
	if s.Scored == 0 {
		return "no scored speech"
	}
	f := func(n int) float64 { return 100 * float64(n) / float64(s.Scored) }
	return fmt.Sprintf("DER %.1f%% (miss %.1f, false alarm %.1f, confusion %.1f; %.0f s scored)", f(s.Miss+s.FalseAlarm+s.Confusion), f(s.Miss), f(s.FalseAlarm), f(s.Confusion), float64(s.Scored)/100)
}

// ScoreDER scores hyp against ref over [0, dur); frames inside skip
// (speakers audible in the audio but not part of the test, e.g. a third
// voice bleeding into two summed microphones) are not scored either.
func ScoreDER(ref, hyp []Turn, dur time.Duration, skip ...Turn) DERScore {
	n := int(dur / (10 * time.Millisecond))
	ids := func(l []Turn) (map[string]int, [][]bool) {
		m := map[string]int{}
		for _, s := range l {
			if _, ok := m[s.Who]; !ok {
				m[s.Who] = len(m)
			}
		}
		act := make([][]bool, len(m))
		for i := range act {
			act[i] = make([]bool, n)
		}
		for _, s := range l {
			for k := max(0, int(s.Start/(10*time.Millisecond))); k < n && time.Duration(k)*10*time.Millisecond+5*time.Millisecond < s.End; k++ {
				if time.Duration(k)*10*time.Millisecond+5*time.Millisecond >= s.Start {
					act[m[s.Who]][k] = true
				}
			}
		}
		return m, act
	}
	_, ra := ids(ref)
	_, ha := ids(hyp)
	skipped := make([]bool, n)
	const collar = 25 // frames
	for _, s := range ref {
		for _, b := range []time.Duration{s.Start, s.End} {
			c := int(b / (10 * time.Millisecond))
			for k := max(0, c-collar); k < min(n, c+collar); k++ {
				skipped[k] = true
			}
		}
	}
	for _, s := range skip {
		for k := max(0, int(s.Start/(10*time.Millisecond))-collar); k < min(n, int(s.End/(10*time.Millisecond))+collar); k++ {
			skipped[k] = true
		}
	}
	for k := 0; k < n; k++ {
		c := 0
		for _, a := range ra {
			if a[k] {
				c++
			}
		}
		if c > 1 {
			skipped[k] = true
		}
	}
	// Best one-to-one mapping by brute force over permutations (few labels).
	co := make([][]int, len(ha))
	for i := range co {
		co[i] = make([]int, len(ra))
		for j := range ra {
			for k := 0; k < n; k++ {
				if !skipped[k] && ha[i][k] && ra[j][k] {
					co[i][j]++
				}
			}
		}
	}
	mapping := make([]int, len(ha))
	best := -1
	var try func(i int, used []bool, cur []int, sum int)
	try = func(i int, used []bool, cur []int, sum int) {
		if i == len(ha) {
			if sum > best {
				best = sum
				copy(mapping, cur)
			}
			return
		}
		cur[i] = -1
		try(i+1, used, cur, sum)
		for j := range ra {
			if !used[j] {
				used[j] = true
				cur[i] = j
				try(i+1, used, cur, sum+co[i][j])
				used[j] = false
			}
		}
	}
	try(0, make([]bool, len(ra)), make([]int, len(ha)), 0)
	var s DERScore
	for k := 0; k < n; k++ {
		if skipped[k] {
			continue
		}
		nr, nh, ok := 0, 0, 0
		for _, a := range ra {
			if a[k] {
				nr++
			}
		}
		for i, a := range ha {
			if a[k] {
				nh++
				if j := mapping[i]; j >= 0 && ra[j][k] {
					ok++
				}
			}
		}
		s.Scored += nr
		s.Miss += max(0, nr-nh)
		s.FalseAlarm += max(0, nh-nr)
		s.Confusion += min(nr, nh) - ok
	}
	return s
}
