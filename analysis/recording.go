package analysis

import (
	"fmt"
	"math"
	"time"
)

// Recording is what the analysis measured about the recording itself, as
// opposed to the conversation in it: how much of each party bleeds into
// the other's channel, how far each side's speech stands above its noise,
// how much was clipped, and the warnings a user should read before trusting
// the figures (a swapped channel map, a dead side, clipping, noise, bleed
// that could not be removed).
type Recording struct {
	// Rep and Customer describe the two channels of a two-party
	// recording; Mixed the one channel of a mono (mixed) recording. A side
	// that does not exist in the recording is nil.
	Rep      *Side `json:"rep,omitempty"`
	Customer *Side `json:"customer,omitempty"`
	Mixed    *Side `json:"mixed,omitempty"`
	// ClippedFraction is the share of all samples at or beyond full scale
	// (0..1).
	ClippedFraction float64 `json:"clipped_fraction"`
	// Warnings come first in every report. A clean call has none (the
	// slice is empty, never nil, so JSON shows []).
	Warnings []Warning `json:"warnings"`
}

// Side is one channel's measured quality.
type Side struct {
	// SNRdB: the side's speech level over its noise floor (dB); 0 when no
	// speech was found on it.
	SNRdB float64 `json:"snr_db"`
	// SpeechDBFS and NoiseDBFS are the levels it was measured from (mean
	// square of the high-passed signal in 10 ms frames, dBFS).
	SpeechDBFS float64 `json:"speech_dbfs"`
	NoiseDBFS  float64 `json:"noise_dbfs"`
	// ClippedFraction is the share of this side's samples at or beyond
	// full scale (0..1).
	ClippedFraction float64 `json:"clipped_fraction"`
	// MaskedShare: of the time the other party spoke, the share in which
	// the bleed left on this channel would have hidden this party's usual
	// speech (it could not be told from the bleed).
	MaskedShare float64 `json:"masked_share"`
	// Bleed is the other party heard on this channel; nil when none was
	// found (or for a mono recording).
	Bleed *Bleed `json:"bleed,omitempty"`
}

// Bleed is one direction of crosstalk: the other party's voice arriving on
// this channel through the air, the line or the headset.
type Bleed struct {
	// LevelDB is the bleed's level relative to its source, dB (negative:
	// −20 is 20 dB quieter than the source channel).
	LevelDB float64 `json:"level_db"`
	// Delay is how late the bleed arrives after its source; negative when
	// it arrives before it (two devices with different latencies).
	Delay Dur `json:"delay_s"`
	// CancelledDB is how much of the bleed the canceller removed.
	CancelledDB float64 `json:"cancelled_db"`
	// ResidualDB is what is left of it after cancelling, relative to this
	// channel's own speech level (dB; the lower the better).
	ResidualDB float64 `json:"residual_db"`
}

// WarningCode names one thing wrong with a recording. The codes are part of
// the JSON contract: tools match on them, people read the message.
type WarningCode string

// The warning codes, in the order reports list them.
const (
	// WarnIdenticalChannels: both channels carry the same audio (or nearly);
	// the call was analysed as one mixed channel.
	WarnIdenticalChannels WarningCode = "identical_channels"
	// WarnChannelsSwapped: the evidence says the rep is on the other
	// channel (the leak runs the wrong way, with a delay no sidetone has).
	WarnChannelsSwapped WarningCode = "channels_swapped"
	// WarnSilentChannel: one side carries nothing (wrong device, muted).
	WarnSilentChannel WarningCode = "silent_channel"
	// WarnClipping: a side is clipped often enough to distort speech.
	WarnClipping WarningCode = "clipping"
	// WarnNoisy: a side's speech stands too little above its noise.
	WarnNoisy WarningCode = "noisy"
	// WarnStrongBleed: bleed the canceller could not remove; the figures
	// may be off.
	WarnStrongBleed WarningCode = "strong_bleed"
)

