package mapping

import (
	"strings"

	"github.com/dwctl/dwctl/filter"
)

// Side is one app of a pair.
type Side int

// The two sides.
const (
	FinOps Side = iota + 1
	Dataverse
)

// KeyOf renders the integration-key value of a row: the key fields' values as text, lower case,
// joined; "" when a part is empty (such a row matches nothing). Rows of both sides match when their
// key values are equal (F&O rows through ToDataverse, whose output carries the key columns).
func KeyOf(key []string, row filter.Row) string {
	parts := make([]string, len(key))
	for i, f := range key {
		v, _ := row.Value(f)
		parts[i] = strings.ToLower(strings.TrimSpace(text(v)))
		if parts[i] == "" {
			return ""
		}
	}
	return strings.Join(parts, "\x1f")
}

// ForUpdate returns the values of out — columns transformed for target — that an initial sync
// writes to a row target already has. When target is the master its values win where both sides
// have the row [D]: the fields mapped both ways are dropped, except the key fields and the company
// column, which identify the row. Otherwise out is returned whole.
func (c *Compiled) ForUpdate(out map[string]any, target, master Side, key []string) map[string]any {
	if target != master {
		return out
	}
	both := map[string]bool{}
	for _, f := range c.m.Fields {
		if f.Direction == Both {
			both[strings.ToLower(f.FinOps)], both[strings.ToLower(f.Dataverse)] = true, true
		}
	}
	keep := map[string]bool{strings.ToLower(c.m.FinOpsCompany): true, strings.ToLower(c.m.DataverseCompany): true}
	for _, k := range key {
		keep[strings.ToLower(k)] = true
	}
	res := make(map[string]any, len(out))
	for k, v := range out {
		if !both[strings.ToLower(k)] || keep[strings.ToLower(k)] {
			res[k] = v
		}
	}
	return res
}
