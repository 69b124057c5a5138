package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"callcoach/callflow"
	"callcoach/callflow/report"
)

func init() {
	register(command{
		name:    "report",
		summary: "make a coaching report of a call or of a rep's calls, as HTML or PDF",
		run:     runReport,
	})
}

const reportUsage = `Usage:
  callcoach report CALL [--out FILE.html|FILE.pdf] [--paper a4|letter]
  callcoach report --rep NAME [--since DATE] [--until DATE] [--out FILE.html|FILE.pdf] [--paper a4|letter]

A call's report: who, when and how long, recording warnings, the verdict
with its score and every reason, each figure against its target, the
timeline (both lanes, overlaps, interruptions, silences, annotations),
the annotations with their notes and authors, and the clips.

A rep's report, for a one-to-one: the calls of the period (--since on or
after DATE, --until before DATE), the averages against the targets, the
trend charts with the target band, the best and the worst calls, and the
clips tagged in the period.

One self-contained file: HTML opens in any browser (fonts and pictures
inside, nothing fetched); PDF prints as is. The extension of --out picks
the format; without --out the report goes to call-N-report.html (or
rep-NAME-report.html) here. '--out -' writes HTML to stdout (--format pdf
for a PDF). The PDF's paper follows the locale (Letter for en_US, fr_CA,
es_MX...; A4 elsewhere) unless --paper says. The file is readable by you
alone (it describes a recorded call) and is never overwritten.

Flags:
`

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", reportUsage, stderr)
	rep := fs.String("rep", "", "a report of this rep's calls instead of one call")
	since := fs.String("since", "", "with --rep: calls recorded on or after DATE (2026-03-02)")
	until := fs.String("until", "", "with --rep: calls recorded before DATE")
	out := fs.String("out", "", "the report's file: .html or .pdf ('-': stdout)")
	format := fs.String("format", "", "html or pdf (default: from --out's extension)")
	paperName := fs.String("paper", "", "the PDF's paper: a4 or letter (default: from the locale)")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var id int64
	switch {
	case set["rep"] && len(pos) > 0:
		return usagef("give a call number or --rep NAME, not both")
	case set["rep"] && strings.TrimSpace(*rep) == "":
		return usagef("--rep needs a name")
	case !set["rep"]:
		if set["since"] || set["until"] {
			return usagef("--since and --until choose a rep's calls: give --rep NAME too")
		}
		if id, err = oneID("call", pos); err != nil {
			return err
		}
	}
	paper := callflow.DefaultPaper()
	if *paperName != "" {
		if paper, err = report.PaperNamed(*paperName); err != nil {
			return usagef("--paper is a4 or letter, not %q", *paperName)
		}
	}
	var f callflow.ReportFormat
	switch {
	case *format != "":
		switch callflow.ReportFormat(strings.ToLower(*format)) {
		case callflow.ReportHTML, callflow.ReportPDF:
			f = callflow.ReportFormat(strings.ToLower(*format))
		default:
			return usagef("--format is html or pdf, not %q", *format)
		}
	case *out == "-" || *out == "":
		f = callflow.ReportHTML
	default:
		if f, err = callflow.ReportFormatFor(*out); err != nil {
			return usagef("%v (give --out NAME.html or NAME.pdf)", err)
		}
	}
	var from, to time.Time
	if *since != "" {
		if from, err = parseDate("since", *since); err != nil {
			return err
		}
	}
	if *until != "" {
		if to, err = parseDate("until", *until); err != nil {
			return err
		}
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	var doc *report.Document
	if set["rep"] {
		doc, err = callflow.RepReport(ctx, lib, *rep, from, to)
	} else {
		doc, err = callflow.CallReport(ctx, lib, id)
	}
	if err != nil {
		return libraryError(err)
	}
	write := func(w io.Writer) error { return callflow.WriteReport(w, doc, f, paper) }
	path := *out
	switch path {
	case "-":
		return write(stdout)
	case "":
		name := fmt.Sprintf("call-%d", id)
		if set["rep"] {
			name = "rep-" + fileSafe(*rep)
		}
		path = name + "-report." + string(f)
	}
	if err := callflow.SaveFile(path, false, write); err != nil {
		return err
	}
	what := "HTML: open it in a browser"
	if f == callflow.ReportPDF {
		what = "PDF, " + paper.Name
	}
	fmt.Fprintf(stdout, "wrote %s (%s)\n", path, what)
	return nil
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// fileSafe turns a name into a file name part: "Zoë Ångström" → "Zoë-Ångström".
func fileSafe(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(strings.TrimSpace(s), "-"), "-.")
	if s == "" {
		return "rep"
	}
	return s
}
