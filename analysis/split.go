package analysis

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Diarization is how a one-channel recording's speech was split between
// two voices (Speaker1 and Speaker2), which of them is the rep, and the
// corrections a user made. With it a one-channel call gets every figure a
// stereo call gets, flagged as coming from a one-channel recording; the
// verdict only when the split is sure and the rep is known.
type Diarization struct {
	// Confidence in the split, 0..1 (DiarizeConfig.ConfidenceScale);
	// Unsure when it is below DiarizeConfig.MinConfidence, or when one
	// voice has almost all the speech (DiarizeConfig.MinShare): the
	// figures are then shown, but no verdict is given.
	Confidence float64 `json:"confidence"`
	Unsure     bool    `json:"unsure"`
	// Rep is the voice (1 or 2) that is the rep; 0 while not known.
	Rep int `json:"rep_speaker"`
	// RepBy says how the rep was found: RepByVoice (the rep's voice
	// profile from their stereo calls) or RepByUser (picked, or swapped,
	// by a person).
	RepBy string `json:"rep_by,omitempty"`
	// RepMatch is how clearly the voice profile picked the rep, 0..1
	// (RepByVoice only).
	RepMatch float64 `json:"rep_match,omitempty"`
	// Talk is each voice's talk, corrections applied.
	Talk [2]Dur `json:"speaker_talk_s"`
	// Samples are a few seconds of each voice, to play to a person who
	// picks the rep.
	Samples [2]Span `json:"samples"`
	// Voices summarise how each voice sounds, for matching against a
	// rep's voice profile later; nil when too little speech.
	Voices [2]*VoicePrint `json:"voices"`
	// Split is the diarizer's own split (Speaker1 and Speaker2 segments,
	// in time order), before the corrections: re-measuring starts from it.
	Split []Segment `json:"split"`
	// Corrections are stretches a person marked as the other voice, in
	// the order made; a later one wins where they overlap.
	Corrections []Correction `json:"corrections,omitempty"`
	// Confirmed: a person checked the two lanes (after their corrections)
	// and confirmed the split. An unsure split so confirmed is judged (the
	// person vouches for it), and its verdict says whose word it rests on.
	Confirmed bool `json:"confirmed_by_user,omitempty"`
}

// How Diarization.Rep was found.
const (
	RepByVoice = "voice"
	RepByUser  = "user"
)

// Correction marks the speech in [Start, End) as one voice's (1 or 2).
type Correction struct {
	Start   Dur `json:"start_s"`
	End     Dur `json:"end_s"`
	Speaker int `json:"speaker"`
}

// Judgeable reports whether the call can get a verdict: the split is sure
// and the rep is known.
func (d *Diarization) Judgeable() bool { return d.unjudgeable() == "" }

func (d *Diarization) unjudgeable() string {
	switch {
	case d.Unsure && !d.Confirmed:
		return fmt.Sprintf("No verdict: this one-channel recording could not be split between two voices with confidence (%s); check the two lanes in Review, correct them, or record in stereo.", pct(d.Confidence))
	case d.Rep != 1 && d.Rep != 2:
		return "No verdict yet: which of the two voices is the rep is not known; pick it in Review (or: callcoach analyze --rep-speaker 1|2)."
	}
	return ""
}

func (d *Diarization) fromOneChannel() string {
	by := "picked by hand"
	if d.RepBy == RepByVoice {
		by = fmt.Sprintf("recognised from the rep's voice profile (%s)", pct(d.RepMatch))
	}
	if d.Confirmed {
		return fmt.Sprintf("From a one-channel recording, split confirmed by you: the two voices were told apart by their sound (the analysis alone was %s sure), you checked the lanes, and the rep's was %s.", pct(d.Confidence), by)
	}
	return fmt.Sprintf("From a one-channel recording: the two voices were told apart by their sound (confidence %s) and the rep's was %s.", pct(d.Confidence), by)
}

// speakerOf maps voice n (1, 2) to its Speaker label given the rep.
func (d *Diarization) speakerOf(n int) Speaker {
	switch {
	case d.Rep == n:
		return Rep
	case d.Rep == 1 || d.Rep == 2:
		return Customer
	case n == 1:
		return Speaker1
	}
	return Speaker2
}

// voiceOf is the voice number (1, 2) of a split segment's speaker.
func voiceOf(s Speaker) int {
	if s == Speaker2 {
		return 2
	}
	return 1
}

