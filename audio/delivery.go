package audio

import (
	"context"
	"fmt"
	"io"

	"callcoach/analysis"
)

// MeasureDelivery fills res.Delivery with the delivery cues of the rep's
// monologues long enough to measure (analysis.DeliverySpans) and judges the
// call again, so the verdict can weigh them. It re-reads only those
// stretches of the rep's audio, from the files req names (as they were
// analysed into res): a call of short turns costs nothing, a one-hour
// lecture one more read of the rep's channel. A mono result is left alone.
// When the audio cannot be read again, res keeps its figures and gains a
// note saying why the cues are missing; only ctx's cancellation is an
// error.
func MeasureDelivery(ctx context.Context, req AnalyzeRequest, res *analysis.Result, cfg analysis.Config) error {
	spans := analysis.DeliverySpans(res, cfg.Delivery)
	if len(spans) == 0 || res.Channels.OneChannel != "" {
		return nil
	}
	path, ch := req.Path, req.RepChannel.Index()
	if path == "" {
		path, ch = req.RepPath, 0
	}
	r, err := Open(path)
	if err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("Delivery cues were not measured: %v.", err))
		return nil
	}
	defer r.Close()
	nch := r.Channels()
	if ch >= nch {
		return nil
	}
	rate := r.Rate()
	m := analysis.NewDeliveryMeter(rate, cfg.Delivery)
	buf := make([]float32, analyzeChunk*nch)
	mine := make([]float32, analyzeChunk)
	cues := make([]analysis.DeliveryCue, 0, len(spans))
	for _, s := range spans {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("the delivery cues of %s were stopped: %w", path, err)
		}
		from := int64(s.Start.Seconds() * float64(rate))
		left := int64(s.End.Seconds()*float64(rate)) - from
		if err := r.SeekFrame(min(from, r.Info().Frames)); err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("Delivery cues were not measured: %v.", err))
			return nil
		}
		m.Reset(s.Start.D())
		for left > 0 {
			n, err := r.ReadFrames(buf[:min(int64(analyzeChunk), left)*int64(nch)])
			for i := range n {
				mine[i] = buf[i*nch+ch]
			}
			m.Write(mine[:n])
			left -= int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("Delivery cues were not measured: %v.", err))
				return nil
			}
		}
		cues = append(cues, m.Cue(s.End.D()))
	}
	res.Delivery = cues
	res.Listening = analysis.Judge(res, cfg.Verdict)
	return nil
}
