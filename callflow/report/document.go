package report

// A Document is a report as blocks, built once from the call or the rep
// and rendered as HTML or PDF by the same walk, so the two say the same
// things in the same order.
type Document struct {
	Title    string // the page's main heading
	Subtitle string
	Blocks   []Block
	// Footer is printed at the bottom of every page.
	Footer string
}

// Tone colours a piece of text or a box.
type Tone uint8

// The tones.
const (
	ToneNone Tone = iota
	ToneGood
	ToneWarn
	ToneBad
	ToneMuted
)

var toneColor = [...]Color{ToneNone: "#222222", ToneGood: "#1d7f3d", ToneWarn: "#a86400", ToneBad: "#b42323", ToneMuted: "#666666"}

// Block is one piece of a document.
type Block interface{ isBlock() }

// Heading starts a section.
type Heading struct{ Text string }

// Para is a paragraph.
type Para struct {
	Text  string
	Tone  Tone
	Small bool
}

// Facts is a list of label: value pairs (who, when, how long).
type Facts struct{ Rows [][2]string }

// Verdict is the verdict box: the verdict in its colour with the score,
// and the reasons below it.
type Verdict struct {
	Label   string // "Script-driven"
	Score   string // "score 38/100"; "" for none
	Tone    Tone
	Reasons []string
}

// Notice is a framed box of sentences to read first (recording warnings).
type Notice struct {
	Title string
	Lines []string
	Tone  Tone
}

// Cell is one table cell.
type Cell struct {
	Text string
	Tone Tone
	Bold bool
}

// Table is a table with a header row. Widths are the columns' shares of
// the width (they need not add up to 1); Right aligns a column right.
type Table struct {
	Head   []string
	Widths []float64
	Right  []bool
	Rows   [][]Cell
	// Empty is said instead of the table when it has no rows.
	Empty string
}

// Figure is a picture with an optional caption below it.
type Figure struct {
	Pic     *Picture
	Alt     string // what the picture shows, for screen readers
	Caption string
}

func (Heading) isBlock() {}
func (Para) isBlock()    {}
func (Facts) isBlock()   {}
func (Verdict) isBlock() {}
func (Notice) isBlock()  {}
func (Table) isBlock()   {}
func (Figure) isBlock()  {}

// Texts returns every text the document prints, pictures included (the
// tests check the font covers all of it).
func (d *Document) Texts() []string {
	out := []string{d.Title, d.Subtitle, d.Footer}
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case Heading:
			out = append(out, b.Text)
		case Para:
			out = append(out, b.Text)
		case Facts:
			for _, r := range b.Rows {
				out = append(out, r[0], r[1])
			}
		case Verdict:
			out = append(out, b.Label, b.Score)
			out = append(out, b.Reasons...)
		case Notice:
			out = append(out, b.Title)
			out = append(out, b.Lines...)
		case Table:
			out = append(out, b.Head...)
			out = append(out, b.Empty)
			for _, r := range b.Rows {
				for _, c := range r {
					out = append(out, c.Text)
				}
			}
		case Figure:
			out = append(out, b.Caption)
			out = append(out, b.Pic.Texts()...)
		}
	}
	return out
}