// Corrected returns the split with the corrections applied, Speaker1 and
// Speaker2 segments in time order.
func (d *Diarization) Corrected() []Segment {
	segs := slices.Clone(d.Split)
	for _, c := range d.Corrections {
		if c.Speaker != 1 && c.Speaker != 2 || c.End <= c.Start {
			continue
		}
		to := Speaker1
		if c.Speaker == 2 {
			to = Speaker2
		}
		var out []Segment
		for _, s := range segs {
			if s.End <= c.Start || s.Start >= c.End || s.Speaker == to {
				out = append(out, s)
				continue
			}
			if s.Start < c.Start {
				out = append(out, Segment{s.Speaker, s.Start, c.Start})
			}
			out = append(out, Segment{to, max(s.Start, c.Start), min(s.End, c.End)})
			if s.End > c.End {
				out = append(out, Segment{s.Speaker, c.End, s.End})
			}
		}
		segs = out
	}
	slices.SortStableFunc(segs, func(a, b Segment) int { return int(a.Start - b.Start) })
	return segs
}

// Remeasure recomputes every figure of a split one-channel result from its
// Diarization (after a swap, a correction or the rep being found), without
// the audio. Other results come back unchanged.
func Remeasure(r Result, cfg Config) Result {
	d := r.Diarization
	if d == nil {
		return r
	}
	out := measureSplit(d.Corrected(), *d, r.Duration.D(), cfg)
	out.File, out.Channels, out.Recording = r.File, r.Channels, r.Recording
	out.Notes = r.Notes
	out.Script, out.Delivery = r.Script, r.Delivery
	if out.Script != nil || len(out.Delivery) > 0 {
		out.Listening = Judge(&out, cfg.Verdict)
	}
	return out
}

// SetRep names voice n (1 or 2) as the rep, found by how (RepByVoice with
// match, or RepByUser), and re-measures.
func SetRep(r Result, n int, how string, match float64, cfg Config) (Result, error) {
	if r.Diarization == nil {
		return r, fmt.Errorf("this call was not split between two voices, so there is no speaker %d to pick", n)
	}
	if n != 1 && n != 2 {
		return r, fmt.Errorf("the rep's voice is 1 or 2, not %d", n)
	}
	d := *r.Diarization
	d.Rep, d.RepBy, d.RepMatch = n, how, 0
	if how == RepByVoice {
		d.RepMatch = match
	}
	r.Diarization = &d
	return Remeasure(r, cfg), nil
}

// measureSplit measures split segments (Speaker1/Speaker2) as a two-party
// call. With the rep known the figures are the rep's and the customer's;
// otherwise the per-party figures that need the rep (talk share, patience,
// longest monologue, the verdict) are left out, Talk.Unattributed holds all
// the speech, and segments, interruptions,
// backchannels and monologues keep the voices' labels.
func measureSplit(segs []Segment, d Diarization, duration time.Duration, cfg Config) Result {
	known := d.Rep == 1 || d.Rep == 2
	two := make([]Segment, len(segs))
	asParty := func(s Speaker) Speaker {
		if known {
			return d.speakerOf(voiceOf(s))
		}
		if s == Speaker2 {
			return Customer
		}
		return Rep
	}
	for i, s := range segs {
		two[i] = Segment{asParty(s.Speaker), s.Start, s.End}
	}
	r := Measure(two, TwoParty, duration, cfg)
	d.Talk = [2]Dur{}
	for _, s := range r.Segments {
		// Party back to voice: for an unknown rep, Rep is voice 1.
		n := 1
		if known {
			if (s.Speaker == Rep) != (d.Rep == 1) {
				n = 2
			}
		} else if s.Speaker == Customer {
			n = 2
		}
		d.Talk[n-1] += s.End - s.Start
	}
	if !known {
		back := func(s Speaker) Speaker {
			if s == Customer {
				return Speaker2
			}
			return Speaker1
		}
		for i := range r.Segments {
			r.Segments[i].Speaker = back(r.Segments[i].Speaker)
		}
		for i := range r.Interruptions {
			r.Interruptions[i].By = back(r.Interruptions[i].By)
		}
		for i := range r.Backchannels {
			r.Backchannels[i].By = back(r.Backchannels[i].By)
		}
		for i := range r.Monologues {
			r.Monologues[i].Speaker = back(r.Monologues[i].Speaker)
		}
		// Neither voice is a party yet: all speech is unattributed talk
		// (the voices' own talk is in Diarization.Talk).
		r.Talk = PerParty{Unattributed: r.Duration - r.Silence}
		r.RepTalkShare = 0
		r.LongestMonologue = PerParty{}
		r.Patience = Patience{}
	}
	r.Diarization = &d
	r.Channels.OneChannel = "mono"
	r.Listening = Judge(&r, cfg.Verdict)
	r.Notes = append(r.Notes, SplitNote)
	return r
}

