package numbering

import (
	"errors"
	"slices"
	"sync"
)

// Limits of the exact search. Real formats stay far below them: the range
// automata have a few states per character. They only guard against formats
// built to blow up the subset construction.
const (
	nfaStateLimit     = 1 << 22
	dfaStateLimit     = 1 << 18
	productStateLimit = 1 << 21
)

var errTooComplex = errors.New("the formats are too complex to compare exactly " +
	"(the automata pass the state limit); simplify the {DATETIMEUTC} format")

// Language is the exact set of strings one generator can produce, as an
// automaton. Build one with FinOpsFormat.Language or AutoNumberFormat.Language.
type Language struct {
	raw    *nfa // the strings as generated
	folded *nfa // the same strings upper-cased (ASCII)

	mu      sync.Mutex
	members *dfa // raw, determinised as Contains needs it
}

func newLanguage(b *builder, f frag) *Language {
	raw := b.finish(f)
	return &Language{raw: raw, folded: fold(raw)}
}

// Witness is a value two generators can both produce.
type Witness struct {
	// Value is the colliding value, upper-cased: the applications compare keys
	// without regard to case, so 'us5000' and 'US5000' are one key.
	Value string
	// A and B are the value as each side produces it (equal to Value unless
	// a format has lower case literals).
	A, B string
}

// Intersect decides exactly whether two languages share a value (ignoring
// ASCII case). When they do, it returns the shortest such value, and among
// the shortest the byte-wise smallest. It walks the product of the two lazily
// determinised automata breadth first, visiting each state's successors in
// byte order, so the first accepting product state found carries that value.
func Intersect(a, b *Language) (Witness, bool, error) {
	value, ok, err := smallest(a.folded, b.folded)
	if err != nil || !ok {
		return Witness{}, false, err
	}
	return Witness{Value: value, A: realize(a.raw, value), B: realize(b.raw, value)}, true, nil
}

// Shortest returns the shortest (then smallest) value of the language, or
// false when the language is empty.
func (l *Language) Shortest() (string, bool, error) {
	return smallest(l.raw, l.raw)
}

// Contains reports whether the generator can produce s exactly (case
// sensitive).
func (l *Language) Contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.members == nil {
		l.members = newDFA(l.raw, newClasses(l.raw), dfaStateLimit)
	}
	return accepts(l.members, s)
}

type pnode struct {
	a, b   int32
	parent int32
	class  uint16
}

func smallest(x, y *nfa) (string, bool, error) {
	cls := newClasses(x, y)
	dx, dy := newDFA(x, cls, dfaStateLimit), newDFA(y, cls, dfaStateLimit)
	nodes := []pnode{{a: 0, b: 0, parent: -1}}
	index := map[uint64]int32{0: 0}
	for head := 0; head < len(nodes); head++ {
		n := nodes[head]
		if dx.accept[n.a] && dy.accept[n.b] {
			return spell(nodes, int32(head), cls), true, nil
		}
		for c := range cls.first {
			ta, err := dx.step(n.a, c)
			if err != nil {
				return "", false, err
			}
			if ta == dead {
				continue
			}
			tb, err := dy.step(n.b, c)
			if err != nil {
				return "", false, err
			}
			if tb == dead {
				continue
			}
			key := uint64(ta)<<32 | uint64(uint32(tb))
			if _, ok := index[key]; ok {
				continue
			}
			if len(nodes) >= productStateLimit {
				return "", false, errTooComplex
			}
			index[key] = int32(len(nodes))
			nodes = append(nodes, pnode{a: ta, b: tb, parent: int32(head), class: uint16(c)})
		}
	}
	return "", false, nil
}

func spell(nodes []pnode, at int32, cls *classes) string {
	var out []byte
	for ; nodes[at].parent >= 0; at = nodes[at].parent {
		out = append(out, cls.first[nodes[at].class])
	}
	slices.Reverse(out)
	return string(out)
}

// accepts runs the automaton on s.
func accepts(d *dfa, s string) bool {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		var err error
		if st, err = d.step(st, int(d.cls.of[s[i]])); err != nil || st == dead {
			return false
		}
	}
	return d.accept[st]
}

// realize finds a string the automaton accepts whose upper-cased form is
// folded, preferring the folded byte itself at each position. It returns ""
// when there is none.
func realize(n *nfa, folded string) string {
	type rnode struct{ state, parent, b int } // b is -1 for an epsilon move
	var nodes []rnode
	seen := map[int]bool{}
	add := func(layer []int, state, parent, b int) []int {
		if seen[state] {
			return layer
		}
		seen[state] = true
		nodes = append(nodes, rnode{state, parent, b})
		return append(layer, len(nodes)-1)
	}
	closeLayer := func(layer []int) []int {
		for i := 0; i < len(layer); i++ {
			for _, t := range n.states[nodes[layer[i]].state].eps {
				layer = add(layer, t, layer[i], -1)
			}
		}
		return layer
	}
	layer := closeLayer(add(nil, n.start, -1, -1))
	for i := 0; i < len(folded); i++ {
		clear(seen)
		var next []int
		for _, want := range spellings(folded[i]) {
			for _, id := range layer {
				for _, e := range n.states[nodes[id].state].edges {
					if e.lo <= want && want <= e.hi {
						next = add(next, e.to, id, int(want))
					}
				}
			}
		}
		layer = closeLayer(next)
	}
	for _, id := range layer {
		if nodes[id].state != n.accept {
			continue
		}
		var out []byte
		for ; id >= 0; id = nodes[id].parent {
			if nodes[id].b >= 0 {
				out = append(out, byte(nodes[id].b))
			}
		}
		slices.Reverse(out)
		return string(out)
	}
	return ""
}

// spellings returns the bytes whose upper case is c: c itself first.
func spellings(c byte) []byte {
	if c >= 'A' && c <= 'Z' {
		return []byte{c, c + 32}
	}
	return []byte{c}
}
