package planner

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// SensitiveText is what renderers print for a value that came from a
// sensitive value.
const SensitiveText = "(sensitive value)"

// indexedPath reads a configuration path with an index, such as
// "field[2]/default" or "alert[0]/recipients".
var indexedPath = regexp.MustCompile(`^(field|alert)\[(\d+)\]/(.+)$`)

// treePaths translates the sensitive attribute paths config records into
// the paths of the attribute tree: an indexed block becomes the block's
// name in the tree (field "CUSTOMERACCOUNT" "accountnumber", alert
// "outage"); name gives it for an index.
func treePaths(paths []string, name func(kind string, i int) (string, bool)) []string {
	var out []string
	for _, p := range paths {
		m := indexedPath.FindStringSubmatch(p)
		if m == nil {
			out = append(out, p)
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if n, ok := name(m[1], i); ok {
			out = append(out, n+"/"+m[3])
		}
	}
	return out
}

func fieldNodeName(f FieldAttrs) string { return fmt.Sprintf("field %q %q", f.FinOps, f.Dataverse) }

func alertNodeName(a AlertAttrs) string { return fmt.Sprintf("alert %q", a.Name) }

// redactTree replaces the values at sensitive paths (and everything under
// a sensitive block) with SensitiveText.
func redactTree(nodes []Node, sensitive []string, prefix string) []Node {
	if len(sensitive) == 0 {
		return nodes
	}
	out := make([]Node, len(nodes))
	for i, n := range nodes {
		path := prefix + n.Name
		switch {
		case n.Block:
			n.Children = redactTree(n.Children, sensitive, path+"/")
		case isSensitive(sensitive, path):
			n.Value = SensitiveText
		}
		out[i] = n
	}
	return out
}

func isSensitive(paths []string, path string) bool {
	for _, p := range paths {
		if p == path || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// Redacted returns a copy of a whose sensitive attributes read
// SensitiveText, for output that shows attributes whole (JSON).
func (a *Attributes) Redacted() *Attributes {
	if a == nil || len(a.Sensitive) == 0 {
		return a
	}
	c := *a
	s := a.Sensitive
	red := func(path string, v *string) {
		if isSensitive(s, path) && *v != "" {
			*v = SensitiveText
		}
	}
	switch {
	case a.Company != nil:
		co := *a.Company
		red("name", &co.Name)
		red("owning_team", &co.OwningTeam)
		c.Company = &co
	case a.Key != nil:
		k := *a.Key
		if isSensitive(s, "columns") {
			k.Columns = []string{SensitiveText}
		}
		c.Key = &k
	case a.Link != nil:
		l := *a.Link
		l.Alerts = append([]AlertAttrs(nil), l.Alerts...)
		for i := range l.Alerts {
			if isSensitive(s, alertNodeName(l.Alerts[i])+"/recipients") {
				l.Alerts[i].Recipients = []string{SensitiveText}
			}
		}
		c.Link = &l
	case a.Map != nil:
		m := *a.Map
		red("finops", &m.FinOps)
		red("dataverse", &m.Dataverse)
		red("version", &m.Version)
		red("filter/finops", &m.FinOpsFilter)
		red("filter/dataverse", &m.DataverseFilter)
		m.Fields = append([]FieldAttrs(nil), m.Fields...)
		for i, f := range m.Fields {
			base := fieldNodeName(f) + "/"
			if f.Default != nil && isSensitive(s, base+"default") {
				v := SensitiveText
				m.Fields[i].Default = &v
			}
			if len(f.ValueMap) > 0 && isSensitive(s, base+"value_map") {
				m.Fields[i].ValueMap = map[string]string{"": SensitiveText}
			}
		}
		c.Map = &m
	case a.Sequence != nil:
		q := *a.Sequence
		if q.FinOps != nil {
			f := *q.FinOps
			red("finops/format", &f.Format)
			red("finops/code", &f.Code)
			q.FinOps = &f
		}
		if q.Dataverse != nil {
			d := *q.Dataverse
			red("dataverse/format", &d.Format)
			if d.Seed != nil && isSensitive(s, "dataverse/seed") {
				d.Seed = nil
			}
			q.Dataverse = &d
		}
		c.Sequence = &q
	}
	return &c
}

// RedactedParams returns the action's parameters with the sensitive ones
// reading SensitiveText.
func (a *Action) RedactedParams() Params {
	p := a.Params
	if isSensitive(a.SensitiveParams, "where") && p.Where != "" {
		p.Where = SensitiveText
	}
	if isSensitive(a.SensitiveParams, "where") && len(p.Wheres) > 0 {
		w := map[string]string{}
		for t, v := range p.Wheres {
			w[t] = v
			if v != "" {
				w[t] = SensitiveText
			}
		}
		p.Wheres = w
	}
	return p
}

// redactChanges replaces the values of the changes at sensitive paths.
func redactChanges(cs []Change, sensitive []string, prefix string) []Change {
	if len(sensitive) == 0 {
		return cs
	}
	for i := range cs {
		c := &cs[i]
		path := prefix + c.Name
		if len(c.Nested) > 0 {
			c.Nested = redactChanges(c.Nested, sensitive, path+"/")
			continue
		}
		if isSensitive(sensitive, path) {
			red := SensitiveText
			if c.Before != nil {
				c.Before = &red
			}
			if c.After != nil {
				c.After = &red
			}
		}
	}
	return cs
}
