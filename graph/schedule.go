package graph

// Schedule hands out the nodes of a graph as their dependencies finish, in the order the nodes were
// given whenever several are ready. It is not safe for concurrent use.
type Schedule struct {
	index    map[string]int
	waiting  []int   // dependencies not finished, per node
	children [][]int // nodes that depend on each
	ready    []int   // runnable, in node order
}

// NewSchedule plans nodes; dependencies that are not among nodes are taken as finished.
func NewSchedule(nodes []string, deps Deps) *Schedule {
	s := &Schedule{index: make(map[string]int, len(nodes)), waiting: make([]int, len(nodes)), children: make([][]int, len(nodes))}
	for i, n := range nodes {
		s.index[n] = i
	}
	for i, n := range nodes {
		for _, d := range deps(n) {
			if j, ok := s.index[d]; ok {
				s.waiting[i]++
				s.children[j] = append(s.children[j], i)
			}
		}
		if s.waiting[i] == 0 {
			s.ready = append(s.ready, i)
		}
	}
	return s
}

// Ready reports whether a node can be taken.
func (s *Schedule) Ready() bool { return len(s.ready) > 0 }

// Next takes the first ready node, as its index among the nodes given.
func (s *Schedule) Next() int {
	i := s.ready[0]
	s.ready = s.ready[1:]
	return i
}

// Done records that node i finished: the nodes that waited only for it become ready.
func (s *Schedule) Done(i int) {
	for _, c := range s.children[i] {
		if s.waiting[c]--; s.waiting[c] == 0 {
			s.insertReady(c)
		}
	}
}

// Dependents returns the nodes that depend on node i, directly.
func (s *Schedule) Dependents(i int) []int { return s.children[i] }

// insertReady keeps the ready list in node order.
func (s *Schedule) insertReady(i int) {
	at := len(s.ready)
	for k, j := range s.ready {
		if j > i {
			at = k
			break
		}
	}
	s.ready = append(s.ready[:at], append([]int{i}, s.ready[at:]...)...)
}
