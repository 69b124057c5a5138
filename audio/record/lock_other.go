//go:build !unix

package record

import "os"

// canLock: without advisory locks a mark is live while its process runs.
const canLock = false

func lockFile(*os.File) error { return nil }
