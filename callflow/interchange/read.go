package interchange

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Mark is one annotation read from another tool's file.
type Mark struct {
	Start, End time.Duration // End == Start for a point
	Tag, Note  string
}

// Formats of annotation files ReadMarks reads.
const (
	FormatLabels   = "labels"   // Audacity label track
	FormatTextGrid = "textgrid" // Praat TextGrid (text file, long or short)
)

// Marks is what ReadMarks found.
type Marks struct {
	Format string
	Marks  []Mark
	// Tiers names the TextGrid tiers the marks came from.
	Tiers []string
	// Skipped counts labels left out: CallCoach's own interruption labels
	// in an Audacity track, which come back with the analysis anyway.
	Skipped int
}

// Slack is how far past the call's end a file's times may run and still
// be taken (clipped to the end): a TextGrid made on the call's audio in
// Praat ends at its last sample, which can differ from the stored length
// by rounding.
const Slack = 20 * time.Millisecond

var errEmpty = errors.New("it holds no labels")

// rawMark is a label before it is checked against the call.
type rawMark struct {
	start, end time.Duration
	label      string
	where      string // for messages: "line 3", "tier \"notes\" interval 2"
}

// ReadMarks reads annotations from an Audacity label track or a Praat
// TextGrid (UTF-8, UTF-16 with a byte-order mark, or Latin-1) made for a
// call of length callLen. known tells the library's tags (see
// DecodeLabel); it may be nil.
//
// A TextGrid gives the labelled intervals of its interval tiers — only
// of the annotation tiers ("annotations", "annotation points", ...) when
// it has any, as the ones CallCoach writes do, so the speech tiers do
// not come back as annotations.
//
// It is all or nothing: a file that is neither format, that cannot be
// parsed whole, whose times run past the call, or a TextGrid tier with
// nothing labelled gives an error (a sentence naming the place) and no
// marks.
func ReadMarks(data []byte, callLen time.Duration, known func(tag string) bool) (*Marks, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	var raws []rawMark
	out := &Marks{}
	switch {
	case strings.HasPrefix(strings.TrimSpace(text), `File type = "ooBinaryFile"`):
		return nil, errors.New("it is a binary Praat file: in Praat, save the TextGrid with Save as text file, then import that")
	case isTextGrid(text):
		out.Format = FormatTextGrid
		g, err := parseTextGrid(text)
		if err != nil {
			return nil, fmt.Errorf("it is not a readable Praat TextGrid: %w", err)
		}
		if raws, out.Tiers, err = gridMarks(g, callLen); err != nil {
			return nil, err
		}
	case looksLikeLabels(text):
		out.Format = FormatLabels
		if raws, out.Skipped, err = readLabels(text); err != nil {
			if errors.Is(err, errEmpty) {
				return nil, errors.New("the label track holds no labels: nothing to import")
			}
			return nil, fmt.Errorf("it is not a readable Audacity label track: %w", err)
		}
	default:
		return nil, errors.New("it is neither an Audacity label track (start, end and text separated by tabs) nor a Praat TextGrid (a text file starting 'File type = \"ooTextFile\"')")
	}
	for _, r := range raws {
		m, err := checkMark(r, callLen, known)
		if err != nil {
			return nil, err
		}
		out.Marks = append(out.Marks, m)
	}
	return out, nil
}

// gridMarks picks the tiers to import and checks the grid against the call.
func gridMarks(g *textGrid, callLen time.Duration) ([]rawMark, []string, error) {
	callS := callLen.Seconds()
	slackS := Slack.Seconds()
	if g.xmin < 0 {
		return nil, nil, fmt.Errorf("the TextGrid starts before the call (%s s)", fnum(g.xmin))
	}
	if g.xmax > callS+slackS {
		return nil, nil, fmt.Errorf("the TextGrid runs to %s s but the call is %s s long: was it made for another recording?", fnum(round3(g.xmax)), fnum(round3(callS)))
	}
	var ours, intervalTiers []int
	for i, t := range g.tiers {
		if isAnnotationTier(t.name) {
			ours = append(ours, i)
		}
		if t.class == "IntervalTier" {
			intervalTiers = append(intervalTiers, i)
		}
	}
	pick := intervalTiers
	if len(ours) > 0 {
		pick = ours
	}
	if len(pick) == 0 {
		return nil, nil, errors.New("the TextGrid has no interval tier to import annotations from")
	}
	var raws []rawMark
	var names []string
	for _, i := range pick {
		t := g.tiers[i]
		kind := "interval"
		if t.class == "TextTier" {
			kind = "point"
		}
		if len(t.items) == 0 {
			return nil, nil, fmt.Errorf("tier %d (%q) of the TextGrid is empty: delete it in Praat or add labels to it, then import again", i+1, t.name)
		}
		n := 0
		for j, it := range t.items {
			if strings.TrimSpace(it.text) == "" {
				continue
			}
			n++
			raws = append(raws, rawMark{start: secDur(it.start), end: secDur(it.end), label: it.text,
				where: fmt.Sprintf("tier %q %s %d", t.name, kind, j+1)})
		}
		if n == 0 {
			return nil, nil, fmt.Errorf("tier %d (%q) of the TextGrid has no labelled %ss: delete it in Praat or label it, then import again", i+1, t.name, kind)
		}
		names = append(names, t.name)
	}
	return raws, names, nil
}

// checkMark checks a mark against the call and splits its label.
func checkMark(r rawMark, callLen time.Duration, known func(string) bool) (Mark, error) {
	switch {
	case r.start < 0:
		return Mark{}, fmt.Errorf("%s starts before the call (%s s)", r.where, secText(r.start))
	case r.end < r.start:
		return Mark{}, fmt.Errorf("%s ends (%s s) before it starts (%s s)", r.where, secText(r.end), secText(r.start))
	case r.end > callLen+Slack:
		return Mark{}, fmt.Errorf("%s (%s–%s s) runs past the end of the call (%s s): was the file made for another recording?",
			r.where, secText(r.start), secText(r.end), secText(callLen))
	}
	m := Mark{Start: min(r.start, callLen), End: min(r.end, callLen)}
	m.Tag, m.Note = DecodeLabel(r.label, known)
	return m, nil
}

func secDur(s float64) time.Duration { return time.Duration(math.Round(s * float64(time.Second))) }

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func secText(d time.Duration) string { return fnum(round3(d.Seconds())) }

// decodeText turns a file's bytes into text: UTF-16 with a byte-order mark
// (Praat writes it for text it cannot keep in ASCII), UTF-8 with or
// without one, else Latin-1.
func decodeText(b []byte) (string, error) {
	switch {
	case len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff):
		le := b[0] == 0xff
		b = b[2:]
		if len(b)%2 != 0 {
			return "", errors.New("it is a UTF-16 text file cut short (an odd number of bytes)")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(u)), nil
	case len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf:
		b = b[3:]
	}
	if strings.IndexByte(string(b[:min(len(b), 4096)]), 0) >= 0 {
		return "", errors.New("it is not a text file")
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}
