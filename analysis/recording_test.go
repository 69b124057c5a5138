package analysis

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRecordingWarnOrder(t *testing.T) {
	var r Recording
	r.Warn(WarnStrongBleed, "bleed")
	r.Warn(WarnChannelsSwapped, "swapped")
	r.Warn(WarnNoisy, "noisy")
	r.Warn(WarnIdenticalChannels, "identical")
	r.Warn(WarnNoisy, "noisy again")
	var got []string
	for _, w := range r.Warnings {
		got = append(got, string(w.Code)+":"+w.Message)
	}
	want := "identical_channels:identical channels_swapped:swapped noisy:noisy again strong_bleed:bleed"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got %s, want %s", g, want)
	}
	if !r.Warned(WarnNoisy) || r.Warned(WarnClipping) {
		t.Errorf("Warned: got noisy %v clipping %v, want true false", r.Warned(WarnNoisy), r.Warned(WarnClipping))
	}
}

func TestRecordingJSON(t *testing.T) {
	r := Result{Recording: Recording{Warnings: []Warning{{WarnClipping, "Clipped."}}}}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"recording":{"clipped_fraction":0,"warnings":[{"code":"clipping","message":"Clipped."}]}`)) {
		t.Errorf("got %s, want the recording object with its warning", b)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || len(back.Recording.Warnings) != 1 || back.Recording.Warnings[0].Code != WarnClipping {
		t.Errorf("round trip: got %+v (%v)", back.Recording, err)
	}
}

func TestSummaryWarningsFirst(t *testing.T) {
	r := Result{Recording: Recording{Warnings: []Warning{{WarnChannelsSwapped, "Swap them."}}}}
	var b bytes.Buffer
	if err := WriteSummary(&b, &r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Warnings\n  ! Swap them.\n") {
		t.Errorf("got %q, want the warnings first", b.String())
	}
}

func TestSummarySwapAdvice(t *testing.T) {
	for _, tc := range []struct{ rep, want string }{{"left", "--rep-channel right"}, {"", "--rep-channel right"}, {"right", "--rep-channel left"}} {
		r := Result{Channels: Channels{Rep: tc.rep}, Recording: Recording{Warnings: []Warning{{WarnChannelsSwapped, "Swapped."}}}}
		var b bytes.Buffer
		if err := WriteSummary(&b, &r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("rep on %q: got %q, want it to say %s", tc.rep, b.String(), tc.want)
		}
	}
}

// TestSummarySwapCommand: with the file known, the swap advice is the exact
// command to paste, the path quoted for a shell when it needs it.
func TestSummarySwapCommand(t *testing.T) {
	for _, tc := range []struct{ file, rep, want string }{
		{"calls/acme.wav", "left", "To fix it, run: callcoach analyze calls/acme.wav --rep-channel right\n"},
		{"my calls/Ann's call.wav", "right", `To fix it, run: callcoach analyze 'my calls/Ann'\''s call.wav' --rep-channel left` + "\n"},
	} {
		r := Result{File: tc.file, Channels: Channels{Rep: tc.rep}, Recording: Recording{Warnings: []Warning{{WarnChannelsSwapped, "Swapped."}}}}
		var b bytes.Buffer
		if err := WriteSummary(&b, &r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), "Warnings\n  ! Swapped.\n    "+tc.want) {
			t.Errorf("got %q, want the warning then %q", b.String(), tc.want)
		}
	}
}
