package interchange

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"callcoach/analysis"
)

// CSVColumns are the columns of the CSV export, in order: the call, then
// every figure of its analysis (seconds, shares 0..1, rates as the verdict
// counts them), then its annotations. A figure the analysis did not
// measure for a call (the parties of a mono recording, patience when the
// rep never answered, the verdict of a call too short to judge) is empty,
// not zero. "channels" is "two" (a party per channel), "mono" (one
// channel, who spoke not known) or "one, voices split" (one channel whose
// two voices the analysis told apart).
var CSVColumns = []string{
	"call_id", "title", "rep", "customer", "recorded_at", "duration_s",
	"rep_talk_s", "customer_talk_s", "rep_talk_share", "overlap_s", "silence_s", "long_silences",
	"rep_interruptions", "customer_interruptions", "rep_interruptions_yielded",
	"rep_backchannels", "customer_backchannels",
	"longest_rep_monologue_s", "longest_customer_monologue_s",
	"floor_changes", "interactivity_per_min", "patience_mean_s", "patience_median_s",
	"listening_score", "verdict", "annotations",
	// Added with the interchange formats; new columns go at the end so a
	// spreadsheet built on the old ones keeps working.
	"status", "channels", "mixed_talk_s", "long_silence_s", "customer_talked_over",
	"rep_interruptions_per_10min", "customer_talked_over_per_10min", "longest_rep_monologue_pct",
	"patience_count", "tags",
	// Added with the repeats, the delivery cues and the recording checks.
	"script_reuse_share", "repeated_passages", "read_delivery_pct", "recording_warnings",
}

// CSVWriter writes calls as CSV (RFC 4180: comma-separated, fields quoted
// where needed, CRLF line ends), one header row and one row per call.
type CSVWriter struct {
	w      *csv.Writer
	header bool
}

// NewCSVWriter returns a writer that writes the header before the first row.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: cw}
}

// Write writes one call's row.
func (cw *CSVWriter) Write(c Call) error {
	if !cw.header {
		cw.header = true
		if err := cw.w.Write(CSVColumns); err != nil {
			return err
		}
	}
	return cw.w.Write(CSVRow(c))
}

// Flush writes out what is buffered and returns the first error.
func (cw *CSVWriter) Flush() error {
	if !cw.header { // an empty list still gets its header
		cw.header = true
		cw.w.Write(CSVColumns)
	}
	cw.w.Flush()
	return cw.w.Error()
}

// WriteCSV writes one call as CSV: the header and its row.
func WriteCSV(w io.Writer, c Call) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(c); err != nil {
		return err
	}
	return cw.Flush()
}

// CSVRow returns a call's row, in CSVColumns order.
func CSVRow(c Call) []string {
	r := c.Result
	secs := func(d analysis.Dur) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
	itoa := strconv.Itoa
	ftoa := func(v float64, dec int) string { return strconv.FormatFloat(v, 'f', dec, 64) }
	row := make(map[string]string, len(CSVColumns))
	row["call_id"] = strconv.FormatInt(c.ID, 10)
	row["title"], row["rep"], row["customer"] = c.Title, c.Rep, c.Customer
	row["recorded_at"] = c.RecordedAt.Format(time.RFC3339)
	row["status"] = c.Status
	row["tags"] = strings.Join(c.Tags, "; ")
	row["annotations"] = itoa(len(c.Annotations))
	if r == nil {
		row["duration_s"] = secs(analysis.Dur(c.Duration))
		return ordered(row)
	}
	var codes []string
	for _, w := range r.Recording.Warnings {
		codes = append(codes, string(w.Code))
	}
	row["recording_warnings"] = strings.Join(codes, "; ")
	if sc := r.Script; sc != nil && sc.CallsConsidered > 0 {
		row["script_reuse_share"] = ftoa(sc.ReusedShare, 4)
	}
	row["repeated_passages"] = itoa(len(c.Repeats))
	mono := c.mono()
	row["duration_s"] = secs(r.Duration)
	row["silence_s"] = secs(r.Silence)
	row["long_silences"] = itoa(len(r.LongSilences))
	var long time.Duration
	for _, s := range r.LongSilences {
		long += s.Len()
	}
	row["long_silence_s"] = secs(analysis.Dur(long))
	if mono {
		row["channels"] = "mono" // one channel, who spoke not known
		row["mixed_talk_s"] = secs(r.Talk.Unattributed)
		return ordered(row)
	}
	row["channels"] = "two"
	if r.Channels.OneChannel != "" {
		// One channel whose two voices the analysis split apart.
		row["channels"] = "one, voices split"
		row["mixed_talk_s"] = secs(r.Talk.Unattributed)
	}
	var repInts, custInts, yielded, talkedOver, repBC, custBC int
	for _, in := range r.Interruptions {
		switch in.By {
		case analysis.Rep:
			repInts++
			if in.Yielded {
				yielded++
			}
		case analysis.Customer:
			custInts++
			if !in.Yielded {
				talkedOver++
			}
		}
	}
	for _, b := range r.Backchannels {
		switch b.By {
		case analysis.Rep:
			repBC++
		case analysis.Customer:
			custBC++
		}
	}
	row["rep_talk_s"], row["customer_talk_s"] = secs(r.Talk.Rep), secs(r.Talk.Customer)
	row["rep_talk_share"] = ftoa(r.RepTalkShare, 4)
	row["overlap_s"] = secs(r.Overlap)
	row["rep_interruptions"], row["customer_interruptions"] = itoa(repInts), itoa(custInts)
	row["rep_interruptions_yielded"], row["customer_talked_over"] = itoa(yielded), itoa(talkedOver)
	row["rep_backchannels"], row["customer_backchannels"] = itoa(repBC), itoa(custBC)
	row["longest_rep_monologue_s"], row["longest_customer_monologue_s"] = secs(r.LongestMonologue.Rep), secs(r.LongestMonologue.Customer)
	row["floor_changes"] = itoa(r.FloorChanges)
	row["interactivity_per_min"] = ftoa(r.Interactivity, 3)
	if r.Patience.Count > 0 {
		row["patience_mean_s"], row["patience_median_s"] = secs(r.Patience.Mean), secs(r.Patience.Median)
	}
	row["patience_count"] = itoa(r.Patience.Count)
	for _, f := range r.Listening.Factors {
		switch f.Name {
		case analysis.FactorRepInterruptions:
			row["rep_interruptions_per_10min"] = ftoa(f.Value, 1)
		case analysis.FactorTalkedOver:
			row["customer_talked_over_per_10min"] = ftoa(f.Value, 1)
		case analysis.FactorLongestMonologue:
			row["longest_rep_monologue_pct"] = ftoa(f.Value, 1)
		case analysis.FactorReadDelivery:
			row["read_delivery_pct"] = ftoa(f.Value, 1)
		}
	}
	if r.Listening.Verdict != analysis.NoVerdict {
		row["listening_score"] = itoa(r.Listening.Score)
		row["verdict"] = string(r.Listening.Verdict)
	}
	return ordered(row)
}

func ordered(row map[string]string) []string {
	out := make([]string, len(CSVColumns))
	for i, k := range CSVColumns {
		out[i] = row[k]
	}
	return out
}
