package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Two-speaker diarization of a one-channel call: who of the two spoke when.
//
// The design, against the published approaches (README, "Mixed
// recordings"): the classical GMM/BIC systems' statistics with VBx's
// shape, and no trained model. pyannote and VBx need neural speaker
// embeddings trained on thousands of speakers; CallCoach's analysis is
// pure Go with no model files, so its speaker statistics are learnt from
// the call itself:
//
//  1. Features: 19 cepstra (c1–c19, Cepstrum) per 10 ms speech frame,
//     mean- and variance-normalised over the call (a fixed channel drops
//     out).
//  2. A background model: a diagonal GMM (DiarizeConfig.Components) fitted
//     to the call's own speech; each component is roughly a class of
//     sounds.
//  3. Short-window speaker embeddings: the speech is cut into chunks of
//     DiarizeConfig.Chunk; a chunk's embedding is its GMM supervector (per
//     component, the normalised shift of its frames' mean from the
//     background's, shrunk by a relevance factor), which compares the same
//     sounds said by the chunk's speaker against the call's average
//     speaker, projected on the call's main directions of variation (PCA):
//     in a two-party call the largest variation between chunks is who is
//     talking.
//  4. Clustering: two clusters, started from the split along the first
//     principal direction and refined by k-means on the cosine.
//  5. Resegmentation: each speaker's GMM (the background's means adapted to
//     the cluster's frames), frame log-likelihoods, and a Viterbi pass over
//     a two-state HMM with a minimum turn (DiarizeConfig.MinTurn) and a
//     switch penalty, repeated DiarizeConfig.Passes times with the
//     models re-adapted to the new labels.
//  6. Confidence: how much better two speaker models explain the speech
//     than one, per frame, mapped to 0..1; below
//     DiarizeConfig.MinConfidence the split is "unsure".
//
// Memory: 40 bytes per speech frame of quantised features (14 MB for an
// hour of talk) and the models; no audio is kept.

// DiarizeConfig tunes the two-speaker diarization of a one-channel call.
// Its defaults were tuned on the development half of the real recordings
// named in the README and on generated calls, never on one file.
type DiarizeConfig struct {
	// Components is the size of the call's background GMM.
	Components int `json:"components"`
	// Chunk is the length of speech one speaker embedding describes.
	Chunk time.Duration `json:"chunk"`
	// Dims is how many principal directions of the embeddings the
	// clustering uses.
	Dims int `json:"dims"`
	// Relevance is the MAP relevance factor: a component seen in fewer
	// frames than this keeps mostly the background's mean.
	Relevance float64 `json:"relevance"`
	// MinTurn is the shortest stretch of speech the resegmentation gives
	// one speaker (a backchannel is longer).
	MinTurn time.Duration `json:"min_turn"`
	// Switch is the log-likelihood a change of speaker costs in the
	// resegmentation, on top of MinTurn.
	Switch float64 `json:"switch"`
	// Smooth averages frame log-likelihoods over this long before the
	// Viterbi pass (one frame's likelihood says little about who spoke).
	Smooth time.Duration `json:"smooth"`
	// Passes is how many times the resegmentation runs.
	Passes int `json:"passes"`
	// MinConfidence: a split less sure than this is reported as unsure,
	// and the call gets no verdict.
	MinConfidence float64 `json:"min_confidence"`
	// PitchWeight: how much a chunk's median pitch counts next to its
	// spectral embedding (1: as much as the embedding's typical length).
	PitchWeight float64 `json:"pitch_weight"`
	// TwoGauss refines the k-means split with a two-component Gaussian
	// mixture (different sizes and spreads: a customer who says little).
	TwoGauss bool `json:"two_gauss"`
	// ConfidenceScale is the separation (Fisher's ratio of the speakers'
	// chunk statistics, over what one voice reaches with as many chunks)
	// at which the confidence reads 0.5.
	ConfidenceScale float64 `json:"confidence_scale"`
	// MinVoiceTalk: a split is sure only when each voice has this much
	// speech: with less, one voice cut in two looks as far apart as two
	// (the separation of a few chunks is noisy).
	MinVoiceTalk time.Duration `json:"min_voice_talk"`
	// MinShare: a speaker given less than this share of the speech is
	// taken as no second speaker at all (one person talking).
	MinShare float64 `json:"min_share"`
}

