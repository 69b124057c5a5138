package analysis

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readSpontDir holds real read and real spontaneous speech, one speaker per
// rsClip (shared/data/read-vs-spontaneous, see its README).
const readSpontDir = "../../shared/data/read-vs-spontaneous"

// deliverySplit assigns each speaker of the read-vs-spontaneous set to the
// half the delivery meter was tuned on ("tune") or to the half that reports
// its separation ("report"). Fixed before any cue was measured; no speaker
// is in both halves (the aligner's author, who reads and ad-libs, is wholly
// in "report"). Both halves hold audiobooks, meeting headsets and a
// telephone-band or radio source.
var deliverySplit = map[string]string{
	// spontaneous
	"AMI_MEE073":      "tune",
	"AMI_FEO072":      "tune",
	"Apollo11_CAPCOM": "tune",
	"AMI_FEE005":      "report",
	"AMI_MEE008":      "report",
	"AMI_FEO070":      "report",
	// read
	"librivox_sense_and_sensibility_ch01_reader": "tune",
	"LJSpeech_Linda_Johnson":                     "tune",
	"John_F_Kennedy":                             "tune",
	"librispeech_1088":                           "tune",
	"librispeech_2412":                           "tune",
	"librispeech_6829":                           "tune",
	"librispeech_8230":                           "tune",
	"librispeech_1688":                           "tune",
	"librispeech_1998":                           "tune",
	"librispeech_2033":                           "tune",
	"librispeech_2414":                           "tune",
	"Allison_Smith_IVR_voice":                    "report",
	"vctk_p260":                                  "report",
	"librispeech_2609":                           "report",
	"librispeech_3005":                           "report",
	"librispeech_3080":                           "report",
	"librispeech_3331":                           "report",
	"librispeech_367":                            "report",
	"librispeech_533":                            "report",
	"librispeech_103":                            "report",
	"librispeech_196":                            "report",
	"librispeech_2817":                           "report",
	"librispeech_3664":                           "report",
	// both classes
	"MFA_author_Michael_McAuliffe": "report",
}

type rsClip struct {
	file, class, speaker, half string
	dur                        float64
	cue                        DeliveryCue
	loso                       *float64 // read likelihood with the speaker left out of the fit
}

// deliveryCueNames are the cues compared, in the README's order, with a
// getter each (nil: not measured on that rsClip).
var deliveryCueNames = []string{"rate_syl_s", "rate_cv", "pause_cv", "phrase_s", "pitch_range_st", "pitch_declination_st_s", "filled_per_min"}

func cueValue(c rsClip, name string) *float64 { return cueByName(c.cue, name) }

