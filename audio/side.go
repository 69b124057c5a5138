package audio

import (
	"fmt"
	"strings"

	"callcoach/analysis"
)

// Side is one channel of a stereo file or device. A call file carries the
// rep on Left and the customer on Right unless its channel map says
// otherwise; Side is how every layer names "the rep's channel" (the
// library, the recorder, the command line's --rep-channel, the app's
// pickers) instead of comparing the strings "left" and "right".
//
// Its text form ("left", "right") is what libraries, settings and JSON
// have always stored, so values written before the type existed read back
// unchanged; the empty string reads as Left, the default layout.
type Side uint8

// The two sides of a stereo channel pair.
const (
	Left Side = iota
	Right
)

// ParseSide reads "left" or "right" (any case; "" is Left).
func ParseSide(s string) (Side, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "left", "l":
		return Left, nil
	case "right", "r":
		return Right, nil
	}
	return Left, fmt.Errorf("a channel is left or right, not %q", s)
}

// String is "left" or "right".
func (s Side) String() string {
	if s == Right {
		return "right"
	}
	return "left"
}

// Other is the opposite side.
func (s Side) Other() Side { return 1 - s&1 }

// Index is the side's position in an interleaved stereo frame (0 or 1).
func (s Side) Index() int { return int(s & 1) }

// Set parses a flag value (flag.Value).
func (s *Side) Set(v string) error {
	p, err := ParseSide(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// MarshalText writes "left" or "right".
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText writes ("" as Left).
func (s *Side) UnmarshalText(b []byte) error { return s.Set(string(b)) }

// Channels is the channel map of a stereo call whose rep is on side rep.
func (s Side) Channels() analysis.Channels {
	return analysis.Channels{Rep: s.String(), Customer: s.Other().String()}
}

// RepSide reads the rep's side back from a stored channel map. ok is false
// when the map does not name a side of one stereo file: a mono (mixed)
// recording, or a call merged from one file per party (whose map names the
// files; merged calls carry the rep on the left).
func RepSide(ch analysis.Channels) (side Side, ok bool) {
	switch {
	case ch.OneChannel != "":
		return Left, false
	case strings.EqualFold(ch.Rep, "right") || strings.EqualFold(ch.Customer, "left"):
		return Right, true
	case strings.EqualFold(ch.Rep, "left") || strings.EqualFold(ch.Customer, "right"):
		return Left, true
	}
	return Left, false
}
