package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"callcoach/analysis"
)

// Where a call came from.
const (
	SourceRecorded = "recorded"
	SourceImported = "imported"
)

// A call's status.
const (
	// StatusRecording: the recorder is writing the call's audio (or died
	// doing so; the app recovers such calls on its next start).
	StatusRecording = "recording"
	// StatusComplete: audio and analysis are final.
	StatusComplete = "complete"
	// StatusRecovered: the recording was cut short by a crash and repaired.
	StatusRecovered = "recovered"
)

// Call is one call with its full analysis.
type Call struct {
	ID         int64
	Title      string
	Rep        string // "" when unknown
	Customer   string // customer or company label
	RecordedAt time.Time
	Duration   time.Duration
	// AudioPath is relative to the library; Library.Abs makes it absolute.
	AudioPath string
	Channels  analysis.Channels
	Source    string // SourceRecorded or SourceImported
	Status    string // StatusRecording, StatusComplete or StatusRecovered
	// Hash is the hex SHA-256 of the imported audio ("" for recordings).
	Hash string
	// Result is the analysis; nil only while Status is StatusRecording.
	Result *analysis.Result
	// Tags are the distinct tags of the call's annotations, sorted.
	Tags      []string
	Created   time.Time
	TrashedAt *time.Time // nil unless in the trash
}

// CallSummary is one row of the call list: the figures the list shows and
// filters on, without the full analysis.
type CallSummary struct {
	ID           int64
	Title        string
	Rep          string
	Customer     string
	RecordedAt   time.Time
	Duration     time.Duration
	RepTalkShare float64 // 0..1
	// Interruptions counts the rep's interruptions of the customer.
	Interruptions int
	Verdict       analysis.Verdict
	Score         int
	Tags          []string
	Source        string
	Status        string
	TrashedAt     *time.Time
}

// CallFilter selects calls. Zero fields do not filter.
type CallFilter struct {
	Rep     string           // rep name, exact (case-insensitive)
	Tag     string           // calls with an annotation carrying this tag
	Text    string           // substring of title, customer or rep name
	Verdict analysis.Verdict // listening verdict
	Since   time.Time        // recorded at or after
	Until   time.Time        // recorded before
	// Trashed lists the trash instead of the live calls.
	Trashed bool
	// Limit caps the rows returned (0: all); Offset skips rows first.
	Limit, Offset int
}

// tagSep separates tag names in the aggregated column (ASCII unit
// separator: never typed into a tag).
const tagSep = "\x1f"

