// Package localefix keeps Fyne from printing "Error parsing user locale C"
// on every run in a plain C/POSIX locale (CI, ssh, cron).
//
// Fyne reads the locale from LC_ALL, LC_MESSAGES and LANG in its lang
// package's init and logs an error when it is "C" or "POSIX", which are not
// language tags. Go initialises packages in import-path order once their
// imports are done, and "callcoach/..." sorts before "fyne.io/...", so
// importing this package for its side effect from main runs it first.
// It only rewrites variables that name no language; real locales are kept.
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, key := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := os.LookupEnv(key)
		if !ok || v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(key, "en_US."+encoding(v))
		}
	}
}

// encoding returns the codeset of a locale value ("C.UTF-8" → "UTF-8"),
// UTF-8 when it names none.
func encoding(v string) string {
	if _, enc, ok := strings.Cut(v, "."); ok && enc != "" {
		return enc
	}
	return "UTF-8"
}
