package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	register(command{name: "trash", summary: "move a call to the trash (undo with restore)", run: trashCommand("trash")})
	register(command{name: "restore", summary: "take a call out of the trash", run: trashCommand("restore")})
	register(command{name: "delete", summary: "delete a call and its audio for good (its clips stay)", run: trashCommand("delete")})
}

var trashUsage = map[string]string{
	"trash": `Usage:
  callcoach trash CALL

Moves the call to the trash: it leaves 'callcoach list' (see 'list --trash')
and the app's list, and comes back with 'callcoach restore CALL'.
`,
	"restore": `Usage:
  callcoach restore CALL

Takes the call out of the trash.
`,
	"delete": `Usage:
  callcoach delete CALL

Deletes the call, its annotations and its audio for good, without asking.
Clips cut from it stay in the clip library.
`,
}

// trashCommand returns the run function of trash, restore or delete.
func trashCommand(name string) func([]string, io.Writer, io.Writer) error {
	return func(args []string, stdout, stderr io.Writer) error {
		fs := newFlags(name, stderr)
		data := dataFlag(fs)
		fs.Usage = func() {
			fmt.Fprint(fs.Output(), trashUsage[name]+"\nFlags:\n")
			fs.PrintDefaults()
		}
		pos, err := parseInterleaved(fs, args)
		if err != nil {
			return err
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
		var done string
		switch name {
		case "trash":
			err, done = lib.Trash(ctx, id), fmt.Sprintf("moved call %d %q to the trash ('callcoach restore %d' brings it back)", id, c.Title, id)
		case "restore":
			err, done = lib.Restore(ctx, id), fmt.Sprintf("restored call %d %q", id, c.Title)
		case "delete":
			err, done = lib.DeleteCall(ctx, id), fmt.Sprintf("deleted call %d %q for good", id, c.Title)
		}
		if err != nil {
			return libraryError(err)
		}
		fmt.Fprintln(stdout, done)
		return nil
	}
}
