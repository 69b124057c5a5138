package interchange

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// now is the clock EAF's DATE reads; tests set it.
var now = time.Now

// minEAFSpan is the length an EAF annotation gets for a point that has
// none (ELAN has no point tiers; its annotations need an end after their
// start).
const minEAFSpan = time.Millisecond

// WriteEAF writes the call's tiers (Tiers) as an ELAN 3.0 annotation
// document: the audio linked (absolute and relative URL), times in
// milliseconds, one linguistic type for all tiers. ELAN has no point
// tiers, so an interruption spans its overlap and a point annotation
// lasts a millisecond. The speech tiers name the rep and the customer as
// participants; the annotation tiers name their authors as annotator.
func WriteEAF(w io.Writer, c Call) error {
	tiers := Tiers(c)
	end := c.length()
	type ann struct {
		id, ref1, ref2 string
		text           string
	}
	type tierOut struct {
		Tier
		participant, annotator string
		anns                   []ann
		spans                  [][2]time.Duration
	}
	var outs []tierOut
	var times []time.Duration
	for _, t := range tiers {
		o := tierOut{Tier: t}
		switch t.Name {
		case TierRep:
			o.participant = c.Rep
		case TierCustomer:
			o.participant = c.Customer
		}
		if isAnnotationTier(t.Name) {
			o.annotator = authors(c, t)
		}
		for i, it := range t.Items {
			s, e := it.Start, it.End
			if t.Point {
				e = s + max(it.Span, minEAFSpan)
				if i+1 < len(t.Items) {
					e = min(e, t.Items[i+1].Start)
				}
			}
			s, e = min(s, end), min(e, end)
			if e <= s {
				if s >= end && end >= minEAFSpan {
					s = end - minEAFSpan
				}
				e = s + minEAFSpan
			}
			o.spans = append(o.spans, [2]time.Duration{s, e})
			times = append(times, s, e)
		}
		outs = append(outs, o)
	}
	// One time slot per distinct millisecond, numbered in time order.
	ms := func(d time.Duration) int64 { return (d + time.Millisecond/2).Milliseconds() }
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	slot := map[int64]string{}
	var slots []int64
	for _, t := range times {
		m := ms(t)
		if _, ok := slot[m]; !ok {
			slot[m] = fmt.Sprintf("ts%d", len(slots)+1)
			slots = append(slots, m)
		}
	}
	n := 0
	for i := range outs {
		for j, sp := range outs[i].spans {
			a, b := ms(sp[0]), ms(sp[1])
			if b <= a {
				continue // shorter than a millisecond once rounded
			}
			n++
			outs[i].anns = append(outs[i].anns, ann{fmt.Sprintf("a%d", n), slot[a], slot[b], outs[i].Items[j].Text})
		}
	}

	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	p("<ANNOTATION_DOCUMENT AUTHOR=%s DATE=%s FORMAT=\"3.0\" VERSION=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n",
		attr(allAuthors(c)), attr(now().Format("2006-01-02T15:04:05-07:00")))
	p("    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n")
	if c.AudioFile != "" {
		p("        <MEDIA_DESCRIPTOR MEDIA_URL=%s MIME_TYPE=\"audio/x-wav\" RELATIVE_MEDIA_URL=%s/>\n",
			attr(fileURL(c.AudioFile)), attr("./"+url.PathEscape(filepath.Base(c.AudioFile))))
	}
	p("        <PROPERTY NAME=\"lastUsedAnnotationId\">%d</PROPERTY>\n", n)
	p("    </HEADER>\n    <TIME_ORDER>\n")
	for i, m := range slots {
		p("        <TIME_SLOT TIME_SLOT_ID=\"ts%d\" TIME_VALUE=\"%d\"/>\n", i+1, m)
	}
	p("    </TIME_ORDER>\n")
	for _, o := range outs {
		p("    <TIER LINGUISTIC_TYPE_REF=\"default-lt\" TIER_ID=%s", attr(o.Name))
		if o.participant != "" {
			p(" PARTICIPANT=%s", attr(o.participant))
		}
		if o.annotator != "" {
			p(" ANNOTATOR=%s", attr(o.annotator))
		}
		if len(o.anns) == 0 {
			p("/>\n")
			continue
		}
		p(">\n")
		for _, a := range o.anns {
			p("        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"%s\" TIME_SLOT_REF1=\"%s\" TIME_SLOT_REF2=\"%s\">\n", a.id, a.ref1, a.ref2)
			p("                <ANNOTATION_VALUE>%s</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>\n", text(a.text))
		}
		p("    </TIER>\n")
	}
	p("    <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"default-lt\" TIME_ALIGNABLE=\"true\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"Time subdivision of parent annotation's time interval, no time gaps allowed within this interval\" STEREOTYPE=\"Time_Subdivision\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered\" STEREOTYPE=\"Symbolic_Subdivision\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"1-1 association with a parent annotation\" STEREOTYPE=\"Symbolic_Association\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"Time alignable annotations within the parent annotation's time interval, gaps are allowed\" STEREOTYPE=\"Included_In\"/>\n")
	p("</ANNOTATION_DOCUMENT>\n")
	return bw.Flush()
}

// authors names the authors of the annotations in tier t.
func authors(c Call, t Tier) string {
	var names []string
	seen := map[string]bool{}
	for _, a := range c.Annotations {
		if a.Author == "" || seen[a.Author] {
			continue
		}
		for _, it := range t.Items {
			if it.Start == a.Start && it.End == a.End && it.Text == EncodeLabel(a.Tag, a.Note) {
				seen[a.Author] = true
				names = append(names, a.Author)
				break
			}
		}
	}
	return strings.Join(names, ", ")
}

func allAuthors(c Call) string {
	var names []string
	seen := map[string]bool{}
	for _, a := range c.Annotations {
		if a.Author != "" && !seen[a.Author] {
			seen[a.Author] = true
			names = append(names, a.Author)
		}
	}
	return strings.Join(names, ", ")
}

// fileURL turns an absolute path into a file:// URL.
func fileURL(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return u.String()
}

func attr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	xml.EscapeText(&b, []byte(s))
	b.WriteByte('"')
	return strings.ReplaceAll(b.String(), "\n", "&#xA;")
}

func text(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