// SplitNote is the note a split one-channel result carries.
const SplitNote = "This recording has one channel: CallCoach told the two voices apart by their sound, so every figure comes from a one-channel recording and may be off where they talk at once or sound alike; stereo (or --rep/--customer files) is exact."

// VoicePrint summarises how one voice sounds: the mean and covariance of
// its cepstra (c1–c19, Cepstrum, not normalised) and its pitch, over the
// frames of its speech. It is what a rep's voice profile keeps, and what a
// one-channel call's voices are matched against. Prints merge (Merge), so
// a profile grows with every stereo call of the rep.
type VoicePrint struct {
	// Frames is how many 10 ms frames it summarises.
	Frames int `json:"frames"`
	// Mean and Cov (lower triangle, row by row: 190 values) of c1–c19, dB.
	Mean []float64 `json:"mean"`
	Cov  []float64 `json:"cov"`
	// PitchST is the mean pitch of the voiced frames in semitones above
	// 55 Hz (A1); PitchSD their spread; PitchFrames how many were voiced.
	PitchST     float64 `json:"pitch_st"`
	PitchSD     float64 `json:"pitch_sd_st"`
	PitchFrames int     `json:"pitch_frames"`
}

// minPrintFrames: a voice print needs this many frames (3 s of speech) to
// say anything.
const minPrintFrames = 300

const triLen = diarFeat * (diarFeat + 1) / 2

// newVoicePrint summarises the frames of x (n×diarFeat, normalised by
// mean and sd, which it undoes) labelled want (labels nil: all frames),
// with pitch in Hz (0 unvoiced); nil when too few.
func newVoicePrint(x, pitch []float32, labels []int8, want int8, mean, sd []float64) *VoicePrint {
	n := len(pitch)
	var frames []int
	for t := 0; t < n; t++ {
		if labels == nil || labels[t] == want {
			frames = append(frames, t)
		}
	}
	if len(frames) < minPrintFrames {
		return nil
	}
	raw := func(t, i int) float64 {
		v := float64(x[t*diarFeat+i])
		if sd != nil {
			v = v*sd[i] + mean[i]
		}
		return v
	}
	v := &VoicePrint{Frames: len(frames), Mean: make([]float64, diarFeat), Cov: make([]float64, triLen)}
	for _, t := range frames {
		for i := 0; i < diarFeat; i++ {
			v.Mean[i] += raw(t, i)
		}
	}
	for i := range v.Mean {
		v.Mean[i] /= float64(len(frames))
	}
	var row [diarFeat]float64
	for _, t := range frames {
		for i := range row {
			row[i] = raw(t, i) - v.Mean[i]
		}
		k := 0
		for i := 0; i < diarFeat; i++ {
			for j := 0; j <= i; j++ {
				v.Cov[k] += row[i] * row[j]
				k++
			}
		}
	}
	for k := range v.Cov {
		v.Cov[k] /= float64(len(frames))
	}
	var s, ss float64
	for _, t := range frames {
		if p := pitch[t]; p > 0 {
			st := 12 * math.Log2(float64(p)/55)
			s += st
			ss += st * st
			v.PitchFrames++
		}
	}
	if v.PitchFrames > 0 {
		v.PitchST = s / float64(v.PitchFrames)
		v.PitchSD = math.Sqrt(max(ss/float64(v.PitchFrames)-v.PitchST*v.PitchST, 0))
	}
	return v
}

// Merge returns the print of v's and o's frames together (either may be
// nil).
func (v *VoicePrint) Merge(o *VoicePrint) *VoicePrint {
	if v == nil || v.Frames == 0 {
		return o
	}
	if o == nil || o.Frames == 0 {
		return v
	}
	n := float64(v.Frames + o.Frames)
	a, b := float64(v.Frames)/n, float64(o.Frames)/n
	m := &VoicePrint{Frames: v.Frames + o.Frames, Mean: make([]float64, diarFeat), Cov: make([]float64, triLen)}
	for i := range m.Mean {
		m.Mean[i] = a*v.Mean[i] + b*o.Mean[i]
	}
	k := 0
	for i := 0; i < diarFeat; i++ {
		for j := 0; j <= i; j++ {
			// E[xy] of the union, less the union's mean product.
			exy := a*(v.Cov[k]+v.Mean[i]*v.Mean[j]) + b*(o.Cov[k]+o.Mean[i]*o.Mean[j])
			m.Cov[k] = exy - m.Mean[i]*m.Mean[j]
			k++
		}
	}
	pv, po := float64(v.PitchFrames), float64(o.PitchFrames)
	if pv+po > 0 {
		m.PitchFrames = v.PitchFrames + o.PitchFrames
		m.PitchST = (pv*v.PitchST + po*o.PitchST) / (pv + po)
		e2 := (pv*(v.PitchSD*v.PitchSD+v.PitchST*v.PitchST) + po*(o.PitchSD*o.PitchSD+o.PitchST*o.PitchST)) / (pv + po)
		m.PitchSD = math.Sqrt(max(e2-m.PitchST*m.PitchST, 0))
	}
	return m
}

