package callflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

// RecentCalls is how many of a rep's calls before this one the script
// evidence considers: the verdict says "in 12 of your last 15 calls".
const RecentCalls = 15

// MatchRepeats fingerprints call id's rep speech (reading only those
// stretches of its audio), matches it against the rep's other
// fingerprinted calls through an index of their tokens, and stores the
// fingerprint and the passages found. Then it fills in the call's script
// evidence (analysis.Result.Script: what its rep speech shares with the
// rep's RecentCalls calls before it), judges the call again with it, and
// does the same for the later calls whose recent calls include this one
// (only when it was recorded before them: an old call imported late). A
// call still recording is refused.
func MatchRepeats(ctx context.Context, lib *store.Library, id int64) error {
	return newMatcher(lib, nil).match(ctx, id)
}

// UpdateRepeats brings every finished call's fingerprint and passages up to
// date: the calls of a library from before fingerprints, restored from the
// trash, moved to another rep or rebuilt by repair, and recordings filed
// since. Calls are done oldest first, one index per rep kept across them,
// so that a library's first update costs what its calls' rep speech does.
// progress, if not nil, is called before each call and once at the end
// (done == total).
func UpdateRepeats(ctx context.Context, lib *store.Library, progress func(done, total int)) error {
	ids, err := lib.Unfingerprinted(ctx)
	if err != nil {
		return err
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	m := newMatcher(lib, nil)
	for i, id := range ids {
		progress(i, len(ids))
		if err := m.match(ctx, id); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var nf *store.NotFoundError
			if errors.As(err, &nf) {
				continue // deleted meanwhile
			}
			return err
		}
	}
	progress(len(ids), len(ids))
	return nil
}

// matcher holds one repeats index per rep (by the rep's name, "" for
// calls that name none) for a run over several calls.
type matcher struct {
	lib   *store.Library
	index map[string]*analysis.RepeatIndex
	cfg   *analysis.Config // nil: the library's settings
}

func newMatcher(lib *store.Library, cfg *analysis.Config) *matcher {
	return &matcher{lib: lib, index: map[string]*analysis.RepeatIndex{}, cfg: cfg}
}

func (m *matcher) match(ctx context.Context, id int64) error {
	c, err := m.lib.Call(ctx, id)
	if err != nil {
		return err
	}
	if c.Status == store.StatusRecording || c.Result == nil {
		return fmt.Errorf("call %d is still being recorded; its repeats are matched once it is finished", id)
	}
	var cfg analysis.Config
	if m.cfg != nil {
		cfg = *m.cfg
	} else {
		cfg, _ = Config(ctx, m.lib) // defaults where unreadable: Import notes that already
	}
	fp, err := fingerprintCall(ctx, m.lib, c)
	if err != nil {
		return err
	}
	key := strings.ToLower(c.Rep)
	x := m.index[key]
	if x == nil {
		toks, err := m.lib.SameRepTokens(ctx, id)
		if err != nil {
			return err
		}
		x = analysis.NewRepeatIndex(cfg.Repeats)
		for cid, t := range toks {
			x.Add(cid, t)
		}
		m.index[key] = x
	}
	found, err := x.Match(id, fp, func(cid int64, from, to int) (*analysis.Fingerprint, error) {
		return m.lib.FingerprintFrames(ctx, cid, from, to)
	})
	if err != nil {
		return err
	}
	if err := m.lib.SaveFingerprint(ctx, id, fp, found); err != nil {
		return err
	}
	x.Add(id, fp.Tokens())
	if err := judgeScript(ctx, m.lib, c, cfg); err != nil {
		return err
	}
	later, err := m.lib.RecentSameRep(ctx, id, RecentCalls, true)
	if err != nil {
		return err
	}
	for _, lid := range later {
		lc, err := m.lib.Call(ctx, lid)
		if err != nil {
			return err
		}
		if err := judgeScript(ctx, m.lib, lc, cfg); err != nil {
			return err
		}
	}
	return nil
}

