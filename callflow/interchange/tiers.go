package interchange

import (
	"sort"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// Call is what an export reads: a finished call with its analysis, its
// annotations and the absolute path of its audio (for the formats that
// link it).
type Call struct {
	*store.Call
	Annotations []store.Annotation
	AudioFile   string
	Repeats     []analysis.Repeat // the JSON form carries them
}

// mono reports whether the call's speech belongs to no party (a mixed,
// one-channel recording the analysis could not split).
func (c Call) mono() bool { return c.Result != nil && !c.Result.HasParties() }

// length is the call's length: the analysis' if known, else the store's.
func (c Call) length() time.Duration {
	if c.Result != nil && c.Result.Duration > 0 {
		return c.Result.Duration.D()
	}
	return c.Duration
}

// Tier names. Speech tiers are named for the party; annotation tiers that
// would overlap are split into "annotations", "annotations 2", ...
const (
	TierRep              = "rep"
	TierCustomer         = "customer"
	TierSpeech           = "speech" // a mono call's one speech tier
	TierInterruptions    = "interruptions"
	TierAnnotations      = "annotations"
	TierAnnotationPoints = "annotation points"
)

// SpeechLabel labels an interval of speech in the speech tiers.
const SpeechLabel = "speech"

// Item is one interval (or, in a point tier, one point: End == Start) of a
// tier, with its label.
type Item struct {
	Start, End time.Duration
	Text       string
	// Span is how long a point lasts where a format has no points (EAF):
	// an interruption's overlap; 0 for a point annotation.
	Span time.Duration
}

// Tier is a named row of items in time order that do not overlap.
type Tier struct {
	Name  string
	Point bool // a point tier (Praat TextTier): each item is a moment
	Items []Item
}

// Tiers returns the call as tiers, in the order every format writes them:
// the speech of the rep and the customer (one "speech" tier for a mono
// call), the interruptions (a point tier at each interruption's onset),
// the range annotations (split into as many tiers as their overlaps need)
// and the point annotations (likewise).
func Tiers(c Call) []Tier {
	r := c.Result
	var out []Tier
	if c.mono() {
		out = append(out, speechTier(TierSpeech, r, analysis.Unattributed))
	} else {
		out = append(out, speechTier(TierRep, r, analysis.Rep), speechTier(TierCustomer, r, analysis.Customer))
		ints := Tier{Name: TierInterruptions, Point: true}
		for _, in := range r.Interruptions {
			ints.Items = append(ints.Items, Item{in.At.D(), in.At.D(), InterruptionText(in), in.Overlap.D()})
		}
		out = append(out, ints)
	}
	var ranges, points []Item
	for _, a := range c.Annotations {
		it := Item{Start: a.Start, End: a.End, Text: EncodeLabel(a.Tag, a.Note)}
		if a.IsPoint() {
			points = append(points, it)
		} else {
			ranges = append(ranges, it)
		}
	}
	rt := pack(TierAnnotations, false, ranges)
	if len(rt) == 0 && len(points) == 0 {
		// Always an annotation tier, so a coach sees where to add marks;
		// not an empty one beside point annotations (it would read as an
		// empty tier on the way back in).
		rt = []Tier{{Name: TierAnnotations}}
	}
	out = append(out, rt...)
	out = append(out, pack(TierAnnotationPoints, true, points)...)
	return out
}

func speechTier(name string, r *analysis.Result, who analysis.Speaker) Tier {
	t := Tier{Name: name}
	for _, s := range r.Segments {
		if s.Speaker == who && s.End > s.Start {
			t.Items = append(t.Items, Item{Start: s.Start.D(), End: s.End.D(), Text: SpeechLabel})
		}
	}
	sort.SliceStable(t.Items, func(i, j int) bool { return t.Items[i].Start < t.Items[j].Start })
	return t
}

// pack spreads items over as few tiers as keep each tier free of overlaps
// (points: of two points at one moment), first fit in time order. The
// first tier is called name, the next "name 2", and so on.
func pack(name string, point bool, items []Item) []Tier {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Start != items[j].Start {
			return items[i].Start < items[j].Start
		}
		return items[i].End < items[j].End
	})
	var tiers []Tier
	for _, it := range items {
		placed := false
		for i := range tiers {
			last := tiers[i].Items[len(tiers[i].Items)-1]
			free := last.End <= it.Start
			if point {
				free = last.Start < it.Start
			}
			if free {
				tiers[i].Items = append(tiers[i].Items, it)
				placed = true
				break
			}
		}
		if !placed {
			n := name
			if len(tiers) > 0 {
				n = name + " " + itoa(len(tiers)+1)
			}
			tiers = append(tiers, Tier{Name: n, Point: point, Items: []Item{it}})
		}
	}
	return tiers
}

// isAnnotationTier says whether a tier name is one of the annotation tiers
// Tiers writes ("annotations", "annotations 2", "annotation points", ...).
func isAnnotationTier(name string) bool {
	for _, base := range []string{TierAnnotations, TierAnnotationPoints} {
		if name == base {
			return true
		}
		if rest, ok := strings.CutPrefix(name, base+" "); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}
