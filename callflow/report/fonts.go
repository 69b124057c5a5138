package report

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The reports print in the Go fonts (a humanist sans by Bigelow & Holmes,
// BSD licence, shipped with golang.org/x/image): they cover Latin,
// Greek and Cyrillic with their accents and the punctuation a report
// prints ("—", "…", "–", "·", "≥"), and both the HTML and the PDF embed
// them, so the two look alike and need nothing installed.
var (
	fontRegular = goregular.TTF
	fontBold    = gobold.TTF
)

// face measures text in one of the embedded fonts.
type face struct {
	once    sync.Once
	ttf     []byte
	f       *sfnt.Font
	upem    float64
	mu      sync.Mutex
	buf     sfnt.Buffer
	advance map[rune]float64 // in em
}

var (
	regularFace = &face{ttf: fontRegular}
	boldFace    = &face{ttf: fontBold}
)

func faceOf(bold bool) *face {
	if bold {
		return boldFace
	}
	return regularFace
}

func (fc *face) load() {
	fc.once.Do(func() {
		f, err := sfnt.Parse(fc.ttf)
		if err != nil {
			panic("report: the embedded font does not parse: " + err.Error()) // a build error, not input
		}
		fc.f, fc.upem, fc.advance = f, float64(f.UnitsPerEm()), map[rune]float64{}
	})
}

// has reports whether the font has a glyph for r.
func (fc *face) has(r rune) bool {
	fc.load()
	fc.mu.Lock()
	defer fc.mu.Unlock()
	g, err := fc.f.GlyphIndex(&fc.buf, r)
	return err == nil && g != 0
}

// width returns how wide s is at size (any unit: the result is in the
// same unit).
func (fc *face) width(s string, size float64) float64 {
	fc.load()
	fc.mu.Lock()
	defer fc.mu.Unlock()
	var em float64
	for _, r := range s {
		a, ok := fc.advance[r]
		if !ok {
			g, err := fc.f.GlyphIndex(&fc.buf, r)
			if err == nil {
				var adv fixed.Int26_6
				if adv, err = fc.f.GlyphAdvance(&fc.buf, g, fixed.I(int(fc.upem)), font.HintingNone); err == nil {
					a = float64(adv) / 64 / fc.upem
				}
			}
			if err != nil {
				a = 0.5
			}
			fc.advance[r] = a
		}
		em += a
	}
	return em * size
}

// textWidth is how wide s prints at size in the regular or bold font.
func textWidth(s string, size float64, bold bool) float64 { return faceOf(bold).width(s, size) }

// missingGlyphs lists the runes of s the font cannot print (the report
// tests check every text they print).
func missingGlyphs(s string, bold bool) []rune {
	var out []rune
	fc := faceOf(bold)
	for _, r := range s {
		if r != '\n' && r != '\t' && !fc.has(r) {
			out = append(out, r)
		}
	}
	return out
}