// DefaultDiarizeConfig returns the documented defaults.
func DefaultDiarizeConfig() DiarizeConfig {
	return DiarizeConfig{
		Components:    32,
		Chunk:         time.Second,
		Dims:          8,
		Relevance:     8,
		MinTurn:       250 * time.Millisecond,
		Switch:        20,
		Smooth:        300 * time.Millisecond,
		Passes:        3,
		MinConfidence: 0.5,
		MinShare:      0.05,
		MinVoiceTalk:  10 * time.Second,
		PitchWeight:   0.5,
		// Tuned on the development half (README): one-voice recordings
		// reach 0.5–1.1 times what one voice reaches, the two-voice ones
		// 0.9–4.4.
		ConfidenceScale: 1.5,
		TwoGauss:        true,
	}
}

// diarFeat is the number of features per frame the diarizer keeps.
const diarFeat = Cepstra - 1

// featScale quantises cepstra to int16 (1/50 dB steps, ±655 dB).
const featScale = 50

// featureStore keeps the quantised cepstra of the frames that may be
// speech, in frame order.
type featureStore struct {
	frame []int32 // frame index of each stored frame
	c     []int16 // diarFeat per stored frame
	pitch []uint16
}

func (s *featureStore) add(k int64, f *Features) {
	s.frame = append(s.frame, int32(k))
	for _, v := range f.MFCC[1:] {
		q := math.Round(float64(v) * featScale)
		s.c = append(s.c, int16(max(-32767, min(32767, q))))
	}
	s.pitch = append(s.pitch, uint16(f.Pitch*10))
}

// diarization is what the diarizer found.
type diarization struct {
	labels     []int8 // per speech frame of the input: 0 or 1
	confidence float64
	separation float64    // Fisher's ratio behind confidence
	mean, sd   []float64  // the features' normalisation, to undo it
	share      [2]float64 // share of speech per speaker
}

// gmm is a diagonal Gaussian mixture.
type gmm struct {
	k, d   int
	w      []float64 // log weights
	mu     []float64 // k×d
	ivar   []float64 // k×d inverse variances
	lconst []float64 // per component: log w − ½Σlog(2πσ²)
}

func (g *gmm) finish() {
	for j := 0; j < g.k; j++ {
		c := g.w[j]
		for i := 0; i < g.d; i++ {
			c += 0.5 * math.Log(g.ivar[j*g.d+i]/(2*math.Pi))
		}
		g.lconst[j] = c
	}
}

// posteriors writes each component's log-density of x into lp and returns
// the log-likelihood (log-sum-exp).
func (g *gmm) logp(x []float32, lp []float64) float64 {
	d := g.d
	best := math.Inf(-1)
	for j := 0; j < g.k; j++ {
		mu := g.mu[j*d : j*d+d]
		iv := g.ivar[j*d : j*d+d]
		var s float64
		for i, v := range x[:d] {
			e := float64(v) - mu[i]
			s += e * e * iv[i]
		}
		lp[j] = g.lconst[j] - 0.5*s
		best = max(best, lp[j])
	}
	// Components more than 20 nats below the best add under 2e-9 each.
	var sum float64
	for j := 0; j < g.k; j++ {
		if e := lp[j] - best; e > -20 {
			sum += math.Exp(e)
		}
	}
	return best + math.Log(sum)
}

// trainGMM fits a k-component diagonal GMM to the rows of x (n×d) by
// k-means++-style seeding and EM.
func trainGMM(x []float32, n, d, k, iters int, rng *rand.Rand) *gmm {
	k = max(1, min(k, n/20))
	g := &gmm{k: k, d: d, w: make([]float64, k), mu: make([]float64, k*d), ivar: make([]float64, k*d), lconst: make([]float64, k)}
	// Seeds: random distinct rows, spread by picking the farthest of a few.
	for j := 0; j < k; j++ {
		bestRow, bestD := 0, -1.0
		for try := 0; try < 4; try++ {
			r := rng.IntN(n)
			dmin := math.Inf(1)
			for jj := 0; jj < j; jj++ {
				var s float64
				for i := 0; i < d; i++ {
					e := float64(x[r*d+i]) - g.mu[jj*d+i]
					s += e * e
				}
				dmin = min(dmin, s)
			}
			if dmin > bestD {
				bestRow, bestD = r, dmin
			}
		}
		for i := 0; i < d; i++ {
			g.mu[j*d+i] = float64(x[bestRow*d+i])
		}
	}
	for j := range g.w {
		g.w[j] = -math.Log(float64(k))
	}
	for i := range g.ivar {
		g.ivar[i] = 1 // the features are variance-normalised
	}
	g.finish()
	lp := make([]float64, k)
	N := make([]float64, k)
	F := make([]float64, k*d)
	S := make([]float64, k*d)
	for it := 0; it < iters; it++ {
		clear(N)
		clear(F)
		clear(S)
		for r := 0; r < n; r++ {
			row := x[r*d : r*d+d]
			ll := g.logp(row, lp)
			for j := 0; j < k; j++ {
				if lp[j]-ll < -9.2 { // posterior under 1e-4
					continue
				}
				p := math.Exp(lp[j] - ll)
				N[j] += p
				f, s := F[j*d:j*d+d], S[j*d:j*d+d]
				for i, v := range row {
					fv := float64(v)
					f[i] += p * fv
					s[i] += p * fv * fv
				}
			}
		}
		for j := 0; j < k; j++ {
			if N[j] < 1 {
				// A dead component: reseed on a random frame.
				r := rng.IntN(n)
				for i := 0; i < d; i++ {
					g.mu[j*d+i] = float64(x[r*d+i])
					g.ivar[j*d+i] = 1
				}
				g.w[j] = math.Log(1 / float64(n))
				continue
			}
			g.w[j] = math.Log(N[j] / float64(n))
			for i := 0; i < d; i++ {
				m := F[j*d+i] / N[j]
				v := S[j*d+i]/N[j] - m*m
				g.mu[j*d+i] = m
				g.ivar[j*d+i] = 1 / max(v, 0.01)
			}
		}
		g.finish()
	}
	return g
}

