package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// node is one attribute in the rendered form of Attributes: a scalar with
// its HCL-like text, or a block of nested nodes. Renderers diff and print
// trees; they never look at the typed attributes.
type node struct {
	name     string
	value    string
	block    bool
	children []node
}

func scalar(name, value string) node { return node{name: name, value: value} }
func str(name, v string) node        { return scalar(name, strconv.Quote(v)) }
func num(name string, v int64) node  { return scalar(name, strconv.FormatInt(v, 10)) }
func block(name string, children ...node) node {
	return node{name: name, block: true, children: children}
}

func list(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// tree returns the nodes of a's attributes, the sensitive ones redacted;
// nil for nil.
func (a *Attributes) tree() []node {
	if a == nil {
		return nil
	}
	return redactTree(a.plainTree(), a.Sensitive, "")
}

// plainTree returns the nodes of a's attributes as they are.
func (a *Attributes) plainTree() []node {
	switch {
	case a == nil:
		return nil
	case a.Link != nil:
		return linkTree(a.Link)
	case a.Company != nil:
		out := []node{str("id", a.Company.ID), str("name", a.Company.Name)}
		if a.Company.OwningTeam != "" {
			out = append(out, str("owning_team", a.Company.OwningTeam))
		}
		return out
	case a.Key != nil:
		return []node{str("table", a.Key.Table), scalar("columns", list(a.Key.Columns))}
	case a.Map != nil:
		return mapTree(a.Map)
	case a.Sequence != nil:
		return sequenceTree(a.Sequence)
	}
	return nil
}

func linkTree(l *LinkAttrs) []node {
	out := []node{str("finops", l.FinOps), str("dataverse", l.Dataverse)}
	for _, a := range l.Alerts {
		out = append(out, block(fmt.Sprintf("alert %q", a.Name),
			scalar("errors", list(a.Errors)), scalar("count", strconv.Itoa(a.Count)), str("within", a.Within),
			str("action", a.Action), scalar("recipients", list(a.Recipients))))
	}
	return out
}

func mapTree(m *MapAttrs) []node {
	out := []node{str("finops", m.FinOps), str("dataverse", m.Dataverse)}
	if m.Version != "" {
		out = append(out, str("version", m.Version))
	}
	out = append(out, str("state", m.State))
	var filters []node
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

func fieldNodes(f FieldAttrs) []node {
	out := []node{str("direction", f.Direction)}
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

func sequenceTree(s *SequenceAttrs) []node {
	var out []node
	if f := s.FinOps; f != nil {
		out = append(out, block("finops", str("code", f.Code), str("scope", f.Scope), str("company", f.Company),
			str("format", f.Format), num("smallest", f.Smallest), num("largest", f.Largest)))
	}
	if d := s.Dataverse; d != nil {
		kids := []node{str("table", d.Table), str("column", d.Column), str("format", d.Format)}
		if d.Seed != nil {
			kids = append(kids, num("seed", *d.Seed))
		}
		out = append(out, block("dataverse", kids...))
	}
	return out
}

// diffTrees compares two node lists by name and returns the changes and
// the number of unchanged nodes.
func diffTrees(before, after []node) ([]Change, int) {
	var out []Change
	unchanged := 0
	bm := map[string]node{}
	for _, n := range before {
		bm[n.name] = n
	}
	seen := map[string]bool{}
	for _, a := range after {
		seen[a.name] = true
		b, ok := bm[a.name]
		switch {
		case !ok:
			out = append(out, added(a, Create))
		case a.block && b.block:
			nested, same := diffTrees(b.children, a.children)
			if len(nested) == 0 {
				unchanged++
				continue
			}
			out = append(out, Change{Name: a.name, Kind: Update, Nested: nested, Unchanged: same})
		case a.value != b.value || a.block != b.block:
			bv, av := b.value, a.value
			out = append(out, Change{Name: a.name, Kind: Update, Before: &bv, After: &av})
		default:
			unchanged++
		}
	}
	for _, b := range before {
		if !seen[b.name] {
			out = append(out, added(b, Delete))
		}
	}
	return out, unchanged
}

// added describes a node that exists on one side only.
func added(n node, k Kind) Change {
	c := Change{Name: n.name, Kind: k}
	if n.block {
		for _, kid := range n.children {
			c.Nested = append(c.Nested, added(kid, k))
		}
		return c
	}
	v := n.value
	if k == Create {
		c.After = &v
	} else {
		c.Before = &v
	}
	return c
}