// WarningCodes lists every code in report order.
var WarningCodes = []WarningCode{
	WarnIdenticalChannels,
	WarnChannelsSwapped,
	WarnSilentChannel,
	WarnClipping,
	WarnNoisy,
	WarnStrongBleed,
}

// Warning is one thing wrong with a recording: a code for tools and a
// sentence for the rep, with the measured figure and what to do.
type Warning struct {
	Code    WarningCode `json:"code"`
	Message string      `json:"message"`
}

// Warn adds a warning, keeping the list in WarningCodes order (one per code:
// a second warning with the same code replaces the first).
func (r *Recording) Warn(code WarningCode, message string) {
	rank := func(c WarningCode) int {
		for i, k := range WarningCodes {
			if k == c {
				return i
			}
		}
		return len(WarningCodes)
	}
	out := make([]Warning, 0, len(r.Warnings)+1)
	placed := false
	for _, w := range r.Warnings {
		if w.Code == code {
			continue
		}
		if !placed && rank(code) < rank(w.Code) {
			out = append(out, Warning{code, message})
			placed = true
		}
		out = append(out, w)
	}
	if !placed {
		out = append(out, Warning{code, message})
	}
	r.Warnings = out
}

// Warned reports whether the recording carries a warning with code.
func (r *Recording) Warned(code WarningCode) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// RecordingChecks are the limits past which a recording is reported as
// faulty. Each warning says what was measured against which limit.
type RecordingChecks struct {
	// ClipFraction: a side with at least this share of its samples at full
	// scale is clipped (0.05%: a few peaks a second in speech, where
	// clipping becomes audible as distortion).
	ClipFraction float64 `json:"clip_fraction"`
	// NoisySNR: a side whose speech stands less than this above its noise
	// (dB: the mean of its detected speech frames over the 10th percentile
	// of all its frames) is noisy: below it, the detector starts to lose
	// quiet words and count noise bursts. Measured so, the synthetic calls
	// with room noise 15–20 dB under the speech's RMS (which still meet
	// the spec) read 24–28 dB; 6 dB under reads 17.
	NoisySNR float64 `json:"noisy_snr_db"`
	// SilentShare: a side that speaks less than this share of the call
	// while the other speaks at least SilentOther is silent.
	SilentShare float64       `json:"silent_share"`
	SilentOther time.Duration `json:"silent_other"`
	// StrongBleed: bleed left after cancelling within this many dB of the
	// receiving party's own speech passes for their speech wherever the
	// double-talk test cannot tell (the detector takes speech down to
	// VADConfig.SpeechRange below a party's level). The removed figure is
	// measured on frames the party seemed silent in, which room noise and
	// unseen double talk make read low: calls that meet the spec (a −4 dB
	// leak in 15 dB of noise) read 9 dB, so the limit sits at 6.
	StrongBleed float64 `json:"strong_bleed_db"`
	// SwapDelay: a rep's voice on the customer channel this late (and
	// nothing comparable the other way) is a voice leaking into a
	// microphone, not a sidetone (a headset's sidetone and a line's echo
	// arrive within a few milliseconds): the channels are swapped.
	SwapDelay time.Duration `json:"swap_delay"`
}

// DefaultRecordingChecks returns the documented limits.
func DefaultRecordingChecks() RecordingChecks {
	return RecordingChecks{
		ClipFraction: 5e-4,
		NoisySNR:     20,
		SilentShare:  0.01,
		SilentOther:  10 * time.Second,
		StrongBleed:  -6,
		SwapDelay:    12 * time.Millisecond,
	}
}

