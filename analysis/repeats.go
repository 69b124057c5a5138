package analysis

import (
	"fmt"
	"math"

	"slices"
	"time"
)

// Repeat is a passage of this call's rep speech that the rep also said in
// another call: where it is here, which call, and where it is there.
type Repeat struct {
	Start      Dur   `json:"start_s"`
	End        Dur   `json:"end_s"`
	Call       int64 `json:"call"`
	OtherStart Dur   `json:"other_start_s"`
	OtherEnd   Dur   `json:"other_end_s"`
}

// Len is the passage's length in this call.
func (r Repeat) Len() time.Duration { return time.Duration(r.End - r.Start) }

// RepeatConfig tunes the matching of a rep's speech across calls.
type RepeatConfig struct {
	// MinPassage: a passage counts when it lasts this long or longer (the
	// mean of its lengths in the two calls; issue 10: 4 s).
	MinPassage time.Duration `json:"min_passage"`
	// Similarity: frames whose cosine similarity is above it count for an
	// alignment, below it against (0..1). The same words said again by the
	// same person align at 0.75–0.95 through speed, pitch, level and noise
	// changes; different words of the same person at about 0.25–0.3.
	Similarity float64 `json:"similarity"`
	// MinSeeds: a stretch of another call is aligned only where this many
	// shingles (fpGram tokens in a row) agree in order along one line.
	MinSeeds int `json:"min_seeds"`
	// SeedGap: agreeing shingles further apart than this (in this call's
	// speech) do not chain.
	SeedGap time.Duration `json:"seed_gap"`
	// MaxRate: between two chained shingles, speech runs at most this many
	// times faster (or slower) in one call than in the other (±20% each
	// way is 1.5 between the two).
	MaxRate float64 `json:"max_rate"`
	// Band: the alignment searches this far either side of the line the
	// chained shingles give; Reach: it extends a chain this far beyond
	// its first and last shingle.
	Band  time.Duration `json:"band"`
	Reach time.Duration `json:"reach"`
	// Promising: a chain is aligned only when, along its own stretch, the
	// best-matching frames near its line average this similarity or more
	// (see promising).
	Promising float64 `json:"promising"`
	// StopPerCall: a shingle held more often than this per call of the
	// index, on average, is not looked up (0: all are).
	StopPerCall float64 `json:"stop_per_call"`
	// Pause: a passage ends at a pause this long in either call (the
	// other party's turn, say), even where the words go on alike after it.
	Pause time.Duration `json:"pause"`
}

// DefaultRepeatConfig returns the documented defaults.
func DefaultRepeatConfig() RepeatConfig {
	return RepeatConfig{
		MinPassage:  4 * time.Second,
		Similarity:  0.5,
		MinSeeds:    3,
		SeedGap:     1500 * time.Millisecond,
		MaxRate:     1.6,
		Band:        400 * time.Millisecond,
		Reach:       3 * time.Second,
		Promising:   0.45,
		StopPerCall: 8,
		Pause:       2 * time.Second,
	}
}

// Validate reports a setting outside its range.
func (c RepeatConfig) Validate() error {
	switch {
	case c.MinPassage < time.Second:
		return fmt.Errorf("the shortest repeated passage must be at least 1 s, not %v", c.MinPassage)
	case !(c.Similarity > 0 && c.Similarity < 1):
		return fmt.Errorf("the repeat similarity must lie between 0 and 1, not %v", c.Similarity)
	case c.MinSeeds < 1:
		return fmt.Errorf("a repeat needs at least one agreeing shingle, not %d", c.MinSeeds)
	case c.SeedGap < FPHop || c.Band < FPHop || c.Reach < 0 || c.Pause < FPHop:
		return fmt.Errorf("the repeat seed gap and band must be at least %v", FPHop)
	case !(c.MaxRate >= 1 && c.MaxRate <= 3):
		return fmt.Errorf("the repeat rate limit must lie between 1 and 3, not %v", c.MaxRate)
	case !(c.Promising >= 0 && c.Promising < 1):
		return fmt.Errorf("the repeat look-ahead similarity must lie between 0 and 1, not %v", c.Promising)
	case !(c.StopPerCall >= 0):
		return fmt.Errorf("the repeat stop limit must be 0 or more, not %v", c.StopPerCall)
	}
	return nil
}

