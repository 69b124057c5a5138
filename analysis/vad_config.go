package analysis

import "time"

// VADConfig tunes the per-party speech activity detector (see activity.go for
// how the pieces fit). Levels are in dB; "floor" is the channel's adaptive
// noise floor. The defaults were tuned on all ten real meeting excerpts in
// shared/data/real-speech and on the synthetic two-party calls of
// audio/audiotest/callgen (clean, echo+noise, room echo, clock drift, drawn
// echoes, typing, quiet rep, 8–48 kHz), never on one file.
type VADConfig struct {
	// HighPass is the cut-off of the 2nd-order high-pass applied to every
	// channel before anything else: it removes DC and mains hum (50/60 Hz
	// and their first harmonics) that would otherwise raise the floor.
	HighPass float64 `json:"high_pass_hz"`

	// OnsetSNR: a frame is a speech candidate when its energy is this far
	// above the floor (and speech is not running).
	OnsetSNR float64 `json:"onset_snr_db"`
	// HoldSNR: once speech runs, frames this far above the floor keep it
	// running (hysteresis: trailing-off words stay in).
	HoldSNR float64 `json:"hold_snr_db"`
	// MinLevel: frames quieter than this (dBFS, mean square of the
	// high-passed signal) are never speech, whatever the floor: digital
	// near-silence must not turn its own dither into talk.
	MinLevel float64 `json:"min_level_dbfs"`

	// SpeechRange: a candidate must also be within this many dB of the
	// channel's recent speech level (a peak follower that takes SpeechRise
	// of the way to each louder frame and sinks SpeechFall dB/s), so that
	// far-away talk and noise bursts well below the party's own voice do
	// not count.
	SpeechRange float64 `json:"speech_range_db"`
	SpeechRise  float64 `json:"speech_rise"`
	SpeechFall  float64 `json:"speech_fall_db_per_s"`
	// SpeechHold: once speech runs it may sink this many dB further below
	// the speech level before it stops (with HoldSNR above the floor).
	SpeechHold float64 `json:"speech_hold_db"`

	// OnsetLevel: speech can only start on a frame at least this loud
	// (dBFS, mean square of the high-passed signal; a talker peaking at
	// −20 dBFS sits near −35 in voiced frames). Far-away voices and room
	// sounds in a quiet room stay below it; once started, speech holds
	// down to the floor-relative HoldSNR.
	OnsetLevel float64 `json:"onset_level_dbfs"`

	// FloorRise is how fast the floor may climb (dB per second) when the
	// signal stays above it; it follows any drop at once. Slow enough that
	// speech does not lift it, fast enough to follow a fan switching on.
	FloorRise float64 `json:"floor_rise_db_per_s"`
	// FloorWindow: when the quietest frame of this long is above the
	// floor, the floor jumps up to it (room noise that steps up, a fan
	// switched on). Longer than speech runs without a pause.
	FloorWindow time.Duration `json:"floor_window"`
	// DropoutHold: frames holding digital silence (a sample at exactly
	// zero for 2 ms or more) are a dropout, not quieter noise (a sound
	// server that stalled played a quantum of nothing, a packet was lost)
	// and are left out of the floor for up to this long, unless digital
	// silence set the floor already (a generated call's pauses); silence
	// that lasts longer is taken as the floor. 0 turns the guard off.
	DropoutHold time.Duration `json:"dropout_hold,omitempty"`

	// Onset: a run of candidate frames must last this long before it is
	// speech (clicks, plosive pops and keyboard taps are shorter). The run
	// counts from its first frame.
	Onset time.Duration `json:"onset"`
	// Hangover: speech stays on this long after the last candidate frame,
	// so that trailing-off word ends and short breaths stay inside.
	Hangover time.Duration `json:"hangover"`
	// MaskedBridge: a pause in a party's speech while the other party's
	// crosstalk masked the channel (the party's usual speech level could
	// not have passed the double-talk test) is not known to be silence: it
	// is bridged up to this long, as long as the frames of it that could
	// be observed add up to less than the bridge gap (Config.BridgeGap).
	MaskedBridge time.Duration `json:"masked_bridge"`
	// MinSegment: a segment (after bridging) whose frames above threshold
	// (hangover not counted) add up to less than this is dropped as a
	// blip: a click, a keystroke, a flicker of leak. Shorter than the
	// shortest backchannel ("mm").
	MinSegment time.Duration `json:"min_segment"`

	// MaxLeakDelay bounds the crosstalk delay searched for, in either
	// direction (spec: leak is 1–50 ms late).
	MaxLeakDelay time.Duration `json:"max_leak_delay"`
	// LeakWindow is how much recent audio (both channels) the leak
	// estimator keeps and correlates; the only per-sample history held.
	LeakWindow time.Duration `json:"leak_window"`
	// LeakEarly is how often the leak is re-estimated until it is stable;
	// LeakStable how often a full correlation runs once three estimates in
	// a row agreed; LeakTrack how often a stable leak is tracked in between
	// (lag refined nearby, taps refitted: cheap, and it follows the clock
	// drift between a microphone and a playback device).
	LeakEarly  time.Duration `json:"leak_early"`
	LeakStable time.Duration `json:"leak_stable"`
	LeakTrack  time.Duration `json:"leak_track"`
	// LeakMinPeak: the correlation peak (GCC-PHAT) must stand this many
	// times above the RMS of the other lags to count as a leak.
	LeakMinPeak float64 `json:"leak_min_peak"`
	// LeakMinCancel: subtracting the estimated leak must remove at least
	// this many dB of it, or the estimate is not trusted.
	LeakMinCancel float64 `json:"leak_min_cancel_db"`
	// LeakTail: a leak through a room lingers (reverberation); the
	// predicted leak energy is held and let fall 60 dB over this time,
	// so the tail of the other party's words is not taken as own speech.
	LeakTail time.Duration `json:"leak_tail"`
	// LeakQuantile: the leak residue is this quantile of the window's
	// residual/predicted-leak energy ratios (low, since frames where the
	// receiving party also spoke only raise the ratio).
	LeakQuantile float64 `json:"leak_quantile"`
	// LeakMargin: a frame is a party's own speech only when what is left
	// after subtracting the predicted leak is this many dB above the leak
	// residue the estimator measured (the double-talk decision).
	LeakMargin float64 `json:"leak_margin_db"`
	// LeakRawMargin: and the channel itself (before subtraction) must
	// stand this many dB above the predicted leak. The subtraction is only
	// as good as the three-tap model: a leak through small speakers and a
	// room cancels by 1–4 dB at onsets and in reverberant decays, where the
	// residual alone would pass pure leak as own speech.
	LeakRawMargin float64 `json:"leak_raw_margin_db"`
	// CancelFrom: a leak whose three-tap model removes less than this
	// (dB) — a voice through a room — is handed to the adaptive
	// canceller (canceller.go); better-modelled leaks (a line's sidetone,
	// a plain delayed copy) keep the three taps and today's cost.
	CancelFrom float64 `json:"cancel_from_db"`
	// CancelTail is how much of the leak's path the canceller learns: a
	// room's reverberation (RT60 up to ~0.6 s in offices; its first 30 dB
	// die within half of it).
	CancelTail time.Duration `json:"cancel_tail"`
	// CancelLookahead: the channel being cleaned is delayed this much, so
	// bleed arriving before its reference (two devices' latencies,
	// measured 3.4–7.5 ms on a lapel pair) can be cancelled.
	CancelLookahead time.Duration `json:"cancel_lookahead"`
	// CancelMargin and CancelRawMargin are LeakMargin and LeakRawMargin
	// for a cancelled leak: own speech must stand this far above the
	// canceller's residue, and the channel this far above the predicted
	// leak.
	CancelMargin    float64 `json:"cancel_margin_db"`
	CancelRawMargin float64 `json:"cancel_raw_margin_db"`
	// PartyVoiced: a two-party channel's speech must be voiced now and
	// then too (the one-channel detector's test, VADMono.VoicedCorr,
	// VoicedBack, VoicedAhead), and may then start from PartyOnsetLevel;
	// on a channel that carries no leak of the other party, speech may
	// also sit PartySpeechRange below the party's level and run on
	// PartySpeechHold further: quieter and farther voices are taken, a
	// room's unvoiced sounds (rustle, keys, breath) are not. Where a leak
	// is known, the narrower SpeechRange and SpeechHold keep what is left
	// of it (and voices across the room) out; so they do in frames where
	// the other channel carries sound too (a third talker both
	// microphones hear), and there speech cannot start further under the
	// party's mean speech level than SpeechRange plus SpeechHold. Zero
	// keeps OnsetLevel,
	// SpeechRange and SpeechHold (which the one-channel detector uses).
	PartyVoiced      bool    `json:"party_voiced"`
	PartyOnsetLevel  float64 `json:"party_onset_level_dbfs,omitempty"`
	PartySpeechRange float64 `json:"party_speech_range_db,omitempty"`
	PartySpeechHold  float64 `json:"party_speech_hold_db,omitempty"`
	// WarmupMargin: before the first leak estimate, a channel's frame only
	// counts when it is at most this many dB below the other channel's
	// recent level (leak is at least 3 dB quieter than its source).
	WarmupMargin float64 `json:"warmup_margin_db"`

	// Mono holds what differs for a mono (mixed) recording; zero fields
	// keep the two-party value. There every voice in the room is speech,
	// near or far, and no crosstalk needs guarding against, so speech may
	// sit further below the loudest talker and run on longer.
	Mono VADMono `json:"mono"`
}

