package interchange

import (
	"fmt"
	"io"
	"strings"
)

// ExportFormat is one of the formats a call is exported in.
type ExportFormat struct {
	Name  string // as --format takes it
	Ext   string // the file name extension, with its dot
	About string // one line for help texts and the app's format list
	Write func(io.Writer, Call) error
}

// ExportFormats are the formats, in the order the CLI and the app list them.
var ExportFormats = []ExportFormat{
	{"textgrid", ".TextGrid", "Praat TextGrid: speech, interruption and annotation tiers", WriteTextGrid},
	{"eaf", ".eaf", "ELAN 3.0 annotation document: the same tiers, the audio linked", WriteEAF},
	{"rttm", ".rttm", "RTTM: one SPEAKER line per speech segment (rep, customer)", WriteRTTM},
	{"labels", ".txt", "Audacity label track: annotations and interruptions", WriteLabels},
	{"csv", ".csv", "CSV: the call's figures, one header row and one row", WriteCSV},
	{"json", ".json", "JSON: the call, its full analysis and its annotations", WriteJSON},
}

// FormatNamed returns the export format called name (any case).
func FormatNamed(name string) (ExportFormat, error) {
	for _, f := range ExportFormats {
		if strings.EqualFold(f.Name, name) {
			return f, nil
		}
	}
	return ExportFormat{}, fmt.Errorf("the export format is one of %s, not %q", FormatList(), name)
}

// FormatList lists the format names: "textgrid, eaf, rttm, labels, csv or json".
func FormatList() string {
	var names []string
	for _, f := range ExportFormats {
		names = append(names, f.Name)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