// where builds the WHERE clause of f. Each condition matches an index of
// 003_list_indexes.sql (see TestQueryPlans).
func (f CallFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Trashed {
		conds = append(conds, "c.trashed_ms IS NOT NULL")
	} else {
		conds = append(conds, "c.trashed_ms IS NULL")
	}
	if f.Rep != "" {
		conds = append(conds, "c.rep_id = (SELECT id FROM reps WHERE name = ?)")
		args = append(args, strings.TrimSpace(f.Rep))
	}
	if f.Tag != "" {
		conds = append(conds, "c.id IN (SELECT a.call_id FROM annotations a WHERE a.tag_id = (SELECT id FROM tags WHERE name = ?))")
		args = append(args, strings.TrimSpace(f.Tag))
	}
	if f.Verdict != "" {
		conds = append(conds, "c.verdict = ?")
		args = append(args, string(f.Verdict))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "c.recorded_ms >= ?")
		args = append(args, ms(f.Since))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "c.recorded_ms < ?")
		args = append(args, ms(f.Until))
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		like := "%" + likeEscaper.Replace(t) + "%"
		conds = append(conds, `(c.title LIKE ? ESCAPE '\' OR c.customer LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

const callTagsExpr = `(SELECT group_concat(name, char(31)) FROM
	(SELECT DISTINCT t.name FROM annotations a JOIN tags t ON t.id = a.tag_id WHERE a.call_id = c.id ORDER BY t.name))`

// summaryRow is the call list's select list: the integer and text fields
// joined by tagSep into one column, then the talk share. Reading the list is
// bound by the driver's per-column cost (13 columns: about 2 µs a row; this:
// under 1.5 µs), which is what keeps 10,000 calls near 15 ms. The free-text
// fields come last and never hold control characters (cleanText).
const summaryRow = `c.id || char(31) || c.recorded_ms || char(31) || c.duration_ns || char(31) ||
	c.rep_interruptions || char(31) || c.score || char(31) || coalesce(c.trashed_ms, '') || char(31) ||
	c.verdict || char(31) || c.source || char(31) || c.status || char(31) ||
	c.title || char(31) || c.customer || char(31) || coalesce(r.name, ''), c.rep_talk_share`

// summaryFields is the number of fields packed in summaryRow's first column.
const summaryFields = 12

// parseSummary decodes summaryRow's packed column.
func parseSummary(b []byte, s *CallSummary) error {
	var f [summaryFields]string
	rest := string(b)
	for i := range summaryFields - 1 {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, tagSep)
		if !ok {
			return fmt.Errorf("bad list row %q", b)
		}
	}
	f[summaryFields-1] = rest
	var nums [6]int64
	for i := range nums {
		if i == 5 && f[i] == "" { // not trashed
			break
		}
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return fmt.Errorf("bad list row %q: %w", b, err)
		}
		nums[i] = n
	}
	s.ID = nums[0]
	s.RecordedAt = fromMS(nums[1])
	s.Duration = time.Duration(nums[2])
	s.Interruptions = int(nums[3])
	s.Score = int(nums[4])
	if f[5] != "" {
		t := fromMS(nums[5])
		s.TrashedAt = &t
	}
	s.Verdict = analysis.Verdict(f[6])
	s.Source, s.Status = f[7], f[8]
	s.Title, s.Customer, s.Rep = f[9], f[10], f[11]
	return nil
}

// callsQuery is the call list's query for filter f.
func callsQuery(f CallFilter) (string, []any) {
	where, args := f.where()
	q := `SELECT ` + summaryRow + `
	FROM calls c LEFT JOIN reps r ON r.id = c.rep_id
	` + where + `
	ORDER BY c.recorded_ms DESC, c.id DESC`
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, f.Offset)
	}
	return q, args
}

// Calls lists the calls f selects, newest first.
func (l *Library) Calls(ctx context.Context, f CallFilter) ([]CallSummary, error) {
	q, args := callsQuery(f)
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing calls: %w", err)
	}
	defer rows.Close()
	var out []CallSummary
	var raw sql.RawBytes
	for rows.Next() {
		var s CallSummary
		if err := rows.Scan(&raw, &s.RepTalkShare); err != nil {
			return nil, fmt.Errorf("listing calls: %w", err)
		}
		if err := parseSummary(raw, &s); err != nil {
			return nil, fmt.Errorf("listing calls: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing calls: %w", err)
	}
	if err := l.attachTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CallCount counts the calls f selects (ignoring Limit and Offset).
func (l *Library) CallCount(ctx context.Context, f CallFilter) (int, error) {
	where, args := f.where()
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM calls c LEFT JOIN reps r ON r.id = c.rep_id `+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting calls: %w", err)
	}
	return n, nil
}