// VADMono overrides VADConfig fields for a mono (mixed) recording, and
// holds the voicing test only the mono detector runs.
type VADMono struct {
	SpeechRange float64       `json:"speech_range_db,omitempty"`
	SpeechHold  float64       `json:"speech_hold_db,omitempty"`
	OnsetLevel  float64       `json:"onset_level_dbfs,omitempty"`
	Hangover    time.Duration `json:"hangover,omitempty"`

	// VoicedCorr: a frame is voiced when the normalised autocorrelation
	// of its last 30 ms (decimated to ~2 kHz) reaches this at a pitch lag
	// (80–400 Hz); 0 turns the voicing test off. A room's own sounds
	// (fans, rustle, keys) pass a level test but are rarely voiced.
	VoicedCorr float64 `json:"voiced_corr,omitempty"`
	// VoicedBack: speech runs on only while a voiced frame was this
	// recent (unvoiced consonants and pauses inside a turn stay in);
	// VoicedAhead: speech starts only once a voiced frame comes, and then
	// reaches back at most this far before it (an unvoiced onset, "s...").
	VoicedBack  time.Duration `json:"voiced_back,omitempty"`
	VoicedAhead time.Duration `json:"voiced_ahead,omitempty"`
}

// mono returns v with the mono overrides applied.
func (v VADConfig) mono() VADConfig {
	m := v.Mono
	if m.SpeechRange != 0 {
		v.SpeechRange = m.SpeechRange
	}
	if m.SpeechHold != 0 {
		v.SpeechHold = m.SpeechHold
	}
	if m.OnsetLevel != 0 {
		v.OnsetLevel = m.OnsetLevel
	}
	if m.Hangover != 0 {
		v.Hangover = m.Hangover
	}
	return v
}

