package main

import (
	"context"
	"fmt"
	"io"

	"callcoach/callflow"
)

func init() {
	register(command{
		name:    "repair",
		summary: "rebuild a damaged library from what survives (nothing is deleted)",
		run:     runRepair,
	})
}

const repairUsage = `Usage:
  callcoach repair [--data DIR]

Rebuilds the library's database from everything that survives: what SQLite
can still read, the files kept beside each call's audio (calls/*.json,
clips/*.json, library.json) and the audio itself. Calls, annotations and
clips come back with the numbers they had. The damaged database is kept
beside the new one (callcoach.db.damaged-TIME), never deleted. A library
that is not damaged is left as it is. Close the app first.

Flags:
`

func runRepair(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("repair", repairUsage, stderr)
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("repair takes no arguments; name the library with --data DIR")
	}
	dir, err := callflow.LibraryDir(*data, "")
	if err != nil {
		return err
	}
	rep, err := callflow.Repair(context.Background(), dir)
	if err != nil {
		return fmt.Errorf("could not repair the library in %s: %w", dir, err)
	}
	fmt.Fprint(stdout, rep)
	return nil
}
