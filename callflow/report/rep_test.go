package report

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// repFixture is n calls of one rep over March 2026, every third scripted,
// each analysed from segments known by construction.
func repFixture(t testing.TB, n int) RepInput {
	t.Helper()
	cfg := analysis.DefaultConfig()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	in := RepInput{Rep: "Zoë Ångström", Since: start, Until: start.AddDate(0, 1, 0), Verdict: cfg.Verdict, Made: start.AddDate(0, 1, 1)}
	for i := 0; i < n; i++ {
		l := time.Duration(3+i%9) * time.Minute
		r := analysis.Measure(synthSegments(l, uint64(i+10), i%3 == 0), analysis.TwoParty, l, cfg)
		r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
		if i%4 == 1 {
			r.Script = &analysis.ScriptEvidence{ReusedShare: float64(i%10) / 20, CallsConsidered: i, CallsSharing: i / 2, Longest: dur(5), LongestAt: dur(30)}
		}
		at := start.Add(9*time.Hour + time.Duration(i)*30*24*time.Hour/time.Duration(max(n, 1)))
		in.Calls = append(in.Calls, RepCall{ID: int64(i + 1), Title: fmt.Sprintf("Call %d — Acme", i+1), Customer: "Acme", RecordedAt: at, Duration: l, Result: &r})
	}
	aid, cid := int64(3), int64(2)
	in.Clips = []store.Clip{{ID: 1, AnnotationID: &aid, CallID: &cid, Path: "clips/x.wav", Start: sec(30), End: sec(42), Tag: "good question",
		Note: "Asked about the team’s week…", Rep: in.Rep, CallTitle: "Call 2 — Acme", Created: start.AddDate(0, 0, 3)}}
	return in
}

// TestRepDocument checks the rep report's figures against the calls: the
// averages are the calls' means, the ranges their extremes, the counts on
// target the calls that met it; the best calls outscore the worst; the
// charts carry one dot per call.
func TestRepDocument(t *testing.T) {
	in := repFixture(t, 24)
	d := RepDocument(in)
	var avg Table
	var charts []*Picture
	var best, worst Table
	for i, b := range d.Blocks {
		switch b := b.(type) {
		case Table:
			if len(b.Head) > 0 && b.Head[0] == "Figure" && len(avg.Rows) == 0 {
				avg = b
			}
			if h, ok := d.Blocks[i-1].(Heading); ok && h.Text == "Best calls" {
				best = b
			}
			if h, ok := d.Blocks[i-1].(Heading); ok && h.Text == "Calls to talk about" {
				worst = b
			}
		case Figure:
			charts = append(charts, b.Pic)
		}
	}
	if len(avg.Rows) < 7 {
		t.Fatalf("averages table: %+v", avg)
	}
	// Listening score row.
	var sum float64
	lo, hi := 100, 0
	listening := 0
	for _, c := range in.Calls {
		s := c.Result.Listening.Score
		sum += float64(s)
		lo, hi = min(lo, s), max(hi, s)
		if c.Result.Listening.Verdict == analysis.VerdictListening {
			listening++
		}
	}
	if got, want := avg.Rows[0][1].Text, num(math.Round(sum/float64(len(in.Calls)))); got != want {
		t.Errorf("average score %q, want %q", got, want)
	}
	if got, want := avg.Rows[0][2].Text, fmt.Sprintf("%d–%d", lo, hi); got != want {
		t.Errorf("score range %q, want %q", got, want)
	}
	if got, want := avg.Rows[0][4].Text, fmt.Sprintf("%d of %d", listening, len(in.Calls)); got != want {
		t.Errorf("listening calls %q, want %q", got, want)
	}
	// Talk share row: the mean of the calls' factor values.
	var shareSum float64
	var ok int
	for _, c := range in.Calls {
		v, _ := factorValue(c.Result, analysis.FactorRepTalkShare)
		shareSum += v
		for _, f := range c.Result.Listening.Factors {
			if f.Name == analysis.FactorRepTalkShare && f.OK {
				ok++
			}
		}
	}
	row := avg.Rows[1]
	if row[0].Text != "Rep talk share" || row[1].Text != num(round(shareSum/float64(len(in.Calls)), 1))+"%" || row[4].Text != fmt.Sprintf("%d of %d", ok, len(in.Calls)) {
		t.Errorf("talk share row %+v (mean %.2f, %d on target)", row, shareSum/float64(len(in.Calls)), ok)
	}
	if len(best.Rows) != 3 || len(worst.Rows) != 3 {
		t.Fatalf("best %d, worst %d rows", len(best.Rows), len(worst.Rows))
	}
	minBest, maxWorst := 100, 0
	for _, r := range best.Rows {
		s, _ := strconv.Atoi(r[3].Text)
		minBest = min(minBest, s)
	}
	for _, r := range worst.Rows {
		s, _ := strconv.Atoi(r[3].Text)
		maxWorst = max(maxWorst, s)
	}
	if minBest < maxWorst {
		t.Errorf("a best call scores %d, below a worst call's %d", minBest, maxWorst)
	}
	// Charts: talk share, cuts in, talked over, score, script reuse.
	if len(charts) != 5 {
		t.Fatalf("%d charts, want 5", len(charts))
	}
	dots := func(p *Picture) int {
		n := 0
		for _, s := range p.shapes {
			if s.kind == shapePoly && s.fill != "" {
				n++
			}
		}
		return n
	}
	if n := dots(charts[0]); n != len(in.Calls) {
		t.Errorf("talk share chart: %d dots, want %d", n, len(in.Calls))
	}
	if n := dots(charts[4]); n != 6 {
		t.Errorf("script reuse chart: %d dots, want 6", n)
	}
	// Every call is listed (24 ≤ maxListedCalls).
	found := 0
	for _, s := range d.Texts() {
		if strings.HasPrefix(s, "#") && strings.Contains(s, "— Acme") {
			found++
		}
	}
	if found < len(in.Calls) {
		t.Errorf("%d calls listed, want at least %d", found, len(in.Calls))
	}
}

