package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// StageRequest names audio to bring into the library: one WAV (Path), or
// one mono WAV per party (RepPath and CustomerPath), which Stage merges
// into one stereo file (left = rep, right = customer).
type StageRequest struct {
	Path                  string
	RepPath, CustomerPath string
	// Progress, if set, is called from Stage's goroutine with the bytes
	// read so far and in all, at the start, about every 1% and at the end.
	Progress func(done, total int64)
}

// Staged is audio copied into the library that is not yet a call: the
// first half of an import (callflow.Import analyses it in between). Its
// file is a locked partial file, so a crash before AddStaged leaves
// nothing behind (the next Open removes it). Call AddStaged or Discard.
type Staged struct {
	// Path is the staged WAV (absolute), to analyse before filing.
	Path string
	// Hash is the hex SHA-256 of the source file's bytes (of both files'
	// hashes, for a pair): how duplicates are recognised.
	Hash string
	// Notes are what merging a pair noted (rates or lengths aligned).
	Notes []string
	// ModTime is the modification time of the (rep's) source file.
	ModTime time.Time
	p       *pending
}

// Stage copies (or merges) audio into the library as a Staged file. Audio
// already in the library (the same SHA-256) is refused with a
// *DuplicateError naming the call that holds it (errors.Is ErrDuplicate),
// and nothing is left behind by a failed, cancelled or killed Stage. Stage
// copies bytes: it is the caller's analysis that checks they are audio.
func (l *Library) Stage(ctx context.Context, req StageRequest) (*Staged, error) {
	pair := req.RepPath != "" || req.CustomerPath != ""
	switch {
	case req.Path != "" && pair:
		return nil, invalidf("give either one call file or a rep file and a customer file, not both")
	case pair && (req.RepPath == "" || req.CustomerPath == ""):
		return nil, invalidf("give both a rep file and a customer file (one mono WAV per party)")
	case !pair && req.Path == "":
		return nil, invalidf("give a call file to import")
	}
	first := req.Path
	if pair {
		first = req.RepPath
	}
	fi, err := os.Stat(first)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", first, err)
	}
	progress := req.Progress
	if progress == nil {
		progress = func(int64, int64) {}
	}
	p, err := l.newPending(CallsDir)
	if err != nil {
		return nil, err
	}
	s := &Staged{Path: p.Partial, ModTime: fi.ModTime(), p: p}
	if pair {
		s.Hash, s.Notes, err = p.mergePair(ctx, req.RepPath, req.CustomerPath, progress)
	} else {
		s.Hash, err = p.copyFrom(ctx, req.Path, progress)
	}
	if err == nil {
		err = l.duplicate(ctx, s.Hash)
	}
	if err != nil {
		p.abort()
		return nil, err
	}
	return s, nil
}

// Discard drops a staged file that will not become a call. It may be
// called after AddStaged (it then does nothing).
func (s *Staged) Discard() {
	if s.p != nil {
		s.p.abort()
		s.p = nil
	}
}

// CallInfo is what is known about a call besides its audio and analysis.
type CallInfo struct {
	Title, Rep, Customer string
	// RecordedAt defaults to now.
	RecordedAt time.Time
}

// AddStaged files a staged file as a new imported call with its analysis
// (whose Channels is stored as the call's channel map), in one
// transaction, and moves the file into place. The staged file is used up
// whether or not it succeeds.
func (l *Library) AddStaged(ctx context.Context, s *Staged, info CallInfo, res *analysis.Result) (*Call, error) {
	if s.p == nil {
		return nil, invalidf("this audio was already filed or discarded")
	}
	p := s.p
	s.p = nil
	if res == nil {
		p.abort()
		return nil, invalidf("no analysis given for the imported audio")
	}
	var id int64
	err := l.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = l.insertCall(ctx, tx, newCall{Title: info.Title, Rep: info.Rep, Customer: info.Customer,
			RecordedAt: info.RecordedAt, AudioPath: p.Rel, Channels: res.Channels, Source: SourceImported,
			Status: StatusComplete, Hash: s.Hash, Result: res})
		return err
	})
	if err != nil {
		p.abort()
		// Another process may have imported the same audio meanwhile.
		if derr := l.duplicate(ctx, s.Hash); derr != nil {
			return nil, derr
		}
		return nil, err
	}
	if err := l.commitFile(ctx, p, id); err != nil {
		return nil, err
	}
	return l.Call(ctx, id)
}

