# Prints a TextGrid as Praat reads it: one "grid" line (duration, tiers),
# then per tier a "tier" line (number, kind, items, name) and an "item"
# line per interval or point (tier, start, end, label). Used by the
# interchange tests: praat --run read_textgrid.praat FILE
form Read a TextGrid
	sentence Path
endform
tg = Read from file: path$
n = Get number of tiers
d = Get total duration
writeInfoLine: "grid", tab$, fixed$(d, 6), tab$, n
for t from 1 to n
	name$ = Get tier name: t
	isint = Is interval tier: t
	if isint
		m = Get number of intervals: t
		appendInfoLine: "tier", tab$, t, tab$, "interval", tab$, m, tab$, name$
		for i from 1 to m
			lab$ = Get label of interval: t, i
			s = Get start time of interval: t, i
			en = Get end time of interval: t, i
			appendInfoLine: "item", tab$, t, tab$, fixed$(s, 6), tab$, fixed$(en, 6), tab$, lab$
		endfor
	else
		m = Get number of points: t
		appendInfoLine: "tier", tab$, t, tab$, "point", tab$, m, tab$, name$
		for i from 1 to m
			lab$ = Get label of point: t, i
			p = Get time of point: t, i
			appendInfoLine: "item", tab$, t, tab$, fixed$(p, 6), tab$, fixed$(p, 6), tab$, lab$
		endfor
	endif
endfor
