package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"callcoach/store"
)

func init() {
	register(command{
		name:    "annotate",
		summary: "mark a moment or a stretch of a call with a tag and a note",
		run:     runAnnotate,
	})
}

const annotateUsage = `Usage:
  callcoach annotate CALL --from S [--to S] [--tag T] [--note TEXT] [--author A]

Marks the call from S to S (seconds, or m:ss), or the moment S without --to.
A tag the library does not know yet is added to its tags. The author
defaults to the library's author setting, else $USER.

Flags:
`

func runAnnotate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("annotate", annotateUsage, stderr)
	from := fs.String("from", "", "where the annotation starts: seconds (75.5) or m:ss (1:15.5)")
	to := fs.String("to", "", "where it ends (default: a moment at --from)")
	tag := fs.String("tag", "", "the tag, e.g. \"missed cue\"")
	note := fs.String("note", "", "a note")
	author := fs.String("author", "", "who writes it")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("call", pos)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["from"] {
		return usagef("give where the annotation starts with --from S (seconds or m:ss)")
	}
	if set["tag"] && strings.TrimSpace(*tag) == "" {
		return usagef("--tag cannot be empty: leave it out for an annotation without a tag")
	}
	a := store.Annotation{CallID: id, Tag: *tag, Note: *note, Author: *author}
	if a.Start, err = parseOffset(*from); err != nil {
		return err
	}
	a.End = a.Start
	if set["to"] {
		if a.End, err = parseOffset(*to); err != nil {
			return err
		}
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	if !set["author"] {
		if err := lib.Setting(ctx, store.SettingAuthor, &a.Author); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if a.Author == "" {
			a.Author = os.Getenv("USER")
		}
	}
	if err := lib.AddAnnotation(ctx, &a); err != nil {
		return libraryError(err)
	}
	fmt.Fprintf(stdout, "added annotation %d to call %d:\n", a.ID, id)
	printAnnotations(stdout, []store.Annotation{a})
	return nil
}
