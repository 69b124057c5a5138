package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// MarkSuffix names a recording's in-progress mark: NAME.wav.recording
// beside NAME.wav.
const MarkSuffix = ".recording"

// Mark says that the recording at a path is in progress. It is the one
// in-progress mark of a recording, for a file in the library and a bare
// file alike: a sidecar file that the recording's process holds locked (an
// advisory lock the kernel drops when the process dies) and that names the
// process and when it began. Any process can tell a recording in progress
// from one a crash cut short (InProgress), and Recover repairs the latter.
//
// The mark is made before anything else of the recording exists (before
// the library's row, before the file) and removed with Done only once the
// recording is safe (the file finished and filed), so that no moment of a
// recording's life looks like a crash to another process.
type Mark struct {
	wav string
	f   *os.File
}

// markInfo is the mark's content, for people and for systems without
// advisory locks (where a live process id is taken as the holder).
type markInfo struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

// NewMark marks the recording at wav (which need not exist yet) as in
// progress. It fails if the recording is marked already.
func NewMark(wav string) (*Mark, error) {
	path := wav + MarkSuffix
	b, _ := json.Marshal(markInfo{PID: os.Getpid(), Started: time.Now().UTC()})
	// Written and locked under a temporary name, then linked into place,
	// so that the mark is never seen unlocked.
	tmp, err := os.CreateTemp(filepath.Dir(wav), "."+filepath.Base(path)+"-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create the recording next to %s: %w", wav, err)
	}
	fail := func(err error) (*Mark, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	if _, err := tmp.Write(b); err != nil {
		return fail(fmt.Errorf("cannot create the recording next to %s: %w", wav, err))
	}
	if err := lockFile(tmp); err != nil {
		return fail(fmt.Errorf("cannot lock %s: %w", tmp.Name(), err))
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fail(fmt.Errorf("%s is being recorded already", wav))
		}
		// A file system without hard links: create the mark in place.
		f, cerr := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if cerr != nil {
			return fail(fmt.Errorf("cannot create the recording next to %s: %w", wav, cerr))
		}
		tmp.Close()
		os.Remove(tmp.Name())
		if err := lockFile(f); err != nil {
			f.Close()
			os.Remove(path)
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		f.Write(b)
		return &Mark{wav: wav, f: f}, nil
	}
	os.Remove(tmp.Name())
	return &Mark{wav: wav, f: tmp}, nil
}

// Done removes the mark: the recording is safe. It may be called more
// than once.
func (m *Mark) Done() {
	if m == nil || m.f == nil {
		return
	}
	os.Remove(m.wav + MarkSuffix) // before unlocking: never seen unlocked
	m.f.Close()
	m.f = nil
}

// InProgress says whether the recording at wav is marked by a process
// that is still running (this one included).
func InProgress(wav string) bool {
	f, err := os.OpenFile(wav+MarkSuffix, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if canLock {
		return lockFile(f) != nil
	}
	var mi markInfo
	if err := json.NewDecoder(f).Decode(&mi); err != nil {
		return false
	}
	return processAlive(mi.PID)
}

// ClearMark removes the mark of a recording whose process is gone (after
// the recording was repaired); a mark in use is left alone.
func ClearMark(wav string) {
	if !InProgress(wav) {
		os.Remove(wav + MarkSuffix)
	}
}
