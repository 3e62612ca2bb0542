package graph

import (
	"slices"
	"strings"
)

// Deps returns the direct dependencies of a node.
type Deps func(node string) []string

// Graph is a graph built node by node.
type Graph struct {
	nodes map[string]bool
	deps  map[string]map[string]bool
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{nodes: map[string]bool{}, deps: map[string]map[string]bool{}}
}

// Add adds a node.
func (g *Graph) Add(n string) { g.nodes[n] = true }

// Connect records that from depends on to.
func (g *Graph) Connect(from, to string) {
	g.Add(from)
	g.Add(to)
	if g.deps[from] == nil {
		g.deps[from] = map[string]bool{}
	}
	g.deps[from][to] = true
}

// Nodes returns every node, sorted.
func (g *Graph) Nodes() []string { return sortedKeys(g.nodes) }

// Dependencies returns what n depends on directly, sorted.
func (g *Graph) Dependencies(n string) []string { return sortedKeys(g.deps[n]) }

// Cycles returns each dependency cycle of g once, starting at its smallest node.
func (g *Graph) Cycles() [][]string { return Cycles(g.Nodes(), g.Dependencies) }

// Order returns nodes so that each comes after its dependencies: a depth-first walk of nodes in
// the order given, dependencies first. Dependencies that are not among nodes are left out; a node on
// a cycle comes after the others of its cycle that the walk reached first.
func Order(nodes []string, deps Deps) []string {
	in := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	done := make(map[string]bool, len(nodes))
	out := make([]string, 0, len(nodes))
	var visit func(n string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, d := range deps(n) {
			if in[d] {
				visit(d)
			}
		}
		out = append(out, n)
	}
	for _, n := range nodes {
		visit(n)
	}
	return out
}

// Reaches reports whether from depends on to, directly or not.
func Reaches(deps Deps, from, to string) bool {
	seen := map[string]bool{}
	var walk func(n string) bool
	walk = func(n string) bool {
		if n == to {
			return true
		}
		if seen[n] {
			return false
		}
		seen[n] = true
		return slices.ContainsFunc(deps(n), walk)
	}
	return walk(from)
}

// Closure returns roots and everything they depend on, directly or not.
func Closure(deps Deps, roots ...string) map[string]bool {
	out := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		if out[n] {
			return
		}
		out[n] = true
		for _, d := range deps(n) {
			visit(d)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return out
}

// Cycles returns each cycle among nodes once, as the list of its nodes starting at the smallest.
func Cycles(nodes []string, deps Deps) [][]string {
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
		for _, d := range deps(n) {
			switch colour[d] {
			case white:
				visit(d)
			case grey:
				c := cycleFrom(stack, d)
				if key := strings.Join(c, "\x00"); !seen[key] {
					seen[key] = true
					cycles = append(cycles, c)
				}
			}
		}
		stack = stack[:len(stack)-1]
		colour[n] = black
	}
	for _, n := range nodes {
		if colour[n] == white {
			visit(n)
		}
	}
	return cycles
}

// cycleFrom cuts the cycle that starts at start out of the walk's stack and rotates it to begin at
// its smallest node.
func cycleFrom(stack []string, start string) []string {
	i := len(stack) - 1
	for stack[i] != start {
		i--
	}
	c := slices.Clone(stack[i:])
	low := 0
	for j := range c {
		if c[j] < c[low] {
			low = j
		}
	}
	return append(c[low:], c[:low]...)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