// sideStats is what the analyzer keeps per channel for the diagnosis: a
// histogram of its frame levels, its speech frames' energy, and its
// samples at full scale.
type sideStats struct {
	hist    [151]int32 // frame levels, 1 dB bins from −150 dBFS to 0
	frames  int64
	speechE float64 // Σ mean square over speech frames
	speechN int64
	full    int64 // samples at or beyond ±fullScale
	// Frames the party did not speak in where a leak mattered: how much
	// subtracting the leak removed there (dB, 1 dB bins), the channel's
	// noise taken out first.
	cancel [41]int32
	leakN  int64
	// Frames in which the other party spoke, and those of them in which
	// the leak masked this party (its usual speech could not have been
	// told from the leak).
	underOther, masked int64
	// Frames in which the three-tap leak mattered, and those in which it
	// cancelled within 3 dB of its fit (the live tracker's test).
	tapsN, tapsGood int64
}

func (s *sideStats) tapsHeld(good bool) {
	s.tapsN++
	if good {
		s.tapsGood++
	}
}

func (s *sideStats) leakOnly(raw, res float64) {
	if raw <= 0 {
		return // no leak above the noise in this frame
	}
	db := 10 * math.Log10(raw/max(res, 1e-4*raw))
	s.cancel[max(0, min(len(s.cancel)-1, int(db)))]++
	s.leakN++
}

// cancelled is the cancellation reached in the share q of those frames:
// frames where the party spoke unseen (masked double talk) read low, so a
// high share of them is the leak's own figure, as LeakQuantile is for the
// fit.
func (s *sideStats) cancelled(q float64) float64 {
	want := int64((1 - q) * float64(s.leakN))
	var n int64
	for b, c := range s.cancel {
		n += int64(c)
		if n > want {
			return float64(b)
		}
	}
	return float64(len(s.cancel) - 1)
}

// leakFrames is how many such frames make a measured cancellation.
const leakFrames = 100

func (s *sideStats) frame(level, meanSquare float64, speech bool) {
	b := int(math.Round(level)) + 150
	s.hist[max(0, min(len(s.hist)-1, b))]++
	s.frames++
	if speech {
		s.speechE += meanSquare
		s.speechN++
	}
}

// percentile returns the level (dBFS) below which the share q of frames
// lie.
func (s *sideStats) percentile(q float64) float64 {
	if s.frames == 0 {
		return -150
	}
	want := int64(q * float64(s.frames))
	var n int64
	for b, c := range s.hist {
		n += int64(c)
		if n > want {
			return float64(b - 150)
		}
	}
	return 0
}

