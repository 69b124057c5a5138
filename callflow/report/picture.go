package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Color is an opaque colour as "#rrggbb"; "" draws nothing. Pictures use
// opaque colours only, so the HTML, the PDF and a printer agree.
type Color string

// rgb returns the colour's components.
func (c Color) rgb() (r, g, b uint8) {
	s := strings.TrimPrefix(string(c), "#")
	if len(s) != 6 {
		return 0, 0, 0
	}
	v, _ := strconv.ParseUint(s, 16, 32)
	return uint8(v >> 16), uint8(v >> 8), uint8(v)
}

// Anchor places text at its x: start, middle or end.
type Anchor uint8

// The anchors.
const (
	AnchorStart Anchor = iota
	AnchorMiddle
	AnchorEnd
)

type shapeKind uint8

const (
	shapeRect shapeKind = iota
	shapeLine
	shapePoly
	shapeText
)

// shape is one item of a picture's display list.
type shape struct {
	kind       shapeKind
	x, y, w, h float64 // rect: corner and size; line: from (x, y) to (w, h); text: baseline start
	pts        []float64
	fill       Color
	stroke     Color
	width      float64 // stroke width
	dash       bool
	text       string
	size       float64
	bold       bool
	anchor     Anchor
}

// Picture is a drawing in millimetres, origin top left, built once and
// rendered both as SVG (for the HTML report) and as PDF vectors: what the
// timeline and the charts draw is described once.
type Picture struct {
	W, H   float64
	shapes []shape
}

// NewPicture starts a w × h mm picture.
func NewPicture(w, h float64) *Picture { return &Picture{W: w, H: h} }

// Rect fills (and outlines, if stroke is set) a rectangle.
func (p *Picture) Rect(x, y, w, h float64, fill, stroke Color) {
	if w <= 0 || h <= 0 {
		return
	}
	p.shapes = append(p.shapes, shape{kind: shapeRect, x: x, y: y, w: w, h: h, fill: fill, stroke: stroke, width: 0.2})
}

// Line draws a line of the given width (mm).
func (p *Picture) Line(x1, y1, x2, y2 float64, stroke Color, width float64, dash bool) {
	p.shapes = append(p.shapes, shape{kind: shapeLine, x: x1, y: y1, w: x2, h: y2, stroke: stroke, width: width, dash: dash})
}

// Poly fills a polygon given as x, y pairs (closed) or, with fill "",
// strokes it as an open polyline.
func (p *Picture) Poly(pts []float64, fill, stroke Color, width float64) {
	p.shapes = append(p.shapes, shape{kind: shapePoly, pts: pts, fill: fill, stroke: stroke, width: width})
}

// Dot draws a filled circle of radius r.
func (p *Picture) Dot(x, y, r float64, fill Color) {
	const n = 12
	pts := make([]float64, 0, 2*n)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / n
		pts = append(pts, x+r*math.Cos(a), y+r*math.Sin(a))
	}
	p.Poly(pts, fill, "", 0)
}

// Text writes s with its baseline at y, size in mm (cap height ≈ 0.7 ×
// size).
func (p *Picture) Text(x, y float64, s string, size float64, bold bool, anchor Anchor, fill Color) {
	p.shapes = append(p.shapes, shape{kind: shapeText, x: x, y: y, text: s, size: size, bold: bold, anchor: anchor, fill: fill})
}

// Texts returns every text the picture prints (for the tests' font check).
func (p *Picture) Texts() []string {
	var out []string
	for _, s := range p.shapes {
		if s.kind == shapeText {
			out = append(out, s.text)
		}
	}
	return out
}

// SVG renders the picture as an inline SVG element that scales to the
// width of its container; title is read by screen readers.
func (p *Picture) SVG(title string) string {
	var b strings.Builder
	b.Grow(64 * len(p.shapes))
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img" font-family="CCSans, sans-serif"><title>%s</title>`,
		f(p.W), f(p.H), esc(title))
	for _, s := range p.shapes {
		switch s.kind {
		case shapeRect:
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"`, f(s.x), f(s.y), f(s.w), f(s.h), svgPaint(s.fill))
			if s.stroke != "" {
				fmt.Fprintf(&b, ` stroke="%s" stroke-width="%s"`, s.stroke, f(s.width))
			}
			b.WriteString("/>")
		case shapeLine:
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`, f(s.x), f(s.y), f(s.w), f(s.h), s.stroke, f(s.width))
			if s.dash {
				fmt.Fprintf(&b, ` stroke-dasharray="%s %s"`, f(4*s.width), f(3*s.width))
			}
			b.WriteString("/>")
		case shapePoly:
			var pts []string
			for i := 0; i+1 < len(s.pts); i += 2 {
				pts = append(pts, f(s.pts[i])+","+f(s.pts[i+1]))
			}
			if s.fill != "" {
				fmt.Fprintf(&b, `<polygon points="%s" fill="%s"/>`, strings.Join(pts, " "), s.fill)
			} else {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>`, strings.Join(pts, " "), s.stroke, f(s.width))
			}
		case shapeText:
			anchor := [...]string{"start", "middle", "end"}[s.anchor]
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" fill="%s"`, f(s.x), f(s.y), f(s.size), svgPaint(s.fill))
			if s.anchor != AnchorStart {
				fmt.Fprintf(&b, ` text-anchor="%s"`, anchor)
			}
			if s.bold {
				b.WriteString(` font-weight="bold"`)
			}
			b.WriteString(">" + esc(s.text) + "</text>")
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

func svgPaint(c Color) string {
	if c == "" {
		return "none"
	}
	return string(c)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string { return escaper.Replace(s) }
