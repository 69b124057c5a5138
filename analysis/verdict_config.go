package analysis

// VerdictConfig holds the listening score's targets and weights.
// (Placeholder until the verdict lands.)
type VerdictConfig struct{}

// DefaultVerdictConfig returns the documented defaults.
func DefaultVerdictConfig() VerdictConfig { return VerdictConfig{} }
