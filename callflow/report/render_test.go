package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// artifacts is where the tests leave the files a person should look at
// (CALLCOACH_REPORT_ARTIFACTS, else the test's temporary folder).
func artifacts(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("CALLCOACH_REPORT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// chromium runs headless Chromium on a file with a fresh profile and no
// network chatter, and returns what it printed.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Fatal("chromium is not installed: run 'make deps' (it installs the Debian package) and test again")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a busy 2-core machine starts it slowly
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(errb.String()))
	}
	return out.Bytes()
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// run runs a command and returns its stdout, failing the test on error.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, errb.String())
	}
	return out.String()
}

// inked measures a rendered page: the share of pixels that are not
// (nearly) white, and whether some pixel is near each of the colours.
func inked(t *testing.T, path string, want ...Color) (float64, []bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	found := make([]bool, len(want))
	var ink, all int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bb, _ := img.At(x, y).RGBA()
			r8, g8, b8 := r>>8, g>>8, bb>>8
			all++
			if r8 < 235 || g8 < 235 || b8 < 235 {
				ink++
			}
			for i, c := range want {
				cr, cg, cb := c.rgb()
				if absDiff(r8, uint32(cr)) < 24 && absDiff(g8, uint32(cg)) < 24 && absDiff(b8, uint32(cb)) < 24 {
					found[i] = true
				}
			}
		}
	}
	return float64(ink) / float64(all), found
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

var spaces = regexp.MustCompile(`\s+`)