// duplicate returns a *DuplicateError if a call holds audio with this hash.
func (l *Library) duplicate(ctx context.Context, hash string) error {
	var d DuplicateError
	var trashed sql.NullInt64
	err := l.db.QueryRowContext(ctx, `SELECT id, title, trashed_ms FROM calls WHERE hash = ?`, hash).Scan(&d.ID, &d.Title, &trashed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("looking for the audio in the library: %w", err)
	}
	d.Trashed = trashed.Valid
	return &d
}

// progressReader reports bytes read.
type progressReader struct {
	ctx         context.Context
	r           io.Reader
	done, total int64
	report      func(int64, int64)
	next        int64
}

func (pr *progressReader) Read(b []byte) (int, error) {
	if err := pr.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := pr.r.Read(b)
	pr.done += int64(n)
	if pr.done >= pr.next || err == io.EOF {
		pr.report(pr.done, pr.total)
		pr.next = pr.done + max(pr.total/100, 1<<20)
	}
	return n, err
}

// copyFrom copies src into the partial file, returning its SHA-256.
func (p *pending) copyFrom(ctx context.Context, src string, progress func(int64, int64)) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", src, err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", src, err)
	}
	h := sha256.New()
	pr := &progressReader{ctx: ctx, r: in, total: fi.Size(), report: progress}
	progress(0, fi.Size())
	if _, err := io.Copy(io.MultiWriter(p.f, h), pr); err != nil {
		return "", fmt.Errorf("copying %s into the library: %w", src, err)
	}
	if err := p.f.Sync(); err != nil {
		return "", fmt.Errorf("copying %s into the library: %w", src, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// mergePair writes the rep's and the customer's mono files into the partial
// file as one stereo WAV (audio.OpenPair aligns rates and lengths), and
// returns the hash of both files' bytes and the readers' notes.
func (p *pending) mergePair(ctx context.Context, rep, customer string, progress func(int64, int64)) (string, []string, error) {
	h := sha256.New()
	var total int64
	for _, f := range []string{rep, customer} {
		fi, err := os.Stat(f)
		if err != nil {
			return "", nil, fmt.Errorf("cannot read %s: %w", f, err)
		}
		total += fi.Size()
	}
	var done int64
	for _, f := range []string{rep, customer} {
		in, err := os.Open(f)
		if err != nil {
			return "", nil, fmt.Errorf("cannot read %s: %w", f, err)
		}
		fh := sha256.New()
		pr := &progressReader{ctx: ctx, r: in, done: done, total: total, report: progress}
		_, err = io.Copy(fh, pr)
		in.Close()
		if err != nil {
			return "", nil, fmt.Errorf("cannot read %s: %w", f, err)
		}
		done = pr.done
		h.Write(fh.Sum(nil))
	}

	src, err := audio.OpenPair(rep, customer)
	if err != nil {
		return "", nil, err
	}
	defer src.Close()
	// A second handle for the writer, which closes it: the lock stays with
	// p.f.
	out, err := os.OpenFile(p.Partial, os.O_RDWR, 0)
	if err != nil {
		return "", nil, fmt.Errorf("writing into the library: %w", err)
	}
	w, err := audio.NewWriter(out, src.Rate(), 2)
	if err != nil {
		out.Close()
		return "", nil, err
	}
	buf := make([]float32, 2*8192)
	for {
		if err := ctx.Err(); err != nil {
			w.Close()
			return "", nil, err
		}
		n, rerr := src.ReadFrames(buf)
		if n > 0 {
			if err := w.WriteFrames(buf[:2*n]); err != nil {
				w.Close()
				return "", nil, fmt.Errorf("writing into the library: %w", err)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			w.Close()
			return "", nil, fmt.Errorf("cannot read %s and %s: %w", rep, customer, rerr)
		}
	}
	if err := w.Close(); err != nil {
		return "", nil, fmt.Errorf("writing into the library: %w", err)
	}
	if err := p.f.Sync(); err != nil { // the same file: flushes the writer's data
		return "", nil, fmt.Errorf("writing into the library: %w", err)
	}
	notes := append(src.Info().Notes, fmt.Sprintf("Merged from %s (rep, left) and %s (customer, right).",
		filepath.Base(rep), filepath.Base(customer)))
	return hex.EncodeToString(h.Sum(nil)), notes, nil
}
