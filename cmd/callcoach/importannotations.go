package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"callcoach/callflow"
	"callcoach/callflow/interchange"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "import-annotations",
		summary: "add the marks of an Audacity label track or a Praat TextGrid to a call as annotations",
		run:     runImportAnnotations,
	})
}

const importAnnotationsUsage = `Usage:
  callcoach import-annotations CALL FILE [--author A]

Reads FILE — an Audacity label track (File > Export > Labels) or a Praat
TextGrid (Save as text file) — and adds each label to the call as an
annotation. A label "tag: note" gives a tag and a note; a label without
": " is a tag if the library has a tag of that name, else a note.

From a TextGrid CallCoach exported, only the annotation tiers come back;
from any other TextGrid, every labelled interval of every interval tier.
CallCoach's own interruption labels in a label track are left out (the
analysis marks them anyway).

All or nothing: if any label does not fit the call (before its start,
past its end), or the file is neither format, or a TextGrid tier is
empty, nothing is added. A label the call already has as an annotation
(same range, tag and note) is not added twice. The author defaults to the library's author
setting, else $USER.

Flags:
`

func runImportAnnotations(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import-annotations", importAnnotationsUsage, stderr)
	author := fs.String("author", "", "who the annotations are by")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0, 1:
		return usagef("give the call number and the file: 'callcoach import-annotations CALL FILE'")
	case 2:
	default:
		return usagef("give one call number and one file, not %d arguments (%s)", len(pos), strings.Join(pos, " "))
	}
	id, err := parseID("call", pos[0])
	if err != nil {
		return err
	}
	path := pos[1]
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	if *author == "" {
		if err := lib.Setting(ctx, store.SettingAuthor, author); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if *author == "" {
			*author = os.Getenv("USER")
		}
	}
	im, err := callflow.ImportAnnotations(ctx, lib, id, path, *author)
	if err != nil {
		return libraryError(err)
	}
	from := "the Audacity label track"
	if im.Format == interchange.FormatTextGrid {
		from = "the TextGrid's tier"
		if len(im.Tiers) > 1 {
			from += "s"
		}
		from += " " + quoteList(im.Tiers)
	}
	fmt.Fprintf(stdout, "added %d annotation%s to call %d from %s", len(im.Annotations), plural(len(im.Annotations)), id, from)
	if im.AlreadyThere > 0 {
		fmt.Fprintf(stdout, " (%d already on the call)", im.AlreadyThere)
	}
	if im.Skipped > 0 {
		fmt.Fprintf(stdout, " (left out %d interruption label%s CallCoach made)", im.Skipped, plural(im.Skipped))
	}
	if len(im.Annotations) == 0 {
		fmt.Fprintln(stdout, ".")
		return nil
	}
	fmt.Fprintln(stdout, ":")
	printAnnotations(stdout, im.Annotations)
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
