package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"
)

// Paper is a page size for the PDF.
type Paper struct {
	Name string
	W, H float64 // mm
}

// The papers the PDF is made on.
var (
	A4     = Paper{"A4", 210, 297}
	Letter = Paper{"Letter", 215.9, 279.4}
)

// pdfFamily names the embedded fonts in the PDF.
const pdfFamily = "Go"

// PDF margins (mm) and sizes (pt).
const (
	pdfMarginX      = 14.0
	pdfMarginTop    = 14.0
	pdfMarginBottom = 17.0
	ptPerMM         = 72 / 25.4
	bodyPt          = 10.0
	smallPt         = 8.5
	tablePt         = 9.0
)

// PDF writes d as a PDF on paper, through gopdf (a maintained, pure-Go
// PDF writer): the Go fonts embedded (subset), text as text, the pictures
// as vectors — the same pictures the HTML shows as SVG. Every page has
// the footer and "page N of M".
func PDF(w io.Writer, d *Document, paper Paper) error {
	pw := &pdfWriter{paper: paper}
	if err := pw.start(d); err != nil {
		return err
	}
	if err := pw.blocks(d); err != nil {
		return err
	}
	pw.footers(d.Footer)
	if pw.err != nil {
		return pw.err
	}
	_, err := pw.gp.WriteTo(w)
	return err
}

type pdfWriter struct {
	gp    *gopdf.GoPdf
	paper Paper
	y     float64
	pages int
	err   error
}

func (p *pdfWriter) contentW() float64 { return p.paper.W - 2*pdfMarginX }
func (p *pdfWriter) bottom() float64   { return p.paper.H - pdfMarginBottom }

func (p *pdfWriter) start(d *Document) error {
	p.gp = &gopdf.GoPdf{}
	p.gp.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: p.paper.W, H: p.paper.H}})
	p.gp.SetCompressLevel(6)
	p.gp.SetInfo(gopdf.PdfInfo{Title: d.Title + " — " + d.Subtitle, Creator: "CallCoach", Producer: "CallCoach (gopdf)"})
	if err := p.gp.AddTTFFontData(pdfFamily, fontRegular); err != nil {
		return fmt.Errorf("embedding the font: %w", err)
	}
	if err := p.gp.AddTTFFontDataWithOption(pdfFamily, fontBold, gopdf.TtfOption{Style: gopdf.Bold}); err != nil {
		return fmt.Errorf("embedding the bold font: %w", err)
	}
	p.newPage()
	p.font(8, false)
	p.color(toneColor[ToneMuted])
	p.text(pdfMarginX, p.y+3, strings.ToUpper(d.Subtitle))
	p.y += 5
	p.y = p.wrapped(d.Title, 19, true, ToneNone, pdfMarginX, p.contentW(), p.y) + 2
	return p.err
}

func (p *pdfWriter) newPage() {
	p.gp.AddPage()
	p.pages++
	p.y = pdfMarginTop
}

// need starts a new page unless h mm fit below the cursor.
func (p *pdfWriter) need(h float64) {
	if p.y+h > p.bottom() && p.y > pdfMarginTop+1 {
		p.newPage()
	}
}

func (p *pdfWriter) font(pt float64, bold bool) {
	style := gopdf.Regular
	if bold {
		style = gopdf.Bold
	}
	if err := p.gp.SetFontWithStyle(pdfFamily, style, pt); err != nil && p.err == nil {
		p.err = err
	}
}

func (p *pdfWriter) color(c Color) {
	r, g, b := c.rgb()
	p.gp.SetTextColor(r, g, b)
}

func (p *pdfWriter) text(x, baseline float64, s string) {
	p.gp.SetXY(x, baseline)
	if err := p.gp.Text(s); err != nil && p.err == nil {
		p.err = err
	}
}

// lineH is the line height (mm) for a font size (pt).
func lineH(pt float64) float64 { return pt / ptPerMM * 1.38 }

