package report

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/store"
)

// LoadCall reads what call id's report shows from the library: the call
// with its analysis, its annotations, the clips cut from it and the
// passages also said in the rep's other calls.
func LoadCall(ctx context.Context, lib *store.Library, id int64) (CallInput, error) {
	c, err := lib.Call(ctx, id)
	if err != nil {
		return CallInput{}, err
	}
	if c.Result == nil {
		return CallInput{}, fmt.Errorf("call %d: %w (it is still recording)", id, ErrNoAnalysis)
	}
	as, err := lib.Annotations(ctx, id)
	if err != nil {
		return CallInput{}, err
	}
	all, err := lib.Clips(ctx, store.ClipFilter{Rep: c.Rep})
	if err != nil {
		return CallInput{}, err
	}
	var clips []store.Clip
	for _, cl := range all {
		if cl.CallID != nil && *cl.CallID == id {
			clips = append(clips, cl)
		}
	}
	rs, err := lib.Repeats(ctx, id)
	if err != nil {
		return CallInput{}, err
	}
	titles := map[int64]string{}
	for _, r := range rs {
		if _, ok := titles[r.Call]; ok {
			continue
		}
		titles[r.Call] = ""
		if other, err := lib.Call(ctx, r.Call); err == nil {
			titles[r.Call] = other.Title
		}
	}
	return CallInput{Call: c, Annotations: as, Clips: clips, Repeats: rs, RepeatTitles: titles, Made: time.Now()}, nil
}

// LoadRep reads what a rep's report shows: the rep's analysed calls
// recorded in [since, until) (zero: open) and the rep's clips tagged in
// that period — saved in it, or cut from a call recorded in it (a coach
// often tags last month's calls just before the one-to-one) — judged by
// cfg's targets. A rep the library does not
// know is an error that lists the ones it does.
func LoadRep(ctx context.Context, lib *store.Library, rep string, since, until time.Time, cfg analysis.VerdictConfig) (RepInput, error) {
	reps, err := lib.Reps(ctx)
	if err != nil {
		return RepInput{}, err
	}
	name := ""
	var names []string
	for _, r := range reps {
		names = append(names, r.Name)
		if strings.EqualFold(r.Name, strings.TrimSpace(rep)) {
			name = r.Name
		}
	}
	if name == "" {
		if len(names) == 0 {
			return RepInput{}, fmt.Errorf("there is no rep called %q: no call in the library names a rep yet", rep)
		}
		return RepInput{}, fmt.Errorf("there is no rep called %q; the library knows %s", rep, strings.Join(names, ", "))
	}
	sums, err := lib.Calls(ctx, store.CallFilter{Rep: name, Since: since, Until: until})
	if err != nil {
		return RepInput{}, err
	}
	in := RepInput{Rep: name, Since: since, Until: until, Verdict: cfg, Made: time.Now()}
	for i := len(sums) - 1; i >= 0; i-- { // the list is newest first
		s := sums[i]
		if s.Status == store.StatusRecording {
			continue
		}
		c, err := lib.Call(ctx, s.ID)
		if err != nil {
			return RepInput{}, err
		}
		if c.Result == nil {
			continue
		}
		in.Calls = append(in.Calls, RepCall{ID: c.ID, Title: c.Title, Customer: c.Customer, RecordedAt: c.RecordedAt, Duration: c.Duration, Result: c.Result})
	}
	clips, err := lib.Clips(ctx, store.ClipFilter{Rep: name})
	if err != nil {
		return RepInput{}, err
	}
	inPeriod := map[int64]bool{}
	for _, c := range in.Calls {
		inPeriod[c.ID] = true
	}
	for _, cl := range clips {
		saved := (since.IsZero() || !cl.Created.Before(since)) && (until.IsZero() || cl.Created.Before(until))
		if saved || (cl.CallID != nil && inPeriod[*cl.CallID]) {
			in.Clips = append(in.Clips, cl)
		}
	}
	return in, nil
}

// PaperFor picks the PDF's paper from the locale: Letter where it is the
// usual paper (the United States, Canada, Mexico, the Philippines and
// most of Central America and the north of South America), else A4.
// getenv reads LC_ALL, then LC_PAPER, then LANG, as the C library does.
func PaperFor(getenv func(string) string) Paper {
	if getenv == nil {
		getenv = os.Getenv
	}
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_PAPER", "LANG"} {
		if v := getenv(k); v != "" {
			loc = v
			break
		}
	}
	// "en_US.UTF-8" → "US"
	loc, _, _ = strings.Cut(loc, ".")
	loc, _, _ = strings.Cut(loc, "@")
	_, territory, ok := strings.Cut(loc, "_")
	if !ok {
		return A4
	}
	switch strings.ToUpper(territory) {
	case "US", "CA", "MX", "PH", "PR", "CL", "CO", "VE", "CR", "DO", "GT", "NI", "PA", "SV":
		return Letter
	}
	return A4
}

// PaperNamed returns the paper called name ("a4" or "letter", any case).
func PaperNamed(name string) (Paper, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "a4":
		return A4, nil
	case "letter", "us-letter", "us letter":
		return Letter, nil
	}
	return Paper{}, fmt.Errorf("the paper is a4 or letter, not %q", name)
}
