package analysis

// repVoice collects the rep's speech features in a two-party call, up to
// repVoiceFrames (three minutes of speech: a voice print does not get
// sharper past that, and the extractor stops costing anything once it is
// full).
type repVoice struct {
	cep   *Cepstrum
	feats featureStore
}

const repVoiceFrames = 18000

func (r *repVoice) full() bool { return len(r.feats.frame) >= repVoiceFrames }

// KeepRepVoice asks a two-party Analyzer for the rep's voice print
// (Result.RepVoice): from the rep's own speech frames, crosstalk excluded,
// for the rep's voice profile that recognises them in one-channel calls.
// Call it before the first Write; it costs about a millisecond per second
// of the first minutes of the call. It does nothing for one channel.
func (a *Analyzer) KeepRepVoice() {
	if a.layout != TwoParty || a.repVoice != nil {
		return
	}
	c, err := NewCepstrum(a.rate)
	if err != nil {
		return
	}
	a.repVoice = &repVoice{cep: c}
}

// print returns the collected frames' voice print (nil if too few).
func (r *repVoice) print() *VoicePrint {
	if r == nil {
		return nil
	}
	n := len(r.feats.frame)
	x := make([]float32, n*diarFeat)
	p := make([]float32, n)
	for i := range x {
		x[i] = float32(r.feats.c[i]) / featScale
	}
	for i := range p {
		p[i] = float32(r.feats.pitch[i]) / 10
	}
	return newVoicePrint(x, p, nil, 0, nil, nil)
}