// judgeScript fills in call c's script evidence from the store and, where
// the verdict weighs it (ScriptMinCalls calls compared, now or before),
// judges the call again. Evidence unchanged writes nothing; evidence the
// verdict does not weigh yet leaves the verdict as it was judged.
func judgeScript(ctx context.Context, lib *store.Library, c *store.Call, cfg analysis.Config) error {
	recent, err := lib.RecentSameRep(ctx, c.ID, RecentCalls, false)
	if err != nil {
		return err
	}
	reps, err := lib.Repeats(ctx, c.ID)
	if err != nil {
		return err
	}
	res := *c.Result
	old := res.Script
	res.Script = ScriptEvidence(&res, reps, recent)
	if old == res.Script || old != nil && res.Script != nil && *old == *res.Script {
		return nil
	}
	weighed := func(e *analysis.ScriptEvidence) bool {
		return e != nil && e.CallsConsidered >= cfg.Verdict.ScriptMinCalls
	}
	if weighed(old) || weighed(res.Script) {
		res.Listening = analysis.Judge(&res, cfg.Verdict)
	}
	return lib.SetResult(ctx, c.ID, &res)
}

// ScriptEvidence is what a call's repeated passages say against the calls
// considered (the rep's recent calls before it): the share of the rep's
// talk inside passages also said in one of them, the longest such passage,
// how many of them share one. nil when no call was considered.
func ScriptEvidence(r *analysis.Result, repeats []analysis.Repeat, considered []int64) *analysis.ScriptEvidence {
	if len(considered) == 0 {
		return nil
	}
	e := &analysis.ScriptEvidence{CallsConsidered: len(considered)}
	var spans []analysis.Span
	sharing := map[int64]bool{}
	for _, p := range repeats {
		if !slices.Contains(considered, p.Call) {
			continue
		}
		sharing[p.Call] = true
		spans = append(spans, analysis.Span{Start: p.Start, End: p.End})
		if l := p.End - p.Start; l > e.Longest {
			e.Longest, e.LongestAt = l, p.Start
		}
	}
	e.CallsSharing = len(sharing)
	// The union of the passages, measured over the rep's own speech.
	slices.SortFunc(spans, func(a, b analysis.Span) int { return int(a.Start - b.Start) })
	var union []analysis.Span
	for _, s := range spans {
		if n := len(union); n > 0 && s.Start <= union[n-1].End {
			union[n-1].End = max(union[n-1].End, s.End)
			continue
		}
		union = append(union, s)
	}
	var reused, talk time.Duration
	for _, seg := range r.SegmentsOf(analysis.Rep) {
		talk += seg.Len()
		for _, u := range union {
			if a, b := max(seg.Start, u.Start), min(seg.End, u.End); b > a {
				reused += time.Duration(b - a)
			}
		}
	}
	if talk > 0 {
		e.ReusedShare = min(1, float64(reused)/float64(talk))
	}
	return e
}

// fingerprintCall reads the rep's side of a stored call, only the
// stretches around the rep's speech, and fingerprints it. A call with no
// rep speech (a one-channel call nobody's voice was named in) gets an
// empty fingerprint: it has nothing to repeat.
func fingerprintCall(ctx context.Context, lib *store.Library, c *store.Call) (*analysis.Fingerprint, error) {
	segs := c.Result.SegmentsOf(analysis.Rep)
	if len(segs) == 0 {
		return &analysis.Fingerprint{}, nil
	}
	a, err := audio.Open(lib.Abs(c.AudioPath))
	if err != nil {
		return nil, fmt.Errorf("cannot fingerprint call %d: %w", c.ID, err)
	}
	defer a.Close()
	ch := a.Channels()
	side := 0
	if s, ok := RepChannel(c); ok && s == audio.Right && ch == 2 {
		side = 1
	}
	f, err := analysis.NewFingerprinter(a.Rate(), segs)
	if err != nil {
		return nil, fmt.Errorf("cannot fingerprint call %d: %w", c.ID, err)
	}
	const block = 4096
	buf := make([]float32, block*ch)
	mono := make([]float32, block)
	for _, z := range f.Zones() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := a.SeekFrame(min(z[0], a.Info().Frames)); err != nil {
			return nil, fmt.Errorf("cannot fingerprint call %d: %w", c.ID, err)
		}
		f.SkipTo(z[0])
		for left := z[1] - z[0]; left > 0; {
			n, err := a.ReadFrames(buf[:min(int64(block), left)*int64(ch)])
			for i := 0; i < n; i++ {
				mono[i] = buf[i*ch+side]
			}
			f.Write(mono[:n])
			left -= int64(n)
			if errors.Is(err, io.EOF) || n == 0 {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("cannot fingerprint call %d: %w", c.ID, err)
			}
		}
	}
	return f.Finish(), nil
}
