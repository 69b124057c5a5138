package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Tag is one of the user-editable tags annotations carry. A new library has
// "interrupted", "read the script", "good question", "let them talk" and
// "missed cue". Names are unique regardless of case.
type Tag struct {
	ID   int64
	Name string
	Uses int // annotations carrying it
}

// Tags lists the tags by name.
func (l *Library) Tags(ctx context.Context) ([]Tag, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT t.id, t.name, (SELECT count(*) FROM annotations a WHERE a.tag_id = t.id)
		FROM tags t ORDER BY t.name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("listing tags: %w", err)
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.Uses); err != nil {
			return nil, fmt.Errorf("listing tags: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func cleanTag(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", invalidf("a tag cannot be blank")
	}
	if strings.ContainsAny(name, tagSep+"\n\t") {
		return "", invalidf("a tag cannot hold tabs or line breaks")
	}
	return name, nil
}

// AddTag adds a tag; a name already taken (in any case) is refused.
func (l *Library) AddTag(ctx context.Context, name string) (*Tag, error) {
	name, err := cleanTag(name)
	if err != nil {
		return nil, err
	}
	t := &Tag{Name: name}
	err = l.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tags WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("adding tag %q: %w", name, err)
		}
		if n > 0 {
			return invalidf("there is already a tag %q", name)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tags (name, created_ms) VALUES (?, ?)`, name, ms(l.now()))
		if err != nil {
			return fmt.Errorf("adding tag %q: %w", name, err)
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// tagID returns the id of tag name (clean), adding it if new.
func (l *Library) tagID(ctx context.Context, tx *sql.Tx, name string) (sql.NullInt64, error) {
	name, err := cleanTag(name)
	if err != nil {
		return sql.NullInt64{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tags (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, ms(l.now())); err != nil {
		return sql.NullInt64{}, fmt.Errorf("adding tag %q: %w", name, err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ?`, name).Scan(&id); err != nil {
		return sql.NullInt64{}, fmt.Errorf("finding tag %q: %w", name, err)
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// RenameTag renames a tag; its annotations follow. Clips keep the name they
// were cut with.
func (l *Library) RenameTag(ctx context.Context, old, name string) error {
	name, err := cleanTag(name)
	if err != nil {
		return err
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ?`, strings.TrimSpace(old)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{What: "tag", Name: old}
		}
		if err != nil {
			return fmt.Errorf("renaming tag %q: %w", old, err)
		}
		var clash int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tags WHERE name = ? AND id <> ?`, name, id).Scan(&clash); err != nil {
			return fmt.Errorf("renaming tag %q: %w", old, err)
		}
		if clash > 0 {
			return invalidf("there is already a tag %q", name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET name = ? WHERE id = ?`, name, id); err != nil {
			return fmt.Errorf("renaming tag %q: %w", old, err)
		}
		return nil
	})
}

// DeleteTag deletes a tag; annotations carrying it keep their range and
// note but lose the tag. Clips keep the name they were cut with.
func (l *Library) DeleteTag(ctx context.Context, name string) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE name = ?`, strings.TrimSpace(name))
		if err != nil {
			return fmt.Errorf("deleting tag %q: %w", name, err)
		}
		return mustAffect(res, &NotFoundError{What: "tag", Name: name})
	})
}
