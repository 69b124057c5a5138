package analysis

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestSnapshotFigures: the live panel's figures (SnapshotFigures) are
// Snapshot's, every 80 ms through a call, and cost a fraction of its
// allocations.
func TestSnapshotFigures(t *testing.T) {
	rep, cust, rate := readStereo16(t, filepath.Join("testdata", "calls", "attentive_clean_16k.wav"))
	a, err := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	if err != nil {
		t.Fatal(err)
	}
	chunk := rate / 25
	checked := 0
	for i := 0; i < len(rep); i += chunk {
		e := min(len(rep), i+chunk)
		a.Write(rep[i:e], cust[i:e])
		if (i/chunk)%2 != 0 {
			continue
		}
		full, fig := a.Snapshot(), a.SnapshotFigures()
		if fig.Talk != full.Talk || fig.RepTalkShare != full.RepTalkShare || fig.Duration != full.Duration ||
			!reflect.DeepEqual(fig.Segments, full.Segments) || !reflect.DeepEqual(fig.Interruptions, full.Interruptions) ||
			!reflect.DeepEqual(fig.Backchannels, full.Backchannels) || fig.Overlap != full.Overlap {
			t.Fatalf("at %d samples: figures %+v, want those of %+v", e, fig, full)
		}
		checked++
	}
	if res := a.Snapshot(); len(res.Interruptions) == 0 || res.Talk.Rep == 0 || res.Talk.Customer == 0 {
		t.Fatalf("the call's snapshot has no interruption or no talk (%+v): the comparison shows nothing", res.Talk)
	}
	full := testing.AllocsPerRun(20, func() { a.Snapshot() })
	fig := testing.AllocsPerRun(20, func() { a.SnapshotFigures() })
	t.Logf("%d snapshots compared; allocations per snapshot %.0f, per SnapshotFigures %.0f", checked, full, fig)
	if fig > full/4 {
		t.Errorf("SnapshotFigures allocates %.0f times, want at most a quarter of Snapshot's %.0f", fig, full)
	}
}
