//go:build !unix

package store

import (
	"os"
	"time"
)

// Without advisory locks an unfinished file is only taken for abandoned once
// it is a day old.
var partialGrace = 24 * time.Hour

func lockFile(f *os.File) error { return nil }
