package interchange

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// WriteTextGrid writes the call's tiers (Tiers) as a Praat TextGrid in
// Praat's long text format, UTF-8: interval tiers for speech and
// annotations (the gaps between items as empty intervals, as Praat
// wants), point tiers (TextTier) for interruptions and point annotations.
// Times are seconds from the start of the call; the grid spans the call.
func WriteTextGrid(w io.Writer, c Call) error {
	tiers := Tiers(c)
	end := c.length()
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n")
	p("xmin = 0 \nxmax = %s \ntiers? <exists> \nsize = %d \nitem []: \n", tgTime(end), len(tiers))
	for i, t := range tiers {
		p("    item [%d]:\n", i+1)
		if t.Point {
			p("        class = \"TextTier\" \n        name = %s \n        xmin = 0 \n        xmax = %s \n", tgString(t.Name), tgTime(end))
			p("        points: size = %d \n", len(t.Items))
			for j, it := range t.Items {
				p("        points [%d]:\n            number = %s \n            mark = %s \n", j+1, tgTime(min(it.Start, end)), tgString(it.Text))
			}
			continue
		}
		ivs := intervals(t.Items, end)
		p("        class = \"IntervalTier\" \n        name = %s \n        xmin = 0 \n        xmax = %s \n", tgString(t.Name), tgTime(end))
		p("        intervals: size = %d \n", len(ivs))
		for j, it := range ivs {
			p("        intervals [%d]:\n            xmin = %s \n            xmax = %s \n            text = %s \n",
				j+1, tgTime(it.Start), tgTime(it.End), tgString(it.Text))
		}
	}
	return bw.Flush()
}

// intervals fills the gaps between items (in order, not overlapping) with
// empty intervals so they tile 0..end, as a Praat interval tier must.
// Items are clipped to the call; an item left empty is dropped.
func intervals(items []Item, end time.Duration) []Item {
	var out []Item
	at := time.Duration(0)
	for _, it := range items {
		s, e := max(it.Start, at), min(it.End, end)
		if e <= s {
			continue
		}
		if s > at {
			out = append(out, Item{Start: at, End: s})
		}
		out = append(out, Item{Start: s, End: e, Text: it.Text})
		at = e
	}
	if at < end || len(out) == 0 {
		out = append(out, Item{Start: at, End: max(end, at+time.Millisecond)})
	}
	return out
}

// tgTime writes a time in seconds with as many digits as it needs: the
// same duration always gives the same text, so adjacent intervals share
// their boundary exactly.
func tgTime(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// tgString quotes a Praat string: double quotes doubled.
func tgString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// A parsed TextGrid tier.
type tgTier struct {
	class, name string
	xmin, xmax  float64
	items       []tgItem // intervals, or points (start == end)
}

type tgItem struct {
	start, end float64
	text       string
}

type textGrid struct {
	xmin, xmax float64
	tiers      []tgTier
}

// isTextGrid says whether text starts like a Praat text file.
func isTextGrid(text string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(text, unicode.IsSpace), `File type = "ooTextFile`)
}

// parseTextGrid reads a TextGrid in Praat's long or short text format.
// Both are a stream of numbers, quoted strings and <exists> flags;
// everything else (the "xmin =" words, "[1]" indexes, "!" comments) is
// decoration Praat skips, and so does this reader.
func parseTextGrid(text string) (*textGrid, error) {
	tk := &tgTokens{s: text}
	if s, err := tk.str(); err != nil || !strings.HasPrefix(s, "ooTextFile") {
		return nil, errors.New("it does not start like a Praat text file")
	}
	if s, err := tk.str(); err != nil || s != "TextGrid" {
		return nil, fmt.Errorf("it is a Praat %q, not a TextGrid", s)
	}
	g := &textGrid{}
	var err error
	if g.xmin, err = tk.num("the grid's start time"); err != nil {
		return nil, err
	}
	if g.xmax, err = tk.num("the grid's end time"); err != nil {
		return nil, err
	}
	if !tk.exists() {
		return g, nil
	}
	n, err := tk.count("the number of tiers")
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		var t tgTier
		where := fmt.Sprintf("tier %d", i+1)
		if t.class, err = tk.str(); err != nil {
			return nil, fmt.Errorf("%s has no class: %w", where, err)
		}
		if t.name, err = tk.str(); err != nil {
			return nil, fmt.Errorf("%s has no name: %w", where, err)
		}
		where = fmt.Sprintf("tier %d (%q)", i+1, t.name)
		if t.xmin, err = tk.num(where + "'s start"); err != nil {
			return nil, err
		}
		if t.xmax, err = tk.num(where + "'s end"); err != nil {
			return nil, err
		}
		m, err := tk.count(where + "'s number of items")
		if err != nil {
			return nil, err
		}
		switch t.class {
		case "IntervalTier":
			for j := 0; j < m; j++ {
				var it tgItem
				if it.start, err = tk.num(fmt.Sprintf("%s interval %d's start", where, j+1)); err != nil {
					return nil, err
				}
				if it.end, err = tk.num(fmt.Sprintf("%s interval %d's end", where, j+1)); err != nil {
					return nil, err
				}
				if it.text, err = tk.str(); err != nil {
					return nil, fmt.Errorf("%s interval %d has no text: %w", where, j+1, err)
				}
				if it.end < it.start {
					return nil, fmt.Errorf("%s interval %d ends (%s s) before it starts (%s s)", where, j+1, fnum(it.end), fnum(it.start))
				}
				t.items = append(t.items, it)
			}
		case "TextTier":
			for j := 0; j < m; j++ {
				var it tgItem
				if it.start, err = tk.num(fmt.Sprintf("%s point %d's time", where, j+1)); err != nil {
					return nil, err
				}
				it.end = it.start
				if it.text, err = tk.str(); err != nil {
					return nil, fmt.Errorf("%s point %d has no text: %w", where, j+1, err)
				}
				t.items = append(t.items, it)
			}
		default:
			return nil, fmt.Errorf("%s is a %q, not an IntervalTier or TextTier", where, t.class)
		}
		g.tiers = append(g.tiers, t)
	}
	return g, nil
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// tgTokens reads the tokens of a Praat text file.
type tgTokens struct {
	s string
	i int
}

