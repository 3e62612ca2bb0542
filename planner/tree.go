package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Node is one attribute in the rendered form of Attributes: a scalar with
// its HCL-like text, or a block of nested nodes. Renderers diff and print
// trees; they never look at the typed attributes.
type Node struct {
	Name     string
	Value    string
	Block    bool
	Children []Node
}

func scalar(name, value string) Node { return Node{Name: name, Value: value} }
func str(name, v string) Node        { return scalar(name, strconv.Quote(v)) }
func num(name string, v int64) Node  { return scalar(name, strconv.FormatInt(v, 10)) }
func block(name string, children ...Node) Node {
	return Node{Name: name, Block: true, Children: children}
}

func list(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Tree returns the nodes of a's attributes, the sensitive ones redacted;
// nil for nil.
func (a *Attributes) Tree() []Node {
	if a == nil {
		return nil
	}
	return redactTree(a.plainTree(), a.Sensitive, "")
}

// plainTree returns the nodes of a's attributes as they are.
func (a *Attributes) plainTree() []Node {
	switch {
	case a == nil:
		return nil
	case a.Link != nil:
		return linkTree(a.Link)
	case a.Company != nil:
		out := []Node{str("id", a.Company.ID), str("name", a.Company.Name)}
		if a.Company.OwningTeam != "" {
			out = append(out, str("owning_team", a.Company.OwningTeam))
		}
		return out
	case a.Key != nil:
		return []Node{str("table", a.Key.Table), scalar("columns", list(a.Key.Columns))}
	case a.Map != nil:
		return mapTree(a.Map)
	case a.Sequence != nil:
		return sequenceTree(a.Sequence)
	}
	return nil
}

func linkTree(l *LinkAttrs) []Node {
	out := []Node{str("finops", l.FinOps), str("dataverse", l.Dataverse)}
	for _, a := range l.Alerts {
		out = append(out, block(fmt.Sprintf("alert %q", a.Name),
			scalar("errors", list(a.Errors)), scalar("count", strconv.Itoa(a.Count)), str("within", a.Within),
			str("action", a.Action), scalar("recipients", list(a.Recipients))))
	}
	return out
}

func mapTree(m *MapAttrs) []Node {
	out := []Node{str("finops", m.FinOps), str("dataverse", m.Dataverse)}
	if m.Version != "" {
		out = append(out, str("version", m.Version))
	}
	out = append(out, str("state", m.State))
	var filters []Node
	if m.FinOpsFilter != "" {
		filters = append(filters, str("finops", m.FinOpsFilter))
	}
	if m.DataverseFilter != "" {
		filters = append(filters, str("dataverse", m.DataverseFilter))
	}
	if len(filters) > 0 {
		out = append(out, block("filter", filters...))
	}
	for _, f := range m.Fields {
		out = append(out, block(fmt.Sprintf("field %q %q", f.FinOps, f.Dataverse), fieldNodes(f)...))
	}
	return out
}

func fieldNodes(f FieldAttrs) []Node {
	out := []Node{str("direction", f.Direction)}
	if len(f.ValueMap) > 0 {
		keys := make([]string, 0, len(f.ValueMap))
		for k := range f.ValueMap {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + strconv.Quote(f.ValueMap[k])
		}
		out = append(out, scalar("value_map", "{ "+strings.Join(parts, ", ")+" }"))
	}
	if f.Default != nil {
		out = append(out, str("default", *f.Default))
	}
	return out
}

func sequenceTree(s *SequenceAttrs) []Node {
	var out []Node
	if f := s.FinOps; f != nil {
		out = append(out, block("finops", str("code", f.Code), str("scope", f.Scope), str("company", f.Company),
			str("format", f.Format), num("smallest", f.Smallest), num("largest", f.Largest)))
	}
	if d := s.Dataverse; d != nil {
		kids := []Node{str("table", d.Table), str("column", d.Column), str("format", d.Format)}
		if d.Seed != nil {
			kids = append(kids, num("seed", *d.Seed))
		}
		out = append(out, block("dataverse", kids...))
	}
	return out
}

// diffTrees compares two node lists by name and returns the changes and
// the number of unchanged nodes.
func diffTrees(before, after []Node) ([]Change, int) {
	var out []Change
	unchanged := 0
	bm := map[string]Node{}
	for _, n := range before {
		bm[n.Name] = n
	}
	seen := map[string]bool{}
	for _, a := range after {
		seen[a.Name] = true
		b, ok := bm[a.Name]
		switch {
		case !ok:
			out = append(out, added(a, Create))
		case a.Block && b.Block:
			nested, same := diffTrees(b.Children, a.Children)
			if len(nested) == 0 {
				unchanged++
				continue
			}
			out = append(out, Change{Name: a.Name, Kind: Update, Nested: nested, Unchanged: same})
		case a.Value != b.Value || a.Block != b.Block:
			bv, av := b.Value, a.Value
			out = append(out, Change{Name: a.Name, Kind: Update, Before: &bv, After: &av})
		default:
			unchanged++
		}
	}
	for _, b := range before {
		if !seen[b.Name] {
			out = append(out, added(b, Delete))
		}
	}
	return out, unchanged
}

// added describes a node that exists on one side only.
func added(n Node, k Kind) Change {
	c := Change{Name: n.Name, Kind: k}
	if n.Block {
		for _, kid := range n.Children {
			c.Nested = append(c.Nested, added(kid, k))
		}
		return c
	}
	v := n.Value
	if k == Create {
		c.After = &v
	} else {
		c.Before = &v
	}
	return c
}
