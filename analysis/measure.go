package analysis

import (
	"cmp"
	"slices"
	"time"
)

// MonoNote is the note a one-channel recording carries when its speech was
// not split between two voices (too little of it, or the split turned off):
// it explains why only talk and silence are measured and how to get the
// rest.
const MonoNote = "This recording has one channel and its speech was not split between two voices, so only talk and silence are measured: record in stereo (or import --rep/--customer files) for talk share, interruptions and the verdict."

// Measure computes every figure of shared/spec/metrics.md from the parties'
// segments of a call of the given duration, and the listening verdict
// (Judge) from those figures.
//
// segs holds both parties' segments, in time order per party (Measure sorts
// them if they are not). It is not modified, and the Result does not share
// memory with it, so a caller may keep appending to segs. Measure is O(n) in
// the number of segments (O(n log n) only for unsorted input) and cheap
// enough to run ten times a second on a live call.
//
// How Measure reads the spec where it leaves room (each rule is tested in
// measure_test.go):
//
//   - Input. Segments are clipped to [0, duration] (duration is the
//     recording's length and authoritative; a negative duration counts as
//     0); empty segments are dropped; a party's overlapping or touching
//     segments are merged (the detector never emits them; gaps are NOT
//     re-bridged, that is the detector's job). For TwoParty, Unattributed
//     and split (Speaker1/2) segments are ignored; for OneChannel every
//     segment counts as Unattributed speech.
//   - Order. Utterances (segments) of both parties are walked in onset
//     order; at equal onsets the longer goes first, then the rep's.
//   - Floor at the start. Nobody holds the floor until the first
//     floor-taking utterance (>= FloorMin). That first taking is not a floor
//     change; FloorChanges counts only hand-overs from one party to the
//     other.
//   - Taking the floor. A floor-taking utterance by B takes the floor at its
//     onset, unless it lies wholly inside A's speech (A's segment containing
//     B's onset ends at or after B's utterance): then A talked through the
//     attempt and keeps the floor. (By the letter of the spec B would hold
//     the floor while A went on talking, and A's own next "yes" would become
//     a backchannel.) A floor-taking utterance that starts in overlap and
//     outlasts A's segment does take the floor, at its onset.
//   - Backchannel. An utterance shorter than FloorMin starting while the
//     other party holds the floor, however long after the other last spoke
//     (the floor is held until taken). A short utterance while nobody holds
//     the floor is plain talk, neither backchannel nor turn.
//   - Interruption. B's utterance >= FloorMin starts strictly inside A's
//     segment (not at its first instant: simultaneous starts are nobody's
//     interruption; a B onset at the very end of A's segment, i.e. touching,
//     is not "while A is speaking") and the two overlap for InterruptOverlap
//     or more. Overlap is min(A's segment end, B's utterance end) - onset:
//     A's later segments are A's own utterances, judged on their own. A's
//     segment must not be a backchannel: talking over an "mm-hm" is normal.
//     Yielded: "A's speech stops" = A's segment containing B's onset ends,
//     and it ends within YieldWithin of the onset (inclusive). Segments
//     already bridge gaps < BridgeGap, so a breath does not count as
//     stopping. An overlap shorter than InterruptOverlap is an early start.
//   - Monologue. Opens when a party takes the floor (at that utterance's
//     start) or, after a break, at the holder's next segment; grows with
//     the holder's segments of any length; ends when the other party takes
//     the floor or when a silence (neither party speaking) of
//     MonologueBreak or more precedes the next utterance. The other party's
//     backchannels and failed attempts do not end it. Every such stretch is
//     listed in Monologues, however short.
//   - Patience. At each floor taking by the rep (from the customer, or
//     from nobody when the customer has already spoken), the gap from the
//     end of the customer's latest segment to the rep's onset; negative
//     gaps (overlap) are left out, a zero gap (touching) counts.
//   - Silence includes the stretch before the first and after the last
//     speech; so does LongSilences (a long silence anywhere in the
//     recording is listed), which keeps Silence + union of talk == duration.
//   - Interactivity is FloorChanges per minute of the whole duration; 0 for
//     a zero-length call.
//   - Degenerate calls. No segments: all silence (one long silence covering
//     the call), empty lists, no verdict. One party only: that party's talk,
//     share 0 or 1, its monologues; no interruptions or backchannels are
//     possible, and Judge gives no verdict (too little conversation).
//     Duration 0: every segment is clipped away; all figures are zero.
//   - Every slice of the Result is non-nil, so JSON shows [] and not null.
func Measure(segs []Segment, layout Layout, duration time.Duration, cfg Config) Result {
	return measureCall(segs, layout, duration, cfg, true)
}