// wrap breaks s into lines no wider than width mm at pt, on spaces
// (a word longer than the line is cut).
func wrap(s string, pt float64, bold bool, width float64) []string {
	size := pt / ptPerMM
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur := ""
		for _, w := range words {
			try := w
			if cur != "" {
				try = cur + " " + w
			}
			if textWidth(try, size, bold) <= width || cur == "" {
				cur = try
				for cur != "" && textWidth(cur, size, bold) > width { // one long word
					r := []rune(cur)
					n := len(r)
					for n > 1 && textWidth(string(r[:n]), size, bold) > width {
						n--
					}
					lines = append(lines, string(r[:n]))
					cur = string(r[n:])
				}
				continue
			}
			lines = append(lines, cur)
			cur = w
		}
		if cur != "" {
			lines = append(lines, cur)
		}
	}
	return lines
}

// wrapped writes s wrapped into width from y (top), breaking pages
// between lines, and returns the y below it.
func (p *pdfWriter) wrapped(s string, pt float64, bold bool, tone Tone, x, width, y float64) float64 {
	lh := lineH(pt)
	p.font(pt, bold)
	p.color(toneColor[tone])
	for _, l := range wrap(s, pt, bold, width) {
		if y+lh > p.bottom() {
			p.newPage()
			y = p.y
			p.font(pt, bold)
			p.color(toneColor[tone])
		}
		p.text(x, y+lh*0.75, l)
		y += lh
	}
	p.y = y
	return y
}

func (p *pdfWriter) fill(c Color) {
	r, g, b := c.rgb()
	p.gp.SetFillColor(r, g, b)
}

func (p *pdfWriter) stroke(c Color, width float64) {
	r, g, b := c.rgb()
	p.gp.SetStrokeColor(r, g, b)
	p.gp.SetLineWidth(width)
}

func (p *pdfWriter) blocks(d *Document) error {
	cw := p.contentW()
	x0 := pdfMarginX
	for _, b := range d.Blocks {
		if p.err != nil {
			return p.err
		}
		switch b := b.(type) {
		case Heading:
			p.need(lineH(13) + 14) // keep a heading with what follows
			p.y += 3
			p.wrapped(b.Text, 13, true, ToneNone, x0, cw, p.y)
			p.stroke("#d6dae2", 0.25)
			p.gp.Line(x0, p.y+0.3, x0+cw, p.y+0.3)
			p.y += 2
		case Para:
			pt := bodyPt
			if b.Small {
				pt = smallPt
			}
			p.y += 0.8
			p.wrapped(b.Text, pt, false, b.Tone, x0, cw, p.y)
			p.y += 0.8
		case Facts:
			lh := lineH(bodyPt)
			for _, r := range b.Rows {
				lines := wrap(r[1], bodyPt, false, cw-30)
				p.need(lh * float64(len(lines)))
				p.font(bodyPt, false)
				p.color(toneColor[ToneMuted])
				p.text(x0, p.y+lh*0.75, r[0])
				p.color(toneColor[ToneNone])
				for i, l := range lines {
					p.text(x0+30, p.y+lh*(0.75+float64(i)), l)
				}
				p.y += lh * float64(len(lines))
			}
			p.y += 1
		case Verdict:
			p.box(b.Label, b.Score, b.Reasons, b.Tone, "", 15)
		case Notice:
			p.box(b.Title, "", b.Lines, b.Tone, "#fff7e8", 11)
		case Table:
			p.table(b)
		case Figure:
			h := b.Pic.H
			if b.Caption != "" {
				h += lineH(smallPt)
			}
			p.need(h + 1)
			p.picture(b.Pic, x0, p.y+0.5)
			p.y += b.Pic.H + 1
			if b.Caption != "" {
				p.wrapped(b.Caption, smallPt, false, ToneMuted, x0, cw, p.y)
			}
		}
	}
	return p.err
}

