package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup copies the library to dest, a new or empty folder, while other
// connections and processes keep using it: the database is copied with
// VACUUM INTO (one consistent snapshot), then every audio file that snapshot
// refers to. Audio files never change once in place, so the copy is the
// library as it was at the snapshot. A file deleted between the snapshot and
// its copy (its call purged meanwhile) is left out; MissingFiles counts them.
// Open the copy with Open(dest).
func (l *Library) Backup(ctx context.Context, dest string) (BackupReport, error) {
	var rep BackupReport
	dest, err := filepath.Abs(dest)
	if err != nil {
		return rep, fmt.Errorf("backup folder %s: %w", dest, err)
	}
	if dest == l.dir || isInside(l.dir, dest) {
		return rep, invalidf("the backup folder %s is inside the library; choose a folder elsewhere", dest)
	}
	if des, err := os.ReadDir(dest); err == nil && len(des) > 0 {
		return rep, invalidf("the backup folder %s is not empty; choose a new or empty folder", dest)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("cannot use the backup folder %s: %w", dest, err)
	}
	for _, d := range []string{dest, filepath.Join(dest, CallsDir), filepath.Join(dest, ClipsDir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return rep, fmt.Errorf("cannot create the backup folder %s: %w", d, err)
		}
	}
	dbPath := filepath.Join(dest, DBName)
	f, err := os.OpenFile(dbPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return rep, fmt.Errorf("cannot write the backup %s: %w", dbPath, err)
	}
	f.Close()
	if _, err := l.db.ExecContext(ctx, `VACUUM INTO ?`, dbPath); err != nil {
		return rep, fmt.Errorf("copying the library database to %s: %w", dbPath, err)
	}

	snap, err := sql.Open("sqlite3", dsn(dbPath))
	if err != nil {
		return rep, fmt.Errorf("reading the backup %s: %w", dbPath, err)
	}
	defer snap.Close()
	rows, err := snap.QueryContext(ctx, `SELECT audio_path FROM calls UNION ALL SELECT path FROM clips`)
	if err != nil {
		return rep, fmt.Errorf("reading the backup %s: %w", dbPath, err)
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return rep, fmt.Errorf("reading the backup %s: %w", dbPath, err)
		}
		paths = append(paths, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("reading the backup %s: %w", dbPath, err)
	}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		n, err := copyFile(l.Abs(p), filepath.Join(dest, filepath.FromSlash(p)))
		if errors.Is(err, fs.ErrNotExist) {
			rep.MissingFiles++
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("copying %s to the backup: %w", p, err)
		}
		rep.Files++
		rep.Bytes += n
	}
	// The copy's sidecars: every call and clip marked, written by opening it.
	if _, err := snap.ExecContext(ctx, `INSERT OR IGNORE INTO sidecar_dirty (path)
		SELECT audio_path FROM calls UNION ALL SELECT path FROM clips UNION ALL SELECT ''`); err != nil {
		return rep, fmt.Errorf("writing the backup %s: %w", dbPath, err)
	}
	snap.Close()
	b, err := Open(dest)
	if err != nil {
		return rep, fmt.Errorf("writing the backup's files: %w", err)
	}
	if err := b.Close(); err != nil {
		return rep, err
	}
	return rep, nil
}

// BackupReport says what Backup copied.
type BackupReport struct {
	Files        int   // audio files copied
	Bytes        int64 // their size
	MissingFiles int   // referred to by the snapshot but gone (see Backup)
}

// copyFile copies src to a new file dst (0600) and syncs it.
func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