// cleanText trims s and turns control characters (line breaks, tabs, the
// list's separator) into spaces: titles, names and labels are one line.
func cleanText(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

func splitTags(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	return strings.Split(s.String, tagSep)
}

// Call returns call id with its full analysis, trashed or not.
func (l *Library) Call(ctx context.Context, id int64) (*Call, error) {
	return queryCall(ctx, l.db, id)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func queryCall(ctx context.Context, q queryer, id int64) (*Call, error) {
	var c Call
	var recorded, dur, created int64
	var channels string
	var result, tags sql.NullString
	var trashed sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT c.id, c.title, coalesce(r.name, ''), c.customer, c.recorded_ms, c.duration_ns,
		c.audio_path, c.channels, c.source, c.status, c.hash, cr.result, c.created_ms, c.trashed_ms, `+callTagsExpr+`
		FROM calls c LEFT JOIN reps r ON r.id = c.rep_id LEFT JOIN call_results cr ON cr.call_id = c.id WHERE c.id = ?`, id).Scan(
		&c.ID, &c.Title, &c.Rep, &c.Customer, &recorded, &dur,
		&c.AudioPath, &channels, &c.Source, &c.Status, &c.Hash, &result, &created, &trashed, &tags)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("call", id)
	}
	if err != nil {
		return nil, fmt.Errorf("reading call %d: %w", id, err)
	}
	c.RecordedAt = fromMS(recorded)
	c.Duration = time.Duration(dur)
	c.Created = fromMS(created)
	c.TrashedAt = fromNullMS(trashed)
	c.Tags = splitTags(tags)
	if err := json.Unmarshal([]byte(channels), &c.Channels); err != nil {
		return nil, fmt.Errorf("reading call %d's channels: %w", id, err)
	}
	if result.Valid {
		c.Result = new(analysis.Result)
		if err := json.Unmarshal([]byte(result.String), c.Result); err != nil {
			return nil, fmt.Errorf("reading call %d's analysis: %w", id, err)
		}
	}
	return &c, nil
}

// summary holds the columns copied out of a Result for listing.
type summary struct {
	json          string
	duration      time.Duration
	talkShare     float64
	interruptions int
	verdict       string
	score         int
}

func summarize(r *analysis.Result) (summary, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return summary{}, fmt.Errorf("encoding the analysis: %w", err)
	}
	s := summary{json: string(b), duration: r.Duration.D(), talkShare: r.RepTalkShare,
		verdict: string(r.Listening.Verdict), score: r.Listening.Score}
	for _, in := range r.Interruptions {
		if in.By == analysis.Rep {
			s.interruptions++
		}
	}
	return s, nil
}

// repID returns the id of the rep called name, adding the rep if new; ""
// gives NULL (unknown rep).
func (l *Library) repID(ctx context.Context, tx *sql.Tx, name string) (sql.NullInt64, error) {
	name = cleanText(name)
	if name == "" {
		return sql.NullInt64{}, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reps (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, ms(l.now())); err != nil {
		return sql.NullInt64{}, fmt.Errorf("adding rep %q: %w", name, err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM reps WHERE name = ?`, name).Scan(&id); err != nil {
		return sql.NullInt64{}, fmt.Errorf("finding rep %q: %w", name, err)
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// newCall is what insertCall stores.
type newCall struct {
	Title, Rep, Customer string
	RecordedAt           time.Time
	AudioPath            string
	Channels             analysis.Channels
	Source, Status, Hash string
	Result               *analysis.Result // nil only for StatusRecording
}

// insertCall adds a call row in tx and returns its id.
func (l *Library) insertCall(ctx context.Context, tx *sql.Tx, n newCall) (int64, error) {
	rep, err := l.repID(ctx, tx, n.Rep)
	if err != nil {
		return 0, err
	}
	ch, err := json.Marshal(n.Channels)
	if err != nil {
		return 0, fmt.Errorf("encoding the channels: %w", err)
	}
	var s summary
	if n.Result != nil {
		if s, err = summarize(n.Result); err != nil {
			return 0, err
		}
	} else if n.Status != StatusRecording {
		return 0, invalidf("a call needs its analysis unless it is still recording")
	}
	if n.RecordedAt.IsZero() {
		n.RecordedAt = l.now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO calls (title, rep_id, customer, recorded_ms, duration_ns, audio_path,
		channels, source, status, hash, rep_talk_share, rep_interruptions, verdict, score, created_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cleanText(n.Title), rep, cleanText(n.Customer), ms(n.RecordedAt), int64(s.duration), n.AudioPath,
		string(ch), n.Source, n.Status, n.Hash, s.talkShare, s.interruptions, s.verdict, s.score, ms(l.now()))
	if err != nil {
		return 0, fmt.Errorf("adding the call: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if n.Result != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_results (call_id, result) VALUES (?, ?)`, id, s.json); err != nil {
			return 0, fmt.Errorf("adding the call's analysis: %w", err)
		}
	}
	return id, nil
}

// UpdateCall changes a call's title, rep and customer label.
func (l *Library) UpdateCall(ctx context.Context, id int64, title, rep, customer string) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		rid, err := l.repID(ctx, tx, rep)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE calls SET title = ?, rep_id = ?, customer = ? WHERE id = ?`,
			cleanText(title), rid, cleanText(customer), id)
		if err != nil {
			return fmt.Errorf("updating call %d: %w", id, err)
		}
		return mustAffect(res, notFound("call", id))
	})
}

// Trash moves a call to the trash: it leaves the list (unless
// CallFilter.Trashed) but keeps everything until DeleteCall or PurgeTrash.
func (l *Library) Trash(ctx context.Context, id int64) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calls SET trashed_ms = coalesce(trashed_ms, ?) WHERE id = ?`, ms(l.now()), id)
		if err != nil {
			return fmt.Errorf("trashing call %d: %w", id, err)
		}
		return mustAffect(res, notFound("call", id))
	})
}

