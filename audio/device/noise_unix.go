//go:build linux || darwin || freebsd

package device

import (
	"bytes"
	"io"
	"os"
	"sync"
	"syscall"
)

// noiseMu serialises the stderr redirections.
var noiseMu sync.Mutex

// hush runs f with file descriptor 2 pointing into a pipe, so that the
// pages ALSA, JACK and PortAudio's C code print while starting up do not
// reach the user, and returns what they printed (the last 8 KiB) for error
// details. Go's own writes to os.Stderr during f are hidden too; f must be
// short.
func hush(f func()) (noise string) {
	noiseMu.Lock()
	defer noiseMu.Unlock()
	restore, out, err := redirectStderr()
	if err != nil {
		f()
		return ""
	}
	f()
	restore()
	return tail(out(), 8<<10)
}

// redirectStderr points fd 2 at a pipe drained by a goroutine. restore
// puts the old fd 2 back; out (after restore) returns what was written.
func redirectStderr() (restore func(), out func() string, err error) {
	saved, err := syscall.Dup(2)
	if err != nil {
		return nil, nil, err
	}
	// Not for children: a program started meanwhile (pactl subscribe)
	// would hold the real standard error open after this process dies,
	// and whoever waits for it to close (a shell's pipe) would wait on.
	syscall.CloseOnExec(saved)
	pr, pw, err := os.Pipe()
	if err != nil {
		syscall.Close(saved)
		return nil, nil, err
	}
	var buf tailBuffer
	done := make(chan struct{})
	go func() {
		io.Copy(&buf, pr)
		pr.Close()
		close(done)
	}()
	if err := dup2(int(pw.Fd()), 2); err != nil {
		pw.Close()
		<-done
		syscall.Close(saved)
		return nil, nil, err
	}
	restore = func() {
		dup2(saved, 2)
		syscall.Close(saved)
		pw.Close()
		<-done
	}
	return restore, func() string { return buf.String() }, nil
}

// Quiet sends everything written to file descriptor 2 (PortAudio and ALSA
// complain there when a device vanishes mid-call) into a pipe until the
// returned function is called, and returns a writer to the real standard
// error for the caller's own messages meanwhile. The CLI uses it for the
// length of a recording so that its one-line meter stays readable.
func Quiet() (stderr io.Writer, restore func()) {
	noiseMu.Lock()
	defer noiseMu.Unlock()
	saved, err := syscall.Dup(2)
	if err != nil {
		return os.Stderr, func() {}
	}
	syscall.CloseOnExec(saved)
	real := os.NewFile(uintptr(saved), "stderr")
	undo, _, err := redirectStderr()
	if err != nil {
		real.Close()
		return os.Stderr, func() {}
	}
	var once sync.Once
	return real, func() {
		once.Do(func() {
			noiseMu.Lock()
			defer noiseMu.Unlock()
			undo()
			real.Close()
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// tailBuffer keeps the last 8 KiB written to it.
type tailBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if t.b.Len() > 16<<10 {
		keep := append([]byte(nil), t.b.Bytes()[t.b.Len()-8<<10:]...)
		t.b.Reset()
		t.b.Write(keep)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}
