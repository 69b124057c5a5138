//go:build !unix

package main

import "errors"

// restart cannot replace the process here: the user starts it again.
func restart() error { return errors.New("this system cannot restart a program in place") }
