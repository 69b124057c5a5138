package report

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"
)

// HTML writes d as one self-contained HTML file: the styles, both fonts
// (base64) and every picture (inline SVG) inside, no script, nothing
// fetched. It reads in any browser and prints on A4 or Letter alike
// (@page leaves the paper to the printer; the content is 180 mm wide,
// which fits both, and tables, boxes and timeline rows do not break
// across pages).
func HTML(w io.Writer, d *Document) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	p := func(s ...string) {
		for _, x := range s {
			bw.WriteString(x)
		}
	}
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p("<meta name=\"generator\" content=\"CallCoach\">\n<title>", esc(d.Title), " — ", esc(d.Subtitle), "</title>\n<style>\n", fontFaces(), css, "</style>\n</head>\n<body>\n")
	p("<header><p class=\"kicker\">", esc(d.Subtitle), "</p><h1>", esc(d.Title), "</h1></header>\n<main>\n")
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case Heading:
			p("<h2>", esc(b.Text), "</h2>\n")
		case Para:
			cls := toneClass(b.Tone)
			if b.Small {
				cls += " small"
			}
			p("<p class=\"", strings.TrimSpace(cls), "\">", esc(b.Text), "</p>\n")
		case Facts:
			p("<dl class=\"facts\">")
			for _, r := range b.Rows {
				p("<dt>", esc(r[0]), "</dt><dd>", esc(r[1]), "</dd>")
			}
			p("</dl>\n")
		case Verdict:
			p("<section class=\"verdict ", toneClass(b.Tone), "\"><p class=\"verdict-line\"><strong>", esc(b.Label), "</strong>")
			if b.Score != "" {
				p(" <span class=\"score\">", esc(b.Score), "</span>")
			}
			p("</p>")
			if len(b.Reasons) > 0 {
				p("<ul>")
				for _, r := range b.Reasons {
					p("<li>", esc(r), "</li>")
				}
				p("</ul>")
			}
			p("</section>\n")
		case Notice:
			p("<section class=\"notice ", toneClass(b.Tone), "\"><p><strong>", esc(b.Title), "</strong></p><ul>")
			for _, l := range b.Lines {
				p("<li>", esc(l), "</li>")
			}
			p("</ul></section>\n")
		case Table:
			if len(b.Rows) == 0 {
				if b.Empty != "" {
					p("<p class=\"muted\">", esc(b.Empty), "</p>\n")
				}
				continue
			}
			var sum float64
			for _, w := range b.Widths {
				sum += w
			}
			p("<table>")
			if sum > 0 {
				p("<colgroup>")
				for _, w := range b.Widths {
					p(fmt.Sprintf("<col style=\"width:%.1f%%\">", 100*w/sum))
				}
				p("</colgroup>")
			}
			p("<thead><tr>")
			for i, h := range b.Head {
				p("<th", rightAttr(b.Right, i), ">", esc(h), "</th>")
			}
			p("</tr></thead><tbody>")
			for _, row := range b.Rows {
				p("<tr>")
				for i, c := range row {
					cls := toneClass(c.Tone)
					if c.Bold {
						cls += " b"
					}
					if i < len(b.Right) && b.Right[i] {
						cls += " r"
					}
					if cls = strings.TrimSpace(cls); cls != "" {
						p("<td class=\"", cls, "\">", esc(c.Text), "</td>")
					} else {
						p("<td>", esc(c.Text), "</td>")
					}
				}
				p("</tr>")
			}
			p("</tbody></table>\n")
		case Figure:
			p("<figure>", b.Pic.SVG(b.Alt))
			if b.Caption != "" {
				p("<figcaption>", esc(b.Caption), "</figcaption>")
			}
			p("</figure>\n")
		}
	}
	p("</main>\n<footer>", esc(d.Footer), "</footer>\n</body>\n</html>\n")
	return bw.Flush()
}

func rightAttr(right []bool, i int) string {
	if i < len(right) && right[i] {
		return " class=\"r\""
	}
	return ""
}

func toneClass(t Tone) string {
	return [...]string{ToneNone: "", ToneGood: "good", ToneWarn: "warn", ToneBad: "bad", ToneMuted: "muted"}[t]
}

var (
	fontCSSOnce sync.Once
	fontCSS     string
)

// fontFaces declares the embedded fonts (encoded once per process).
func fontFaces() string {
	fontCSSOnce.Do(func() {
		face := func(b []byte, weight string) string {
			return "@font-face{font-family:\"CCSans\";font-weight:" + weight + ";font-style:normal;src:url(data:font/ttf;base64," +
				base64.StdEncoding.EncodeToString(b) + ") format(\"truetype\");}\n"
		}
		fontCSS = face(fontRegular, "400") + face(fontBold, "700")
	})
	return fontCSS
}

const css = `
:root{--ink:#222;--muted:#666;--rule:#d6dae2;--good:#1d7f3d;--warn:#a86400;--bad:#b42323}
*{box-sizing:border-box}
html{background:#eef0f4}
body{font-family:"CCSans",sans-serif;color:var(--ink);font-size:10.5pt;line-height:1.4;max-width:190mm;margin:8mm auto;padding:10mm 12mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:19pt;margin:0 0 3mm;line-height:1.2}
h2{font-size:13pt;margin:6mm 0 2mm;padding-bottom:1mm;border-bottom:1px solid var(--rule);break-after:avoid}
.kicker{margin:0;color:var(--muted);font-size:9pt;text-transform:uppercase;letter-spacing:.08em}
p{margin:1.5mm 0}
.small{font-size:8.5pt}
.muted{color:var(--muted)} .good{color:var(--good)} .warn{color:var(--warn)} .bad{color:var(--bad)}
.b{font-weight:700} .r{text-align:right}
dl.facts{display:grid;grid-template-columns:28mm 1fr;gap:.8mm 4mm;margin:2mm 0}
dl.facts dt{color:var(--muted)} dl.facts dd{margin:0}
.verdict,.notice{border:1.5px solid currentColor;border-radius:2mm;padding:2.5mm 4mm;margin:2mm 0;break-inside:avoid}
.verdict ul,.notice ul{color:var(--ink);margin:1.5mm 0 0;padding-left:5mm}
.verdict-line{font-size:15pt;margin:0}
.verdict .score{font-size:11pt;color:var(--ink);margin-left:2mm}
.notice{background:#fff7e8}
table{width:100%;border-collapse:collapse;margin:2mm 0;font-size:9.5pt;break-inside:auto}
th{text-align:left;font-weight:700;background:#f0f2f6;border-bottom:1px solid var(--rule);padding:1mm 1.5mm}
td{border-bottom:1px solid #eceef2;padding:1mm 1.5mm;vertical-align:top}
tr{break-inside:avoid}
figure{margin:1.5mm 0;break-inside:avoid}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:8.5pt;color:var(--muted)}
footer{margin-top:8mm;padding-top:2mm;border-top:1px solid var(--rule);font-size:8pt;color:var(--muted)}
@page{margin:14mm 14mm 16mm}
@media print{
html{background:none}
body{max-width:none;margin:0;padding:0;box-shadow:none;font-size:10pt}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
}
`