// adapt returns g with its means MAP-adapted to the frames of x whose
// label is want (relevance r).
func (g *gmm) adapt(x []float32, labels []int8, want int8, r float64) *gmm {
	d, k := g.d, g.k
	N := make([]float64, k)
	F := make([]float64, k*d)
	lp := make([]float64, k)
	for t, l := range labels {
		if l != want {
			continue
		}
		row := x[t*d : t*d+d]
		ll := g.logp(row, lp)
		for j := 0; j < k; j++ {
			if lp[j]-ll < -9.2 { // posterior under 1e-4
				continue
			}
			p := math.Exp(lp[j] - ll)
			N[j] += p
			for i, v := range row {
				F[j*d+i] += p * float64(v)
			}
		}
	}
	a := &gmm{k: k, d: d, w: slices.Clone(g.w), mu: slices.Clone(g.mu), ivar: g.ivar, lconst: slices.Clone(g.lconst)}
	for j := 0; j < k; j++ {
		if N[j] == 0 {
			continue
		}
		al := N[j] / (N[j] + r)
		for i := 0; i < d; i++ {
			a.mu[j*d+i] = al*F[j*d+i]/N[j] + (1-al)*g.mu[j*d+i]
		}
	}
	return a
}

// diarize splits the speech frames x (n×diarFeat, in time order; gap[t]
// is set where frame t follows a pause) between two speakers.
func diarize(x []float32, n int, gap []bool, pitch []float32, cfg DiarizeConfig, frame time.Duration) diarization {
	d := diarFeat
	res := diarization{labels: make([]int8, n)}
	if n < 200 {
		return res // under 2 s of speech: nothing to split (all voice 1)
	}
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	res.mean, res.sd = normalise(x, n, d)

	// Background model, on at most 40,000 frames.
	step := max(1, n/40000)
	sub := make([]float32, 0, (n/step+1)*d)
	for t := 0; t < n; t += step {
		sub = append(sub, x[t*d:t*d+d]...)
	}
	ubm := trainGMM(sub, len(sub)/d, d, cfg.Components, 8, rng)

	// Chunks and their supervectors.
	chunk := max(20, int(cfg.Chunk/frame))
	var chunks []fspan
	for t := 0; t < n; {
		end := min(n, t+chunk)
		if n-end < chunk/2 {
			end = n
		}
		chunks = append(chunks, fspan{t, end})
		t = end
	}
	lp := make([]float64, ubm.k)
	split := func(sv []float64, dim int) []int8 {
		p := min(cfg.Dims, dim, len(chunks))
		emb := pca(sv, len(chunks), dim, p, rng)
		if cfg.PitchWeight > 0 {
			emb, p = addPitch(emb, len(chunks), p, pitch, chunks, cfg.PitchWeight)
		}
		cl := twoMeans(emb, len(chunks), p, false)
		if cfg.TwoGauss {
			cl = twoGauss(emb, len(chunks), p, cl)
		}
		labels := make([]int8, n)
		for c, sp := range chunks {
			for t := sp.from; t < sp.to; t++ {
				labels[t] = cl[c]
			}
		}
		return labels
	}
	minRun := max(1, int(cfg.MinTurn/frame))
	smooth := max(1, int(cfg.Smooth/frame))
	llr := make([]float64, n)
	// reseg refines labels in place.
	reseg := func(labels []int8) {
		for pass := 0; pass < max(1, cfg.Passes); pass++ {
			m0 := ubm.adapt(x, labels, 0, cfg.Relevance)
			m1 := ubm.adapt(x, labels, 1, cfg.Relevance)
			for t := 0; t < n; t++ {
				row := x[t*d : t*d+d]
				llr[t] = m1.logp(row, lp) - m0.logp(row, lp)
			}
			viterbi2(boxSmooth(llr, smooth), gap, minRun, cfg.Switch, labels)
		}
	}
	best := split(chunkStats(x, d, chunks), 2*d)
	reseg(best)
	res.labels = best
	var cnt [2]int
	for _, l := range res.labels {
		cnt[l]++
	}
	res.share = [2]float64{float64(cnt[0]) / float64(n), float64(cnt[1]) / float64(n)}
	// Confidence: Fisher's separation J of the two speakers' chunks
	// against what one voice split at its middle reaches with as many
	// chunks (about 3.5 for many; small samples read higher, ~3.5 +
	// 100/chunks on the development recordings), as r/(r+ConfidenceScale)
	// for the ratio r.
	res.separation = separation(chunkStats(x, d, chunks), 2*d, majority(chunks, best))
	r := res.separation / (3.5 + 100/float64(len(chunks)))
	res.confidence = r / (r + cfg.ConfidenceScale)
	return res
}

