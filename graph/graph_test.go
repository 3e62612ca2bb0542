package graph

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// edges is a graph given as a map from a node to its dependencies.
type edges map[string][]string

func (e edges) deps(n string) []string { return e[n] }

func TestOrder(t *testing.T) {
	cases := map[string]struct {
		nodes []string
		deps  edges
		want  []string
	}{
		"chain":           {[]string{"c", "b", "a"}, edges{"c": {"b"}, "b": {"a"}}, []string{"a", "b", "c"}},
		"given order":     {[]string{"x", "y", "z"}, edges{}, []string{"x", "y", "z"}},
		"diamond":         {[]string{"d", "b", "c", "a"}, edges{"d": {"b", "c"}, "b": {"a"}, "c": {"a"}}, []string{"a", "b", "c", "d"}},
		"outside dropped": {[]string{"b"}, edges{"b": {"a"}}, []string{"b"}},
		"cycle":           {[]string{"a", "b"}, edges{"a": {"b"}, "b": {"a"}}, []string{"b", "a"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Order(tc.nodes, tc.deps.deps)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReachesAndClosure(t *testing.T) {
	g := edges{"a": {"b"}, "b": {"c"}, "x": {"a"}, "c": {"a"}}
	for _, tc := range []struct {
		from, to string
		want     bool
	}{{"a", "c", true}, {"x", "c", true}, {"c", "x", false}, {"c", "b", true}, {"b", "b", true}} {
		if got := Reaches(g.deps, tc.from, tc.to); got != tc.want {
			t.Errorf("Reaches(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	want := map[string]bool{"a": true, "b": true, "c": true}
	if diff := cmp.Diff(want, Closure(g.deps, "b")); diff != "" {
		t.Errorf("Closure(b) (-want +got):\n%s", diff)
	}
}

func TestGraphCycles(t *testing.T) {
	g := New()
	g.Connect("table_map.b", "table_map.a")
	g.Connect("table_map.a", "table_map.c")
	g.Connect("table_map.c", "table_map.b")
	g.Connect("table_map.d", "link.main")
	g.Connect("table_map.e", "table_map.e")
	want := [][]string{{"table_map.a", "table_map.c", "table_map.b"}, {"table_map.e"}}
	if diff := cmp.Diff(want, g.Cycles()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"link.main"}, g.Dependencies("table_map.d")); diff != "" {
		t.Errorf("Dependencies (-want +got):\n%s", diff)
	}
}

// TestSchedule runs a graph as the applier does: a node starts when its dependencies are done, ready
// nodes in the order given.
func TestSchedule(t *testing.T) {
	nodes := []string{"link", "company", "key", "map", "sync"}
	deps := edges{"company": {"link"}, "key": {"link"}, "map": {"key", "company"}, "sync": {"map"}, "link": {"elsewhere"}}
	s := NewSchedule(nodes, deps.deps)
	var order []string
	for s.Ready() {
		i := s.Next()
		order = append(order, nodes[i])
		s.Done(i)
	}
	if diff := cmp.Diff(nodes, order); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	s = NewSchedule(nodes, deps.deps)
	s.Next()
	s.Done(0)
	if got := []int{s.Next(), s.Next()}; !cmp.Equal(got, []int{1, 2}) || s.Ready() {
		t.Errorf("after link: took %v, ready %v; want company and key, then nothing until both are done", got, s.Ready())
	}
	if diff := cmp.Diff([]int{3}, s.Dependents(1)); diff != "" {
		t.Errorf("Dependents (-want +got):\n%s", diff)
	}
}
