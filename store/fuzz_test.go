package store

import (
	"database/sql"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCallText stores fuzzed titles, customers and rep names and reads
// them back through the packed call list: no text may break a row.
func FuzzCallText(f *testing.F) {
	for _, s := range [][3]string{
		{"Renewal", "Acme", "Ana"},
		{"", "", ""},
		{"a\x1fb\x1ec", "tab\there", "new\nline"},
		{"100% _done_ \\", "'quoted' \"double\"", "Chloé 李"},
		{"   ", "\x00", "\u2028"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	l := MustOpen(f)
	var n int64
	f.Fuzz(func(t *testing.T, title, customer, rep string) {
		if !utf8.ValidString(title + customer + rep) {
			t.Skip("SQLite text is UTF-8")
		}
		n++
		err := l.tx(ctx, func(tx *sql.Tx) error {
			_, err := l.insertCall(ctx, tx, newCall{Title: title, Customer: customer, Rep: rep, RecordedAt: t0.Add(time.Duration(n) * time.Hour),
				AudioPath: "calls/fuzz-" + time.Duration(n).String() + ".wav", Source: SourceImported, Status: StatusComplete,
				Result: testResult(time.Second, .25, 0, 0, "", 0)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		s, err := l.Calls(ctx, CallFilter{Limit: 1})
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		if len(s) != 1 || s[0].Title != cleanText(title) || s[0].Customer != cleanText(customer) ||
			!strings.EqualFold(s[0].Rep, cleanText(rep)) || // reps are one regardless of case
			s[0].RepTalkShare != .25 {
			t.Errorf("stored %q %q %q, listed %+v", title, customer, rep, s)
		}
	})
}