// majority labels each chunk by the majority of its frames' labels.
func majority(chunks []fspan, labels []int8) []int8 {
	out := make([]int8, len(chunks))
	for c, sp := range chunks {
		ones := 0
		for t := sp.from; t < sp.to; t++ {
			ones += int(labels[t])
		}
		if 2*ones > sp.to-sp.from {
			out[c] = 1
		}
	}
	return out
}

// separation measures how far apart two labelled sets of rows of e (n×p)
// lie: the rows projected on the line between the two sets' means,
// Fisher's ratio of the squared distance of the means to the sum of the
// variances along it. Splitting one voice at its middle gives about 3.5;
// two voices clearly apart give far more.
func separation(e []float64, p int, lab []int8) float64 {
	n := len(lab)
	var mean [2][]float64
	mean[0], mean[1] = make([]float64, p), make([]float64, p)
	var cnt [2]float64
	for c := 0; c < n; c++ {
		cnt[lab[c]]++
		for i := 0; i < p; i++ {
			mean[lab[c]][i] += e[c*p+i]
		}
	}
	if cnt[0] < 2 || cnt[1] < 2 {
		return 0
	}
	dir := make([]float64, p)
	var nn float64
	for i := range dir {
		mean[0][i] /= cnt[0]
		mean[1][i] /= cnt[1]
		dir[i] = mean[1][i] - mean[0][i]
		nn += dir[i] * dir[i]
	}
	nn = math.Sqrt(nn)
	if nn == 0 {
		return 0
	}
	var m, v [2]float64
	for c := 0; c < n; c++ {
		var q float64
		for i := 0; i < p; i++ {
			q += (e[c*p+i] - mean[0][i]) * dir[i] / nn
		}
		m[lab[c]] += q
		v[lab[c]] += q * q
	}
	for i := 0; i < 2; i++ {
		m[i] /= cnt[i]
		v[i] = v[i]/cnt[i] - m[i]*m[i]
	}
	return (m[1] - m[0]) * (m[1] - m[0]) / max(v[0]+v[1], 1e-9)
}

// chunkStats returns each chunk's mean and deviation per feature.
func chunkStats(x []float32, d int, chunks []fspan) []float64 {
	dim := 2 * d
	sv := make([]float64, len(chunks)*dim)
	for c, sp := range chunks {
		e := sv[c*dim : (c+1)*dim]
		for t := sp.from; t < sp.to; t++ {
			for i, v := range x[t*d : t*d+d] {
				e[i] += float64(v)
				e[d+i] += float64(v) * float64(v)
			}
		}
		m := float64(sp.to - sp.from)
		for i := 0; i < d; i++ {
			e[i] /= m
			e[d+i] = math.Sqrt(max(e[d+i]/m-e[i]*e[i], 0))
		}
	}
	return sv
}

