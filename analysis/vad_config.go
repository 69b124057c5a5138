package analysis

// VADConfig tunes the speech activity detector. (Owned by the activity
// detector; placeholder until it lands.)
type VADConfig struct{}

// DefaultVADConfig returns the detector's documented defaults.
func DefaultVADConfig() VADConfig { return VADConfig{} }