// DefaultVADConfig returns the detector's documented defaults.
func DefaultVADConfig() VADConfig {
	return VADConfig{
		HighPass:      150,
		OnsetSNR:      9,
		HoldSNR:       8,
		MinLevel:      -72,
		SpeechRange:   10,
		SpeechRise:    0.1,
		SpeechFall:    1,
		SpeechHold:    10,
		OnsetLevel:    -45,
		FloorRise:     2,
		FloorWindow:   3 * time.Second,
		DropoutHold:   250 * time.Millisecond,
		Onset:         40 * time.Millisecond,
		Hangover:      60 * time.Millisecond,
		MinSegment:    150 * time.Millisecond,
		MaskedBridge:  600 * time.Millisecond,
		MaxLeakDelay:  60 * time.Millisecond,
		LeakWindow:    time.Second,
		LeakEarly:     time.Second,
		LeakStable:    time.Minute,
		LeakTrack:     15 * time.Second,
		LeakMinPeak:   6,
		LeakMinCancel: 1,
		LeakTail:      300 * time.Millisecond,
		LeakQuantile:  0.25,
		LeakMargin:    8,
		LeakRawMargin: 4,
		WarmupMargin:  2,

		// The crosstalk canceller (canceller.go).
		CancelFrom:      15,
		CancelTail:      350 * time.Millisecond,
		CancelLookahead: 12 * time.Millisecond,
		CancelMargin:    8,
		CancelRawMargin: 1,

		// Two-party speech held as the one-channel detector holds it
		// (tuned on the real excerpts trn00-03 and trn05, reported on
		// trn04 and trn06-09; see the README).
		PartyVoiced:      true,
		PartyOnsetLevel:  -47,
		PartySpeechRange: 10,
		PartySpeechHold:  20,

		// Mono: measured as turns (pauses inside a turn belong to it, as
		// the real meeting references count them), down to quieter,
		// farther talkers.
		Mono: VADMono{Hangover: 400 * time.Millisecond, OnsetLevel: -47,
			VoicedCorr: 0.8, VoicedBack: 800 * time.Millisecond, VoicedAhead: 200 * time.Millisecond},
	}
}
