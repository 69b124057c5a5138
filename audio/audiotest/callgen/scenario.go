package callgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"callcoach/analysis"
)

// Placement is one utterance on a call's timeline.
type Placement struct {
	Speaker analysis.Speaker
	ID      string        // bank entry
	Start   time.Duration // from the start of the call
	// Cut, when non-zero, cuts the utterance off this long after its start
	// (with a short fade): the speaker yielded to an interruption.
	Cut time.Duration
}

// Intent is an event a scenario was built to contain. The truth derives
// events from the rendered segments by the spec's rules; the generator's
// tests check that both agree, so a scenario means what it says.
type Intent struct {
	At      time.Duration
	By      analysis.Speaker
	Yielded bool // interruptions only
}

// Scenario is a call: utterances placed on a timeline, and the events it
// was built to contain.
type Scenario struct {
	Name        string
	Description string
	Placements  []Placement
	Length      time.Duration // the call's length (trailing silence included)

	Interruptions []Intent
	Backchannels  []Intent
	EarlyStarts   []Intent // overlaps under 0.5 s at a turn's end: not interruptions
}

// talkOnAfter: a party who talks through an interruption goes on at least
// this long after the interrupter stops.
const talkOnAfter = 500 * time.Millisecond

// cutFade is the fade-out applied where an utterance is cut off.
const cutFade = 40 * time.Millisecond

// Builder places utterances turn by turn. Its methods panic on a script
// that cannot be built (a programming error in a scenario, caught by the
// generator's tests).
type Builder struct {
	sc    Scenario
	rng   *rand.Rand
	end   time.Duration               // end of the latest speech placed
	queue map[qkey][]string           // utterances not yet used, per party and kind
	last  map[analysis.Speaker]int    // index of each party's latest floor placement
	busy  map[analysis.Speaker][]span // each party's placed speech
}

type qkey struct {
	who  analysis.Speaker
	kind Kind
}

type span struct{ a, b time.Duration }

// Lead is the silence before the first utterance; Tail follows the last.
const (
	Lead = 800 * time.Millisecond
	Tail = 1500 * time.Millisecond
)

// NewBuilder starts a scenario; seed drives every random choice.
func NewBuilder(name, description string, seed uint64) *Builder {
	return &Builder{
		sc:    Scenario{Name: name, Description: description},
		rng:   rand.New(rand.NewPCG(seed, 0x63616c6c67656e)),
		end:   Lead,
		queue: map[qkey][]string{},
		last:  map[analysis.Speaker]int{analysis.Rep: -1, analysis.Customer: -1},
		busy:  map[analysis.Speaker][]span{},
	}
}

// pick returns the next unused utterance of who and kind (reshuffled when
// all have been used).
func (b *Builder) pick(who analysis.Speaker, kind Kind) string {
	k := qkey{who, kind}
	if len(b.queue[k]) == 0 {
		var ids []string
		for _, e := range bankEntries {
			if e.Party == who && e.Kind == kind {
				ids = append(ids, e.ID)
			}
		}
		b.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		b.queue[k] = ids
	}
	id := b.queue[k][0]
	b.queue[k] = b.queue[k][1:]
	return id
}

func utterance(id string) *Utterance {
	u, ok := mustBank()[id]
	if !ok {
		if v, ok := spoken.Load(id); ok { // said by Speak (script.go)
			return v.(*Utterance)
		}
		panic(fmt.Sprintf("callgen: no utterance %q in the bank", id))
	}
	return u
}

func bankDur(id string) time.Duration {
	return time.Duration(len(utterance(id).Samples)) * time.Second / BankRate
}

// place adds an utterance and returns its index.
func (b *Builder) place(p Placement) int {
	b.sc.Placements = append(b.sc.Placements, p)
	e := p.Start + bankDur(p.ID)
	b.busy[p.Speaker] = append(b.busy[p.Speaker], span{p.Start, e})
	b.end = max(b.end, e)
	return len(b.sc.Placements) - 1
}

func (b *Builder) placementEnd(i int) time.Duration {
	p := b.sc.Placements[i]
	if p.Cut > 0 {
		return p.Start + p.Cut
	}
	return p.Start + bankDur(p.ID)
}

// Say places who's next floor sentence gap after the latest speech ends.
// A small negative gap (above -0.5 s) is an early start: a short overlap
// at the end of the other's turn that is not an interruption.
func (b *Builder) Say(who analysis.Speaker, gap time.Duration) *Builder {
	return b.SayID(who, b.pick(who, Floor), gap)
}

