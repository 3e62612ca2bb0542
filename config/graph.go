package config

import "sort"

// Graph is the dependency graph of a configuration's objects, by address.
// An edge a → b means a depends on b (b must exist or run first).
type Graph struct {
	nodes map[string]bool
	deps  map[string]map[string]bool
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{nodes: map[string]bool{}, deps: map[string]map[string]bool{}}
}

// Add adds a node.
func (g *Graph) Add(addr string) { g.nodes[addr] = true }

// Connect records that from depends on to.
func (g *Graph) Connect(from, to string) {
	g.Add(from)
	g.Add(to)
	if g.deps[from] == nil {
		g.deps[from] = map[string]bool{}
	}
	g.deps[from][to] = true
}

// Nodes returns every address, sorted.
func (g *Graph) Nodes() []string { return sortedKeys(g.nodes) }

// Dependencies returns what addr depends on directly, sorted.
func (g *Graph) Dependencies(addr string) []string { return sortedKeys(g.deps[addr]) }

// Order returns the addresses so that every node comes after its
// dependencies; ties are broken by address. Nodes on a cycle are returned
// last, in address order, and also reported by Cycles.
func (g *Graph) Order() []string {
	indeg := map[string]int{}
	users := map[string][]string{}
	for n := range g.nodes {
		indeg[n] += 0
		for d := range g.deps[n] {
			indeg[n]++
			users[d] = append(users[d], n)
		}
	}
	var ready, out []string
	for n, d := range indeg {
		if d == 0 {
			ready = append(ready, n)
		}
	}
	done := map[string]bool{}
	for len(ready) > 0 {
		sort.Strings(ready)
		n := ready[0]
		ready = ready[1:]
		out = append(out, n)
		done[n] = true
		for _, u := range users[n] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	for _, n := range g.Nodes() {
		if !done[n] {
			out = append(out, n)
		}
	}
	return out
}

// Cycles returns each dependency cycle once, as the list of its addresses
// starting at the smallest one.
func (g *Graph) Cycles() [][]string {
	const (
		white = iota
		grey
		black
	)
	colour := map[string]int{}
	var stack []string
	var cycles [][]string
	seen := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		colour[n] = grey
		stack = append(stack, n)
		for _, d := range g.Dependencies(n) {
			switch colour[d] {
			case white:
				visit(d)
			case grey:
				c := cycleFrom(stack, d)
				key := joinKey(c)
				if !seen[key] {
					seen[key] = true
					cycles = append(cycles, c)
				}
			}
		}
		stack = stack[:len(stack)-1]
		colour[n] = black
	}
	for _, n := range g.Nodes() {
		if colour[n] == white {
			visit(n)
		}
	}
	return cycles
}

func cycleFrom(stack []string, start string) []string {
	i := len(stack) - 1
	for stack[i] != start {
		i--
	}
	c := append([]string(nil), stack[i:]...)
	min := 0
	for j := range c {
		if c[j] < c[min] {
			min = j
		}
	}
	return append(c[min:], c[:min]...)
}

func joinKey(c []string) string {
	k := ""
	for _, s := range c {
		k += s + "\x00"
	}
	return k
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
