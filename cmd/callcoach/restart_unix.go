//go:build unix

package main

import (
	"os"
	"syscall"
)

// restart replaces this process with a fresh start of the program, same
// arguments and environment (it returns only if that fails).
func restart() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(exe, os.Args, os.Environ())
}
