// Command callcoach is CallCoach: with no arguments it opens the desktop app;
// with a subcommand it works on the command line (analyze, record, devices,
// import, list, show, annotate, clip, export, backup, ...).
//
// Each subcommand lives in a file of its own and registers itself in init,
// so main stays wiring only.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	_ "callcoach/cmd/callcoach/internal/localefix" // before Fyne's init: see the package
	"callcoach/store"
)

// command is one subcommand.
type command struct {
	name    string
	summary string // one line for `callcoach help`
	// run executes the command with its arguments (after the name). It
	// returns an error whose text is a sentence for the user; a usageError
	// exits 2, anything else 1.
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("callcoach: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// errSilent is returned after a command has already told the user what went
// wrong (for example flag's own message); it only sets the exit status.
var errSilent = errors.New("")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	name := "gui"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "-help", "--help":
		printHelp(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "callcoach: unknown command %q; run 'callcoach help' for the list\n", name)
		return 2
	}
	err := c.run(args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errSilent):
		return 2
	}
	if store.IsDamaged(err) && !errors.Is(err, store.ErrDamaged) {
		// SQLite's "database disk image is malformed" from any read.
		err = fmt.Errorf("%w: the library database is damaged; run 'callcoach repair' to rebuild it from what survives", err)
	}
	fmt.Fprintf(stderr, "callcoach %s: %v\n", name, err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "CallCoach: hear how you really sound on calls.")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Usage: callcoach [command] [flags]   (no command opens the app)")
	fmt.Fprintln(w, "")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Run 'callcoach COMMAND -h' for a command's flags.")
}

// newFlags returns a FlagSet for a subcommand that reports its own errors
// (so run prints nothing more) and writes help to stderr: the usage text,
// then the flags.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("callcoach "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping flag's errors to errSilent (flag has
// already printed the problem and the usage).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errSilent
	}
	return nil
}