// Restore takes a call out of the trash.
func (l *Library) Restore(ctx context.Context, id int64) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calls SET trashed_ms = NULL WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("restoring call %d: %w", id, err)
		}
		return mustAffect(res, notFound("call", id))
	})
}

// DeleteCall deletes a call, its annotations and its audio for good. Its
// clips stay (they keep their own audio and text).
func (l *Library) DeleteCall(ctx context.Context, id int64) error {
	var audio string
	err := l.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM calls WHERE id = ? RETURNING audio_path`, id).Scan(&audio)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("call", id)
		}
		if err != nil {
			return fmt.Errorf("deleting call %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.removeFile(audio)
	return nil
}

// PurgeTrash deletes for good the calls trashed more than olderThan ago
// (0: everything in the trash) and returns how many it deleted.
func (l *Library) PurgeTrash(ctx context.Context, olderThan time.Duration) (int, error) {
	var paths []string
	err := l.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `DELETE FROM calls WHERE trashed_ms IS NOT NULL AND trashed_ms <= ? RETURNING audio_path`,
			ms(l.now().Add(-olderThan)))
		if err != nil {
			return fmt.Errorf("emptying the trash: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				return fmt.Errorf("emptying the trash: %w", err)
			}
			paths = append(paths, p)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		l.removeFile(p)
	}
	return len(paths), nil
}

func mustAffect(res sql.Result, missing error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return missing
	}
	return nil
}

// attachTags fills in the calls' tags with one query (a per-row subquery
// costs more than the rest of the list).
func (l *Library) attachTags(ctx context.Context, calls []CallSummary) error {
	if len(calls) == 0 {
		return nil
	}
	at := make(map[int64]int, len(calls))
	ids := make([]int64, len(calls))
	for i, c := range calls {
		at[c.ID] = i
		ids[i] = c.ID
	}
	q := `SELECT DISTINCT a.call_id, t.name FROM annotations a JOIN tags t ON t.id = a.tag_id
		WHERE a.call_id IN (SELECT value FROM json_each(?)) ORDER BY a.call_id, t.name`
	var args []any
	if len(calls) > 1000 {
		// A long list: reading every tagged annotation beats the IN list.
		q = `SELECT DISTINCT a.call_id, t.name FROM annotations a JOIN tags t ON t.id = a.tag_id ORDER BY a.call_id, t.name`
	} else {
		js, _ := json.Marshal(ids)
		args = append(args, string(js))
	}
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("listing the calls' tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("listing the calls' tags: %w", err)
		}
		if i, ok := at[id]; ok {
			calls[i].Tags = append(calls[i].Tags, name)
		}
	}
	return rows.Err()
}
