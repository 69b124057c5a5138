package ui

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
)

// The waveform cache keeps each call's envelope (a few megabytes for an
// hour) so that a call opened again draws its waveform without reading the
// audio. An entry is keyed by the audio file's path, size and modification
// time, so a changed file is read afresh; a damaged entry is ignored.

var envMagic = [8]byte{'C', 'C', 'E', 'N', 'V', '0', '0', '1'}

// envCacheKey names the cache entry for the audio at path.
func envCacheKey(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d", abs, st.Size(), st.ModTime().UnixNano()))
	return hex.EncodeToString(h[:16]) + ".env", nil
}

// LoadEnvelopeCached returns the envelope of the WAV at path from cacheDir
// when it holds a current one, else streams the WAV and stores the result
// there (best effort). cached says which happened. An empty cacheDir
// disables the cache.
func LoadEnvelopeCached(path, cacheDir string) (env *Envelope, cached bool, err error) {
	if cacheDir == "" {
		env, err = LoadEnvelope(path)
		return env, false, err
	}
	key, err := envCacheKey(path)
	if err != nil {
		return nil, false, fmt.Errorf("open audio: %w", err)
	}
	entry := filepath.Join(cacheDir, key)
	if env, err := readEnvelope(entry); err == nil {
		return env, true, nil
	}
	env, err = LoadEnvelope(path)
	if err != nil {
		return nil, false, err
	}
	if werr := writeEnvelope(entry, env); werr != nil {
		// The cache only saves time; a read-only cache folder is no error.
		_ = werr
	}
	return env, false, nil
}

// writeEnvelope stores env at path (0600, atomically: a temporary file
// renamed into place). Samples are kept as 16-bit values.
func writeEnvelope(path string, env *Envelope) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".env-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriterSize(f, 1<<20)
	n := env.Buckets()
	hdr := make([]byte, 0, 40)
	hdr = append(hdr, envMagic[:]...)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(env.Rate))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(env.Channels))
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(env.Bucket))
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(env.Duration))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(n))
	w.Write(hdr)
	buf := make([]byte, 2*n)
	for c := range env.Channels {
		for _, s := range [][]float32{env.Min[c], env.Max[c]} {
			for i, v := range s {
				binary.LittleEndian.PutUint16(buf[2*i:], uint16(quantise(v)))
			}
			w.Write(buf)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func quantise(v float32) int16 {
	return int16(math.Round(float64(min(max(v, -1), 1)) * 32767))
}

// readEnvelope reads an entry written by writeEnvelope.
func readEnvelope(path string) (*Envelope, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 36 || [8]byte(b[:8]) != envMagic {
		return nil, errors.New("not a waveform cache entry")
	}
	env := &Envelope{
		Rate:     int(binary.LittleEndian.Uint32(b[8:])),
		Channels: int(binary.LittleEndian.Uint32(b[12:])),
		Bucket:   time.Duration(binary.LittleEndian.Uint64(b[16:])),
		Duration: time.Duration(binary.LittleEndian.Uint64(b[24:])),
	}
	n := int(binary.LittleEndian.Uint32(b[32:]))
	b = b[36:]
	if env.Channels < 1 || env.Channels > 64 || env.Bucket <= 0 || len(b) != env.Channels*2*2*n {
		return nil, io.ErrUnexpectedEOF
	}
	env.Min = make([][]float32, env.Channels)
	env.Max = make([][]float32, env.Channels)
	for c := range env.Channels {
		for _, dst := range []*[]float32{&env.Min[c], &env.Max[c]} {
			s := make([]float32, n)
			for i := range s {
				s[i] = float32(int16(binary.LittleEndian.Uint16(b[2*i:]))) / 32767
			}
			*dst = s
			b = b[2*n:]
		}
	}
	return env, nil
}