// TestRepReportRendered renders the rep report as HTML in Chromium and as
// PDF with poppler, and looks for the averages, the charts and the clips.
func TestRepReportRendered(t *testing.T) {
	in := repFixture(t, 30)
	d := RepDocument(in)
	dir := artifacts(t)
	var h, p bytes.Buffer
	if err := HTML(&h, d); err != nil {
		t.Fatal(err)
	}
	if err := PDF(&p, d, A4); err != nil {
		t.Fatal(err)
	}
	hp, pp := filepath.Join(dir, "rep-report.html"), filepath.Join(dir, "rep-report.pdf")
	os.WriteFile(hp, h.Bytes(), 0o600)
	os.WriteFile(pp, p.Bytes(), 0o600)
	want := []string{"Zoë Ångström", "Rep coaching report", "Averages against the targets", "Listening score", "Rep talk share",
		"Trends", "Best calls", "Calls to talk about", "Clips tagged in the period", "Asked about the team’s week…", "1 Mar 2026 – 31 Mar 2026"}
	dom := string(chromium(t, "--dump-dom", "file://"+hp))
	mustContain(t, "Chromium's DOM of the rep report", strings.ReplaceAll(dom, "&amp;", "&"), want...)
	shot := filepath.Join(dir, "rep-report-chromium.png")
	chromium(t, "--window-size=900,2400", "--screenshot="+shot, "file://"+hp)
	if share, found := inked(t, shot, colBandTarget, verdictColor(analysis.VerdictListening)); share < 0.05 || !found[0] || !found[1] {
		t.Errorf("rep report screenshot: %.1f%% inked, target band %v, listening dots %v", 100*share, found[0], found[1])
	}
	text := run(t, "pdftotext", "-layout", pp, "-")
	mustContain(t, "the rep report PDF", text, append(want[:1], want[2:9]...)...)
	prefix := filepath.Join(dir, "rep-report-page")
	run(t, "pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", pp, prefix)
	if share, _ := inked(t, prefix+"-1.png"); share < 0.03 {
		t.Errorf("rep report page 1 nearly blank: %.1f%%", 100*share)
	}
	t.Logf("look at %s, %s-*.png", shot, prefix)
}