// side returns channel ch's measured quality.
func (a *Analyzer) side(ch int) *Side {
	st := &a.stats[ch]
	// Digital silence has no noise to speak of: the floor is taken no
	// lower than −100 dBFS.
	sd := &Side{NoiseDBFS: max(-100, st.percentile(0.1)), SpeechDBFS: -150}
	if st.speechN > 0 {
		sd.SpeechDBFS = round1(dB(st.speechE / float64(st.speechN)))
		sd.SNRdB = round1(max(0, sd.SpeechDBFS-sd.NoiseDBFS))
	}
	if a.pos > 0 {
		sd.ClippedFraction = float64(st.full) / float64(a.pos)
	}
	if st.underOther > 0 {
		sd.MaskedShare = math.Round(1000*float64(st.masked)/float64(st.underOther)) / 1000
	}
	return sd
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// bleed returns the other party as heard on channel dst, or nil: its level
// and delay from the canceller where it does better than the three-tap
// model (or where only it knows the leak), else from the three-tap path.
func (a *Analyzer) bleed(dst int, own, source *Side) *Bleed {
	var b *Bleed
	p := &a.path[dst]
	if p.state == leakPresent {
		b = &Bleed{LevelDB: p.gainDB, Delay: Dur(time.Duration(float64(p.peakLag) / float64(a.rate) * float64(time.Second))),
			CancelledDB: -10 * math.Log10(p.residue)}
	}
	useC := a.xc != nil && a.xc.better(dst, p)
	if useC {
		d := &a.xc.dir[dst]
		b = &Bleed{LevelDB: 10 * math.Log10(d.gain), Delay: Dur(a.xc.delay(dst)), CancelledDB: -10 * math.Log10(d.residue)}
	}
	if b == nil {
		return nil
	}
	if st := &a.stats[dst]; !useC && st.tapsN >= leakFrames && st.tapsGood*2 < st.tapsN && st.leakN >= leakFrames {
		// The three taps' fit did not hold over most of the call (a
		// path that keeps changing): what they achieved there, not what
		// the last fit promised.
		b.CancelledDB = min(b.CancelledDB, st.cancelled(0.5))
	}
	b.LevelDB, b.CancelledDB = round1(b.LevelDB), round1(max(0, b.CancelledDB))
	if own.SpeechDBFS > -150 && source.SpeechDBFS > -150 {
		b.ResidualDB = round1(source.SpeechDBFS + b.LevelDB - b.CancelledDB - own.SpeechDBFS)
	}
	return b
}

// recording returns what the analyzer measured about the recording, with
// its warnings.
func (a *Analyzer) recording() Recording {
	rec := Recording{Warnings: []Warning{}}
	if a.pos == 0 {
		return rec
	}
	if a.layout == OneChannel {
		rec.Mixed = a.side(0)
		rec.ClippedFraction = rec.Mixed.ClippedFraction
	} else {
		rec.Rep, rec.Customer = a.side(0), a.side(1)
		rec.ClippedFraction = (rec.Rep.ClippedFraction + rec.Customer.ClippedFraction) / 2
		rec.Rep.Bleed = a.bleed(0, rec.Rep, rec.Customer)
		rec.Customer.Bleed = a.bleed(1, rec.Customer, rec.Rep)
	}
	a.warn(&rec)
	return rec
}

// sideNames name the channels in warnings.
var sideNames = [2]string{"rep's microphone", "customer channel"}

// warn adds the recording's warnings.
func (a *Analyzer) warn(rec *Recording) {
	c := a.cfg.Checks
	dur := time.Duration(a.pos) * time.Second / time.Duration(a.rate)
	sides := []*Side{rec.Rep, rec.Customer}
	names := sideNames[:]
	if a.layout == OneChannel {
		sides, names = []*Side{rec.Mixed}, []string{"recording"}
	}
	frame := a.frame
	speech := func(i int) time.Duration { return time.Duration(a.stats[i].speechN) * frame }
	if a.layout == TwoParty {
		for i := range 2 {
			if o := 1 - i; speech(i) < time.Duration(c.SilentShare*float64(dur)) && speech(o) >= c.SilentOther {
				rec.Warn(WarnSilentChannel, fmt.Sprintf("The %s carries no speech (%s of it in a %s call) while the other side talks for %s: the wrong device was recorded or it was muted. Check the %s device before the next call; these figures count the %s as silent.",
					names[i], fmtDur(speech(i)), fmtDur(dur), fmtDur(speech(o)), partyWord[i], partyWord[i]))
			}
		}
		if w := a.swapped(rec); w != "" {
			rec.Warn(WarnChannelsSwapped, w)
		}
	}
	var clip, noisy, bleed []string
	for i, sd := range sides {
		if sd.ClippedFraction >= c.ClipFraction {
			clip = append(clip, fmt.Sprintf("the %s in %s of its samples", names[i], pctFine(sd.ClippedFraction)))
		}
		if sd.SpeechDBFS > -150 && sd.SNRdB < c.NoisySNR {
			noisy = append(noisy, fmt.Sprintf("speech on the %s stands only %.0f dB above its background noise (%.0f dB or more is clean)", names[i], sd.SNRdB, c.NoisySNR))
		}
		if b := sd.Bleed; b != nil && sd.SpeechDBFS > -150 && b.ResidualDB > c.StrongBleed {
			bleed = append(bleed, fmt.Sprintf("the %s is heard on the %s only %.0f dB below the %s's own voice even after %.0f dB of it was removed",
				partyWord[1-i], names[i], -b.ResidualDB, partyWord[i], b.CancelledDB))
		}
	}
	if len(clip) > 0 {
		rec.Warn(WarnClipping, fmt.Sprintf("The recording is clipped (distorted by being too loud): %s. Turn the input level down before the next call; words may be misjudged where it clips.", join(clip)))
	}
	if len(noisy) > 0 {
		rec.Warn(WarnNoisy, fmt.Sprintf("The recording is noisy: %s. Quiet words may be missed and noise counted as talk; record in a quieter place or with the microphone closer to the mouth.", join(noisy)))
	}
	if len(bleed) > 0 {
		rec.Warn(WarnStrongBleed, fmt.Sprintf("Strong bleed between the channels: %s, so talk times, overlaps and interruptions may be off. Use a headset (or turn the speakers down) on the next call.", join(bleed)))
	}
}

var partyWord = [2]string{"rep", "customer"}

// swapped returns the channels_swapped message when the rep's voice
// reaches the customer channel later than a sidetone can, with nothing
// comparable leaking the other way; "" otherwise.
func (a *Analyzer) swapped(rec *Recording) string {
	into := rec.Customer.Bleed
	if into == nil || into.Delay.D() < a.cfg.Checks.SwapDelay {
		return ""
	}
	if o := rec.Rep.Bleed; o != nil && (o.Delay.D() >= a.cfg.Checks.SwapDelay || o.LevelDB >= into.LevelDB) {
		return "" // through the air both ways: two microphones in one room
	}
	return fmt.Sprintf("The channels look swapped: the voice on the rep's channel reaches the customer channel %.0f ms later and %.0f dB quieter, as a voice leaking into a microphone does, and nothing comparable leaks the other way; no sidetone is that late. The rep is probably on the other channel: analyse the call again with the channels swapped.",
		into.Delay.Seconds()*1000, -into.LevelDB)
}

func join(xs []string) string {
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " and " + xs[1]
	}
	return fmt.Sprint(xs)
}