// SayID is Say with a chosen utterance.
func (b *Builder) SayID(who analysis.Speaker, id string, gap time.Duration) *Builder {
	if gap < 0 {
		if gap <= -analysis.DefaultConfig().InterruptOverlap {
			panic("callgen: Say: an overlap of 0.5 s or more is an interruption; use Interrupt")
		}
		o := b.last[who.Other()]
		if o < 0 || b.placementEnd(o) != b.end {
			panic("callgen: Say: an early start needs the other party to be speaking last")
		}
		b.sc.EarlyStarts = append(b.sc.EarlyStarts, Intent{At: b.end + gap, By: who})
	}
	start := b.end + gap
	// Keep who's own pause clear of the bridging gap: after a talked-through
	// interruption the latest speech may be the other party's, and who's
	// own pause is then longer than gap.
	for _, sp := range b.busy[who] {
		if own := start - sp.b; own > joinedPause[1]+50*time.Millisecond && own < clearPause[0] {
			start = sp.b + clearPause[0]
		}
	}
	b.last[who] = b.place(Placement{Speaker: who, ID: id, Start: start})
	return b
}

// Monologue places n floor sentences by who, each Next after the one
// before, the first gap after the latest speech.
func (b *Builder) Monologue(who analysis.Speaker, n int, gap time.Duration) *Builder {
	b.Say(who, gap)
	for i := 1; i < n; i++ {
		b.Say(who, b.Next())
	}
	return b
}

// between returns a random duration in [lo, hi).
func (b *Builder) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(b.rng.Int64N(int64(hi-lo)))
}

// Pauses are kept clear of the spec's 0.30 s bridging gap, so that a
// detector's few tens of milliseconds of boundary error cannot turn the
// truth's one segment into two or its two into one: a joined pause is
// bridged by a wide margin, a clear pause or a turn gap is not.
var (
	joinedPause = [2]time.Duration{80 * time.Millisecond, 150 * time.Millisecond}
	clearPause  = [2]time.Duration{450 * time.Millisecond, 700 * time.Millisecond}
	turnGap     = [2]time.Duration{450 * time.Millisecond, 1200 * time.Millisecond}
)

// Next returns the pause before a party's next sentence in the same turn:
// at random a joined pause (bridged into one segment) or a clear one.
func (b *Builder) Next() time.Duration {
	if b.rng.IntN(2) == 0 {
		return b.between(joinedPause[0], joinedPause[1])
	}
	return b.between(clearPause[0], clearPause[1])
}

// Gap returns a random gap between turns (0.45–1.2 s).
func (b *Builder) Gap() time.Duration { return b.between(turnGap[0], turnGap[1]) }

// Silence adds d of silence after the latest speech.
func (b *Builder) Silence(d time.Duration) *Builder {
	b.end += d
	return b
}

// clear reports whether who has no speech within margin of [a, e).
func (b *Builder) clear(who analysis.Speaker, a, e, margin time.Duration) bool {
	for _, s := range b.busy[who] {
		if s.a < e+margin && a-margin < s.b {
			return false
		}
	}
	return true
}

// localSegments returns the utterance's own speech segments (utterance
// time), the truth rule applied to it alone at the bank rate.
func localSegments(id string, cut time.Duration) []span {
	s := utterance(id).Samples
	if cut > 0 {
		s = cutAndFade(s, cut, BankRate)
	}
	act := make([]bool, framesIn(len(s), BankRate))
	markActive(act, s, 0, BankRate)
	var out []span
	for _, g := range segmentsOf(act, analysis.Rep, analysis.DefaultConfig().BridgeGap) {
		out = append(out, span{g.Start.D(), g.End.D()})
	}
	return out
}

