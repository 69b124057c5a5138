package interchange

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func dur(s float64) analysis.Dur { return analysis.Dur(sec(s)) }

// fixtureCall is a 60-second two-party call whose truth is known by
// construction: the rep cuts in at 17 s (the customer yields), the
// customer cuts in at 22 s and talks on, and the rep says "mm-hm" once.
// Its annotations overlap (two tiers), include points, accents, quotes,
// a dash and an ellipsis.
func fixtureCall(t testing.TB) Call {
	t.Helper()
	segs := []analysis.Segment{
		{Speaker: analysis.Rep, Start: dur(0), End: dur(6)},
		{Speaker: analysis.Customer, Start: dur(6.5), End: dur(18)},
		{Speaker: analysis.Rep, Start: dur(10), End: dur(10.4)},
		{Speaker: analysis.Rep, Start: dur(17), End: dur(25)},
		{Speaker: analysis.Customer, Start: dur(22), End: dur(36)},
		{Speaker: analysis.Rep, Start: dur(36.6), End: dur(42)},
		{Speaker: analysis.Customer, Start: dur(43), End: dur(55.25)},
	}
	r := analysis.Measure(segs, analysis.TwoParty, sec(60), analysis.DefaultConfig())
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	c := &store.Call{ID: 7, Title: "Renewal — Müller GmbH", Rep: "Zoë Ångström", Customer: "Müller GmbH",
		RecordedAt: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC), Duration: sec(60),
		Channels: r.Channels, Source: store.SourceImported, Status: store.StatusComplete, Result: &r,
		Tags: []string{"good question", "interrupted", "missed cue", "read the script"}}
	as := []store.Annotation{
		{ID: 1, CallID: 7, Start: sec(5), End: sec(9), Tag: "interrupted", Note: "You cut her off — let José finish…", Author: "Dana"},
		{ID: 2, CallID: 7, Start: sec(7), End: sec(12), Tag: "good question", Author: "Dana"},
		{ID: 3, CallID: 7, Start: sec(20), End: sec(20), Note: "Price: said too early", Author: "Lee"},
		{ID: 4, CallID: 7, Start: sec(30), End: sec(31.5), Tag: "missed cue", Note: `She said "next week" twice`, Author: "Lee"},
		{ID: 5, CallID: 7, Start: sec(40.125), End: sec(40.125), Tag: "read the script", Author: "Dana"},
		{ID: 6, CallID: 7, Start: sec(44), End: sec(50), Note: "let them talk", Author: "Dana"},
	}
	if len(r.Interruptions) != 2 {
		t.Fatalf("fixture: got %d interruptions, want 2: %+v", len(r.Interruptions), r.Interruptions)
	}
	return Call{Call: c, Annotations: as, AudioFile: "/data/calls/2026/call 7.wav"}
}

// knownTags says whether a tag is one of the fixture's.
func knownTags(c Call) func(string) bool {
	return func(s string) bool {
		for _, t := range c.Tags {
			if strings.EqualFold(t, s) {
				return true
			}
		}
		return false
	}
}

// tool returns the path of a command the test needs; the tools are part
// of `make deps`, so a missing one fails the test rather than skip it.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run 'make deps' (it installs the Debian package) and test again", name)
	}
	return p
}
