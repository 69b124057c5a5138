package interchange

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"callcoach/analysis"
)

// WriteRTTM writes the call's speech as RTTM (NIST Rich Transcription
// Time Marked), one SPEAKER line per segment in time order, speakers
// "rep" and "customer" ("mixed" for a mono call's speech), onset and
// duration in seconds:
//
//	SPEAKER <file> 1 <onset> <duration> <NA> <NA> <speaker> <NA> <NA>
//
// The file id is the audio file's name without its extension, blanks
// replaced by "_" (RTTM fields are separated by blanks).
func WriteRTTM(w io.Writer, c Call) error {
	segs := append([]analysis.Segment(nil), c.Result.Segments...)
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].Start < segs[j].Start })
	id := RTTMFileID(c)
	bw := bufio.NewWriter(w)
	for _, s := range segs {
		if s.End <= s.Start {
			continue
		}
		fmt.Fprintf(bw, "SPEAKER %s 1 %s %s <NA> <NA> %s <NA> <NA>\n", id,
			strconv.FormatFloat(s.Start.Seconds(), 'f', 3, 64), strconv.FormatFloat(s.Len().Seconds(), 'f', 3, 64), s.Speaker)
	}
	return bw.Flush()
}

// RTTMFileID is the file id WriteRTTM puts on every line.
func RTTMFileID(c Call) string {
	base := strings.TrimSuffix(filepath.Base(c.AudioFile), filepath.Ext(c.AudioFile))
	if c.AudioFile == "" || base == "" || base == "." {
		base = "call" + strconv.FormatInt(c.ID, 10)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return '_'
		}
		return r
	}, base)
}
