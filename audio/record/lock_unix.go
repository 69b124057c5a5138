//go:build unix

package record

import (
	"os"
	"syscall"
)

// canLock: advisory locks tell a live mark from a stale one.
const canLock = true

// lockFile takes an exclusive advisory lock on f without waiting; the
// kernel drops it when the process dies.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
