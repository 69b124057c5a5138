package analysis

// ScriptEvidence is what matching this call's rep speech against the same
// rep's other calls found: how much of what the rep said here was also said,
// acoustically the same passage, in their other recent calls. Analysis of
// one call cannot know it; the workflow that holds the library fills it in
// (Result.Script) and then runs Judge again, so the verdict can say "You
// said the same 10-second passage in 12 of your last 15 calls".
//
// A nil Result.Script means the call was not compared with any other (no
// library, a rep with no other calls, a mono recording): the verdict then
// says nothing about script reuse. A non-nil one with CallsConsidered == 0
// means the same.
type ScriptEvidence struct {
	// ReusedShare is the share of the rep's talk in this call (0..1) that
	// lies inside passages also said in at least one of the other calls
	// considered.
	ReusedShare float64 `json:"reused_share"`
	// Longest is the longest such passage in this call, and LongestAt where
	// it starts (seconds from the start of this call).
	Longest   Dur `json:"longest_s"`
	LongestAt Dur `json:"longest_at_s"`
	// CallsSharing is how many of the other calls considered share at least
	// one passage with this call; CallsConsidered how many of the rep's
	// other recent calls were compared. Neither counts this call.
	CallsSharing    int `json:"calls_sharing"`
	CallsConsidered int `json:"calls_considered"`
}

// compared reports whether e holds a comparison with at least one other
// call.
func (e *ScriptEvidence) compared() bool { return e != nil && e.CallsConsidered > 0 }
