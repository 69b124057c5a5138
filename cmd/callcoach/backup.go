package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	register(command{
		name:    "backup",
		summary: "copy the whole library to a new folder, safely while the app runs",
		run:     runBackup,
	})
}

const backupUsage = `Usage:
  callcoach backup DEST

Copies the library (database and audio) into DEST, a new or empty folder.
The copy is consistent even while the app or another command uses the
library. To use the copy, point CallCoach at it: --data DEST.

Flags:
`

func runBackup(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", backupUsage, stderr)
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one folder to back up into (e.g. 'callcoach backup /media/usb/callcoach-2026-03-02')")
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	rep, err := lib.Backup(context.Background(), pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up the library in %s to %s: the database and %d audio files (%.1f MB)\n",
		lib.Dir(), pos[0], rep.Files, float64(rep.Bytes)/1e6)
	if rep.MissingFiles > 0 {
		fmt.Fprintf(stderr, "%d audio files were deleted while the backup ran and are not in it\n", rep.MissingFiles)
	}
	return nil
}
