package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	// Unattributed: a one-channel call whose speech the analysis did not
	// attribute to the rep and the customer. It has speech and silence but
	// no talk share, interruptions or score (those fields are zero); show
	// what it has instead.
	Unattributed bool
	// ScriptReuse is the share of the rep's talk (0..1) repeating passages
	// of their recent calls; nil where the call was not compared.
	ScriptReuse *float64
	// Warnings are the codes of the call's recording warnings, in report
	// order (analysis.WarningCodes); nil for a clean call.
	Warnings []analysis.WarningCode
}

// CallFilter selects calls. Zero fields do not filter.
type CallFilter struct {
	Rep     string           // rep name, exact (case-insensitive)
	Tag     string           // calls with an annotation carrying this tag
	Text    string           // substring of title, customer or rep name
	Verdict analysis.Verdict // listening verdict
	Since   time.Time        // recorded at or after
	Until   time.Time        // recorded before
	// Warned keeps only the calls with recording warnings.
	Warned bool
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
	if rep := strings.TrimSpace(f.Rep); rep != "" {
		conds = append(conds, "c.rep_id = (SELECT id FROM reps WHERE name = ?)")
		args = append(args, rep)
	}
	if tag := strings.TrimSpace(f.Tag); tag != "" {
		conds = append(conds, "c.id IN (SELECT a.call_id FROM annotations a WHERE a.tag_id = (SELECT id FROM tags WHERE name = ?))")
		args = append(args, tag)
	}
	if f.Warned {
		conds = append(conds, "c.warnings <> ''")
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

// The call list travels from SQLite as one string: each row's fields joined
// by unitSep, the rows joined by rowSep, in list order. Reading it costs one
// round trip through the driver instead of one per row and column (each
// about 1 µs through database/sql and cgo), and each row is already packed
// in calls.list_row, a stored generated column, so SQLite only joins them:
// together this took the whole list of 10,000 calls from about 45 ms of CPU
// to 10 (BenchmarkCalls10k/all). The free-text fields never hold control
// characters (cleanText), so the separators cannot occur inside them.
const (
	unitSep = "\x1f"
	rowSep  = "\x1e"
)

// shareScale: the talk share travels as an integer count of 1e-12, exact
// to far below anything shown (SQLite's own REAL-to-text keeps only 15
// digits, and printf('%.17g') is slow). CallSummary.RepTalkShare is thus
// rounded to 1e-12; Call.Result holds the exact figure.
const shareScale = 1e12

// summaryRow is one packed row: the id and the calls.list_row column
// SQLite keeps up to date (see 001_calls.sql).
const summaryRow = `c.id || char(31) || c.list_row`

// summaryFields is the number of fields in a summaryRow: id, recorded_ms,
// duration_ns, talk share, interruptions, score, trashed_ms, verdict,
// source, status, title, customer, rep id (Calls maps it to the name: a
// join costs more than reading the few reps). Changing them means a
// migration that rebuilds the calls table.
const summaryFields = 13

// parseSummary decodes one summaryRow.
func parseSummary(row string, reps map[int64]string, s *CallSummary) error {
	var f [summaryFields]string
	rest := row
	for i := range summaryFields - 1 {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, unitSep)
		if !ok {
			return fmt.Errorf("bad list row %q", row)
		}
	}
	f[summaryFields-1] = rest
	var nums [7]int64
	for i := range nums {
		if i == 6 && f[i] == "" { // not trashed
			break
		}
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return fmt.Errorf("bad list row %q: %w", row, err)
		}
		nums[i] = n
	}
	s.ID = nums[0]
	s.RecordedAt = fromMS(nums[1])
	s.Duration = time.Duration(nums[2])
	s.RepTalkShare = float64(nums[3]) / shareScale
	s.Interruptions = int(nums[4])
	s.Score = int(nums[5])
	if f[6] != "" {
		t := fromMS(nums[6])
		s.TrashedAt = &t
	}
	s.Verdict = analysis.Verdict(f[7])
	s.Source, s.Status = f[8], f[9]
	s.Title, s.Customer = f[10], f[11]
	if f[12] != "" {
		id, err := strconv.ParseInt(f[12], 10, 64)
		if err != nil {
			return fmt.Errorf("bad list row %q: %w", row, err)
		}
		s.Rep = reps[id]
	}
	return nil
}

// callsQuery is the call list's query for filter f: one row, one column,
// the packed list (NULL when empty).
func callsQuery(f CallFilter) (string, []any) {
	where, args := f.where()
	from := `FROM calls c`
	if f.Text != "" { // the text filter searches rep names
		from += ` LEFT JOIN reps r ON r.id = c.rep_id`
	}
	inner := `SELECT ` + summaryRow + ` AS row
	` + from + `
	` + where + `
	ORDER BY c.recorded_ms DESC, c.id DESC`
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		inner += ` LIMIT ? OFFSET ?`
		args = append(args, limit, f.Offset)
	}
	// group_concat takes the rows in the subquery's order; SQLite does not
	// promise it, so Calls checks (an ORDER BY inside the aggregate would
	// sort the whole text again).
	return `SELECT group_concat(row, char(30)) FROM (` + inner + `)`, args
}

