package interchange

import (
	"encoding/json"
	"io"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// CallJSON is a call as the JSON export and `callcoach show --json` give
// it: times in RFC 3339, lengths and offsets in seconds, the audio as an
// absolute path, the full analysis and the annotations.
type CallJSON struct {
	ID          int64             `json:"id"`
	Title       string            `json:"title"`
	Rep         string            `json:"rep"`
	Customer    string            `json:"customer"`
	RecordedAt  time.Time         `json:"recorded_at"`
	Duration    analysis.Dur      `json:"duration_s"`
	AudioFile   string            `json:"audio_file"`
	Channels    analysis.Channels `json:"channels"`
	Source      string            `json:"source"`
	Status      string            `json:"status"`
	SHA256      string            `json:"sha256,omitempty"`
	Tags        []string          `json:"tags"`
	TrashedAt   *time.Time        `json:"trashed_at,omitempty"`
	Result      *analysis.Result  `json:"result"`
	Annotations []AnnotationJSON  `json:"annotations"`
	// Repeats are the passages of this call's rep speech also said in the
	// rep's other calls (issue 10); [] when none were found.
	Repeats []analysis.Repeat `json:"repeats"`
}

// AnnotationJSON is an annotation in the JSON export.
type AnnotationJSON struct {
	ID      int64        `json:"id"`
	CallID  int64        `json:"call_id"`
	Start   analysis.Dur `json:"start_s"`
	End     analysis.Dur `json:"end_s"`
	Tag     string       `json:"tag"`
	Note    string       `json:"note"`
	Author  string       `json:"author"`
	Created time.Time    `json:"created"`
	Edited  time.Time    `json:"edited"`
}

// NewCallJSON returns c in its JSON shape.
func NewCallJSON(c Call) CallJSON {
	tags := c.Tags
	if tags == nil {
		tags = []string{}
	}
	j := CallJSON{ID: c.ID, Title: c.Title, Rep: c.Rep, Customer: c.Customer, RecordedAt: c.RecordedAt,
		Duration: analysis.Dur(c.Duration), AudioFile: c.AudioFile, Channels: c.Channels,
		Source: c.Source, Status: c.Status, SHA256: c.Hash, Tags: tags, TrashedAt: c.TrashedAt,
		Result: c.Result, Annotations: []AnnotationJSON{}, Repeats: c.Repeats}
	if j.Repeats == nil {
		j.Repeats = []analysis.Repeat{}
	}
	for _, a := range c.Annotations {
		j.Annotations = append(j.Annotations, NewAnnotationJSON(a))
	}
	return j
}

// NewAnnotationJSON returns a in its JSON shape.
func NewAnnotationJSON(a store.Annotation) AnnotationJSON {
	return AnnotationJSON{ID: a.ID, CallID: a.CallID, Start: analysis.Dur(a.Start), End: analysis.Dur(a.End),
		Tag: a.Tag, Note: a.Note, Author: a.Author, Created: a.Created, Edited: a.Edited}
}

// WriteJSON writes the call, its full analysis and its annotations as
// indented JSON.
func WriteJSON(w io.Writer, c Call) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewCallJSON(c))
}
