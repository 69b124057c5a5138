package analysis

import "time"

// Config holds every threshold the analysis uses. Each has a documented
// default taken from shared/spec/metrics.md (and the public reference named
// there); the app's settings screen edits them, the CLI reads them from the
// library's settings, and nothing else in the package hard-codes them.
type Config struct {
	// Frame is the length of one activity decision (spec: 10 ms).
	Frame time.Duration `json:"frame"`
	// BridgeGap: gaps shorter than this inside a run of active frames belong
	// to the segment (spec: 0.30 s).
	BridgeGap time.Duration `json:"bridge_gap"`
	// FloorMin: an utterance this long or longer takes the floor; a shorter
	// one that starts while the other party holds the floor is a backchannel
	// (spec: 1.0 s).
	FloorMin time.Duration `json:"floor_min"`
	// InterruptOverlap: both parties must speak at once this long for an
	// interruption; a shorter overlap at the end of the other's utterance is
	// an early start (spec: 0.5 s).
	InterruptOverlap time.Duration `json:"interrupt_overlap"`
	// YieldWithin: an interruption is yielded when the interrupted party
	// stops within this time of the interrupter's onset (spec: 1.5 s).
	YieldWithin time.Duration `json:"yield_within"`
	// LongSilence: a silence this long or longer is a long silence
	// (spec: 4 s, VoiceBase's silence incident threshold).
	LongSilence time.Duration `json:"long_silence"`
	// MonologueBreak: a silence this long or longer ends a monologue
	// (spec: 3 s, VoiceBase's streak rule).
	MonologueBreak time.Duration `json:"monologue_break"`

	// VAD tunes the per-party speech activity decision.
	VAD VADConfig `json:"vad"`
	// Verdict holds the listening score's targets and weights.
	Verdict VerdictConfig `json:"verdict"`
	// Repeats tunes the matching of the rep's speech across their calls
	// (repeats.go).
	Repeats RepeatConfig `json:"repeats"`
	// Delivery tunes the delivery cues of the rep's long monologues
	// (delivery.go).
	Delivery DeliveryConfig `json:"delivery"`
	// Diarize tunes the split of a one-channel call between its two
	// speakers (Components 0 turns it off).
	Diarize DiarizeConfig `json:"diarize"`

	// Checks are the limits past which the recording itself is reported
	// as faulty (Result.Recording's warnings, recording.go).
	Checks RecordingChecks `json:"recording_checks"`
}

// DefaultConfig returns the spec's thresholds and the documented defaults.
func DefaultConfig() Config {
	return Config{
		Frame:            10 * time.Millisecond,
		BridgeGap:        300 * time.Millisecond,
		FloorMin:         time.Second,
		InterruptOverlap: 500 * time.Millisecond,
		YieldWithin:      1500 * time.Millisecond,
		LongSilence:      4 * time.Second,
		MonologueBreak:   3 * time.Second,
		VAD:              DefaultVADConfig(),
		Verdict:          DefaultVerdictConfig(),
		Repeats:          DefaultRepeatConfig(),
		Delivery:         DefaultDeliveryConfig(),
		Diarize:          DefaultDiarizeConfig(),
		Checks:           DefaultRecordingChecks(),
	}
}
