package interchange

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"callcoach/analysis"
)

// EncodeLabel writes an annotation's tag and note as one label, the way
// Praat, ELAN and Audacity show it: "tag: note", or just "tag" or just
// "note". A note that DecodeLabel would misread (it holds ": ", ends in a
// colon or reads like an interruption label) gets a leading ": ".
func EncodeLabel(tag, note string) string {
	switch {
	case tag != "" && note != "":
		return tag + ": " + note
	case tag != "":
		if strings.Contains(tag, ": ") || strings.HasSuffix(tag, ":") || isInterruptionText(tag) {
			return tag + ":"
		}
		return tag
	case note == "":
		return ""
	case strings.Contains(note, ": ") || strings.HasPrefix(note, ":") || strings.HasSuffix(note, ":") || isInterruptionText(note):
		return ": " + note
	}
	return note
}

// DecodeLabel reads a label back into a tag and a note. "tag: note" splits
// at the first ": " — or at a later one where the text before it names a
// tag the library knows (known may be nil); ": note" is a note alone,
// "tag:" a tag alone. A label without ": " is a tag when the library
// knows a tag of that name (any case), otherwise a note.
func DecodeLabel(label string, known func(tag string) bool) (tag, note string) {
	label = strings.TrimSpace(label)
	if known == nil {
		known = func(string) bool { return false }
	}
	if rest, ok := strings.CutPrefix(label, ":"); ok {
		return "", strings.TrimSpace(rest)
	}
	if i := strings.Index(label, ": "); i >= 0 {
		for j := i; j >= 0; {
			if known(label[:j]) {
				return strings.TrimSpace(label[:j]), strings.TrimSpace(label[j+2:])
			}
			k := strings.Index(label[j+2:], ": ")
			if k < 0 {
				break
			}
			j += 2 + k
		}
		return strings.TrimSpace(label[:i]), strings.TrimSpace(label[i+2:])
	}
	if t, ok := strings.CutSuffix(label, ":"); ok {
		return strings.TrimSpace(t), ""
	}
	if known(label) {
		return label, ""
	}
	return "", label
}

// InterruptionText labels an interruption: who cut in and whether the other
// party yielded, e.g. "rep interrupts customer (customer yields)".
func InterruptionText(in analysis.Interruption) string {
	by, of := in.By.String(), in.By.Other().String()
	outcome := of + " talks on"
	if in.Yielded {
		outcome = of + " yields"
	}
	return by + " interrupts " + of + " (" + outcome + ")"
}

// isInterruptionText says whether a label is one InterruptionText writes:
// such labels in an imported Audacity track are CallCoach's own marks,
// not a coach's, and are not imported.
func isInterruptionText(s string) bool {
	for _, by := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
		for _, y := range []bool{false, true} {
			if s == InterruptionText(analysis.Interruption{By: by, Yielded: y}) {
				return true
			}
		}
	}
	return false
}

// labelLine keeps a label on its line: tabs and line breaks become spaces.
var labelLine = strings.NewReplacer("\t", " ", "\r\n", " ", "\r", " ", "\n", " ")

// WriteLabels writes the call's annotations and interruptions as an
// Audacity label track (File > Import > Labels): start, end and text,
// tab-separated, seconds with six decimals, in time order. An
// interruption spans the overlap it started.
func WriteLabels(w io.Writer, c Call) error {
	type label struct {
		start, end time.Duration
		text       string
	}
	var ls []label
	for _, a := range c.Annotations {
		ls = append(ls, label{a.Start, a.End, EncodeLabel(a.Tag, a.Note)})
	}
	if !c.mono() {
		for _, in := range c.Result.Interruptions {
			ls = append(ls, label{in.At.D(), in.At.D() + in.Overlap.D(), InterruptionText(in)})
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].start < ls[j].start })
	bw := bufio.NewWriter(w)
	for _, l := range ls {
		fmt.Fprintf(bw, "%.6f\t%.6f\t%s\n", l.start.Seconds(), l.end.Seconds(), labelLine.Replace(l.text))
	}
	return bw.Flush()
}

// readLabels parses an Audacity label track: one label per line, start,
// end and text separated by tabs (the text may be missing); lines that
// start with a backslash carry a label's frequency range and are skipped.
// It returns the labels in file order, CallCoach's own interruption labels
// left out (skipped counts them).
func readLabels(text string) (marks []rawMark, skipped int, err error) {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "\\") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 {
			return nil, 0, fmt.Errorf("line %d is not an Audacity label (start, end and text separated by tabs): %q", i+1, clip(line))
		}
		start, err1 := parseSeconds(f[0])
		end, err2 := parseSeconds(f[1])
		if err1 != nil || err2 != nil {
			return nil, 0, fmt.Errorf("line %d has no start and end time in seconds: %q", i+1, clip(line))
		}
		label := ""
		if len(f) == 3 {
			label = f[2]
		}
		if isInterruptionText(strings.TrimSpace(label)) {
			skipped++
			continue
		}
		marks = append(marks, rawMark{start: start, end: end, label: label, where: fmt.Sprintf("line %d", i+1)})
	}
	if len(marks) == 0 && skipped == 0 {
		return nil, 0, errEmpty
	}
	return marks, skipped, nil
}

// looksLikeLabels says whether the text's first non-blank line is an
// Audacity label, so a broken label track is told apart from some other
// file.
func looksLikeLabels(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 {
			return false
		}
		_, err1 := parseSeconds(f[0])
		_, err2 := parseSeconds(f[1])
		return err1 == nil && err2 == nil
	}
	return false
}

// parseSeconds reads a time in seconds ("12.5"; a decimal comma is taken
// too, as some locales write it).
func parseSeconds(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ",") && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e7 {
		return 0, fmt.Errorf("not a time in seconds: %q", s)
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}

// clip shortens a quoted piece of input for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