// FrameSource returns frames [from, to) of a call's fingerprint (At and
// Vec), for the stretches the index points the matcher at.
type FrameSource func(call int64, from, to int) (*Fingerprint, error)

// RepeatIndex finds, for a new call's fingerprint, the passages it shares
// with the calls added before: an inverted index from shingles to where
// they occur, so matching a call costs what its shingles hit, not a
// comparison with every call. It holds the calls' tokens only (about 20
// bytes a second of speech); the frames of the few stretches worth
// aligning come from a FrameSource. Not safe for concurrent use.
type RepeatIndex struct {
	cfg  RepeatConfig
	ids  []int64 // slot → call id; 0 once removed
	slot map[int64]int32
	toks [][]Token
	post [1 << (fpGram * fpBits)][]posting
	dead int
	buf  bandBuf
	// spans: the frames of the passages found with the call being
	// matched, [q0, q1, r0, r1].
	spans [][4]int32
	// score, prev, seeds: the chaining's working memory.
	score, prev []int32
	seeds       [][]seed
}

// bandBuf is the alignment's working memory, kept between alignments.
type bandBuf struct {
	lo, hi []int32
	off    []int
	h, sim []float32
	step   []uint8
}

// grow returns s with length n, reusing its array when large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

type posting struct {
	slot  int32
	frame int32 // the shingle's first token's frame in that call
}

// NewRepeatIndex returns an empty index.
func NewRepeatIndex(cfg RepeatConfig) *RepeatIndex {
	return &RepeatIndex{cfg: cfg, slot: map[int64]int32{}}
}

// Len is the number of calls in the index.
func (x *RepeatIndex) Len() int { return len(x.slot) }

// Has reports whether call id is in the index.
func (x *RepeatIndex) Has(id int64) bool { _, ok := x.slot[id]; return ok }

// Add puts a call's tokens in the index (replacing any it had).
func (x *RepeatIndex) Add(id int64, toks []Token) {
	x.Remove(id)
	s := int32(len(x.ids))
	x.ids = append(x.ids, id)
	x.toks = append(x.toks, toks)
	x.slot[id] = s
	for i := 0; i+fpGram <= len(toks); i++ {
		k := shingle(toks, i)
		x.post[k] = append(x.post[k], posting{s, toks[i].Frame})
	}
}

// Remove takes a call out of the index.
func (x *RepeatIndex) Remove(id int64) {
	s, ok := x.slot[id]
	if !ok {
		return
	}
	delete(x.slot, id)
	x.ids[s], x.toks[s] = 0, nil
	x.dead++
	if x.dead > 64 && x.dead > len(x.ids)/2 {
		x.compact()
	}
}

// compact drops removed calls' postings.
func (x *RepeatIndex) compact() {
	ids, toks := x.ids, x.toks
	*x = RepeatIndex{cfg: x.cfg, slot: map[int64]int32{}}
	for s, id := range ids {
		if id != 0 {
			x.Add(id, toks[s])
		}
	}
}

type seed struct{ q, r int32 } // frames in the query and in the other call