// addPitch appends to each chunk's embedding its median log pitch over
// voiced frames (the call's median for a chunk with too few), scaled to
// the embeddings' spread times w.
func addPitch(emb []float64, n, p int, pitch []float32, spans []fspan, w float64) ([]float64, int) {
	med := make([]float64, n)
	var all []float64
	ok := make([]bool, n)
	for c, sp := range spans {
		var v []float64
		for t := sp.from; t < sp.to; t++ {
			if pitch[t] > 0 {
				v = append(v, math.Log(float64(pitch[t])))
			}
		}
		if len(v) >= 10 {
			slices.Sort(v)
			med[c], ok[c] = v[len(v)/2], true
			all = append(all, med[c])
		}
	}
	if len(all) < 2 {
		return emb, p
	}
	slices.Sort(all)
	mid := all[len(all)/2]
	var ss, es float64
	for _, v := range all {
		ss += (v - mid) * (v - mid)
	}
	sd := math.Sqrt(ss/float64(len(all))) + 1e-6
	for _, v := range emb {
		es += v * v
	}
	scale := w * math.Sqrt(es/float64(n)) // the embeddings' RMS length
	out := make([]float64, n*(p+1))
	for c := 0; c < n; c++ {
		copy(out[c*(p+1):], emb[c*p:c*p+p])
		if ok[c] {
			out[c*(p+1)+p] = scale * (med[c] - mid) / sd
		}
	}
	return out, p + 1
}

// fspan is a run of speech frames [from, to).
type fspan struct{ from, to int }

// normalise subtracts each column's mean and divides by its deviation.
// It returns the means and deviations, to undo it.
func normalise(x []float32, n, d int) (mean, sd []float64) {
	mean, sd = make([]float64, d), make([]float64, d)
	for i := 0; i < d; i++ {
		var s, ss float64
		for t := 0; t < n; t++ {
			v := float64(x[t*d+i])
			s += v
			ss += v * v
		}
		m := s / float64(n)
		dev := math.Sqrt(max(ss/float64(n)-m*m, 1e-6))
		for t := 0; t < n; t++ {
			x[t*d+i] = float32((float64(x[t*d+i]) - m) / dev)
		}
		mean[i], sd[i] = m, dev
	}
	return mean, sd
}

// pca projects the rows of x (n×d, centred here) on their top p principal
// directions (block power iteration on the covariance); p ≤ min(n, d).
func pca(x []float64, n, d, p int, rng *rand.Rand) []float64 {
	mean := make([]float64, d)
	for r := 0; r < n; r++ {
		for i := 0; i < d; i++ {
			mean[i] += x[r*d+i]
		}
	}
	for i := range mean {
		mean[i] /= float64(n)
	}
	for r := 0; r < n; r++ {
		for i := 0; i < d; i++ {
			x[r*d+i] -= mean[i]
		}
	}
	// V: d×p, random start; iterate V ← orth(Xᵀ X V).
	V := make([]float64, d*p)
	for i := range V {
		V[i] = rng.NormFloat64()
	}
	orth(V, d, p)
	XV := make([]float64, n*p)
	for it := 0; it < 12; it++ {
		matMul(x, V, XV, n, d, p)
		clear(V)
		for r := 0; r < n; r++ {
			row := x[r*d : r*d+d]
			xv := XV[r*p : r*p+p]
			for i, v := range row {
				vi := V[i*p : i*p+p]
				for j, w := range xv {
					vi[j] += v * w
				}
			}
		}
		orth(V, d, p)
	}
	matMul(x, V, XV, n, d, p)
	return XV
}

// matMul sets out (n×p) = x (n×d) · V (d×p).
func matMul(x, V, out []float64, n, d, p int) {
	clear(out)
	for r := 0; r < n; r++ {
		row := x[r*d : r*d+d]
		o := out[r*p : r*p+p]
		for i, v := range row {
			if v == 0 {
				continue
			}
			vi := V[i*p : i*p+p]
			for j, w := range vi {
				o[j] += v * w
			}
		}
	}
}

// orth orthonormalises the p columns of V (d×p) by Gram-Schmidt.
func orth(V []float64, d, p int) {
	for j := 0; j < p; j++ {
		for jj := 0; jj < j; jj++ {
			var dot float64
			for i := 0; i < d; i++ {
				dot += V[i*p+j] * V[i*p+jj]
			}
			for i := 0; i < d; i++ {
				V[i*p+j] -= dot * V[i*p+jj]
			}
		}
		var nn float64
		for i := 0; i < d; i++ {
			nn += V[i*p+j] * V[i*p+j]
		}
		nn = math.Sqrt(nn)
		if nn == 0 {
			continue
		}
		for i := 0; i < d; i++ {
			V[i*p+j] /= nn
		}
	}
}