// measureCall is Measure; without judge it leaves the verdict empty (the live
// figures show none, and the verdict's reasons are most of the cost).
func measureCall(segs []Segment, layout Layout, duration time.Duration, cfg Config, judge bool) Result {
	if duration < 0 {
		duration = 0
	}
	r := Result{
		Duration:      Dur(duration),
		Segments:      []Segment{},
		LongSilences:  []Span{},
		Interruptions: []Interruption{},
		Backchannels:  []Backchannel{},
		Monologues:    []Monologue{},
		Listening:     Listening{Reasons: []string{}, Factors: []Factor{}},
		Recording:     Recording{Warnings: []Warning{}},
	}
	if layout == OneChannel {
		measureMono(&r, segs, duration, cfg)
		return r
	}

	// One backing array for both parties: reps first, then customers.
	buf := make([]Segment, 0, len(segs))
	buf = appendParty(buf, segs, Rep, duration)
	nRep := len(buf)
	buf = appendParty(buf, segs, Customer, duration)
	rep := normalize(buf[:nRep:nRep])
	cust := normalize(buf[nRep:])
	r.Talk.Rep = Dur(sumLen(rep))
	r.Talk.Customer = Dur(sumLen(cust))
	if total := r.Talk.Rep + r.Talk.Customer; total > 0 {
		r.RepTalkShare = float64(r.Talk.Rep) / float64(total)
	}

	// Both parties in onset order.
	out := make([]Segment, 0, len(rep)+len(cust))
	for i, j := 0, 0; i < len(rep) || j < len(cust); {
		if j == len(cust) || (i < len(rep) && before(rep[i], cust[j])) {
			out = append(out, rep[i])
			i++
		} else {
			out = append(out, cust[j])
			j++
		}
	}
	r.Segments = out

	w := walker{cfg: cfg, r: &r, holder: nobody}
	for _, u := range out {
		w.step(u)
	}
	w.closeMonologue()
	w.silenceUntil(duration)

	r.Overlap = Dur(w.overlap)
	r.Silence = Dur(w.silence)
	r.FloorChanges = w.floorChanges
	if duration > 0 {
		r.Interactivity = float64(w.floorChanges) / duration.Minutes()
	}
	r.Patience = patience(w.gaps)
	if judge {
		r.Listening = Judge(&r, cfg.Verdict)
	}
	return r
}

// nobody is the floor holder before anyone has taken the floor.
const nobody Speaker = 255

// walker carries the state of one pass over the utterances in onset order.
type walker struct {
	cfg Config
	r   *Result

	holder Speaker
	// last[p] is party p's latest segment seen so far (the only one of p's
	// that can contain the current onset); lastBC[p] whether it was a
	// backchannel.
	last   [2]Segment
	seen   [2]bool
	lastBC [2]bool

	spoken  bool          // any utterance seen yet
	lastEnd time.Duration // end of all speech so far

	mono       Monologue
	monoActive bool

	overlap, silence time.Duration
	floorChanges     int
	gaps             []time.Duration
}

func (w *walker) step(u Segment) {
	cfg := &w.cfg
	b := u.Speaker
	a := b.Other()
	t := u.Start.D()
	long := u.Len() >= cfg.FloorMin

	// Silence before this utterance: counted, and it may break a monologue.
	w.silenceUntil(t)
	if w.spoken && t-w.lastEnd >= cfg.MonologueBreak {
		w.closeMonologue()
	}

	prev := w.last[a]
	aActive := w.seen[a] && prev.Start <= u.Start && u.Start < prev.End
	if aActive {
		w.overlap += min(prev.End, u.End).D() - t
	}

	bc := !long && w.holder == a
	if bc {
		w.r.Backchannels = append(w.r.Backchannels, Backchannel{At: u.Start, By: b, Duration: Dur(u.Len())})
	}

	if long && aActive && prev.Start < u.Start && !w.lastBC[a] {
		if ov := min(prev.End, u.End).D() - t; ov >= cfg.InterruptOverlap {
			w.r.Interruptions = append(w.r.Interruptions, Interruption{
				At:      u.Start,
				By:      b,
				Yielded: prev.End.D()-t <= cfg.YieldWithin,
				Overlap: Dur(ov),
			})
		}
	}

	switch {
	case w.holder == b:
		w.extendMonologue(u)
	case long && !(aActive && prev.End >= u.End):
		// b takes the floor.
		if w.holder == a {
			w.floorChanges++
		}
		if b == Rep && w.seen[Customer] {
			if gap := t - w.last[Customer].End.D(); gap >= 0 {
				w.gaps = append(w.gaps, gap)
			}
		}
		w.closeMonologue()
		w.holder = b
		w.extendMonologue(u)
	}

	w.last[b], w.seen[b], w.lastBC[b] = u, true, bc
	w.spoken = true
	w.lastEnd = max(w.lastEnd, u.End.D())
}