// box draws a framed box: a title line (with an aside), then bullets.
func (p *pdfWriter) box(title, aside string, lines []string, tone Tone, bg Color, titlePt float64) {
	cw := p.contentW()
	pad := 3.5
	inner := cw - 2*pad - 4
	var wrappedLines [][]string
	h := 2*pad + lineH(titlePt)
	for _, l := range lines {
		wl := wrap(l, bodyPt, false, inner)
		wrappedLines = append(wrappedLines, wl)
		h += lineH(bodyPt) * float64(len(wl))
	}
	if len(lines) > 0 {
		h += 1.5
	}
	p.y += 1
	p.need(h)
	x0, y0 := pdfMarginX, p.y
	style := "D"
	if bg != "" {
		p.fill(bg)
		style = "FD"
	}
	p.stroke(toneColor[tone], 0.45)
	if h > p.bottom()-y0 { // taller than what is left of a fresh page: no frame, just the text
		style = ""
	}
	if style != "" {
		if err := p.gp.Rectangle(x0, y0, x0+cw, y0+h, style, 2, 6); err != nil && p.err == nil {
			p.err = err
		}
	}
	y := y0 + pad
	p.font(titlePt, true)
	p.color(toneColor[tone])
	p.text(x0+pad, y+lineH(titlePt)*0.75, title)
	if aside != "" {
		tw := textWidth(title, titlePt/ptPerMM, true)
		p.font(11, false)
		p.color(toneColor[ToneNone])
		p.text(x0+pad+tw+3, y+lineH(titlePt)*0.75, aside)
	}
	y += lineH(titlePt) + 1.5
	lh := lineH(bodyPt)
	for _, wl := range wrappedLines {
		p.font(bodyPt, false)
		p.color(toneColor[ToneNone])
		if y+lh > p.bottom() {
			p.newPage()
			y = p.y
		}
		p.fill(toneColor[tone])
		p.dot(x0+pad+1.2, y+lh*0.5, 0.6)
		for _, l := range wl {
			p.text(x0+pad+4, y+lh*0.75, l)
			y += lh
		}
	}
	p.y = max(y+pad, y0+h) + 1
}

func (p *pdfWriter) dot(x, y, r float64) {
	const n = 12
	pts := make([]gopdf.Point, n)
	for i := range pts {
		a := 2 * 3.141592653589793 * float64(i) / n
		pts[i] = gopdf.Point{X: x + r*cos(a), Y: y + r*sin(a)}
	}
	p.gp.Polygon(pts, "F")
}

func (p *pdfWriter) table(t Table) {
	cw := p.contentW()
	x0 := pdfMarginX
	if len(t.Rows) == 0 {
		if t.Empty != "" {
			p.wrapped(t.Empty, bodyPt, false, ToneMuted, x0, cw, p.y+0.5)
			p.y += 0.5
		}
		return
	}
	var sum float64
	for _, w := range t.Widths {
		sum += w
	}
	widths := make([]float64, len(t.Head))
	for i := range widths {
		share := 1.0 / float64(len(widths))
		if i < len(t.Widths) && sum > 0 {
			share = t.Widths[i] / sum
		}
		widths[i] = share * cw
	}
	const pad = 1.4
	lh := lineH(tablePt)
	right := func(i int) bool { return i < len(t.Right) && t.Right[i] }
	header := func() {
		cells := make([][]string, len(t.Head))
		hh := 0.0
		for i, h := range t.Head {
			cells[i] = wrap(h, tablePt, true, widths[i]-2*pad)
			hh = max(hh, float64(len(cells[i]))*lh)
		}
		hh += 2 * pad * 0.7
		p.fill("#f0f2f6")
		p.gp.RectFromUpperLeftWithStyle(x0, p.y, cw, hh, "F")
		p.font(tablePt, true)
		p.color(toneColor[ToneNone])
		x := x0
		for i, ls := range cells {
			for j, l := range ls {
				tx := x + pad
				if right(i) {
					tx = x + widths[i] - pad - textWidth(l, tablePt/ptPerMM, true)
				}
				p.text(tx, p.y+pad*0.7+lh*(0.75+float64(j)), l)
			}
			x += widths[i]
		}
		p.y += hh
	}
	p.y += 1
	p.need(2 * lh * 2)
	header()
	for _, row := range t.Rows {
		cells := make([][]string, len(row))
		rh := 0.0
		for i, c := range row {
			if i >= len(widths) {
				break
			}
			cells[i] = wrap(c.Text, tablePt, c.Bold, widths[i]-2*pad)
			rh = max(rh, float64(len(cells[i]))*lh)
		}
		rh += 2 * pad * 0.7
		if p.y+rh > p.bottom() {
			p.newPage()
			header()
		}
		x := x0
		for i, ls := range cells {
			c := row[i]
			p.font(tablePt, c.Bold)
			p.color(toneColor[c.Tone])
			for j, l := range ls {
				tx := x + pad
				if right(i) {
					tx = x + widths[i] - pad - textWidth(l, tablePt/ptPerMM, c.Bold)
				}
				p.text(tx, p.y+pad*0.7+lh*(0.75+float64(j)), l)
			}
			x += widths[i]
		}
		p.y += rh
		p.stroke("#e3e6ec", 0.2)
		p.gp.Line(x0, p.y, x0+cw, p.y)
	}
	p.y += 1.5
}

