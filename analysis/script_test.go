package analysis

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestScriptEvidenceJSON: the evidence the repeats matcher fills in travels
// through the store's JSON unchanged, and a call never compared carries no
// "script" key at all (not a zero share that would read as "no reuse").
func TestScriptEvidenceJSON(t *testing.T) {
	r := Result{Script: &ScriptEvidence{ReusedShare: 0.42, Longest: Dur(10500 * time.Millisecond), LongestAt: Dur(35 * time.Second), CallsSharing: 11, CallsConsidered: 14}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Script == nil || *back.Script != *r.Script {
		t.Errorf("round trip: got %+v, want %+v", back.Script, r.Script)
	}
	b, _ = json.Marshal(Result{})
	if strings.Contains(string(b), `"script"`) {
		t.Errorf("a call never compared: got %s, want no script key", b)
	}
}