// Backchannel places a short backchannel by who inside the other party's
// latest floor utterance, clear of who's other speech by 0.6 s and ending
// 1 s before the other's utterance does, so that it stays an utterance of
// its own even if who takes the next turn early.
func (b *Builder) Backchannel(who analysis.Speaker) *Builder {
	o := b.last[who.Other()]
	if o < 0 {
		panic("callgen: Backchannel: the other party has not taken the floor")
	}
	p := b.sc.Placements[o]
	id := b.pick(who, Backchannel)
	d := bankDur(id)
	const margin = 600 * time.Millisecond
	var cands []time.Duration
	for t := p.Start + 800*time.Millisecond; t+d <= b.placementEnd(o)-time.Second; t += 10 * time.Millisecond {
		if b.clear(who, t, t+d, margin) {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		panic(fmt.Sprintf("callgen: Backchannel: no room for %s's backchannel in %s", who, p.ID))
	}
	at := cands[b.rng.IntN(len(cands))]
	b.place(Placement{Speaker: who, ID: id, Start: at})
	b.sc.Backchannels = append(b.sc.Backchannels, Intent{At: at, By: who})
	return b
}

// Interrupt has who break into the other party's latest floor utterance
// with an opener. If yield, the other is cut off 0.7–1.2 s after the
// onset (both speak at once at least 0.5 s, and the other stops within
// 1.5 s); otherwise the other talks on for at least 2.2 s after the onset
// and 0.5 s after the interrupter stops.
func (b *Builder) Interrupt(who analysis.Speaker, yield bool) *Builder {
	return b.interrupt(who, b.pick(who, Opener), yield)
}

// InterruptWith is Interrupt with a floor sentence instead of an opener.
func (b *Builder) InterruptWith(who analysis.Speaker, yield bool) *Builder {
	return b.interrupt(who, b.pick(who, Floor), yield)
}

func (b *Builder) interrupt(who analysis.Speaker, id string, yield bool) *Builder {
	o := b.last[who.Other()]
	if o < 0 {
		panic("callgen: Interrupt: the other party has not taken the floor")
	}
	p := &b.sc.Placements[o]
	if p.Cut > 0 {
		panic("callgen: Interrupt: the other party's utterance was already cut off")
	}
	type cand struct {
		t, cut time.Duration
		end    time.Duration // end of the other's segment that holds the onset (utterance time)
	}
	var cands []cand
	var cut time.Duration
	if yield {
		cut = b.between(700*time.Millisecond, 1200*time.Millisecond)
	}
	segs := localSegments(p.ID, 0)
	for si, s := range segs {
		for t := max(s.a+400*time.Millisecond, 800*time.Millisecond); ; t += 10 * time.Millisecond {
			at := p.Start + t
			if yield {
				if t+cut+150*time.Millisecond > s.b {
					break
				}
			} else if t+2200*time.Millisecond > s.b {
				break
			} else if t+bankDur(id)+talkOnAfter > s.b && si < len(segs)-1 {
				// Talked through, the other must outlast the interrupter;
				// only the utterance's last segment can be carried on.
				continue
			}
			// who is silent from 0.6 s before the onset on: no earlier
			// backchannel of who's may follow it (it would then fall in
			// who's own floor, and not be a backchannel).
			if b.clear(who, at, at+time.Hour, 600*time.Millisecond) {
				cands = append(cands, cand{t, cut, s.b})
			}
		}
	}
	if len(cands) == 0 {
		panic(fmt.Sprintf("callgen: Interrupt: no place for %s to interrupt %s", who, p.ID))
	}
	c := cands[b.rng.IntN(len(cands))]
	if yield {
		p.Cut = c.t + c.cut
		// The other party's speech now ends at the cut.
		bs := b.busy[p.Speaker]
		for i := range bs {
			if bs[i].a == p.Start {
				bs[i].b = p.Start + p.Cut
			}
		}
	} else {
		// Talked through: the other keeps going 2.2 s past the onset and
		// outlasts the interrupter by talkOnAfter, carrying on into its
		// next sentence (joined, one segment) if need be, so that who
		// holds the floor afterwards does not hinge on which of two ends
		// a detector places first.
		other, from := p.Speaker, p.Start
		end := from + c.end
		for end < p.Start+c.t+bankDur(id)+talkOnAfter {
			next := b.pick(other, Floor)
			start := from + bankDur(b.sc.Placements[b.last[other]].ID) + b.between(joinedPause[0], joinedPause[1])
			b.last[other] = b.place(Placement{Speaker: other, ID: next, Start: start})
			from = start
			end = start + localSegments(next, 0)[0].b
		}
	}
	at := p.Start + c.t
	b.sc.Interruptions = append(b.sc.Interruptions, Intent{At: at, By: who, Yielded: yield})
	b.end = 0
	for _, bs := range b.busy {
		for _, s := range bs {
			b.end = max(b.end, s.b)
		}
	}
	b.last[who] = b.place(Placement{Speaker: who, ID: id, Start: at})
	return b
}

// End returns the end of the latest speech placed so far.
func (b *Builder) End() time.Duration { return b.end }

// Build finishes the scenario.
func (b *Builder) Build() Scenario {
	sc := b.sc
	sc.Placements = slices.Clone(sc.Placements)
	sc.Interruptions = slices.Clone(sc.Interruptions)
	sc.Backchannels = slices.Clone(sc.Backchannels)
	sc.EarlyStarts = slices.Clone(sc.EarlyStarts)
	slices.SortStableFunc(sc.Placements, func(x, y Placement) int { return int(x.Start - y.Start) })
	sc.Length = b.end + Tail
	for _, evs := range [][]Intent{sc.Interruptions, sc.Backchannels, sc.EarlyStarts} {
		slices.SortStableFunc(evs, func(x, y Intent) int { return int(x.At - y.At) })
	}
	return sc
}
