// Package analysis turns two parties' audio into the figures defined in
// shared/spec/metrics.md: speech segments, talk time, overlaps, silences,
// backchannels, interruptions, monologues, interactivity, patience and the
// listening verdict.
//
// It is pure: samples in, a Result out. It imports only the standard library,
// so it builds and tests with no sound card, no display and no cgo.
package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Dur is a time.Duration that travels in JSON as seconds (rounded to the
// millisecond), the unit every CallCoach file and the CLI use.
type Dur time.Duration

// D returns d as a time.Duration.
func (d Dur) D() time.Duration { return time.Duration(d) }

// Seconds returns d in seconds.
func (d Dur) Seconds() float64 { return time.Duration(d).Seconds() }

// MarshalJSON encodes d as seconds with three decimals.
func (d Dur) MarshalJSON() ([]byte, error) {
	s := math.Round(time.Duration(d).Seconds()*1000) / 1000
	return strconv.AppendFloat(nil, s, 'f', -1, 64), nil
}

// UnmarshalJSON decodes seconds.
func (d *Dur) UnmarshalJSON(b []byte) error {
	var s float64
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration in seconds: %w", err)
	}
	*d = Dur(time.Duration(math.Round(s * float64(time.Second))))
	return nil
}

// Speaker names a party of the call.
type Speaker uint8

const (
	// Rep is the person using the app, heard on the microphone.
	Rep Speaker = iota
	// Customer is the far end, heard on the headset / system playback.
	Customer
	// Unattributed is speech of a one-channel recording that was not told
	// apart: someone spoke, but it is not known who.
	Unattributed
	// Speaker1 and Speaker2 are the two voices a one-channel recording was
	// split into, before it is known which one is the rep (see
	// Diarization).
	Speaker1
	Speaker2
)

// Mixed is the old name of Unattributed.
//
// Deprecated: use Unattributed ("mixed" also named a verdict band and a
// playback mode).
const Mixed = Unattributed

var speakerNames = [...]string{Rep: "rep", Customer: "customer", Unattributed: "unattributed", Speaker1: "speaker_1", Speaker2: "speaker_2"}

func (s Speaker) String() string {
	if int(s) < len(speakerNames) {
		return speakerNames[s]
	}
	return "speaker(" + strconv.Itoa(int(s)) + ")"
}

// Other returns the other party of a two-party call (or the other voice of
// a split one-channel call).
func (s Speaker) Other() Speaker {
	switch s {
	case Rep:
		return Customer
	case Customer:
		return Rep
	case Speaker1:
		return Speaker2
	case Speaker2:
		return Speaker1
	}
	return s
}

// MarshalJSON encodes s as "rep", "customer", "unattributed", "speaker_1"
// or "speaker_2".
func (s Speaker) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON decodes what MarshalJSON writes, and "mixed" (the name
// results stored before the split of one-channel calls used for
// Unattributed).
func (s *Speaker) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("speaker: %w", err)
	}
	if name == "mixed" {
		*s = Unattributed
		return nil
	}
	for i, n := range speakerNames {
		if n == name {
			*s = Speaker(i)
			return nil
		}
	}
	return fmt.Errorf("speaker: unknown party %q (want rep, customer, unattributed, speaker_1 or speaker_2)", name)
}

// Segment is a run of one party's active 10 ms frames, gaps shorter than
// Config.BridgeGap bridged. End is exclusive.
type Segment struct {
	Speaker Speaker `json:"speaker"`
	Start   Dur     `json:"start_s"`
	End     Dur     `json:"end_s"`
}

// Len is the segment's length.
func (s Segment) Len() time.Duration { return time.Duration(s.End - s.Start) }

// Span is a stretch of time, End exclusive.
type Span struct {
	Start Dur `json:"start_s"`
	End   Dur `json:"end_s"`
}

// Len is the span's length.
func (s Span) Len() time.Duration { return time.Duration(s.End - s.Start) }