// telephoneBand passes a rsClip through a telephone channel with sox:
// 300–3400 Hz, 8 kHz, and the GSM 06.10 full-rate codec (encoded and
// decoded), so studio audiobooks and meeting headsets reach the meter
// through the same channel.
func telephoneBand(t testing.TB, in, dir string) string {
	t.Helper()
	base := strings.TrimSuffix(filepath.Base(in), ".wav")
	cls := filepath.Base(filepath.Dir(in))
	gsm := filepath.Join(dir, cls+"_"+base+".gsm")
	out := filepath.Join(dir, cls+"_"+base+".wav")
	for _, args := range [][]string{
		{in, "-r", "8000", "-c", "1", gsm, "sinc", "300-3400"},
		{gsm, "-b", "16", out},
	} {
		if b, err := exec.Command("sox", append([]string{"-q", "-V1", "-D"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("sox %v: %v: %s (sox is in the Makefile's APT_PACKAGES)", args, err, b)
		}
	}
	return out
}

// loadReadSpont reads clips.csv, passes every rsClip through the telephone
// band and measures it as one stretch.
func loadReadSpont(t testing.TB, cfg DeliveryConfig) []rsClip {
	t.Helper()
	f, err := os.Open(filepath.Join(readSpontDir, "clips.csv"))
	if err != nil {
		t.Fatalf("the read-vs-spontaneous set: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out []rsClip
	for _, row := range rows[1:] {
		c := rsClip{file: row[0], class: row[1], speaker: row[2], half: deliverySplit[row[2]]}
		if c.half == "" {
			t.Fatalf("speaker %q of %s is in no half of deliverySplit", c.speaker, c.file)
		}
		x, rate, err := readPCM16(telephoneBand(t, filepath.Join(readSpontDir, c.file), dir))
		if err != nil {
			t.Fatal(err)
		}
		c.dur = float64(len(x)) / float64(rate)
		m := NewDeliveryMeter(rate, cfg)
		m.Write(x)
		c.cue = m.Cue(time.Duration(c.dur * float64(time.Second)))
		out = append(out, c)
	}
	return out
}

// auc is the probability that a read rsClip scores above a spontaneous one
// (ties count half): the Mann–Whitney statistic over the clips where the
// cue was measured, with the cue's sign dir (+1: read is higher).
func auc(clips []rsClip, score func(rsClip) *float64, dir float64) (a float64, nRead, nSpont int) {
	var rd, sp []float64
	for _, c := range clips {
		v := score(c)
		if v == nil {
			continue
		}
		if c.class == "read" {
			rd = append(rd, dir**v)
		} else {
			sp = append(sp, dir**v)
		}
	}
	if len(rd) == 0 || len(sp) == 0 {
		return math.NaN(), len(rd), len(sp)
	}
	var wins float64
	for _, r := range rd {
		for _, s := range sp {
			switch {
			case r > s:
				wins++
			case r == s:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(rd)*len(sp)), len(rd), len(sp)
}

func half(clips []rsClip, h string) []rsClip {
	var out []rsClip
	for _, c := range clips {
		if c.half == h {
			out = append(out, c)
		}
	}
	return out
}

func fmtCue(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *v)
}

// aucCI is the 95% interval of an AUC by Hanley & McNeil (1982).
func aucCI(a float64, n1, n2 int) (lo, hi float64) {
	q1, q2 := a/(2-a), 2*a*a/(1+a)
	se := math.Sqrt((a*(1-a) + float64(n1-1)*(q1-a*a) + float64(n2-1)*(q2-a*a)) / float64(n1*n2))
	return max(0, a-1.96*se), min(1, a+1.96*se)
}

// quartiles words a class's distribution of a cue: median [25th–75th].
func quartiles(cs []rsClip, class, name string) string {
	var xs []float64
	for _, c := range cs {
		if v := cueValue(c, name); c.class == class && v != nil {
			xs = append(xs, *v)
		}
	}
	if len(xs) == 0 {
		return "-"
	}
	slices.Sort(xs)
	return fmt.Sprintf("%.2f [%.2f–%.2f]", percentile(xs, 0.5), percentile(xs, 0.25), percentile(xs, 0.75))
}

// fitLogistic fits read (1) vs spontaneous (0) on the z-scored cues of cs
// (a missing cue counts as the mean) by Newton's method with a ridge of
// lambda, and returns the model.
func fitLogistic(cs []rsClip, names []string, lambda float64) readModel {
	m := readModel{}
	for _, n := range names {
		var xs []float64
		for _, c := range cs {
			if v := cueValue(c, n); v != nil {
				xs = append(xs, *v)
			}
		}
		mean, sd := meanSD(xs)
		m.Cues = append(m.Cues, readTerm{Name: n, Mean: mean, SD: sd})
	}
	k := len(names) + 1
	w := make([]float64, k)
	x := func(c rsClip) []float64 {
		row := []float64{1}
		for _, t := range m.Cues {
			z := 0.0
			if v := cueValue(c, t.Name); v != nil && t.SD > 0 {
				z = (*v - t.Mean) / t.SD
			}
			row = append(row, z)
		}
		return row
	}
	for range 50 {
		g := make([]float64, k)
		h := make([][]float64, k)
		for i := range h {
			h[i] = make([]float64, k)
			if i > 0 {
				h[i][i] = lambda
				g[i] = lambda * w[i]
			}
		}
		for _, c := range cs {
			r := x(c)
			var eta float64
			for i := range r {
				eta += w[i] * r[i]
			}
			p := 1 / (1 + math.Exp(-eta))
			y := 0.0
			if c.class == "read" {
				y = 1
			}
			for i := range r {
				g[i] += (p - y) * r[i]
				for j := range r {
					h[i][j] += p * (1 - p) * r[i] * r[j]
				}
			}
		}
		step := solve(h, g)
		for i := range w {
			w[i] -= step[i]
		}
	}
	m.Bias = w[0]
	for i := range m.Cues {
		m.Cues[i].Weight = w[i+1]
	}
	return m
}

// solve solves a x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for j := c; j <= n; j++ {
				m[r][j] -= f * m[c][j]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for j := r + 1; j < n; j++ {
			s -= m[r][j] * x[j]
		}
		x[r] = s / m[r][r]
	}
	return x
}

// cueOf is the getter a readModel uses on the test clips.
func (c rsClip) cueOf(name string) *float64 { return cueValue(c, name) }

// TestDeliveryReadVsSpontaneous measures the cues on the real clips after a
// telephone band, and holds the product to what they show:
//
//   - each cue's direction (is read speech higher or lower?) is taken from
//     the tuning half; its AUC with that direction is then measured on the
//     reporting half (other speakers);
//   - a cue is judged (enters read_likelihood and the verdict) exactly
//     when its reporting-half AUC is 0.85 or more: JudgedDeliveryCues must
//     list those and no others;
//   - read_likelihood's model (readLikelihoodModel) must be the logistic
//     fit of the judged cues on the tuning half.
//
// CALLCOACH_DELIVERY_HALF=tune prints only the tuning half (what one looks
// at while tuning the meter). The README's table is this test's -v output.
func TestDeliveryReadVsSpontaneous(t *testing.T) {
	cfg := DefaultDeliveryConfig()
	clips := loadReadSpont(t, cfg)
	tune, report := half(clips, "tune"), half(clips, "report")
	only := os.Getenv("CALLCOACH_DELIVERY_HALF")
	var b strings.Builder
	for _, h := range []string{"tune", "report"} {
		if only != "" && only != h {
			continue
		}
		cs := half(clips, h)
		fmt.Fprintf(&b, "%s half, per clip:\n%-28s %-6s %5s", h, "file", "class", "dur")
		for _, n := range deliveryCueNames {
			fmt.Fprintf(&b, " %8.8s", n)
		}
		b.WriteString("\n")
		slices.SortFunc(cs, func(a, b rsClip) int { return strings.Compare(a.class+a.file, b.class+b.file) })
		for _, c := range cs {
			fmt.Fprintf(&b, "%-28s %-6s %5.1f", c.file, c.class, c.dur)
			for _, n := range deliveryCueNames {
				fmt.Fprintf(&b, " %8s", fmtCue(cueValue(c, n)))
			}
			b.WriteString("\n")
		}
	}
	shown := report
	if only == "tune" {
		shown = tune
	}
	long := func(cs []rsClip) []rsClip {
		var out []rsClip
		for _, c := range cs {
			if c.dur >= cfg.MinMonologue.Seconds() {
				out = append(out, c)
			}
		}
		return out
	}
	b.WriteString("\n| cue | read is (from tune) | report AUC (95% CI) | n read/spont | report, clips ≥ 8 s | swapped: tune AUC, direction from report | all 30 speakers | read: median [IQR] | spont: median [IQR] |\n|---|---|---|---|---|---|---|---|---|\n")
	var candidates, passed []string
	for _, n := range deliveryCueNames {
		get := func(c rsClip) *float64 { return cueValue(c, n) }
		dirOf := func(cs []rsClip) float64 {
			if a, _, _ := auc(cs, get, 1); a < 0.5 {
				return -1
			}
			return 1
		}
		dir := dirOf(tune)
		word := map[float64]string{1: "higher", -1: "lower"}[dir]
		ar, nr, ns := auc(report, get, dir)
		al, _, _ := auc(long(report), get, dir)
		as, _, _ := auc(tune, get, dirOf(report))
		ap, _, _ := auc(clips, get, dir)
		lo, hi := aucCI(ar, nr, ns)
		if only == "tune" {
			at, _, _ := auc(tune, get, dir)
			fmt.Fprintf(&b, "| %s | %s | (hidden; tune %.2f) | | | | | %s | %s |\n", n, word, at, quartiles(shown, "read", n), quartiles(shown, "spont", n))
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f (%.2f–%.2f) | %d/%d | %.2f | %.2f | %.2f | %s | %s |\n", n, word, ar, lo, hi, nr, ns, al, as, ap,
			quartiles(shown, "read", n), quartiles(shown, "spont", n))
		if ar >= 0.85 {
			candidates = append(candidates, n)
			if as >= 0.85 {
				passed = append(passed, n)
			}
		}
	}
	if only == "tune" {
		t.Log(b.String())
		return
	}
	score := func(m readModel) func(rsClip) *float64 {
		return func(c rsClip) *float64 { return m.likelihood(c.cueOf) }
	}
	// loso fits on every speaker but one and scores that one's clips, in
	// turn; the pooled scores' AUC is that of the fitting procedure.
	loso := func(names []string) (float64, int, int) {
		var out []rsClip
		for _, spk := range speakers(clips) {
			var rest, own []rsClip
			for _, c := range clips {
				if c.speaker == spk {
					own = append(own, c)
				} else {
					rest = append(rest, c)
				}
			}
			m := fitLogistic(rest, names, 1)
			for _, c := range own {
				c.loso = m.likelihood(c.cueOf)
				out = append(out, c)
			}
		}
		return auc(out, func(c rsClip) *float64 { return c.loso }, 1)
	}
	combos := [][]string{deliveryCueNames}
	if len(candidates) > 0 {
		combos = append(combos, candidates)
	}
	b.WriteString("\n| combination (logistic, ridge 1) | fit on tune, report AUC (95% CI) | leave one speaker out, all clips (95% CI) |\n|---|---|---|\n")
	for _, names := range combos {
		a, nr, ns := auc(report, score(fitLogistic(tune, names, 1)), 1)
		lo, hi := aucCI(a, nr, ns)
		al, lr, ls := loso(names)
		llo, lhi := aucCI(al, lr, ls)
		fmt.Fprintf(&b, "| %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) |\n", strings.Join(names, ", "), a, lo, hi, al, llo, lhi)
	}
	fmt.Fprintf(&b, "\nAUC ≥ 0.85 on the report half: %q; also with the halves swapped (judged): %q\n", candidates, passed)
	t.Log(b.String())

	if !slices.Equal(passed, JudgedDeliveryCues()) {
		t.Errorf("cues with a held-out AUC of 0.85 or more both ways: got %q, but JudgedDeliveryCues says %q", passed, JudgedDeliveryCues())
	}
	if len(passed) > 0 {
		want := fitLogistic(clips, passed, 1)
		got := readLikelihoodModel
		ok := len(got.Cues) == len(want.Cues) && math.Abs(got.Bias-want.Bias) < 0.01
		for i := range min(len(got.Cues), len(want.Cues)) {
			g, w := got.Cues[i], want.Cues[i]
			ok = ok && g.Name == w.Name && math.Abs(g.Mean-w.Mean) < 0.01 && math.Abs(g.SD-w.SD) < 0.01 && math.Abs(g.Weight-w.Weight) < 0.01
		}
		if !ok {
			t.Errorf("readLikelihoodModel: got %+v, want the fit on all clips %+v", got, want)
		}
	}
	// The cues that could be measured must be measured: a meter that
	// returned nothing would pass the checks above with no cue judged.
	for _, c := range clips {
		if c.dur >= cfg.MinMonologue.Seconds() && (c.cue.RateSyl == nil || c.cue.Phrase == nil || c.cue.PitchRange == nil) {
			t.Errorf("%s (%.1f s): rate, phrase or pitch range not measured: %+v", c.file, c.dur, c.cue)
		}
	}
}

func mustAUC(a float64, _, _ int) float64 { return a }

func speakers(cs []rsClip) []string {
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.speaker) {
			out = append(out, c.speaker)
		}
	}
	return out
}