// pctFine words a small share: "0.08%", "2.1%".
func pctFine(f float64) string {
	if f < 0.01 {
		return fmt.Sprintf("%.2f%%", 100*f)
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

// withheld is why a two-party call's verdict cannot stand, or "": its
// channels look swapped (the rep's figures are probably the customer's), or
// one side carries no speech.
func (r *Recording) withheld() string {
	codes := make([]WarningCode, len(r.Warnings))
	for i, w := range r.Warnings {
		codes[i] = w.Code
	}
	switch PartiesInDoubt(codes) {
	case WarnChannelsSwapped:
		return "No verdict: the channels look swapped, so the rep's figures are probably the customer's; analyse the call again with the channels swapped."
	case WarnSilentChannel:
		return "No verdict: one channel carries no speech, so the conversation cannot be judged; check the devices (or the channel map) and analyse again."
	}
	return ""
}

// PartiesInDoubt is the warning among codes that makes a two-party call's
// rep and customer figures untrustworthy as whose they are — its channels
// look swapped (the rep's figures are probably the customer's), else one
// side is silent (nothing to compare) — or "" when none does. The verdict
// is withheld for these; lists, trends and averages leave such a call's
// party figures out, as Review holds them back.
func PartiesInDoubt(codes []WarningCode) WarningCode {
	for _, want := range []WarningCode{WarnChannelsSwapped, WarnSilentChannel} {
		for _, c := range codes {
			if c == want {
				return want
			}
		}
	}
	return ""
}

// PartiesInDoubt is PartiesInDoubt of the result's warnings for a
// two-party result ("" for a one-channel call, whose parties come from
// its voices, not its channels).
func (r *Result) PartiesInDoubt() WarningCode {
	if r.Diarization != nil || r.Channels.OneChannel != "" {
		return ""
	}
	codes := make([]WarningCode, len(r.Recording.Warnings))
	for i, w := range r.Recording.Warnings {
		codes[i] = w.Code
	}
	return PartiesInDoubt(codes)
}
