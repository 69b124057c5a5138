package analysis

// fingerprintSamples fingerprints one channel's speech as the workflow
// does: the analysis finds the speech (a mono channel's own segments), the
// Fingerprinter measures it.
func fingerprintSamples(x []float32, rate int) (*Fingerprint, error) {
	a, err := NewAnalyzer(DefaultConfig(), rate, MonoMixed)
	if err != nil {
		return nil, err
	}
	a.Write(x, nil)
	res := a.Finish()
	f, err := NewFingerprinter(rate, res.Segments)
	if err != nil {
		return nil, err
	}
	f.Write(x)
	return f.Finish(), nil
}