// Calls lists the calls f selects, newest first.
func (l *Library) Calls(ctx context.Context, f CallFilter) ([]CallSummary, error) {
	q, args := callsQuery(f)
	var packed sql.NullString
	if err := l.db.QueryRowContext(ctx, q, args...).Scan(&packed); err != nil {
		return nil, fmt.Errorf("listing calls: %w", err)
	}
	if !packed.Valid {
		return nil, nil
	}
	reps, err := l.repNames(ctx)
	if err != nil {
		return nil, err
	}
	rows := strings.Split(packed.String, rowSep)
	out := make([]CallSummary, len(rows))
	for i, row := range rows {
		if err := parseSummary(row, reps, &out[i]); err != nil {
			return nil, fmt.Errorf("listing calls: %w", err)
		}
	}
	if !slices.IsSortedFunc(out, newestFirst) {
		slices.SortStableFunc(out, newestFirst)
	}
	if err := l.attachTags(ctx, out); err != nil {
		return nil, err
	}
	if err := l.attachUnattributed(ctx, out); err != nil {
		return nil, err
	}
	if err := l.attachScriptReuse(ctx, out); err != nil {
		return nil, err
	}
	if err := l.attachWarnings(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// repNames maps rep ids to names.
func (l *Library) repNames(ctx context.Context) (map[int64]string, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, name FROM reps`)
	if err != nil {
		return nil, fmt.Errorf("listing reps: %w", err)
	}
	defer rows.Close()
	m := make(map[int64]string)
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("listing reps: %w", err)
		}
		m[id] = name
	}
	return m, rows.Err()
}

// newestFirst is the list's order: recorded time, then id, descending.
func newestFirst(a, b CallSummary) int {
	if c := b.RecordedAt.Compare(a.RecordedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
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
	c, err := queryCall(ctx, l.db, id)
	return c, asDamaged(l.dir, err)
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
		return nil, fmt.Errorf("reading call %d's channels: %w", id, garbled{err})
	}
	if result.Valid {
		c.Result = new(analysis.Result)
		if err := json.Unmarshal([]byte(result.String), c.Result); err != nil {
			return nil, fmt.Errorf("reading call %d's analysis: %w", id, garbled{err})
		}
	}
	return &c, nil
}

// summary holds the columns copied out of a Result for listing.
type summary struct {
	json          string
	parties       bool           // r.HasParties()
	channels      sql.NullString // the channel map as JSON; NULL when r has none
	duration      time.Duration
	talkShare     float64
	interruptions int
	verdict       string
	score         int
	warnings      string // the warning codes, comma-separated
}

func summarize(r *analysis.Result) (summary, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return summary{}, fmt.Errorf("encoding the analysis: %w", err)
	}
	s := summary{json: string(b), duration: r.Duration.D(), talkShare: r.RepTalkShare,
		verdict: string(r.Listening.Verdict), score: r.Listening.Score, parties: r.HasParties()}
	for _, in := range r.Interruptions {
		if in.By == analysis.Rep {
			s.interruptions++
		}
	}
	codes := make([]string, len(r.Recording.Warnings))
	for i, w := range r.Recording.Warnings {
		codes[i] = string(w.Code)
	}
	s.warnings = strings.Join(codes, ",")
	if r.Channels != (analysis.Channels{}) {
		ch, err := json.Marshal(r.Channels)
		if err != nil {
			return summary{}, fmt.Errorf("encoding the channels: %w", err)
		}
		s.channels = sql.NullString{String: string(ch), Valid: true}
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
	if l.parties && n.Result != nil && !s.parties {
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET parties = 0 WHERE id = ?`, id); err != nil {
			return 0, fmt.Errorf("adding the call: %w", err)
		}
	}
	if l.warnings && s.warnings != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET warnings = ? WHERE id = ?`, s.warnings, id); err != nil {
			return 0, fmt.Errorf("adding the call: %w", err)
		}
	}
	if n.Result != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_results (call_id, result) VALUES (?, ?)`, id, s.json); err != nil {
			return 0, fmt.Errorf("adding the call's analysis: %w", err)
		}
		if n.Result.Script != nil {
			if err := setScriptReuse(ctx, tx, id, n.Result.Script); err != nil {
				return 0, err
			}
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
		if err := forgetRepeatsIfRepChanges(ctx, tx, id, rid); err != nil {
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

// partiesSchema is the schema version that has calls.parties
// (007_parties.sql).
const partiesSchema = 7

// backfillParties sets calls.parties from the stored analyses (repair runs
// it after rebuilding the rows; 007_parties.sql holds the same statement).
const backfillParties = `UPDATE calls SET parties = 0 WHERE id IN (SELECT call_id FROM call_results WHERE
	coalesce(json_extract(result, '$.channels.one_channel'), json_extract(result, '$.channels.mixed'), '') <> ''
	AND coalesce(json_extract(result, '$.talk_s.rep'), 0) = 0
	AND coalesce(json_extract(result, '$.talk_s.customer'), 0) = 0)`

// attachUnattributed marks the calls without parties (calls_no_parties
// finds them; there are few).
func (l *Library) attachUnattributed(ctx context.Context, calls []CallSummary) error {
	if !l.parties || len(calls) == 0 {
		return nil
	}
	var packed sql.NullString
	if err := l.db.QueryRowContext(ctx, `SELECT group_concat(id) FROM calls WHERE parties = 0`).Scan(&packed); err != nil {
		return fmt.Errorf("listing the calls: %w", err)
	}
	if !packed.Valid {
		return nil
	}
	ids := map[int64]bool{}
	for _, f := range strings.Split(packed.String, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids[id] = true
		}
	}
	for i := range calls {
		calls[i].Unattributed = ids[calls[i].ID]
	}
	return nil
}

// warningsSchema is the schema version that has calls.warnings
// (008_warnings.sql).
const warningsSchema = 8

// backfillWarnings sets calls.warnings from the stored analyses (repair
// runs it after rebuilding the rows; 008_warnings.sql holds the same
// statement).
const backfillWarnings = `UPDATE calls SET warnings = (SELECT group_concat(json_extract(w.value, '$.code'), ',')
		FROM call_results cr, json_each(cr.result, '$.recording.warnings') w WHERE cr.call_id = calls.id)
	WHERE id IN (SELECT call_id FROM call_results WHERE json_array_length(result, '$.recording.warnings') > 0)`

// attachWarnings fills in the warned calls' codes (calls_warned finds
// them; there are few, so one packed string of them all beats a join).
func (l *Library) attachWarnings(ctx context.Context, calls []CallSummary) error {
	if !l.warnings || len(calls) == 0 {
		return nil
	}
	var packed sql.NullString
	if err := l.db.QueryRowContext(ctx, `SELECT group_concat(id || char(31) || warnings, char(30)) FROM calls WHERE warnings <> ''`).Scan(&packed); err != nil {
		return fmt.Errorf("listing the calls' warnings: %w", err)
	}
	if !packed.Valid {
		return nil
	}
	at := make(map[int64]int, len(calls))
	for i, c := range calls {
		at[c.ID] = i
	}
	// Calls share few distinct lists: parse each once.
	lists := map[string][]analysis.WarningCode{}
	for _, row := range strings.Split(packed.String, rowSep) {
		idText, codes, _ := strings.Cut(row, unitSep)
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			return fmt.Errorf("listing the calls' warnings: bad row %q", row)
		}
		i, ok := at[id]
		if !ok {
			continue
		}
		list, ok := lists[codes]
		if !ok {
			for _, c := range strings.Split(codes, ",") {
				list = append(list, analysis.WarningCode(c))
			}
			lists[codes] = list
		}
		calls[i].Warnings = list
	}
	return nil
}

