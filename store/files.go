package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// partialSuffix marks a file still being written: an import's copy or a
// clip being cut. It becomes the final file only after the row that refers
// to the final name is committed.
const partialSuffix = ".partial"

// pending is an audio file being written into the library. The order that
// keeps the library consistent through a crash at any point:
//
//  1. create Rel+".partial" (0600) and lock it; write it; sync it;
//  2. commit the row that refers to Rel;
//  3. rename the partial file to Rel (commit).
//
// A final file therefore never exists without its row, and Open can delete
// final files no row refers to, rename a partial whose row was committed,
// and delete a partial whose writer died before committing.
type pending struct {
	Rel     string // final path, relative to the library, slash-separated
	Final   string // absolute final path
	Partial string // absolute path being written
	f       *os.File
}

// newPending reserves a fresh file name in subdir (CallsDir or ClipsDir).
func (l *Library) newPending(subdir string) (*pending, error) {
	var b [4]byte
	for range 10 {
		rand.Read(b[:])
		name := l.now().UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:]) + ".wav"
		p := &pending{Rel: path.Join(subdir, name)}
		p.Final = l.Abs(p.Rel)
		p.Partial = p.Final + partialSuffix
		f, err := os.OpenFile(p.Partial, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot write audio into the library %s: %w", l.dir, err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			os.Remove(p.Partial)
			return nil, fmt.Errorf("locking %s: %w", p.Partial, err)
		}
		p.f = f
		return p, nil
	}
	return nil, errors.New("cannot find a free file name in the library")
}

// commit renames the partial file to its final name (after its row is
// committed) and releases the lock.
func (p *pending) commit() error {
	defer p.f.Close()
	if err := os.Rename(p.Partial, p.Final); err != nil {
		return fmt.Errorf("saving %s: %w", p.Final, err)
	}
	syncDir(filepath.Dir(p.Final))
	return nil
}

// abort deletes the partial file and releases the lock.
func (p *pending) abort() {
	os.Remove(p.Partial)
	p.f.Close()
}

// isInside says whether path lies inside dir.
func isInside(dir, path string) bool {
	return strings.HasPrefix(path, dir+string(os.PathSeparator))
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeFile deletes a library file after the row referring to it was
// deleted; a file already gone is fine.
func (l *Library) removeFile(rel string) {
	if rel == "" {
		return
	}
	os.Remove(l.Abs(rel))
}

// sweep cleans what crashed processes left in the audio folders. It lists
// the folders before it reads the rows, so a file renamed into place by a
// concurrent import (whose row was committed first) is always known.
func (l *Library) sweep(ctx context.Context) error {
	type entry struct {
		rel string
		mod time.Time
	}
	var files []entry
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, err := readDirUnsorted(filepath.Join(l.dir, sub))
		if err != nil {
			return fmt.Errorf("reading the library folder: %w", err)
		}
		for _, de := range des {
			name := de.Name()
			tmp := strings.HasPrefix(name, ".") && strings.Contains(name, sidecarSuffix+".tmp-")
			if !de.Type().IsRegular() || !(strings.HasSuffix(name, ".wav") || strings.HasSuffix(name, ".wav"+partialSuffix) ||
				strings.HasSuffix(name, sidecarSuffix) || tmp) {
				continue
			}
			e := entry{rel: path.Join(sub, name)}
			if strings.HasSuffix(name, partialSuffix) || tmp {
				info, err := de.Info()
				if err != nil {
					continue // gone meanwhile
				}
				e.mod = info.ModTime()
			}
			files = append(files, e)
		}
	}
	if len(files) == 0 {
		return nil
	}
	refs, err := l.pathSet(ctx, `SELECT audio_path FROM calls UNION ALL SELECT path FROM clips`)
	if err != nil {
		return err
	}
	// A call or clip whose sidecar is being written or removed by a flush
	// in another process is not lost.
	marked := make(map[string]bool)
	if l.sidecars {
		if marked, err = l.pathSet(ctx, `SELECT path FROM sidecar_dirty`); err != nil {
			return err
		}
	}
	// sidecarOf maps a sidecar to its audio path: calls/X.json → calls/X.wav.
	audioOf := func(rel string) string { return strings.TrimSuffix(rel, sidecarSuffix) + ".wav" }
	var lost []string
	now := time.Now()
	for _, e := range files {
		abs := l.Abs(e.rel)
		if strings.Contains(path.Base(e.rel), sidecarSuffix+".tmp-") {
			if now.Sub(e.mod) >= partialGrace {
				os.Remove(abs) // a sidecar write cut short
			}
			continue
		}
		if strings.HasSuffix(e.rel, sidecarSuffix) {
			// A sidecar of a call or clip the database does not have: the
			// database lost it (its flush removes a deleted call's sidecar
			// before clearing the mark, so a sidecar still there after
			// the rows were read is not a deletion in progress).
			if wav := audioOf(e.rel); !refs[wav] && !marked[wav] {
				if _, err := os.Stat(abs); err == nil {
					lost = append(lost, e.rel)
				}
			}
			continue
		}
		final, isPartial := strings.CutSuffix(e.rel, partialSuffix)
		if !isPartial {
			if !refs[e.rel] && !marked[e.rel] {
				// No row names it: a deletion cut short, unless its
				// sidecar says the database lost the call.
				if _, err := os.Stat(l.sidecarPath(e.rel)); errors.Is(err, fs.ErrNotExist) {
					os.Remove(abs)
				}
			}
			continue
		}
		if now.Sub(e.mod) < partialGrace {
			continue
		}
		f, err := os.OpenFile(abs, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if lockFile(f) != nil { // its writer is alive
			f.Close()
			continue
		}
		if _, err := os.Stat(l.Abs(final)); refs[final] && errors.Is(err, fs.ErrNotExist) {
			os.Rename(abs, l.Abs(final)) // the row was committed: finish the move
		} else {
			os.Remove(abs)
		}
		f.Close()
	}
	if len(lost) > 0 {
		return &DamagedError{Dir: l.dir, Why: fmt.Sprintf("it has lost %d calls or clips whose files are still in the library (%s)", len(lost), lost[0])}
	}
	return nil
}

// readDirUnsorted lists a folder in the order the file system gives
// (os.ReadDir's sort costs a third of the sweep of a 10,000-call library).
func readDirUnsorted(dir string) ([]fs.DirEntry, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadDir(-1)
}

// pathSet reads the one text column query selects into a set.
func (l *Library) pathSet(ctx context.Context, query string) (map[string]bool, error) {
	rows, err := l.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("reading the library: %w", err)
	}
	defer rows.Close()
	set := make(map[string]bool)
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("reading the library: %w", err)
		}
		set[p] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the library: %w", err)
	}
	return set, nil
}
