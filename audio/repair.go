package audio

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// RepairReport says what Repair found and kept.
type RepairReport struct {
	// Changed is false when the header was already right.
	Changed bool
	// HeaderFrames is what the header claimed before the repair.
	HeaderFrames int64
	// Frames and Duration are what the file holds now.
	Frames   int64
	Duration time.Duration
	Rate     int
	Channels int
	// DroppedBytes counts the bytes of a partial last frame cut off.
	DroppedBytes int64
}

// Repair fixes, in place, a WAV file whose header sizes do not match the
// samples in it — what a recorder killed between two header updates leaves:
// the data and RIFF sizes are set to the whole frames present and a partial
// last frame is cut off. A file with a correct header is left untouched.
// Sample data is never changed.
func Repair(path string) (RepairReport, error) {
	name := filepath.Base(path)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return RepairReport{}, fmt.Errorf("cannot open %s to repair it: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return RepairReport{}, fmt.Errorf("cannot read %s: %w", name, err)
	}
	size := st.Size()
	l, err := scan(f, size, path)
	if err != nil {
		return RepairReport{}, err
	}
	rep := RepairReport{
		HeaderFrames: l.declared / int64(l.blockAlign),
		Frames:       l.frames(),
		Duration:     l.dur(l.frames()),
		Rate:         l.rate,
		Channels:     l.channels,
	}
	end := l.dataOff + l.avail
	if !l.repaired {
		// The data size is right; a RIFF size that does not reach the end
		// of the samples (a writer killed between the two updates) is not.
		if end+l.avail&1 == size && int64(l.riffSize) != size-8 {
			if err := putUint32(f, 4, uint32(size-8)); err != nil {
				return rep, fmt.Errorf("cannot write the repaired header of %s: %w", name, err)
			}
			rep.Changed = true
			return rep, f.Sync()
		}
		return rep, nil
	}
	// The samples run to the end of the file: cut a partial frame, set sizes.
	rep.DroppedBytes = size - end
	if rep.DroppedBytes > 0 {
		if err := f.Truncate(end); err != nil {
			return rep, fmt.Errorf("cannot cut the partial last frame off %s: %w", name, err)
		}
	}
	if err := putUint32(f, l.dataSizeOff, uint32(l.avail)); err != nil {
		return rep, fmt.Errorf("cannot write the repaired header of %s: %w", name, err)
	}
	if err := putUint32(f, 4, uint32(end-8)); err != nil {
		return rep, fmt.Errorf("cannot write the repaired header of %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return rep, fmt.Errorf("cannot flush the repaired %s to disk: %w", name, err)
	}
	rep.Changed = true
	return rep, nil
}

func putUint32(f *os.File, off int64, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	_, err := f.WriteAt(b[:], off)
	return err
}
