package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"callcoach/analysis"
)

// num writes a figure with no more decimals than it needs.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// pct writes a 0..1 share as a whole percentage, as every screen does.
func pct(share float64) string { return fmt.Sprintf("%.0f%%", math.Round(share*100)) }

// length words a duration for a reader (the analysis' own wording).
func length(d time.Duration) string { return analysis.FormatDuration(d) }

// when words an annotation's place: "0:05–0:09", or "0:20" for a moment.
func when(start, end time.Duration) string {
	if end <= start {
		return clock(start)
	}
	return clock(start) + "–" + clock(end)
}

// date words a day: "Mon 2 Mar 2026".
func date(t time.Time) string { return t.Local().Format("Mon 2 Jan 2006") }

// dateTime words a moment: "Mon 2 Mar 2026, 14:30".
func dateTime(t time.Time) string { return t.Local().Format("Mon 2 Jan 2006, 15:04") }

func verdictLabel(v analysis.Verdict) string { return v.Label() }

func verdictTone(v analysis.Verdict) Tone {
	switch v {
	case analysis.VerdictListening:
		return ToneGood
	case analysis.VerdictMixed:
		return ToneWarn
	case analysis.VerdictScriptDriven:
		return ToneBad
	}
	return ToneMuted
}

// verdictColor is the colour of a verdict's dots (the app's shades).
func verdictColor(v analysis.Verdict) Color {
	switch v {
	case analysis.VerdictListening:
		return "#2ea04f"
	case analysis.VerdictMixed:
		return "#e09010"
	case analysis.VerdictScriptDriven:
		return "#d83636"
	}
	return "#888888"
}

// factorLabels name the verdict's factors for a reader.
var factorLabels = map[string]string{
	analysis.FactorRepTalkShare:     "Rep talk share",
	analysis.FactorRepInterruptions: "Rep cuts in",
	analysis.FactorTalkedOver:       "Customer talked over",
	analysis.FactorLongestMonologue: "Longest rep monologue",
	analysis.FactorCustomerStory:    "Longest customer story",
	analysis.FactorInteractivity:    "Hand-overs (interactivity)",
	analysis.FactorPatience:         "Wait before answering",
	analysis.FactorScriptReuse:      "Script reuse",
	analysis.FactorReadDelivery:     "Sounds read",
}

// factorLabel names a factor; one the report does not know yet (a new
// verdict factor) reads from its name.
func factorLabel(name string) string {
	if l, ok := factorLabels[name]; ok {
		return l
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return "?"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// withUnit writes a factor's value in its unit: "63%", "2.5 per 10 min".
func withUnit(v float64, unit string) string {
	switch {
	case unit == "":
		return num(v)
	case strings.HasPrefix(unit, "%"):
		return num(v) + unit
	}
	return num(v) + " " + unit
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
