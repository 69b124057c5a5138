package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"
)

// Deleting from the command line asks nothing, but only moves the call to
// the trash, where the app's trash and 'restore' can bring it back;
// --purge deletes for good.

func init() {
	register(command{name: "delete", summary: "move a call to the trash (undo with restore; --purge deletes for good)", run: runDelete})
	register(command{name: "restore", summary: "take a call out of the trash", run: runRestore})
}

const deleteUsage = `Usage:
  callcoach delete CALL [--purge]
  callcoach delete --empty-trash [--older-than DAYS]

Moves the call to the trash, without asking: it leaves 'callcoach list' (see
'callcoach list --trash') and comes back with 'callcoach restore CALL'.
With --purge the call, its annotations and its audio are deleted for good.
Clips cut from it stay in the clip library either way. --empty-trash
deletes for good every call in the trash (with --older-than, those
trashed more than DAYS days ago).

Flags:
`

const restoreUsage = `Usage:
  callcoach restore CALL

Takes the call out of the trash.

Flags:
`

func runDelete(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("delete", deleteUsage, stderr)
	purge := fs.Bool("purge", false, "delete for good instead of moving to the trash")
	empty := fs.Bool("empty-trash", false, "delete for good the calls in the trash")
	olderThan := fs.Float64("older-than", 0, "with --empty-trash: only those trashed more than this many days ago")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if *empty {
		return emptyTrash(pos, stdout, *data, *olderThan)
	}
	id, err := oneID("call", pos)
	if err != nil {
		return err
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	c, err := lib.Call(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if *purge {
		if err := lib.DeleteCall(ctx, id); err != nil {
			return libraryError(err)
		}
		fmt.Fprintf(stdout, "deleted call %d %q for good\n", id, c.Title)
		return nil
	}
	if err := lib.Trash(ctx, id); err != nil {
		return libraryError(err)
	}
	fmt.Fprintf(stdout, "moved call %d %q to the trash ('callcoach restore %d' brings it back)\n", id, c.Title, id)
	return nil
}

func runRestore(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", restoreUsage, stderr)
	data := dataFlag(fs)
	id, lib, err := openForOne(fs, args, "call", data)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	c, err := lib.Call(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	if c.TrashedAt == nil {
		return fmt.Errorf("call %d %q is not in the trash", id, c.Title)
	}
	if err := lib.Restore(ctx, id); err != nil {
		return libraryError(err)
	}
	fmt.Fprintf(stdout, "restored call %d %q\n", id, c.Title)
	return nil
}

// emptyTrash is 'delete --empty-trash'.
func emptyTrash(pos []string, stdout io.Writer, data string, olderThan float64) error {
	switch {
	case len(pos) > 0:
		return usagef("--empty-trash takes no call number (got %q)", pos[0])
	case olderThan < 0 || math.IsNaN(olderThan):
		return usagef("--older-than is a number of days, 0 or more")
	}
	lib, err := openLibrary(data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	n, err := lib.PurgeTrash(context.Background(), time.Duration(olderThan*24*float64(time.Hour)))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d call(s) from the trash for good\n", n)
	return nil
}