// Match returns the passages of q (the fingerprint of call self) that the
// calls in the index also hold, in time order; self itself is skipped.
// Frames of the other calls come from src.
func (x *RepeatIndex) Match(self int64, q *Fingerprint, src FrameSource) ([]Repeat, error) {
	qt := q.Tokens()
	x.seeds = grow(x.seeds, len(x.ids))
	seeds := x.seeds
	for i := range seeds {
		seeds[i] = seeds[i][:0]
	}
	skip := int32(-1)
	if s, ok := x.slot[self]; ok {
		skip = s
	}
	// A shingle the rep says everywhere (a common syllable run) points at
	// chance: one held more than StopPerCall times per call of the index,
	// on average, is not looked up. A scripted passage's shingles occur
	// about once per call, far below.
	stop := int(x.cfg.StopPerCall * float64(len(x.slot)))
	for i := 0; i+fpGram <= len(qt); i++ {
		ps := x.post[shingle(qt, i)]
		if x.cfg.StopPerCall > 0 && len(ps) > stop {
			continue
		}
		for _, p := range ps {
			if p.slot != skip && x.ids[p.slot] != 0 {
				seeds[p.slot] = append(seeds[p.slot], seed{qt[i].Frame, p.frame})
			}
		}
	}
	var out []Repeat
	for s, ss := range seeds {
		if len(ss) < x.cfg.MinSeeds {
			continue
		}
		weak := 0
		x.spans = x.spans[:0]
		for _, ch := range x.chains(ss) { // strongest first
			if inside(ch, x.spans) {
				continue // a passage already found with this call holds it
			}
			if len(ch) < strongChain {
				// Chance lines up short chains all over a rep's other
				// speech: only the best few of one call are looked at.
				if weak == weakPerCall {
					continue
				}
				weak++
			}
			rs, err := x.align(q, x.ids[s], ch, src)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
	}
	return mergeRepeats(out), nil
}

// inside reports whether the chain lies in one of the passages found
// with the same other call (frames [q0, q1] × [r0, r1]), in both calls.
func inside(ch []seed, spans [][4]int32) bool {
	a, b := ch[0], ch[len(ch)-1]
	for _, sp := range spans {
		if a.q >= sp[0] && b.q <= sp[1] && a.r >= sp[2] && b.r <= sp[3] {
			return true
		}
	}
	return false
}

// strongChain: a chain of this many shingles is always aligned; of the
// shorter ones, only the weakPerCall longest of each other call are, and
// only when they look promising.
const strongChain, weakPerCall = 6, 2

// frames converts a duration to fingerprint frames.
func frames(d time.Duration) int32 { return int32(d / FPHop) }

// chains links seeds (in query order) that lie on one line of plausible
// slope, and returns each chain of MinSeeds or more, its seeds in order.
func (x *RepeatIndex) chains(ss []seed) [][]seed {
	// Seeds come in query order (Match walks the query's shingles in
	// order); seeds at one query frame never chain with each other.
	gap := frames(x.cfg.SeedGap)
	// maxBack: a seed looks back at most this many seeds for the one it
	// follows (where seeds are dense, the nearest ones).
	const maxBack = 64
	const slack = 3 // frames of jitter allowed between two shingles' places
	// The slope cone in integers: dq/MaxRate - slack ≤ dr ≤ dq·MaxRate +
	// slack, with MaxRate in thousandths.
	mr := int32(math.Round(x.cfg.MaxRate * 1000))
	score := grow(x.score, len(ss))
	prev := grow(x.prev, len(ss))
	x.score, x.prev = score, prev
	for i := range ss {
		score[i], prev[i] = 1, -1
		qi, ri := ss[i].q, ss[i].r
		for j := i - 1; j >= 0 && j >= i-maxBack; j-- {
			dq, dr := qi-ss[j].q, ri-ss[j].r
			if dq > gap {
				break
			}
			if dq <= 0 || dr <= 0 || dr*mr < dq*1000-slack*mr || dr*1000 > dq*mr+slack*1000 {
				continue
			}
			if score[j] >= score[i] {
				score[i], prev[i] = score[j]+1, int32(j)
			}
		}
	}
	var order []int32 // the chains' ends, strongest first
	for i, sc := range score {
		if sc >= int32(x.cfg.MinSeeds) {
			order = append(order, int32(i))
		}
	}
	if len(order) == 0 {
		return nil
	}
	slices.SortFunc(order, func(a, b int32) int { return int(score[b] - score[a]) })
	used := make([]bool, len(ss))
	var out [][]seed
	for _, end := range order {
		if score[end] < int32(x.cfg.MinSeeds) {
			break
		}
		if used[end] {
			continue
		}
		var ch []seed
		for i := end; i >= 0 && !used[i]; i = prev[i] {
			used[i] = true
			ch = append(ch, ss[i])
		}
		if len(ch) < x.cfg.MinSeeds {
			continue
		}
		slices.Reverse(ch)
		out = append(out, ch)
	}
	return out
}

// align runs a banded local alignment of q against call id around the
// chain's line and returns the passages it finds long enough, the
// alignment cut where either call pauses. The alignment starts Reach
// beyond the chain's ends; where it runs into the edge of what it looked
// at (the chain's shingles thin out in noise), it looks twice as far.
func (x *RepeatIndex) align(q *Fingerprint, id int64, ch []seed, src FrameSource) ([]Repeat, error) {
	ok, err := x.promising(q, id, ch, src)
	if !ok || err != nil {
		return nil, err
	}
	before, after := frames(x.cfg.Reach), frames(x.cfg.Reach)
	band := frames(x.cfg.Band)
	for try := 0; ; try++ {
		qa := max(0, ch[0].q-before)
		qb := min(int32(q.Len()), ch[len(ch)-1].q+after+1)
		ra := max(0, ch[0].r-before-band)
		rb := ch[len(ch)-1].r + after + band + 1
		o, err := src(id, int(ra), int(rb))
		if err != nil {
			return nil, fmt.Errorf("reading the fingerprint of call %d: %w", id, err)
		}
		if o.Len() == 0 || qb <= qa {
			return nil, nil
		}
		short := o.Len() < int(rb-ra) // the other call ends here
		rb = ra + int32(o.Len())
		path := x.band(q, o, ch, qa, qb, ra, rb)
		if len(path) == 0 {
			return nil, nil
		}
		a, b := path[0], path[len(path)-1]
		wider := false
		// Within half a second of an edge: the passage may go on there.
		const edge, tries = 25, 5
		if try < tries && (a.i < qa+edge && qa > 0 || a.j < ra+edge && ra > 0) {
			before, wider = 2*before, true
		}
		if try < tries && (b.i >= qb-edge && qb < int32(q.Len()) || b.j >= rb-edge && !short) {
			after, wider = 2*after, true
		}
		if !wider {
			return x.passages(q, o, id, ra, path), nil
		}
	}
}

// promisingSlack: how far from the chain's line (frames, either way) the
// look takes the best frame; beyond the chain's ends it widens by one
// frame every promisingWiden (a speed the chain could not show).
const (
	promisingSlack = 3
	promisingWiden = 8
)

// promisingSpan: the look covers at least this many frames (2 s) of the
// query around the chain: chance likeness (a common syllable run) is
// short, a passage that counts is not.
const promisingSpan = 100

// promising is the look before an alignment: along the chain's line,
// over its stretch of the query and at least promisingSpan frames, the
// frame of the other call near the line most like each second query frame
// must on average pass Promising. Agreeing shingles line up by chance in a
// rep's other speech; the stretch around them does not look alike there,
// and this costs a few dot products per frame instead of a band.
func (x *RepeatIndex) promising(q *Fingerprint, id int64, ch []seed, src FrameSource) (bool, error) {
	if x.cfg.Promising <= 0 || len(ch) >= strongChain {
		return true, nil
	}
	first, last := ch[0], ch[len(ch)-1]
	qa, qb := first.q, last.q+1
	if d := promisingSpan - (qb - qa); d > 0 {
		qa, qb = max(0, qa-d/2), qb+d-d/2
	}
	qb = min(qb, int32(q.Len()))
	slope := 1.0
	if last.q-first.q >= 20 {
		slope = max(1/x.cfg.MaxRate, min(x.cfg.MaxRate, float64(last.r-first.r)/float64(last.q-first.q)))
	}
	line := func(i int32, k int) (c, w int32) {
		switch {
		case i <= first.q:
			d := first.q - i
			return first.r - int32(slope*float64(d)), promisingSlack + d/promisingWiden
		case i >= last.q:
			d := i - last.q
			return last.r + int32(slope*float64(d)), promisingSlack + d/promisingWiden
		}
		c = ch[k].r
		if k+1 < len(ch) && ch[k+1].q > ch[k].q {
			c += (ch[k+1].r - ch[k].r) * (i - ch[k].q) / (ch[k+1].q - ch[k].q)
		}
		return c, promisingSlack
	}
	c0, w0 := line(qa, 0)
	c1, w1 := line(qb-1, len(ch)-1)
	ra := max(0, c0-w0)
	o, err := src(id, int(ra), int(c1+w1+1))
	if err != nil {
		return false, fmt.Errorf("reading the fingerprint of call %d: %w", id, err)
	}
	var sum float64
	n, k := 0, 0
	for i := qa; i < qb; i += 2 {
		for k+1 < len(ch) && ch[k+1].q <= i {
			k++
		}
		c, w := line(i, k)
		best := int32(-fpScale * fpScale)
		for j := max(ra, c-w); j <= c+w && int(j-ra) < o.Len(); j++ {
			best = max(best, fpDot(&q.Vec[i], &o.Vec[j-ra]))
		}
		sum += float64(best)
		n++
	}
	score := sum / float64(max(n, 1)) / (fpScale * fpScale)
	return score >= x.cfg.Promising, nil
}

// pt is a cell of an alignment: frame i of the query, j of the other call.
type pt struct{ i, j int32 }

// band aligns q[qa:qb] with the other call's frames o (frames [ra, rb) of
// that call) within a band around the chain's line, and returns the best
// local path (Smith-Waterman on similarity minus the threshold), in order.
func (x *RepeatIndex) band(q, o *Fingerprint, ch []seed, qa, qb, ra, rb int32) []pt {
	band := frames(x.cfg.Band)
	// line(i): where query frame i should fall in the other call, from the
	// chain; beyond its ends, extrapolated at the chain's own slope (1 for
	// a chain too short to tell), the band widening by a sixth of the
	// distance for a speed the chain could not show.
	first, last := ch[0], ch[len(ch)-1]
	slope := 1.0
	if last.q-first.q >= 50 {
		slope = max(1/x.cfg.MaxRate, min(x.cfg.MaxRate, float64(last.r-first.r)/float64(last.q-first.q)))
	}
	line := func(i int32) (c, w int32) {
		switch {
		case i <= first.q:
			return first.r - int32(slope*float64(first.q-i)), band + (first.q-i)/6
		case i >= last.q:
			return last.r + int32(slope*float64(i-last.q)), band + (i-last.q)/6
		}
		k, _ := slices.BinarySearchFunc(ch, i, func(s seed, t int32) int { return int(s.q - t) })
		a, b := ch[k-1], ch[k]
		if b.q == a.q {
			return a.r, band
		}
		return a.r + (b.r-a.r)*(i-a.q)/(b.q-a.q), band
	}
	// The band, row by row: row i holds cells j in [lo, hi). Scores use
	// symmetric weights (a diagonal step counts 2, a step of one frame in
	// one call and two in the other 1.5 per cell), so that every path
	// between two cells weighs the same and a detour gains nothing.
	thr := float32(x.cfg.Similarity * fpScale * fpScale)
	// turn: what a change of pace costs (a step of one frame in one call
	// and two in the other), so that a path does not zigzag from one
	// chance likeness to the next.
	const turn = 0.1 * fpScale * fpScale
	n := int(qb - qa)
	bb := &x.buf
	bb.lo, bb.hi, bb.off = grow(bb.lo, n), grow(bb.hi, n), grow(bb.off, n+1)
	lo, hi, off := bb.lo, bb.hi, bb.off
	off[0] = 0
	for i := qa; i < qb; i++ {
		c, w := line(i)
		lo[i-qa] = max(ra, c-w)
		hi[i-qa] = max(lo[i-qa], min(rb, c+w+1))
		off[i-qa+1] = off[i-qa] + int(hi[i-qa]-lo[i-qa])
	}
	bb.h, bb.sim, bb.step = grow(bb.h, off[n]), grow(bb.sim, off[n]), grow(bb.step, off[n])
	h, sim, step := bb.h, bb.sim, bb.step // step: 0 start, 1 (1,1), 2 (1,2), 3 (2,1)
	at := func(i, j int32) int {
		if i < qa || j < lo[i-qa] || j >= hi[i-qa] {
			return -1
		}
		return off[i-qa] + int(j-lo[i-qa])
	}
	var bestH float32
	best := -1
	var bi, bj int32
	for r := 0; r < n; r++ {
		i := qa + int32(r)
		l, e, base := lo[r], hi[r], off[r]
		qv := &q.Vec[i]
		for j := l; j < e; j++ {
			sim[base+int(j-l)] = float32(fpDot(qv, &o.Vec[j-ra])) - thr
		}
		// The two rows before (empty before the first).
		l1, e1, b1 := int32(0), int32(0), 0
		if r >= 1 {
			l1, e1, b1 = lo[r-1], hi[r-1], off[r-1]
		}
		l2, e2, b2 := int32(0), int32(0), 0
		if r >= 2 {
			l2, e2, b2 = lo[r-2], hi[r-2], off[r-2]
		}
		for j := l; j < e; j++ {
			k := base + int(j-l)
			sv := sim[k]
			v, st := 2*sv, uint8(0)
			if jj := j - 1; jj >= l1 && jj < e1 {
				if p := b1 + int(jj-l1); h[p] > 0 && h[p]+2*sv > v {
					v, st = h[p]+2*sv, 1
				}
			}
			if jj := j - 2; jj >= l1 && jj < e1 && j-1 >= l {
				if p := b1 + int(jj-l1); h[p] > 0 {
					if c := h[p] + 1.5*(sim[k-1]+sv) - turn; c > v {
						v, st = c, 2
					}
				}
			}
			if jj := j - 1; jj >= l2 && jj < e2 && j >= l1 && j < e1 {
				if p := b2 + int(jj-l2); h[p] > 0 {
					if c := h[p] + 1.5*(sim[b1+int(j-l1)]+sv) - turn; c > v {
						v, st = c, 3
					}
				}
			}
			h[k], step[k] = v, st
			if v > bestH {
				bestH, best, bi, bj = v, k, i, j
			}
		}
	}
	if best < 0 {
		return nil
	}
	var path []pt
	for i, j := bi, bj; i >= 0; {
		path = append(path, pt{i, j})
		switch step[at(i, j)] {
		case 1:
			i, j = i-1, j-1
		case 2:
			path = append(path, pt{i, j - 1})
			i, j = i-1, j-2
		case 3:
			path = append(path, pt{i - 1, j})
			i, j = i-2, j-1
		default:
			i = -1
		}
	}
	slices.Reverse(path)
	return path
}

// passages cuts an alignment path at pauses (either call's frames more
// than Pause apart) and returns its pieces long enough to count. A piece
// does not begin or end with a fragment of under fragMax set off by a
// pause of fragGap or more: a local alignment runs on a little into
// whatever follows by chance likeness, and across a pause that little
// would stretch the passage by the pause.
func (x *RepeatIndex) passages(q, o *Fingerprint, id int64, ra int32, path []pt) []Repeat {
	const (
		fragGap = 20 // frames: 0.4 s
		fragMax = 40 // path cells: about 0.8 s of speech in each call
	)
	pause := frames(x.cfg.Pause)
	gap := func(p, c pt) int32 { return max(q.At[c.i]-q.At[p.i], o.At[c.j-ra]-o.At[p.j-ra]) }
	var out []Repeat
	emit := func(piece []pt) {
		for len(piece) > 0 {
			k := 1
			for k < len(piece) && k <= fragMax && gap(piece[k-1], piece[k]) <= fragGap {
				k++
			}
			if k > fragMax || k == len(piece) {
				break
			}
			piece = piece[k:]
		}
		for len(piece) > 0 {
			k := len(piece) - 1
			for k > 0 && len(piece)-k <= fragMax && gap(piece[k-1], piece[k]) <= fragGap {
				k--
			}
			if len(piece)-k > fragMax || k == 0 {
				break
			}
			piece = piece[:k]
		}
		if len(piece) == 0 {
			return
		}
		a, b := piece[0], piece[len(piece)-1]
		r := Repeat{
			Start: Dur(q.Time(int(a.i))), End: Dur(q.Time(int(b.i)) + FPHop),
			Call:       id,
			OtherStart: Dur(o.Time(int(a.j - ra))), OtherEnd: Dur(o.Time(int(b.j-ra)) + FPHop),
		}
		if (r.End - r.Start + r.OtherEnd - r.OtherStart).D() >= 2*x.cfg.MinPassage {
			out = append(out, r)
			x.spans = append(x.spans, [4]int32{a.i, b.i, a.j, b.j})
		}
	}
	from := 0
	for k := 1; k < len(path); k++ {
		if gap(path[k-1], path[k]) > pause {
			emit(path[from:k])
			from = k
		}
	}
	emit(path[from:])
	return out
}

// mergeRepeats sorts repeats by start and joins those of one other call
// that overlap in both calls.
func mergeRepeats(rs []Repeat) []Repeat {
	slices.SortFunc(rs, func(a, b Repeat) int {
		if a.Call != b.Call {
			return int(a.Call - b.Call)
		}
		return int(a.Start - b.Start)
	})
	var out []Repeat
	for _, r := range rs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.Call == r.Call && r.Start < p.End && r.OtherStart < p.OtherEnd && p.OtherStart < r.OtherEnd {
				p.End = max(p.End, r.End)
				p.OtherStart = min(p.OtherStart, r.OtherStart)
				p.OtherEnd = max(p.OtherEnd, r.OtherEnd)
				continue
			}
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Repeat) int { return int(a.Start - b.Start) })
	return out
}