// twoMeans splits the rows of e (n×p) in two: by the sign of the first
// column (the first principal direction), refined by k-means on the
// cosine of the length-normalised rows.
func twoMeans(e []float64, n, p int, cosine bool) []int8 {
	lab := make([]int8, n)
	for r := 0; r < n; r++ {
		if e[r*p] > 0 {
			lab[r] = 1
		}
	}
	u := make([]float64, n*p)
	for r := 0; r < n; r++ {
		var nn float64
		for j := 0; j < p; j++ {
			nn += e[r*p+j] * e[r*p+j]
		}
		nn = math.Sqrt(nn) + 1e-12
		if !cosine {
			nn = 1
		}
		for j := 0; j < p; j++ {
			u[r*p+j] = e[r*p+j] / nn
		}
	}
	c := make([]float64, 2*p)
	for it := 0; it < 20; it++ {
		clear(c)
		for r := 0; r < n; r++ {
			for j := 0; j < p; j++ {
				c[int(lab[r])*p+j] += u[r*p+j]
			}
		}
		var cnt [2]float64
		for r := 0; r < n; r++ {
			cnt[lab[r]]++
		}
		for j := 0; j < 2*p; j++ {
			c[j] /= max(cnt[j/p], 1)
		}
		changed := false
		for r := 0; r < n; r++ {
			var d0, d1 float64
			for j := 0; j < p; j++ {
				if cosine {
					d0 -= u[r*p+j] * c[j]
					d1 -= u[r*p+j] * c[p+j]
				} else {
					d0 += (u[r*p+j] - c[j]) * (u[r*p+j] - c[j])
					d1 += (u[r*p+j] - c[p+j]) * (u[r*p+j] - c[p+j])
				}
			}
			var l int8
			if d1 < d0 {
				l = 1
			}
			if l != lab[r] {
				lab[r], changed = l, true
			}
		}
		if !changed {
			break
		}
	}
	return lab
}

// twoGauss refines a two-way split of the rows of e (n×p) by EM on a
// mixture of two diagonal Gaussians, from lab: unlike k-means it lets one
// cluster be small and tight and the other large and spread.
func twoGauss(e []float64, n, p int, lab []int8) []int8 {
	out := slices.Clone(lab)
	var w [2]float64
	mu := [2][]float64{make([]float64, p), make([]float64, p)}
	va := [2][]float64{make([]float64, p), make([]float64, p)}
	resp := make([]float64, n) // posterior of cluster 1
	for r := range resp {
		resp[r] = float64(out[r])
	}
	for it := 0; it < 30; it++ {
		for c := 0; c < 2; c++ {
			clear(mu[c])
			clear(va[c])
			w[c] = 0
		}
		for r := 0; r < n; r++ {
			g := [2]float64{1 - resp[r], resp[r]}
			for c := 0; c < 2; c++ {
				w[c] += g[c]
				for j := 0; j < p; j++ {
					mu[c][j] += g[c] * e[r*p+j]
				}
			}
		}
		if w[0] < 2 || w[1] < 2 {
			return lab
		}
		for c := 0; c < 2; c++ {
			for j := range mu[c] {
				mu[c][j] /= w[c]
			}
		}
		for r := 0; r < n; r++ {
			g := [2]float64{1 - resp[r], resp[r]}
			for c := 0; c < 2; c++ {
				for j := 0; j < p; j++ {
					d := e[r*p+j] - mu[c][j]
					va[c][j] += g[c] * d * d
				}
			}
		}
		var tot float64
		for c := 0; c < 2; c++ {
			for j := range va[c] {
				va[c][j] = max(va[c][j]/w[c], 1e-6)
				tot += va[c][j]
			}
		}
		// A floor on the spread: a cluster may not collapse onto a few rows.
		floor := 0.05 * tot / float64(2*p)
		for c := 0; c < 2; c++ {
			for j := range va[c] {
				va[c][j] = max(va[c][j], floor)
			}
		}
		for r := 0; r < n; r++ {
			var ll [2]float64
			for c := 0; c < 2; c++ {
				ll[c] = math.Log(w[c] / float64(n))
				for j := 0; j < p; j++ {
					d := e[r*p+j] - mu[c][j]
					ll[c] -= 0.5 * (d*d/va[c][j] + math.Log(va[c][j]))
				}
			}
			resp[r] = 1 / (1 + math.Exp(ll[0]-ll[1]))
		}
	}
	for r := range out {
		out[r] = 0
		if resp[r] > 0.5 {
			out[r] = 1
		}
	}
	return out
}

