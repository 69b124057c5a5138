package analysis

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

// recording returns what the analyzer measured about the recording.
func (a *Analyzer) recording() Recording {
	rec := Recording{Warnings: []Warning{}}
	if n := a.pos * 2; a.layout == TwoParty && n > 0 {
		rec.ClippedFraction = float64(a.clipped) / float64(n)
	} else if a.pos > 0 {
		rec.ClippedFraction = float64(a.clipped) / float64(a.pos)
	}
	return rec
}