// silenceUntil accounts the silence from the end of all speech so far to t.
func (w *walker) silenceUntil(t time.Duration) {
	gap := t - w.lastEnd
	if gap <= 0 {
		return
	}
	w.silence += gap
	if gap >= w.cfg.LongSilence {
		w.r.LongSilences = append(w.r.LongSilences, Span{Start: Dur(w.lastEnd), End: Dur(t)})
	}
}

func (w *walker) extendMonologue(u Segment) {
	if !w.monoActive {
		w.mono = Monologue{Speaker: u.Speaker, Start: u.Start, End: u.End}
		w.monoActive = true
		return
	}
	w.mono.End = max(w.mono.End, u.End)
}

func (w *walker) closeMonologue() {
	if !w.monoActive {
		return
	}
	m := w.mono
	w.monoActive = false
	w.r.Monologues = append(w.r.Monologues, m)
	l := Dur(m.End - m.Start)
	switch m.Speaker {
	case Rep:
		w.r.LongestMonologue.Rep = max(w.r.LongestMonologue.Rep, l)
	case Customer:
		w.r.LongestMonologue.Customer = max(w.r.LongestMonologue.Customer, l)
	}
}

// measureMono fills the figures a one-channel recording allows: talk,
// silence and long silences.
func measureMono(r *Result, segs []Segment, duration time.Duration, cfg Config) {
	buf := make([]Segment, 0, len(segs))
	for _, s := range segs {
		if s, ok := clip(s, duration); ok {
			s.Speaker = Unattributed
			buf = append(buf, s)
		}
	}
	mixed := normalize(buf)
	r.Segments = mixed
	r.Talk.Unattributed = Dur(sumLen(mixed))
	r.Channels.OneChannel = "mono"
	w := walker{cfg: cfg, r: r}
	for _, s := range mixed {
		w.silenceUntil(s.Start.D())
		w.lastEnd = s.End.D()
	}
	w.silenceUntil(duration)
	r.Silence = Dur(w.silence)
	r.Notes = append(r.Notes, MonoNote)
	r.Listening = Listening{
		Verdict: NoVerdict,
		Reasons: []string{"No verdict: the speech of this one-channel recording was not split between the rep and the customer."},
		Factors: []Factor{},
	}
}

// appendParty appends party p's segments of segs, clipped to [0, duration].
func appendParty(dst, segs []Segment, p Speaker, duration time.Duration) []Segment {
	for _, s := range segs {
		if s.Speaker != p {
			continue
		}
		if s, ok := clip(s, duration); ok {
			dst = append(dst, s)
		}
	}
	return dst
}

// clip limits s to [0, duration]; ok is false when nothing is left.
func clip(s Segment, duration time.Duration) (Segment, bool) {
	s.Start = max(s.Start, 0)
	s.End = min(s.End, Dur(duration))
	return s, s.End > s.Start
}

// normalize sorts one party's segments by start if needed and merges
// overlapping or touching ones, in place.
func normalize(p []Segment) []Segment {
	if !slices.IsSortedFunc(p, func(x, y Segment) int { return cmp.Compare(x.Start, y.Start) }) {
		slices.SortFunc(p, func(x, y Segment) int { return cmp.Compare(x.Start, y.Start) })
	}
	n := 0
	for _, s := range p {
		if n > 0 && s.Start <= p[n-1].End {
			p[n-1].End = max(p[n-1].End, s.End)
			continue
		}
		p[n] = s
		n++
	}
	return p[:n]
}

// before orders utterances for the walk: by onset, the longer first at equal
// onsets, the rep first when both are equal.
func before(x, y Segment) bool {
	if x.Start != y.Start {
		return x.Start < y.Start
	}
	if x.End != y.End {
		return x.End > y.End
	}
	return x.Speaker < y.Speaker
}

func sumLen(p []Segment) time.Duration {
	var d time.Duration
	for _, s := range p {
		d += s.Len()
	}
	return d
}

// patience summarises the response gaps: mean and median (the mean of the
// middle two for an even count). It sorts gaps in place.
func patience(gaps []time.Duration) Patience {
	if len(gaps) == 0 {
		return Patience{}
	}
	var sum time.Duration
	for _, g := range gaps {
		sum += g
	}
	slices.Sort(gaps)
	n := len(gaps)
	med := gaps[n/2]
	if n%2 == 0 {
		med = (gaps[n/2-1] + gaps[n/2]) / 2
	}
	return Patience{Mean: Dur(sum / time.Duration(n)), Median: Dur(med), Count: n}
}