// boxSmooth returns the running mean of x over a window of w frames.
func boxSmooth(x []float64, w int) []float64 {
	out := make([]float64, len(x))
	h := w / 2
	var s float64
	lo, hi := 0, 0
	for t := range x {
		for hi < len(x) && hi <= t+h {
			s += x[hi]
			hi++
		}
		for lo < t-h {
			s -= x[lo]
			lo++
		}
		out[t] = s / float64(hi-lo)
	}
	return out
}

// viterbi2 labels frames with two speakers from llr (log p(x|1) − log
// p(x|0) per frame), each turn lasting at least minRun frames (≤ 250) and
// a change costing sw; at a pause (gap[t]) a change costs a quarter and
// the turn after it has no minimum. Writes labels.
//
// State (s, c): speaker s, c frames into the turn, capped at minRun−1.
// Only the capped states have a choice of predecessor, so the back
// pointers take one byte per speaker per frame: 0 = from (s, minRun−2),
// 1 = from (s, minRun−1), 2+c = from (1−s, c) (a switch).
func viterbi2(llr []float64, gap []bool, minRun int, sw float64, labels []int8) {
	n := len(llr)
	if n == 0 {
		return
	}
	minRun = max(1, min(minRun, 250))
	last := minRun - 1
	inf := math.Inf(-1)
	score := [2][]float64{make([]float64, minRun), make([]float64, minRun)}
	next := [2][]float64{make([]float64, minRun), make([]float64, minRun)}
	back := make([]uint8, 2*n)
	for s := 0; s < 2; s++ {
		for c := range score[s] {
			score[s][c] = inf
		}
	}
	score[0][last] = -llr[0] / 2
	score[1][last] = llr[0] / 2
	for t := 1; t < n; t++ {
		e := [2]float64{-llr[t] / 2, llr[t] / 2}
		for s := 0; s < 2; s++ {
			o := 1 - s
			cur, nx := score[s], next[s]
			// Uncapped states advance one frame.
			for c := last; c >= 1; c-- {
				nx[c] = cur[c-1]
			}
			if minRun > 1 {
				nx[0] = inf
				if !gap[t] {
					nx[0] = score[o][last] - sw // a switch starts a turn
				}
			}
			// The capped state: stay, or a switch (at a pause from
			// anywhere in the other's turn, else only into c = 0 above,
			// unless minRun is 1).
			bestV, code := cur[last], uint8(1)
			if minRun > 1 && cur[last-1] > bestV {
				bestV, code = cur[last-1], 0
			}
			if gap[t] {
				for c, v := range score[o] {
					if v-sw/4 > bestV {
						bestV, code = v-sw/4, uint8(2+c)
					}
				}
			} else if minRun == 1 && score[o][0]-sw > bestV {
				bestV, code = score[o][0]-sw, 2
			}
			nx[last] = bestV
			back[2*t+s] = code
			for c := range nx {
				if nx[c] != inf {
					nx[c] += e[s]
				}
			}
		}
		score, next = next, score
	}
	s, c := 0, last
	if score[1][last] > score[0][last] {
		s = 1
	}
	for t := n - 1; t >= 0; t-- {
		labels[t] = int8(s)
		if t == 0 {
			break
		}
		switch {
		case c < last && c > 0:
			c--
		case c < last: // c == 0: a switch from the other's capped state
			s, c = 1-s, last
		default:
			switch code := back[2*t+s]; code {
			case 0:
				c = last - 1
			case 1:
			default:
				s, c = 1-s, int(code-2)
			}
		}
	}
}

