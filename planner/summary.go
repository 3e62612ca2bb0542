package planner

import (
	"fmt"
	"strconv"
)

// Summary counts a plan the way its last line reads: objects to add,
// change and destroy, and data operations with their rows.
type Summary struct {
	Add            int   `json:"add"`
	Change         int   `json:"change"`
	Destroy        int   `json:"destroy"`
	DataOperations int   `json:"data_operations"`
	Rows           int64 `json:"rows"`
	Destructive    int   `json:"destructive"`
	// Manual counts the steps to take by hand (see Manual).
	Manual int `json:"manual,omitempty"`
}

// Summarize counts p. An object counts once: replaced objects count as one
// to add and one to destroy; any other change (an update, a new version, a
// transition) as one to change.
func (p *Plan) Summarize() Summary {
	var s Summary
	seen := map[string]Kind{}
	var order []string
	for _, a := range p.Actions {
		if a.Destructive {
			s.Destructive++
		}
		if a.Manual != nil {
			s.Manual++
		}
		if a.Kind.IsData() {
			s.DataOperations++
			s.Rows += a.Rows
			continue
		}
		prev, ok := seen[a.Address]
		if !ok {
			order = append(order, a.Address)
		}
		seen[a.Address] = strongest(prev, a.Kind)
	}
	for _, addr := range order {
		switch seen[addr] {
		case Create:
			s.Add++
		case Replace:
			s.Add++
			s.Destroy++
		case Delete, Reset:
			s.Destroy++
		default:
			s.Change++
		}
	}
	return s
}

// strongest returns the kind that describes an object best when it has
// several actions: a removal, a replace or a creation beats transitions.
func strongest(a, b Kind) Kind {
	order := map[Kind]int{Delete: 5, Reset: 5, Replace: 4, Create: 3}
	if order[b] > order[a] {
		return b
	}
	if a == "" {
		return b
	}
	return a
}

// String is the summary line: "Plan: 2 to add, 1 to change, 0 to destroy;
// 2 data operations (1,207 rows)."
func (s Summary) String() string {
	out := fmt.Sprintf("Plan: %d to add, %d to change, %d to destroy", s.Add, s.Change, s.Destroy)
	if s.DataOperations > 0 {
		ops := "operations"
		if s.DataOperations == 1 {
			ops = "operation"
		}
		out += fmt.Sprintf("; %d data %s (%s rows)", s.DataOperations, ops, Thousands(s.Rows))
	}
	switch {
	case s.Manual > 0:
		out += "; " + Plural(s.Manual, "step") + " to take by hand"
	}
	return out + "."
}

// IsEmpty reports whether the plan changes nothing.
func (p *Plan) IsEmpty() bool { return len(p.Actions) == 0 }

// Thousands formats n with comma separators: 1207 → "1,207".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
