package store

import (
	"context"
	"database/sql"
	"math"
)

// salvage reads what it can from a damaged database: table by table, row by
// row in rowid order, stepping over rows and pages SQLite cannot read.
type salvage struct {
	db         *sql.DB
	unreadable int // rows or runs of rows skipped
}

// maxBackfill bounds the single-row lookups that fill a gap stepped over.
const maxBackfill = 1 << 16

// rows calls scan for every row of table it can read, with the rowid first
// and then cols; scan's error counts the row as unreadable.
func (s *salvage) rows(ctx context.Context, table, cols string, scan func(*sql.Rows) (int64, error)) {
	q := `SELECT rowid, ` + cols + ` FROM ` + table + ` WHERE rowid > ? ORDER BY rowid`
	one := `SELECT rowid, ` + cols + ` FROM ` + table + ` WHERE rowid = ?`
	// backfill looks up the rowids in [a, b) one by one (a run stepped
	// over: some of it may be readable by a direct lookup).
	backfill := func(a, b int64) {
		if b <= a || b-a > maxBackfill {
			return
		}
		for k := a; k < b && ctx.Err() == nil; k++ {
			s.scanFrom(ctx, one, k, k-1, scan)
		}
	}
	last := int64(math.MinInt64)
	for {
		ok, reached := s.scanFrom(ctx, q, last, last, scan)
		if ok || ctx.Err() != nil {
			return
		}
		s.unreadable++
		// The row after reached cannot be read. Probe further and further
		// ahead for a rowid SQLite can reach.
		found := false
		for step := int64(1); step < 1<<40 && reached <= math.MaxInt64-step; step *= 2 {
			var r int64
			err := s.db.QueryRowContext(ctx, `SELECT rowid FROM `+table+` WHERE rowid >= ? ORDER BY rowid LIMIT 1`, reached+step).Scan(&r)
			if err == sql.ErrNoRows {
				backfill(reached+1, reached+step)
				return
			}
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				continue
			}
			if step == 1 {
				// r is the row that failed: try it alone, then go past it.
				backfill(r, r+1)
				last = r
			} else {
				backfill(reached+1, reached+step)
				last = r - 1
			}
			found = true
			break
		}
		if !found {
			return
		}
	}
}

// scanFrom runs query with param, scanning each row; it returns whether it
// read to the end and the last rowid it reached (last if none).
func (s *salvage) scanFrom(ctx context.Context, query string, param, last int64, scan func(*sql.Rows) (int64, error)) (bool, int64) {
	rows, err := s.db.QueryContext(ctx, query, param)
	if err != nil {
		return false, last
	}
	defer rows.Close()
	for rows.Next() {
		id, err := scan(rows)
		if id > last {
			last = id
		}
		if err != nil {
			s.unreadable++
		}
	}
	return rows.Err() == nil, last
}
