//go:build unix

package store

import (
	"os"
	"syscall"
	"time"
)

// partialGrace: an unfinished file younger than this is left alone even if
// unlocked (its writer may not have locked it yet).
var partialGrace = 2 * time.Second

// lockFile takes an exclusive advisory lock on f without waiting; the kernel
// drops it when the process dies, which is how Open tells an import in
// progress in another process from one killed half-way.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
