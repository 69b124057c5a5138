package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

func init() {
	register(command{name: "tags", summary: "list the annotation tags; add, rename or delete one", run: runTags})
}

const tagsUsage = `Usage:
  callcoach tags [--json]
  callcoach tags --add NAME
  callcoach tags --rename OLD --to NEW
  callcoach tags --delete NAME

Lists the tags annotations can carry, with how many carry each. Renaming
a tag renames it on its annotations; deleting it leaves the annotations
without a tag. Clips keep the tag they were cut with.

Flags:
`

func runTags(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tags", tagsUsage, stderr)
	add := fs.String("add", "", "add a tag")
	rename := fs.String("rename", "", "rename this tag (with --to)")
	to := fs.String("to", "", "the new name for --rename")
	del := fs.String("delete", "", "delete a tag")
	asJSON := fs.Bool("json", false, "list as JSON")
	data := dataFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("tags takes flags only (got %q); run 'callcoach tags -h'", fs.Arg(0))
	}
	n := 0
	for _, s := range []string{*add, *rename, *del} {
		if s != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return usagef("give one of --add, --rename and --delete at a time")
	case (*rename != "") != (*to != ""):
		return usagef("--rename OLD needs --to NEW (and --to only goes with --rename)")
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	switch {
	case *add != "":
		t, err := lib.AddTag(ctx, *add)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added the tag %q\n", t.Name)
		return nil
	case *rename != "":
		if err := lib.RenameTag(ctx, *rename, *to); err != nil {
			return libraryError(err)
		}
		fmt.Fprintf(stdout, "renamed the tag %q to %q\n", *rename, *to)
		return nil
	case *del != "":
		if err := lib.DeleteTag(ctx, *del); err != nil {
			return libraryError(err)
		}
		fmt.Fprintf(stdout, "deleted the tag %q (its annotations keep their notes)\n", *del)
		return nil
	}
	tags, err := lib.Tags(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type tagJSON struct {
			Name string `json:"name"`
			Uses int    `json:"annotations"`
		}
		out := []tagJSON{}
		for _, t := range tags {
			out = append(out, tagJSON{t.Name, t.Uses})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tANNOTATIONS")
	for _, t := range tags {
		fmt.Fprintf(tw, "%s\t%d\n", t.Name, t.Uses)
	}
	return tw.Flush()
}