// split divides the one-channel segments between two speakers: the stored
// frames inside them are diarized, frames without features (hangover,
// bridged pauses) take the label of the stored frame before them, and
// each segment is cut where the label changes. The pieces come back with
// Speaker1 and Speaker2, each speaker's bridged as the spec bridges.
//
// It also returns the speech frames' cepstra (n×diarFeat, normalised:
// d.mean and d.sd undo it) and pitch, for the voices' prints. The store's
// features are released: split runs once.
func (fs *featureStore) split(segs []Segment, frame, bridge time.Duration, cfg DiarizeConfig) ([2][]Segment, diarization, []float32, []float32) {
	var out [2][]Segment
	fr := func(d Dur) int32 { return int32(time.Duration(d) / frame) }
	// Stored frames inside segments, and where pauses fall.
	var idx []int
	var gap []bool
	j := 0
	prevSeg := -1
	for i, k := range fs.frame {
		for j < len(segs) && fr(segs[j].End) <= k {
			j++
		}
		if j == len(segs) {
			break
		}
		if k < fr(segs[j].Start) {
			continue
		}
		g := len(idx) == 0 || j != prevSeg || k-fs.frame[idx[len(idx)-1]] > 15
		idx = append(idx, i)
		gap = append(gap, g)
		prevSeg = j
	}
	x := make([]float32, len(idx)*diarFeat)
	pitch := make([]float32, len(idx))
	for t, i := range idx {
		pitch[t] = float32(fs.pitch[i]) / 10
		for c := 0; c < diarFeat; c++ {
			x[t*diarFeat+c] = float32(fs.c[i*diarFeat+c]) / featScale
		}
	}
	// The quantised store is read: free it before the split's working
	// memory grows (an hour of speech is 14 MB of it).
	fs.c, fs.pitch = nil, nil
	d := diarize(x, len(idx), gap, pitch, cfg, frame)
	// Walk the segments frame by frame.
	t := 0
	for _, s := range segs {
		a, b := fr(s.Start), fr(s.End)
		lab := int8(-1)
		runFrom := a
		for k := a; k < b; k++ {
			for t < len(idx) && fs.frame[idx[t]] < k {
				t++
			}
			l := lab
			if t < len(idx) && fs.frame[idx[t]] == k {
				l = d.labels[t]
			}
			if lab == -1 {
				// Frames before the segment's first stored one take its label.
				if l == -1 {
					if t < len(idx) {
						l = d.labels[t]
					} else {
						l = 0
					}
				}
				lab = l
			}
			if l != lab {
				out[lab] = append(out[lab], Segment{Start: Dur(time.Duration(runFrom) * frame), End: Dur(time.Duration(k) * frame)})
				lab, runFrom = l, k
			}
		}
		if lab >= 0 {
			out[lab] = append(out[lab], Segment{Start: Dur(time.Duration(runFrom) * frame), End: Dur(time.Duration(b) * frame)})
		}
	}
	for i := range out {
		out[i] = bridgeSegments(out[i], bridge)
	}
	return out, d, x, pitch
}

// bridgeSegments merges segments (in time order) whose gap is shorter
// than bridge.
func bridgeSegments(p []Segment, bridge time.Duration) []Segment {
	n := 0
	for _, s := range p {
		if n > 0 && s.Start.D()-p[n-1].End.D() < bridge {
			p[n-1].End = max(p[n-1].End, s.End)
			continue
		}
		p[n] = s
		n++
	}
	return p[:n]
}

// diarize splits a finished one-channel call's speech between two voices;
// ok is false for live snapshots, two-party calls and calls with too
// little speech to split (they stay Unattributed).
func (a *Analyzer) diarize(final bool, segs []Segment) (Diarization, bool) {
	if !final || a.layout != OneChannel || a.cep == nil || len(segs) == 0 {
		return Diarization{}, false
	}
	cfg := a.cfg.Diarize
	parts, d, x, pitch := a.feats.split(segs, a.cfg.Frame, a.cfg.BridgeGap, cfg)
	if len(d.labels) < 200 || d.mean == nil {
		return Diarization{}, false
	}
	out := Diarization{Confidence: d.confidence}
	out.Unsure = d.confidence < cfg.MinConfidence || min(d.share[0], d.share[1]) < cfg.MinShare
	for _, p := range parts {
		var talk time.Duration
		for _, s := range p {
			talk += s.Len()
		}
		out.Unsure = out.Unsure || talk < cfg.MinVoiceTalk
	}
	for i, p := range parts {
		sp := Speaker1
		if i == 1 {
			sp = Speaker2
		}
		for _, s := range p {
			s.Speaker = sp
			out.Split = append(out.Split, s)
		}
		out.Samples[i] = sampleSpan(p, 4*time.Second)
		out.Voices[i] = newVoicePrint(x, pitch, d.labels, int8(i), d.mean, d.sd)
	}
	slices.SortStableFunc(out.Split, func(a, b Segment) int { return int(a.Start - b.Start) })
	return out, true
}

// sampleSpan picks up to d of a voice to play: the middle of its longest
// segment.
func sampleSpan(p []Segment, d time.Duration) Span {
	var best Segment
	for _, s := range p {
		if s.Len() > best.Len() {
			best = s
		}
	}
	if best.Len() <= d {
		return Span{best.Start, best.End}
	}
	mid := best.Start + (best.End-best.Start)/2
	return Span{mid - Dur(d/2), mid + Dur(d/2)}
}
