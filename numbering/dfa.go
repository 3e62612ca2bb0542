package numbering

import (
	"encoding/binary"
	"slices"
)

// fold returns a copy of the automaton in which every transition on a lower
// case ASCII letter is a transition on its upper case letter, so that the
// folded automaton accepts the upper-cased strings of the original. Both
// applications compare keys case-insensitively (SQL Server's default
// collations), so collisions are decided on folded strings [I]. Only ASCII
// letters are folded: accented letters and trailing spaces, which those
// collations may also equate, are compared as written.
func fold(n *nfa) *nfa {
	out := &nfa{states: make([]nstate, len(n.states)), start: n.start, accept: n.accept}
	for i, s := range n.states {
		out.states[i].eps = s.eps
		for _, e := range s.edges {
			for _, r := range foldRange(e.byteRange) {
				out.states[i].edges = append(out.states[i].edges, edge{r, e.to})
			}
		}
	}
	return out
}

// foldRange splits r into ranges with its lower case letters made upper case.
func foldRange(r byteRange) []byteRange {
	lo, hi := max(r.lo, 'a'), min(r.hi, 'z')
	if lo > hi {
		return []byteRange{r}
	}
	var out []byteRange
	if r.lo < 'a' {
		out = append(out, byteRange{r.lo, 'a' - 1})
	}
	if r.hi > 'z' {
		out = append(out, byteRange{'z' + 1, r.hi})
	}
	return append(out, byteRange{lo - 32, hi - 32})
}

// classes partitions the bytes into intervals no transition of the given
// automata splits. Class i is the interval starting at first[i].
type classes struct {
	of    [256]uint16
	first []byte
}

func newClasses(ns ...*nfa) *classes {
	var cut [257]bool
	cut[0] = true
	for _, n := range ns {
		for _, s := range n.states {
			for _, e := range s.edges {
				cut[e.lo] = true
				cut[int(e.hi)+1] = true
			}
		}
	}
	c := &classes{}
	for b := range 256 {
		if cut[b] {
			c.first = append(c.first, byte(b))
		}
		c.of[b] = uint16(len(c.first) - 1)
	}
	return c
}

// dfa is the subset construction of an NFA, built lazily as the product
// search asks for transitions.
type dfa struct {
	n      *nfa
	cls    *classes
	sets   [][]int32
	accept []bool
	next   [][]int32 // per state and class: unknown (-2), dead (-1) or a state
	index  map[string]int32
	limit  int
	mark   []uint32 // closure's visited marks, valid when equal to gen
	gen    uint32
}

const (
	unknown = -2
	dead    = -1
)

func newDFA(n *nfa, cls *classes, limit int) *dfa {
	d := &dfa{n: n, cls: cls, index: map[string]int32{}, limit: limit}
	d.intern(d.closure([]int32{int32(n.start)}))
	return d
}

// closure returns the sorted epsilon closure of the states.
func (d *dfa) closure(states []int32) []int32 {
	if d.mark == nil {
		d.mark = make([]uint32, len(d.n.states))
	}
	d.gen++
	stack := slices.Clone(states)
	var out []int32
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if d.mark[s] == d.gen {
			continue
		}
		d.mark[s] = d.gen
		out = append(out, s)
		for _, t := range d.n.states[s].eps {
			stack = append(stack, int32(t))
		}
	}
	slices.Sort(out)
	return out
}

// intern returns the DFA state for a closed set, adding it if new. It
// returns dead for the empty set and errTooComplex past the state limit.
func (d *dfa) intern(set []int32) (int32, error) {
	if len(set) == 0 {
		return dead, nil
	}
	key := make([]byte, 4*len(set))
	for i, s := range set {
		binary.LittleEndian.PutUint32(key[4*i:], uint32(s))
	}
	if id, ok := d.index[string(key)]; ok {
		return id, nil
	}
	if len(d.sets) >= d.limit {
		return dead, errTooComplex
	}
	id := int32(len(d.sets))
	d.index[string(key)] = id
	d.sets = append(d.sets, set)
	d.accept = append(d.accept, slices.Contains(set, int32(d.n.accept)))
	row := make([]int32, len(d.cls.first))
	for i := range row {
		row[i] = unknown
	}
	d.next = append(d.next, row)
	return id, nil
}

// step returns the state reached from s on class c.
func (d *dfa) step(s int32, c int) (int32, error) {
	if t := d.next[s][c]; t != unknown {
		return t, nil
	}
	b := d.cls.first[c]
	var targets []int32
	for _, q := range d.sets[s] {
		for _, e := range d.n.states[q].edges {
			if e.lo <= b && b <= e.hi {
				targets = append(targets, int32(e.to))
			}
		}
	}
	t, err := d.intern(d.closure(targets))
	if err != nil {
		return dead, err
	}
	d.next[s][c] = t
	return t, nil
}
