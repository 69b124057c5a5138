package callflow

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"callcoach/callflow/interchange"
	"callcoach/callflow/report"
	"callcoach/store"
)

// Sharing what the library found: a coaching report of a call or of a
// rep (HTML or PDF), a call exported for Praat, ELAN, diarization tools,
// Audacity or a spreadsheet, the library's list as CSV, and annotations
// made elsewhere brought back in. The formats live in callflow/report and
// callflow/interchange; these are the use cases both front ends run.

// ReportFormat is how a report is written.
type ReportFormat string

// The report formats.
const (
	ReportHTML ReportFormat = "html"
	ReportPDF  ReportFormat = "pdf"
)

// ReportFormatFor picks the format from a file name's extension (.html,
// .htm or .pdf).
func ReportFormatFor(path string) (ReportFormat, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return ReportHTML, nil
	case ".pdf":
		return ReportPDF, nil
	}
	return "", fmt.Errorf("a report is an .html or a .pdf file, not %q", filepath.Base(path))
}

// CallReport makes call id's report.
func CallReport(ctx context.Context, lib *store.Library, id int64) (*report.Document, error) {
	in, err := report.LoadCall(ctx, lib, id)
	if err != nil {
		return nil, err
	}
	cfg, err := Config(ctx, lib)
	if err != nil {
		return nil, err
	}
	in.LongSilence, in.SoundsRead = cfg.LongSilence, cfg.Verdict.SoundsRead
	return report.CallDocument(in)
}

// RepReport makes a rep's report over the calls recorded in [since,
// until) (zero: open), judged by the library's verdict settings.
func RepReport(ctx context.Context, lib *store.Library, rep string, since, until time.Time) (*report.Document, error) {
	cfg, err := Config(ctx, lib)
	if err != nil {
		return nil, err
	}
	in, err := report.LoadRep(ctx, lib, rep, since, until, cfg.Verdict)
	if err != nil {
		return nil, err
	}
	return report.RepDocument(in), nil
}

// WriteReport writes a report as HTML or as a PDF on paper.
func WriteReport(w io.Writer, d *report.Document, f ReportFormat, paper report.Paper) error {
	if f == ReportPDF {
		return report.PDF(w, d, paper)
	}
	return report.HTML(w, d)
}

// DefaultPaper is the PDF paper for this user: from the locale (see
// report.PaperFor).
func DefaultPaper() report.Paper { return report.PaperFor(os.Getenv) }

// SaveFile writes a new file at path with write: 0600 (reports and
// exports hold personal data), refusing to overwrite unless replace,
// written to a temporary file beside it and renamed into place, so a
// failed write leaves nothing half-written.
func SaveFile(path string, replace bool, write func(io.Writer) error) error {
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s already exists: choose another name", path)
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !replace {
		// Link rather than rename: fails if the name was taken meanwhile.
		if err := os.Link(tmp.Name(), path); err != nil {
			if os.IsExist(err) {
				return fmt.Errorf("%s already exists: choose another name", path)
			}
			return os.Rename(tmp.Name(), path)
		}
		return nil
	}
	return os.Rename(tmp.Name(), path)
}

// Export writes call id in an interchange format.
func Export(ctx context.Context, lib *store.Library, id int64, f interchange.ExportFormat, w io.Writer) error {
	c, err := interchange.Load(ctx, lib, id)
	if err != nil {
		return err
	}
	return f.Write(w, c)
}

// ExportCalls writes the calls f selects as CSV, one row per call with
// every figure (the Library's "Export CSV…").
func ExportCalls(ctx context.Context, lib *store.Library, f store.CallFilter, w io.Writer, progress func(done, total int)) (int, error) {
	return interchange.WriteLibraryCSV(ctx, w, lib, f, progress)
}

// ImportAnnotations reads an Audacity label track or a Praat TextGrid at
// path and adds its marks to call id by author, all or nothing.
func ImportAnnotations(ctx context.Context, lib *store.Library, id int64, path, author string) (*interchange.Imported, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if st.Size() > maxAnnotationFile {
		return nil, fmt.Errorf("cannot import %s: at %d MB it is too large to be a label track or a TextGrid", path, st.Size()>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return interchange.ImportAnnotations(ctx, lib, id, filepath.Base(path), b, author)
}

// maxAnnotationFile bounds what ImportAnnotations reads: a TextGrid of a
// long, densely annotated call is a few MB.
const maxAnnotationFile = 64 << 20