// flat joins text into one line of single spaces, so wrapped lines compare.
func flat(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// mustContain checks that every phrase is in text, wrapping ignored; a
// PDF's text may break a phrase across lines.
func mustContain(t *testing.T, where, text string, phrases ...string) {
	t.Helper()
	ft := flat(text)
	for _, p := range phrases {
		if !strings.Contains(ft, flat(p)) {
			t.Errorf("%s lacks %q", where, p)
		}
	}
}

// TestCallReportHTMLInChromium renders the call's HTML report in headless
// Chromium: the rendered DOM holds the verdict, the score, every reason,
// the figures and the annotations; a print to PDF (as a coach would
// print it, on A4 and on Letter) holds them as laid out text; and a
// screenshot is not blank and shows the timeline's colours.
func TestCallReportHTMLInChromium(t *testing.T) {
	in := fixtureInput(t, 6*time.Minute, true)
	d, err := CallDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	path := filepath.Join(dir, "call-report.html")
	var buf bytes.Buffer
	if err := HTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, bad := range []string{"http://", "https://", "<script", "src=\"http", "url(http", "@import"} {
		if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("the HTML report refers outside itself: %q", bad)
		}
	}
	l := in.Call.Result.Listening
	want := append([]string{"Renewal — Müller GmbH", "Zoë Ångström", "Jürgen Müller", "Mixed", "score " + strconv.Itoa(l.Score) + "/100",
		"Read first: the recording", "Figures against their targets", "You cut her off — let José finish…", "Dana Øberg",
		"Timeline", "Annotations", "Clips", "42-good-question.wav", "Script reuse: 34%",
		"Passages also said in other calls", "call #12 Renewal — Acme at 1:10"}, l.Reasons...)
	if l.Verdict != "mixed" {
		t.Fatalf("fixture verdict %q, want mixed", l.Verdict)
	}
	dom := string(chromium(t, "--dump-dom", "file://"+path))
	domText := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(dom, " ")
	domText = strings.NewReplacer("&amp;", "&", "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(domText)
	mustContain(t, "Chromium's DOM", domText, want...)

	for _, paper := range []struct{ name, size string }{{"A4", "210mm 297mm"}, {"Letter", "8.5in 11in"}} {
		// Print as the paper would, through a copy that names the page size.
		printed := filepath.Join(dir, "call-report-printed-"+paper.name+".pdf")
		src := filepath.Join(t.TempDir(), "print.html")
		os.WriteFile(src, []byte(strings.Replace(html, "@page{", "@page{size:"+paper.size+";", 1)), 0o600)
		chromium(t, "--print-to-pdf="+printed, "--no-pdf-header-footer", "file://"+src)
		text := run(t, "pdftotext", "-layout", printed, "-")
		mustContain(t, "Chromium's print on "+paper.name, text, want...)
		info := run(t, "pdfinfo", printed)
		if n := pages(info); n < 2 || n > 5 {
			t.Errorf("printed on %s: %d pages, want 2 to 5", paper.name, n)
		}
		// Nothing runs off the page: every line of text is inside the page width.
		for _, line := range strings.Split(run(t, "pdftotext", "-bbox", printed, "-"), "\n") {
			if m := regexp.MustCompile(`xMax="([0-9.]+)"`).FindStringSubmatch(line); m != nil {
				if x, _ := strconv.ParseFloat(m[1], 64); x > pageWidth(info)-20 {
					t.Errorf("printed on %s: text runs to %.0f pt of %.0f: %s", paper.name, x, pageWidth(info), line)
					break
				}
			}
		}
	}

	shot := filepath.Join(dir, "call-report-chromium.png")
	chromium(t, "--window-size=900,2600", "--screenshot="+shot, "file://"+path)
	share, found := inked(t, shot, colRep, colCustomer, colRepCut, toneColor[ToneWarn], colRepeat)
	if share < 0.08 {
		t.Errorf("the screenshot is nearly blank: %.1f%% of it inked", 100*share)
	}
	for i, name := range []string{"rep lane blue", "customer lane green", "interruption red", "mixed verdict amber", "repeated passage teal"} {
		if !found[i] {
			t.Errorf("the screenshot shows no %s", name)
		}
	}
	t.Logf("look at %s and %s", shot, path)
}

// pages reads "Pages: N" from pdfinfo.
func pages(info string) int {
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pageSize reads "Page size: W x H pts" from pdfinfo.
func pageSize(info string) (w, h float64) {
	m := regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`).FindStringSubmatch(info)
	if m == nil {
		return 0, 0
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	return w, h
}

func pageWidth(info string) float64 { w, _ := pageSize(info); return w }

// TestCallReportPDF renders the PDF with poppler: it is A4 or Letter as
// asked, its text (pdftotext) holds the verdict, every reason, the
// annotations with their accents, dashes and ellipses; the pages rendered
// (pdftoppm) are not blank and show the timeline's colours; the fonts
// are embedded.
func TestCallReportPDF(t *testing.T) {
	in := fixtureInput(t, 6*time.Minute, true)
	d, err := CallDocument(in)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	l := in.Call.Result.Listening
	want := append([]string{"Renewal — Müller GmbH", "Zoë Ångström", "Mixed", "score " + strconv.Itoa(l.Score) + "/100", "Read first: the recording",
		"You cut her off — let José finish…", "Dana Øberg", "“What would make this easier", "page 1 of"}, l.Reasons...)
	for _, paper := range []Paper{A4, Letter} {
		path := filepath.Join(dir, "call-report-"+paper.Name+".pdf")
		var buf bytes.Buffer
		if err := PDF(&buf, d, paper); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, buf.Bytes(), 0o600)
		info := run(t, "pdfinfo", path)
		w, h := pageSize(info)
		if math.Abs(w-paper.W*ptPerMM) > 1 || math.Abs(h-paper.H*ptPerMM) > 1 {
			t.Errorf("%s: page %v x %v pt, want %.0f x %.0f", paper.Name, w, h, paper.W*ptPerMM, paper.H*ptPerMM)
		}
		n := pages(info)
		if n < 2 || n > 5 {
			t.Errorf("%s: %d pages", paper.Name, n)
		}
		text := run(t, "pdftotext", "-layout", path, "-")
		mustContain(t, "the PDF's text ("+paper.Name+")", strings.ReplaceAll(text, "\"", "“"), want[:6]...)
		mustContain(t, "the PDF's text ("+paper.Name+")", text, append(want[6:7], l.Reasons...)...)
		fonts := run(t, "pdffonts", path)
		if strings.Count(fonts, "Identity-H       yes") != 2 || !strings.Contains(fonts, "Go ") {
			t.Errorf("%s: fonts not embedded:\n%s", paper.Name, fonts)
		}
		prefix := filepath.Join(dir, "call-report-"+paper.Name+"-page")
		run(t, "pdftoppm", "-r", "80", "-png", path, prefix)
		for p := 1; p <= n; p++ {
			png := prefix + "-" + strconv.Itoa(p) + ".png"
			share, found := inked(t, png, colRep, colCustomer)
			if min := 0.02; share < min && (p < n || share < 0.003) {
				t.Errorf("%s page %d is nearly blank: %.1f%% inked", paper.Name, p, 100*share)
			}
			if p == 2 && (!found[0] || !found[1]) {
				t.Errorf("%s page 2 should show the timeline's lanes (rep %v, customer %v)", paper.Name, found[0], found[1])
			}
		}
		t.Logf("look at %s-*.png", prefix)
	}
}

// TestFontCoversEverything: every character either report prints is in
// the embedded fonts (regular and bold), so nothing prints as a box.
func TestFontCoversEverything(t *testing.T) {
	in := fixtureInput(t, 6*time.Minute, true)
	d, _ := CallDocument(in)
	rd := RepDocument(repFixture(t, 30))
	texts := append(d.Texts(), rd.Texts()...)
	texts = append(texts, "Ąčęėįšųūž ŁŃŚŹŻ ÇĞİŞ ÆØÅ ß ñ ¿¡ «» „“ ‚‘ ’ – — … · ≥ × −")
	for _, s := range texts {
		for _, bold := range []bool{false, true} {
			if miss := missingGlyphs(s, bold); len(miss) > 0 {
				t.Errorf("bold=%v: the font lacks %q (in %q)", bold, string(miss), s)
			}
		}
	}
	// And the check itself works: a CJK character is not in the Go fonts.
	if len(missingGlyphs("会", false)) != 1 {
		t.Error("missingGlyphs does not notice a missing glyph")
	}
	_ = unicode.IsPrint
}

var _ image.Image