// valid reports whether v has the shape this version writes.
func (v *VoicePrint) valid() bool {
	return v != nil && v.Frames > 0 && len(v.Mean) == diarFeat && len(v.Cov) == triLen
}

// Distance is the Bhattacharyya distance between the Gaussians of two
// prints' cepstra (means and full covariances) plus that of their pitch:
// 0 for the same voice heard the same way, growing as voices differ. The
// covariance term alone is blind to a fixed channel (a microphone adds a
// constant to the cepstra); the mean term is not, and so weighs less for
// a print from another kind of recording.
func (v *VoicePrint) Distance(o *VoicePrint) float64 {
	if !v.valid() || !o.valid() {
		return math.Inf(1)
	}
	const d = diarFeat
	var S, S1, S2 [d][d]float64
	k := 0
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			a, b := v.Cov[k], o.Cov[k]
			S1[i][j], S1[j][i] = a, a
			S2[i][j], S2[j][i] = b, b
			S[i][j], S[j][i] = (a+b)/2, (a+b)/2
			k++
		}
	}
	// A floor on the diagonal: a print of few frames is near singular.
	for i := 0; i < d; i++ {
		S[i][i] += 1e-3
		S1[i][i] += 1e-3
		S2[i][i] += 1e-3
	}
	L, ok := cholesky(S)
	L1, ok1 := cholesky(S1)
	L2, ok2 := cholesky(S2)
	if !ok || !ok1 || !ok2 {
		return math.Inf(1)
	}
	var dm [d]float64
	for i := range dm {
		dm[i] = v.Mean[i] - o.Mean[i]
	}
	// Solve L y = dm: dmᵀ S⁻¹ dm = |y|².
	var y [d]float64
	var q float64
	for i := 0; i < d; i++ {
		s := dm[i]
		for j := 0; j < i; j++ {
			s -= L[i][j] * y[j]
		}
		y[i] = s / L[i][i]
		q += y[i] * y[i]
	}
	logdet := func(L [d][d]float64) float64 {
		var s float64
		for i := 0; i < d; i++ {
			s += 2 * math.Log(L[i][i])
		}
		return s
	}
	db := q/8 + 0.5*(logdet(L)-0.5*(logdet(L1)+logdet(L2)))
	if v.PitchFrames >= 100 && o.PitchFrames >= 100 {
		s1, s2 := max(v.PitchSD, 0.5), max(o.PitchSD, 0.5)
		dp := v.PitchST - o.PitchST
		db += dp*dp/(4*(s1*s1+s2*s2)) + 0.5*math.Log((s1*s1+s2*s2)/(2*s1*s2))
	}
	return db
}

// cholesky returns the lower factor of a symmetric positive definite m.
func cholesky(m [diarFeat][diarFeat]float64) (L [diarFeat][diarFeat]float64, ok bool) {
	for i := 0; i < diarFeat; i++ {
		for j := 0; j <= i; j++ {
			s := m[i][j]
			for k := 0; k < j; k++ {
				s -= L[i][k] * L[j][k]
			}
			if i == j {
				if s <= 0 {
					return L, false
				}
				L[i][i] = math.Sqrt(s)
			} else {
				L[i][j] = s / L[j][j]
			}
		}
	}
	return L, true
}

// MinRepMatch is how clearly a voice profile must prefer one voice over
// the other, (far − near)/(far + near) of their distances, for the rep to
// be taken as recognised.
const MinRepMatch = 0.1

// MatchRep says which voice (1 or 2) of a split one-channel result is the
// rep whose voice profile is given, and how clearly: ok is false when the
// result has no split or voice prints, the profile is empty, or neither
// voice is clearly nearer (match under MinRepMatch).
func MatchRep(r *Result, profile *VoicePrint) (voice int, match float64, ok bool) {
	d := r.Diarization
	if d == nil || !profile.valid() || !d.Voices[0].valid() || !d.Voices[1].valid() {
		return 0, 0, false
	}
	d1, d2 := profile.Distance(d.Voices[0]), profile.Distance(d.Voices[1])
	if math.IsInf(d1, 1) && math.IsInf(d2, 1) {
		return 0, 0, false
	}
	voice = 1
	near, far := d1, d2
	if d2 < d1 {
		voice, near, far = 2, d2, d1
	}
	if math.IsInf(far, 1) {
		return voice, 1, true
	}
	match = (far - near) / (far + near)
	return voice, match, match >= MinRepMatch
}
