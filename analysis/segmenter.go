package analysis

import "time"

// segmenter turns one party's active frames, in order, into segments: runs of
// active frames with gaps shorter than the bridge bridged. A gap in which the
// other party's leak masked the channel (own speech could not have been
// seen) is not known to be silence: it is bridged up to maskBridge as long as
// the frames in it that were observed add up to less than the bridge. A
// segment whose core (frames that were above threshold, not hangover) is
// shorter than minCore frames is dropped as a blip, and so is a run that only
// a masked bridge would join to the segment until its own core reaches
// minCore: a flicker of leak must not stretch a backchannel across the
// masked pause into a floor-taking utterance. Memory: the closed segments
// only.
type segmenter struct {
	speaker    Speaker
	frame      time.Duration
	bridge     int64 // a gap of fewer frames than this is bridged
	maskBridge int64 // ...and a mostly masked one of fewer than this
	minCore    int64
	masked     int64 // masked idle frames in the current gap

	open       bool
	start, end int64 // open segment, frames [start, end)
	core       int64 // core frames in the open segment

	// A run joined across a masked bridge is pending, frames [end,
	// pendEnd), until pendCore reaches minCore; dropped if it never does.
	pend     bool
	pendEnd  int64
	pendCore int64

	closed []Segment
}

func newSegmenter(s Speaker, frame time.Duration, bridgeGap, maskedGap time.Duration, minCore int64) segmenter {
	bridge := int64((bridgeGap + frame - 1) / frame) // gaps < 0.30 s → < 30 frames
	mask := max(bridge, int64((maskedGap+frame-1)/frame))
	return segmenter{speaker: s, frame: frame, bridge: bridge, maskBridge: mask, minCore: minCore}
}

// tail is the end of the open segment's last frames, pending ones included.
func (g *segmenter) tail() int64 {
	if g.pend {
		return g.pendEnd
	}
	return g.end
}

// reaches reports whether an active frame k would join the open segment.
func (g *segmenter) reaches(k int64) bool {
	gap := k - g.tail()
	return g.open && (gap < g.bridge || (gap < g.maskBridge && gap-g.masked < g.bridge))
}

// add marks frame k active; core says whether it was above threshold (as
// opposed to hangover). Frames must come in increasing order.
func (g *segmenter) add(k int64, core bool) {
	switch {
	case !g.reaches(k):
		g.close()
		g.open, g.start, g.end, g.core = true, k, k+1, 0
		if core {
			g.core++
		}
	case g.pend || k-g.tail() >= g.bridge: // joined only across a masked pause
		if !g.pend {
			g.pend, g.pendCore = true, 0
		}
		g.pendEnd = k + 1
		if core {
			g.pendCore++
		}
		if g.pendCore >= g.minCore {
			g.end, g.core, g.pend = g.pendEnd, g.core+g.pendCore, false
		}
	default:
		g.end = k + 1
		if core {
			g.core++
		}
	}
	g.masked = 0
}

// idle tells the segmenter frame k was inactive, and whether the other
// party's leak masked it: a segment whose bridge can no longer be reached
// is closed (so snapshots need not special-case it).
func (g *segmenter) idle(k int64, masked bool) {
	if masked {
		g.masked++
	}
	if g.open && !g.reaches(k+1) {
		g.close()
	}
}

func (g *segmenter) close() {
	g.pend = false // a pending run that never reached minCore is a blip
	if g.open && g.core >= g.minCore {
		g.closed = append(g.closed, g.seg(g.start, g.end))
	}
	g.open = false
}

func (g *segmenter) seg(start, end int64) Segment {
	return Segment{Speaker: g.speaker, Start: Dur(time.Duration(start) * g.frame), End: Dur(time.Duration(end) * g.frame)}
}

// provisional returns the open segment closed at its last active frame, if
// it would count.
func (g *segmenter) provisional() (Segment, bool) {
	if !g.open || g.core < g.minCore {
		return Segment{}, false
	}
	return g.seg(g.start, g.end), true
}