// picture draws a Picture's display list with its top left at (ox, oy).
func (p *pdfWriter) picture(pic *Picture, ox, oy float64) {
	for _, s := range pic.shapes {
		switch s.kind {
		case shapeRect:
			style := ""
			if s.fill != "" {
				p.fill(s.fill)
				style = "F"
			}
			if s.stroke != "" {
				p.stroke(s.stroke, s.width)
				style += "D"
			}
			if style != "" {
				p.gp.RectFromUpperLeftWithStyle(ox+s.x, oy+s.y, s.w, s.h, style)
			}
		case shapeLine:
			p.stroke(s.stroke, s.width)
			if s.dash {
				p.gp.SetCustomLineType([]float64{4 * s.width, 3 * s.width}, 0)
			}
			p.gp.Line(ox+s.x, oy+s.y, ox+s.w, oy+s.h)
			if s.dash {
				p.gp.SetLineType("solid")
			}
		case shapePoly:
			if s.fill != "" {
				pts := make([]gopdf.Point, 0, len(s.pts)/2)
				for i := 0; i+1 < len(s.pts); i += 2 {
					pts = append(pts, gopdf.Point{X: ox + s.pts[i], Y: oy + s.pts[i+1]})
				}
				p.fill(s.fill)
				p.gp.Polygon(pts, "F")
				continue
			}
			p.stroke(s.stroke, s.width)
			for i := 0; i+3 < len(s.pts); i += 2 {
				p.gp.Line(ox+s.pts[i], oy+s.pts[i+1], ox+s.pts[i+2], oy+s.pts[i+3])
			}
		case shapeText:
			p.font(s.size*ptPerMM, s.bold)
			c := s.fill
			if c == "" {
				c = colText
			}
			p.color(c)
			x := ox + s.x
			switch s.anchor {
			case AnchorMiddle:
				x -= textWidth(s.text, s.size, s.bold) / 2
			case AnchorEnd:
				x -= textWidth(s.text, s.size, s.bold)
			}
			p.text(x, oy+s.y, s.text)
		}
	}
}

// footers writes the footer and "page N of M" on every page.
func (p *pdfWriter) footers(footer string) {
	for i := 1; i <= p.pages; i++ {
		if err := p.gp.SetPage(i); err != nil {
			p.err = err
			return
		}
		p.font(7.5, false)
		p.color(toneColor[ToneMuted])
		y := p.paper.H - pdfMarginBottom + 8
		p.stroke("#d6dae2", 0.2)
		p.gp.Line(pdfMarginX, y-3.5, p.paper.W-pdfMarginX, y-3.5)
		p.text(pdfMarginX, y, footer)
		pg := fmt.Sprintf("page %d of %d", i, p.pages)
		p.text(p.paper.W-pdfMarginX-textWidth(pg, 7.5/ptPerMM, false), y, pg)
	}
}