// Interruption is B starting a floor-taking utterance while A speaks, both
// speaking at once for Config.InterruptOverlap or more. It is placed at B's
// onset (At) and attributed to B (By).
type Interruption struct {
	At      Dur     `json:"at_s"`
	By      Speaker `json:"by"`
	Yielded bool    `json:"yielded"`   // A stopped within Config.YieldWithin of At
	Overlap Dur     `json:"overlap_s"` // how long both spoke at once
}

// Backchannel is a short utterance ("mm-hm", "right") that starts while the
// other party holds the floor. It takes no floor and is never an interruption.
type Backchannel struct {
	At       Dur     `json:"at_s"`
	By       Speaker `json:"by"`
	Duration Dur     `json:"duration_s"`
}

// Monologue is a stretch in which one party holds the floor without a break.
type Monologue struct {
	Speaker Speaker `json:"speaker"`
	Start   Dur     `json:"start_s"`
	End     Dur     `json:"end_s"`
}

// PerParty holds one figure for each party.
type PerParty struct {
	Rep      Dur `json:"rep"`
	Customer Dur `json:"customer"`
	// Unattributed is set for one-channel recordings whose speech was not
	// split between the parties.
	Unattributed Dur `json:"unattributed,omitempty"`
}

// UnmarshalJSON reads PerParty, and "mixed" as Unattributed (stored
// results from before the rename).
func (p *PerParty) UnmarshalJSON(b []byte) error {
	type plain PerParty
	var v struct {
		plain
		Mixed Dur `json:"mixed"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = PerParty(v.plain)
	if p.Unattributed == 0 {
		p.Unattributed = v.Mixed
	}
	return nil
}

// Of returns the figure of party s.
func (p PerParty) Of(s Speaker) Dur {
	switch s {
	case Rep:
		return p.Rep
	case Customer:
		return p.Customer
	}
	return p.Unattributed
}

// Patience is the gap between the end of the customer's speech and the start
// of the rep's next floor-taking utterance, over gaps of zero or more.
type Patience struct {
	Mean   Dur `json:"mean"`
	Median Dur `json:"median"`
	Count  int `json:"count"` // how many gaps were measured
}

// Channels says which channel of the recording carries which party.
type Channels struct {
	Rep      string `json:"rep,omitempty"`      // "left", "right", or a file name
	Customer string `json:"customer,omitempty"` // "left", "right", or a file name
	// OneChannel is set when one channel carries both parties: "mono"
	// for a mono file, "identical" for a stereo file whose two channels
	// carry the same audio.
	OneChannel string `json:"one_channel,omitempty"`
}

// UnmarshalJSON reads Channels, and "mixed" as OneChannel (stored results
// from before the rename).
func (c *Channels) UnmarshalJSON(b []byte) error {
	type plain Channels
	var v struct {
		plain
		Mixed string `json:"mixed"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Channels(v.plain)
	if c.OneChannel == "" {
		c.OneChannel = v.Mixed
	}
	return nil
}

// Verdict names the listening verdict.
type Verdict string

// The three verdicts.
const (
	VerdictListening    Verdict = "listening"
	VerdictMixed        Verdict = "mixed"
	VerdictScriptDriven Verdict = "script-driven"
	// NoVerdict is given where a verdict cannot be made (a one-channel
	// recording whose split is unsure or whose rep is not known, or no
	// speech).
	NoVerdict Verdict = ""
)

// Label is the verdict as a reader sees it on every screen and in every
// report: "Listening", "Mixed", "Script-driven" or "No verdict".
func (v Verdict) Label() string {
	switch v {
	case VerdictListening:
		return "Listening"
	case VerdictMixed:
		return "Mixed"
	case VerdictScriptDriven:
		return "Script-driven"
	}
	return "No verdict"
}

// Factor is one input of the listening score: a measured figure against its
// target, and the plain-words reason built from it.
type Factor struct {
	Name   string  `json:"name"`   // e.g. "rep_talk_share"
	Value  float64 `json:"value"`  // the measured figure, in Unit
	Target string  `json:"target"` // e.g. "under 55%"
	Unit   string  `json:"unit"`   // e.g. "%", "per 10 min", "s"
	OK     bool    `json:"ok"`     // whether Value meets Target
	Points float64 `json:"points"` // what this factor took off the score
	Reason string  `json:"reason"` // e.g. "You talked 84% of the call (target: under 55%)"
}

// Listening is the listening score (0–100), the verdict and its reasons.
type Listening struct {
	Score   int      `json:"score"`
	Verdict Verdict  `json:"verdict"`
	Reasons []string `json:"reasons"`
	Factors []Factor `json:"factors,omitempty"`
}

// Result is everything the analysis measures about one call. It is the one
// type the CLI prints, the store keeps and the app draws.
type Result struct {
	File     string   `json:"file,omitempty"`
	Duration Dur      `json:"duration_s"`
	Channels Channels `json:"channels"`
	// Notes are plain sentences about the input a reader should know, e.g.
	// that a header was repaired or that a mono file cannot tell the parties
	// apart.
	Notes []string `json:"notes,omitempty"`

	Segments []Segment `json:"segments"`
	Talk     PerParty  `json:"talk_s"`
	// RepTalkShare is rep talk / (rep talk + customer talk), 0..1.
	RepTalkShare float64 `json:"rep_talk_share"`
	Overlap      Dur     `json:"overlap_s"`
	Silence      Dur     `json:"silence_s"`
	LongSilences []Span  `json:"long_silences"`

	Interruptions []Interruption `json:"interruptions"`
	Backchannels  []Backchannel  `json:"backchannels"`
	Monologues    []Monologue    `json:"monologues,omitempty"`
	// LongestMonologue holds, per party, the longest monologue: the rep's is
	// the spec's "longest monologue", the customer's its "longest customer
	// story".
	LongestMonologue PerParty `json:"longest_monologue_s"`
	FloorChanges     int      `json:"floor_changes"`
	// Interactivity is floor changes per minute of call.
	Interactivity float64  `json:"interactivity_per_min"`
	Patience      Patience `json:"patience_s"`

	Listening Listening `json:"listening"`

	// Voice evidence of a script (issue 10). Script is filled in by the
	// workflow that matches the rep's speech across their calls, before it
	// runs Judge again (script.go); nil when the call was not compared.
	// Delivery holds the delivery cues of each rep monologue long enough to
	// measure (delivery.go); filled in by the file analysis.
	Script   *ScriptEvidence `json:"script,omitempty"`
	Delivery []DeliveryCue   `json:"delivery,omitempty"`

	// Recording: what was measured about the recording itself (bleed,
	// signal-to-noise, clipping) and the warnings to read first
	// (recording.go).
	Recording Recording `json:"recording"`

	// Diarization is set for a one-channel recording whose speech was
	// split between two voices (diarize.go): how sure the split is, which
	// voice is the rep, the corrections a user made. Every figure above
	// then comes "from a one-channel recording".
	Diarization *Diarization `json:"diarization,omitempty"`
	// RepVoice is the rep's voice print from a two-party call, when the
	// analysis was asked for it (Analyzer.KeepRepVoice): what the rep's
	// voice profile is made of.
	RepVoice *VoicePrint `json:"rep_voice,omitempty"`
}

// SegmentsOf returns the segments of party s, in time order.
func (r *Result) SegmentsOf(s Speaker) []Segment {
	var out []Segment
	for _, seg := range r.Segments {
		if seg.Speaker == s {
			out = append(out, seg)
		}
	}
	return out
}

// HasParties says whether r tells the rep from the customer: a two-channel
// call, or a mono one whose speech the analysis attributed to the parties.
// A mono result without parties measures speech, silence and its notes
// only; its rep and customer figures are not zero, they are unknown, and
// every screen shows what r has instead (the workflow layer, issue 8).
func (r *Result) HasParties() bool {
	return r.Channels.OneChannel == "" || r.Talk.Rep > 0 || r.Talk.Customer > 0
}