// attachTags fills in the calls' tags, packed like the list (a per-row
// subquery costs more than the rest of the list).
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
	which := `WHERE a.call_id IN (SELECT value FROM json_each(?))`
	var args []any
	if len(calls) > 1000 {
		which = "" // a long list: reading every tagged annotation beats the IN list
	} else {
		js, _ := json.Marshal(ids)
		args = append(args, string(js))
	}
	var packed sql.NullString
	err := l.db.QueryRowContext(ctx, `SELECT group_concat(pair, char(30)) FROM
		(SELECT DISTINCT a.call_id || char(31) || t.name AS pair FROM annotations a JOIN tags t ON t.id = a.tag_id `+which+`)`,
		args...).Scan(&packed)
	if err != nil {
		return fmt.Errorf("listing the calls' tags: %w", err)
	}
	if !packed.Valid {
		return nil
	}
	for _, pair := range strings.Split(packed.String, rowSep) {
		idText, name, _ := strings.Cut(pair, unitSep)
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			return fmt.Errorf("listing the calls' tags: bad row %q", pair)
		}
		if i, ok := at[id]; ok {
			calls[i].Tags = append(calls[i].Tags, name)
		}
	}
	for i := range calls {
		if len(calls[i].Tags) > 1 {
			slices.Sort(calls[i].Tags)
		}
	}
	return nil
}
