package audio

import (
	"encoding/json"
	"strings"
	"testing"

	"callcoach/analysis"
)

func TestSide(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Side
	}{{"", Left}, {"left", Left}, {"LEFT", Left}, {" right ", Right}, {"R", Right}} {
		got, err := ParseSide(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSide(%q): got %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if _, err := ParseSide("middle"); err == nil || !strings.Contains(err.Error(), `left or right, not "middle"`) {
		t.Errorf(`ParseSide("middle"): got %v, want a sentence naming left or right`, err)
	}
	if Left.Other() != Right || Right.Other() != Left || Right.Index() != 1 || Left.Index() != 0 {
		t.Error("Other or Index is wrong")
	}
	// The text form is what libraries and settings stored before the type.
	var v struct {
		Ch Side `json:"ch"`
	}
	if err := json.Unmarshal([]byte(`{"ch":"right"}`), &v); err != nil || v.Ch != Right {
		t.Errorf(`unmarshal "right": got %v, %v`, v.Ch, err)
	}
	if b, _ := json.Marshal(v); string(b) != `{"ch":"right"}` {
		t.Errorf("marshal: got %s", b)
	}
	if got := Right.Channels(); got != (analysis.Channels{Rep: "right", Customer: "left"}) {
		t.Errorf("Right.Channels(): got %+v", got)
	}
	for _, c := range []struct {
		ch   analysis.Channels
		side Side
		ok   bool
	}{
		{analysis.Channels{Rep: "left", Customer: "right"}, Left, true},
		{analysis.Channels{Rep: "right", Customer: "left"}, Right, true},
		{analysis.Channels{OneChannel: "mono"}, Left, false},
		{analysis.Channels{Rep: "rep.wav", Customer: "cust.wav"}, Left, false},
	} {
		if s, ok := RepSide(c.ch); s != c.side || ok != c.ok {
			t.Errorf("RepSide(%+v): got %v %v, want %v %v", c.ch, s, ok, c.side, c.ok)
		}
	}
}
