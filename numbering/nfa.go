package numbering

import (
	"slices"
	"strconv"
	"strings"
)

// byteRange is an inclusive range of bytes.
type byteRange struct{ lo, hi byte }

var (
	digitRange  = byteRange{'0', '9'}
	letterRange = byteRange{'A', 'Z'}
)

// edge is an NFA transition on any byte of its range.
type edge struct {
	byteRange
	to int
}

// nstate is one NFA state: byte transitions and epsilon moves.
type nstate struct {
	edges []edge
	eps   []int
}

// nfa is a nondeterministic automaton with one start and one accepting state,
// built Thompson style from fragments.
type nfa struct {
	states []nstate
	start  int
	accept int
}

// frag is a piece of an automaton under construction: paths from start to end
// spell the fragment's language.
type frag struct{ start, end int }

// builder builds fragments into one shared state table.
type builder struct {
	states []nstate
}

func (b *builder) state() int {
	b.states = append(b.states, nstate{})
	return len(b.states) - 1
}

func (b *builder) addEdge(from int, r byteRange, to int) {
	b.states[from].edges = append(b.states[from].edges, edge{r, to})
}

func (b *builder) addEps(from, to int) {
	b.states[from].eps = append(b.states[from].eps, to)
}

// finish turns the fragment into a complete automaton.
func (b *builder) finish(f frag) *nfa {
	return &nfa{states: b.states, start: f.start, accept: f.end}
}

// epsilon is the language holding only the empty string.
func (b *builder) epsilon() frag {
	s := b.state()
	return frag{s, s}
}

// none is the empty language.
func (b *builder) none() frag {
	return frag{b.state(), b.state()}
}

// lit is the language of one string.
func (b *builder) lit(s string) frag {
	start := b.state()
	cur := start
	for i := 0; i < len(s); i++ {
		next := b.state()
		b.addEdge(cur, byteRange{s[i], s[i]}, next)
		cur = next
	}
	return frag{start, cur}
}

// class is the language of the one-byte strings in any of the ranges.
func (b *builder) class(rs ...byteRange) frag {
	start, end := b.state(), b.state()
	for _, r := range rs {
		b.addEdge(start, r, end)
	}
	return frag{start, end}
}

// repeat is the language of n bytes, each from one of the ranges.
func (b *builder) repeat(n int, rs ...byteRange) frag {
	start := b.state()
	cur := start
	for range n {
		next := b.state()
		for _, r := range rs {
			b.addEdge(cur, r, next)
		}
		cur = next
	}
	return frag{start, cur}
}

// concat is the concatenation of the fragments' languages.
func (b *builder) concat(fs ...frag) frag {
	if len(fs) == 0 {
		return b.epsilon()
	}
	for i := 1; i < len(fs); i++ {
		b.addEps(fs[i-1].end, fs[i].start)
	}
	return frag{fs[0].start, fs[len(fs)-1].end}
}

// union is the union of the fragments' languages.
func (b *builder) union(fs ...frag) frag {
	start, end := b.state(), b.state()
	for _, f := range fs {
		b.addEps(start, f.start)
		b.addEps(f.end, end)
	}
	return frag{start, end}
}

// star is zero or more repetitions of the fragment's language.
func (b *builder) star(f frag) frag {
	s := b.state()
	b.addEps(s, f.start)
	b.addEps(f.end, s)
	return frag{s, s}
}

// strings is the finite language of the given strings, built as a trie so
// that it is deterministic however many strings there are.
func (b *builder) strings(ss []string) frag {
	start, end := b.state(), b.state()
	type key struct {
		state int
		c     byte
	}
	child := map[key]int{}
	for _, s := range ss {
		cur := start
		for i := 0; i < len(s); i++ {
			next, ok := child[key{cur, s[i]}]
			if !ok {
				next = b.state()
				child[key{cur, s[i]}] = next
				b.addEdge(cur, byteRange{s[i], s[i]}, next)
			}
			cur = next
		}
		if !slices.Contains(b.states[cur].eps, end) {
			b.addEps(cur, end)
		}
	}
	return frag{start, end}
}

// between is the language of the strings t with len(t) == len(lo), t[i] in
// alpha[i] for every i, and lo <= t <= hi byte-wise. lo and hi must have the
// same length as alpha and fit it. The automaton has at most three states per
// position: whether the prefix read so far still equals lo's, hi's, or neither.
func (b *builder) between(lo, hi string, alpha []byteRange) frag {
	end := b.state()
	type key struct {
		i      int
		tl, th bool
	}
	memo := map[key]int{}
	var node func(k key) int
	node = func(k key) int {
		if k.i == len(alpha) {
			return end
		}
		if s, ok := memo[k]; ok {
			return s
		}
		s := b.state()
		memo[k] = s
		first, last := alpha[k.i].lo, alpha[k.i].hi
		if k.tl {
			first = lo[k.i]
		}
		if k.th {
			last = hi[k.i]
		}
		if first > last {
			return s
		}
		midLo, midHi := int(first), int(last)
		if k.tl {
			b.addEdge(s, byteRange{first, first}, node(key{k.i + 1, true, k.th && first == last}))
			midLo++
		}
		if k.th && !(k.tl && first == last) {
			b.addEdge(s, byteRange{last, last}, node(key{k.i + 1, false, true}))
			midHi--
		}
		if midLo <= midHi {
			b.addEdge(s, byteRange{byte(midLo), byte(midHi)}, node(key{k.i + 1, false, false}))
		}
		return s
	}
	return frag{node(key{0, true, true}), end}
}

// decimal is the language of the decimal numbers in lo..hi (lo.. without end
// when bounded is false), each zero-padded to at least width digits.
func (b *builder) decimal(lo, hi uint64, bounded bool, width int) frag {
	loS, hiS := strconv.FormatUint(lo, 10), strconv.FormatUint(hi, 10)
	maxLen := max(width, len(loS))
	if bounded {
		maxLen = max(width, len(hiS))
	}
	var parts []frag
	for n := width; n <= maxLen; n++ {
		if len(loS) > n {
			continue
		}
		first := strings.Repeat("0", n)
		if n > width {
			first = "1" + strings.Repeat("0", n-1)
		}
		last := strings.Repeat("9", n)
		first = max(first, pad(loS, n))
		if bounded && len(hiS) <= n {
			last = min(last, pad(hiS, n))
		}
		if first <= last {
			parts = append(parts, b.between(first, last, digitsOf(n)))
		}
	}
	if !bounded {
		// Every number longer than maxLen digits is above lo.
		lead := b.class(byteRange{'1', '9'})
		parts = append(parts, b.concat(lead, b.repeat(maxLen, digitRange), b.star(b.class(digitRange))))
	}
	return b.union(parts...)
}

// pad left-pads a decimal string with zeros to n digits.
func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

func digitsOf(n int) []byteRange {
	rs := make([]byteRange, n)
	for i := range rs {
		rs[i] = digitRange
	}
	return rs
}
