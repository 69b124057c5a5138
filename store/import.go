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
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// Import stages, passed to ImportRequest.Progress.
const (
	// StageCopy: copying (or, for two files, merging) the audio into the
	// library; done and total are bytes read.
	StageCopy = "copy"
	// StageAnalyse: analysing; done and total are nanoseconds of audio.
	StageAnalyse = "analyse"
)

// ImportRequest names audio to import: one WAV (Path; stereo, or mono for a
// mixed recording), or one mono WAV per party (RepPath and CustomerPath),
// which Import merges into one stereo file (left = rep, right = customer).
type ImportRequest struct {
	Path                  string
	RepPath, CustomerPath string
	// RepChannel is the channel of a stereo Path that carries the rep:
	// "left" (default) or "right".
	RepChannel string
	// Title defaults to the file's name without its extension.
	Title, Rep, Customer string
	// RecordedAt defaults to the file's modification time.
	RecordedAt time.Time
	// Config is the analysis configuration; nil means the library's
	// SettingAnalysis, or analysis.DefaultConfig() if never set.
	Config *analysis.Config
	// Progress, if set, is called as the import goes (see StageCopy and
	// StageAnalyse), from Import's goroutine.
	Progress func(stage string, done, total int64)
}

// Import copies audio into the library, analyses it with audio.AnalyzeFile
// (the workflow the app and the command line share) and stores the call
// with its analysis, in one transaction. Audio already in the library (the
// same SHA-256 of the file's bytes, or of both files' for a pair) is not
// imported twice: the error is a *DuplicateError naming the call that holds
// it (errors.Is ErrDuplicate). Nothing is left behind by a failed, cancelled
// or killed import.
func (l *Library) Import(ctx context.Context, req ImportRequest) (*Call, error) {
	pair := req.RepPath != "" || req.CustomerPath != ""
	switch {
	case req.Path != "" && pair:
		return nil, invalidf("give either one call file or a rep file and a customer file, not both")
	case pair && (req.RepPath == "" || req.CustomerPath == ""):
		return nil, invalidf("give both a rep file and a customer file (one mono WAV per party)")
	case !pair && req.Path == "":
		return nil, invalidf("give a call file to import")
	case pair && req.RepChannel != "" && !strings.EqualFold(req.RepChannel, "left"):
		return nil, invalidf("the rep channel applies to a stereo call file, not to separate rep and customer files")
	}
	first := req.Path
	if pair {
		first = req.RepPath
	}
	fi, err := os.Stat(first)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", first, err)
	}
	cfg, err := l.analysisConfig(ctx, req.Config)
	if err != nil {
		return nil, err
	}
	progress := req.Progress
	if progress == nil {
		progress = func(string, int64, int64) {}
	}

	p, err := l.newPending(CallsDir)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			p.abort()
		}
	}()

	var hash string
	var notes []string
	if pair {
		hash, notes, err = p.mergePair(ctx, req.RepPath, req.CustomerPath, progress)
	} else {
		hash, err = p.copyFrom(ctx, req.Path, progress)
	}
	if err != nil {
		return nil, err
	}
	if err := l.duplicate(ctx, hash); err != nil {
		return nil, err
	}

	res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: p.Partial, RepChannel: req.RepChannel,
		Progress: func(done, total time.Duration) { progress(StageAnalyse, int64(done), int64(total)) }}, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot import %s: %w", first, err)
	}
	if pair {
		res.File = filepath.Base(req.RepPath) + " + " + filepath.Base(req.CustomerPath)
		res.Notes = append(notes, res.Notes...)
	} else {
		res.File = filepath.Base(req.Path)
	}

	title := req.Title
	if strings.TrimSpace(title) == "" {
		base := filepath.Base(first)
		title = strings.TrimSuffix(base, filepath.Ext(base))
	}
	at := req.RecordedAt
	if at.IsZero() {
		at = fi.ModTime()
	}
	var id int64
	err = l.tx(ctx, func(tx *sql.Tx) error {
		id, err = l.insertCall(ctx, tx, newCall{Title: title, Rep: req.Rep, Customer: req.Customer,
			RecordedAt: at, AudioPath: p.Rel, Channels: res.Channels, Source: SourceImported,
			Status: StatusComplete, Hash: hash, Result: &res})
		return err
	})
	if err != nil {
		// Another process may have imported the same audio meanwhile.
		if derr := l.duplicate(ctx, hash); derr != nil {
			return nil, derr
		}
		return nil, err
	}
	ok = true
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

// analysisConfig returns cfg, else the library's setting, else the default.
func (l *Library) analysisConfig(ctx context.Context, cfg *analysis.Config) (analysis.Config, error) {
	if cfg != nil {
		return *cfg, nil
	}
	c := analysis.DefaultConfig()
	if err := l.Setting(ctx, SettingAnalysis, &c); err != nil && !errors.Is(err, ErrNotFound) {
		return c, err
	}
	return c, nil
}

// progressReader reports bytes read.
type progressReader struct {
	ctx         context.Context
	r           io.Reader
	done, total int64
	report      func(string, int64, int64)
	next        int64
}

func (pr *progressReader) Read(b []byte) (int, error) {
	if err := pr.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := pr.r.Read(b)
	pr.done += int64(n)
	if pr.done >= pr.next || err == io.EOF {
		pr.report(StageCopy, pr.done, pr.total)
		pr.next = pr.done + max(pr.total/100, 1<<20)
	}
	return n, err
}

// copyFrom copies src into the partial file, returning its SHA-256.
func (p *pending) copyFrom(ctx context.Context, src string, progress func(string, int64, int64)) (string, error) {
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
	progress(StageCopy, 0, fi.Size())
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
func (p *pending) mergePair(ctx context.Context, rep, customer string, progress func(string, int64, int64)) (string, []string, error) {
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