var errTruncated = errors.New("the file ends early")

// skip moves to the next token: a digit, sign or point (a number), a
// quote (a string) or '<' (a flag), passing over words, '[...]' indexes
// and '!' comments.
func (t *tgTokens) skip() bool {
	for t.i < len(t.s) {
		c := t.s[t.i]
		switch {
		case c == '"' || c == '<' || c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
			return true
		case c == '!':
			for t.i < len(t.s) && t.s[t.i] != '\n' {
				t.i++
			}
		case c == '[':
			for t.i < len(t.s) && t.s[t.i] != ']' {
				t.i++
			}
			t.i++
		case c == '_' || unicode.IsLetter(rune(c)):
			for t.i < len(t.s) && (t.s[t.i] == '_' || t.s[t.i] == '?' || unicode.IsLetter(rune(t.s[t.i])) || (t.s[t.i] >= '0' && t.s[t.i] <= '9')) {
				t.i++
			}
		default:
			t.i++
		}
	}
	return false
}

func (t *tgTokens) str() (string, error) {
	if !t.skip() {
		return "", errTruncated
	}
	if t.s[t.i] != '"' {
		return "", fmt.Errorf("expected a quoted text near %q", clip(t.s[t.i:min(len(t.s), t.i+30)]))
	}
	var b strings.Builder
	for j := t.i + 1; j < len(t.s); j++ {
		if t.s[j] == '"' {
			if j+1 < len(t.s) && t.s[j+1] == '"' {
				b.WriteByte('"')
				j++
				continue
			}
			t.i = j + 1
			return b.String(), nil
		}
		b.WriteByte(t.s[j])
	}
	return "", fmt.Errorf("a quoted text never ends: %w", errTruncated)
}

func (t *tgTokens) num(what string) (float64, error) {
	if !t.skip() {
		return 0, fmt.Errorf("%s is missing: %w", what, errTruncated)
	}
	j := t.i
	for j < len(t.s) && strings.IndexByte("0123456789+-.eE", t.s[j]) >= 0 {
		j++
	}
	v, err := strconv.ParseFloat(t.s[t.i:j], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s is not a number: %q", what, clip(t.s[t.i:min(len(t.s), t.i+20)]))
	}
	t.i = j
	return v, nil
}

func (t *tgTokens) count(what string) (int, error) {
	v, err := t.num(what)
	if err != nil {
		return 0, err
	}
	if v < 0 || v != math.Trunc(v) || v > 1e7 {
		return 0, fmt.Errorf("%s is not a count: %s", what, fnum(v))
	}
	return int(v), nil
}

// exists reads the "<exists>" (or "<absent>") flag; the short format
// may write it as a bare word, which skip already passed.
func (t *tgTokens) exists() bool {
	save := t.i
	if t.skip() && t.s[t.i] == '<' {
		j := strings.IndexByte(t.s[t.i:], '>')
		if j < 0 {
			return false
		}
		flag := t.s[t.i+1 : t.i+j]
		t.i += j + 1
		return flag == "exists"
	}
	t.i = save
	// Short format: "<exists>" written as such too; a bare "exists" word
	// was skipped. Assume tiers follow if anything does.
	return t.i < len(t.s)
}
