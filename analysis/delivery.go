package analysis

// DeliveryCue is how the rep spoke during one monologue long enough to
// measure: the cues that tell reading aloud from talking freely (issue 10).
// A figure that could not be measured on this stretch (too few pauses for a
// spread, too little voicing for a pitch) is null in JSON.
type DeliveryCue struct {
	Start Dur `json:"start_s"`
	End   Dur `json:"end_s"`
	// RateSyl is the speaking rate: syllable nuclei (peaks of the voiced
	// envelope) per second of speaking, pauses left out.
	RateSyl *float64 `json:"rate_syl_s"`
	// RateCV is the rate's coefficient of variation across the stretch's
	// phrases: low is a steady pace.
	RateCV *float64 `json:"rate_cv"`
	// PauseCV is the coefficient of variation of the pauses' lengths: low
	// is evenly spaced, evenly long pauses.
	PauseCV *float64 `json:"pause_cv"`
	// Phrase is the mean length of a phrase (speech between two pauses), in
	// seconds.
	Phrase *float64 `json:"phrase_s"`
	// PitchRange is the spread of the voice's pitch, in semitones (10th to
	// 90th percentile).
	PitchRange *float64 `json:"pitch_range_st"`
	// Declination is the pitch's drift within phrases, in semitones per
	// second (negative: falling).
	Declination *float64 `json:"pitch_declination_st_s"`
	// FilledPauses counts "uh" and "um": steady voiced stretches with a flat
	// pitch and a still spectrum.
	FilledPauses int `json:"filled_pauses"`
	// ReadLikelihood (0..1) combines only the cues that told real read
	// speech from real spontaneous speech on held-out speakers; null when
	// none of them could be measured here.
	ReadLikelihood *float64 `json:"read_likelihood"`
}