// TestPaperFor: Letter where the locale's territory uses it, A4 elsewhere.
func TestPaperFor(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Paper
	}{
		{map[string]string{"LANG": "en_US.UTF-8"}, Letter},
		{map[string]string{"LANG": "en_GB.UTF-8"}, A4},
		{map[string]string{"LANG": "fr_CA.UTF-8"}, Letter},
		{map[string]string{"LANG": "de_DE.UTF-8", "LC_PAPER": "es_MX.UTF-8"}, Letter},
		{map[string]string{"LC_ALL": "de_DE@euro", "LC_PAPER": "en_US.UTF-8"}, A4},
		{map[string]string{"LANG": "C.UTF-8"}, A4},
		{map[string]string{}, A4},
	} {
		if got := PaperFor(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.env, got.Name, tc.want.Name)
		}
	}
}

// TestRepDocumentLeavesOutCallsInDoubt: a call whose channels look swapped
// (its "rep" figures probably the customer's) counts in the call count and
// is listed, but its talk share and talk are in no average, total or
// chart, and the report says so; a call with only a noisy warning stays
// in them.
func TestRepDocumentLeavesOutCallsInDoubt(t *testing.T) {
	clean := repFixture(t, 6)
	in := repFixture(t, 6)
	for _, i := range []int{1, 4} {
		r := *in.Calls[i].Result
		r.Recording = analysis.Recording{}
		r.Recording.Warn(analysis.WarnChannelsSwapped, "swapped")
		r.RepTalkShare = 0.97
		r.Listening.Verdict = analysis.NoVerdict
		for j, f := range r.Listening.Factors {
			if f.Name == analysis.FactorRepTalkShare {
				r.Listening.Factors[j].Value = 97
			}
		}
		in.Calls[i].Result = &r
	}
	noisy := *in.Calls[2].Result
	noisy.Recording = analysis.Recording{}
	noisy.Recording.Warn(analysis.WarnNoisy, "noisy")
	in.Calls[2].Result = &noisy

	shareRow := func(d *Document) (row []Cell, charts []*Picture) {
		for _, b := range d.Blocks {
			switch b := b.(type) {
			case Table:
				if row == nil {
					for _, r := range b.Rows {
						if len(r) > 0 && r[0].Text == "Rep talk share" {
							row = r
						}
					}
				}
			case Figure:
				charts = append(charts, b.Pic)
			}
		}
		return row, charts
	}
	d := RepDocument(in)
	row, charts := shareRow(d)
	var sum float64
	n := 0
	for i, c := range clean.Calls {
		if i == 1 || i == 4 {
			continue
		}
		v, _ := factorValue(c.Result, analysis.FactorRepTalkShare)
		sum += v
		n++
	}
	if row == nil || row[1].Text != num(round(sum/float64(n), 1))+"%" {
		t.Errorf("talk share row %+v, want the mean of the 4 calls not in doubt, %.1f%%", row, sum/float64(n))
	}
	dots := 0
	for _, s := range charts[0].shapes {
		if s.kind == shapePoly && s.fill != "" {
			dots++
		}
	}
	if dots != 4 {
		t.Errorf("talk share chart: %d dots, want 4 (the two calls in doubt left out)", dots)
	}
	text := strings.Join(d.Texts(), "\n")
	if !strings.Contains(text, "2 calls are left out of the rep talk, the averages and the trends") {
		t.Errorf("the report does not say the 2 calls in doubt were left out:\n%s", text)
	}
	var talk, talkClean time.Duration
	for i, c := range clean.Calls {
		talkClean += c.Result.Talk.Rep.D()
		if i != 1 && i != 4 {
			talk += c.Result.Talk.Rep.D()
		}
	}
	if !strings.Contains(text, length(talk)+" in all") || length(talk) == length(talkClean) {
		t.Errorf("rep talk: want %s in all (not %s, the calls in doubt counted):\n%s", length(talk), length(talkClean), text)
	}
}
