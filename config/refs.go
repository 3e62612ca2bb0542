package config

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ref is a parsed reference such as link.main or table_map.x["k"].
type ref struct {
	kind, name string
	key        *string
	rng        hcl.Range
}

// String renders the reference as an address.
func (r ref) String() string {
	if r.key != nil {
		return fmt.Sprintf("%s.%s[%q]", r.kind, r.name, *r.key)
	}
	return r.kind + "." + r.name
}

// reference reads an expression that must be a reference to an object of
// kind, such as `link = link.main`.
func (l *loader) reference(attr *hcl.Attribute, kind string) (ref, bool) {
	return l.referenceExpr(attr.Expr, attr.Name, kind)
}

func (l *loader) referenceExpr(expr hcl.Expression, what, kind string) (ref, bool) {
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(trav) < 2 || len(trav) > 3 {
		l.errorf(expr.Range(), "Invalid reference",
			"%s must be a reference to a %s, such as %s.NAME, not a string or another expression.", what, kind, kind)
		return ref{}, false
	}
	root := trav.RootName()
	attr, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		l.errorf(expr.Range(), "Invalid reference", "%s must be a reference such as %s.NAME.", what, kind)
		return ref{}, false
	}
	if root != kind {
		l.errorf(expr.Range(), "Invalid reference",
			"%s must refer to a %s, but this refers to a %s. Write %s.NAME.", what, kind, root, kind)
		return ref{}, false
	}
	r := ref{kind: root, name: attr.Name, rng: expr.Range()}
	if len(trav) == 3 {
		idx, ok := trav[2].(hcl.TraverseIndex)
		if !ok || idx.Key.Type() != cty.String {
			l.errorf(expr.Range(), "Invalid reference", "An instance of %s.%s is selected by a string key, as in %s.%s[\"KEY\"].", kind, attr.Name, kind, attr.Name)
			return ref{}, false
		}
		k := idx.Key.AsString()
		r.key = &k
	}
	return r, true
}

// undeclared reports a reference to an object that does not exist.
func (l *loader) undeclared(r ref, names []string) {
	hint := fmt.Sprintf("No %s named %q is declared.", r.kind, r.name)
	if s := nameSuggestion(r.name, names); s != "" {
		hint += fmt.Sprintf(" Did you mean %s.%s?", r.kind, s)
	} else if len(names) > 0 {
		sort.Strings(names)
		hint += fmt.Sprintf(" Declared: %s.", joinNames(names, 8))
	} else {
		hint += fmt.Sprintf(" Declare a %s block.", r.kind)
	}
	l.errorf(r.rng, "Reference to undeclared "+kindTitle(r.kind), "%s", hint)
}

func joinNames(names []string, max int) string {
	out := ""
	for i, n := range names {
		if i == max {
			return out + ", ..."
		}
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

func kindTitle(kind string) string {
	switch kind {
	case "table_map":
		return "table map"
	case "integration_key":
		return "integration key"
	case "number_sequence":
		return "number sequence"
	}
	return kind
}

// linkRef resolves a required `link = link.NAME` attribute.
func (l *loader) linkRef(content *hcl.BodyContent, owner hcl.Range) *Link {
	attr, ok := content.Attributes["link"]
	if !ok {
		if len(l.cfg.Links) == 1 {
			for _, lk := range l.cfg.Links {
				return lk
			}
		}
		l.errorf(owner, "Missing link", "This block needs link = link.NAME to say which environment pair it belongs to (it may be left out only when the configuration declares exactly one link).")
		return nil
	}
	r, ok := l.reference(attr, "link")
	if !ok {
		return nil
	}
	lk := l.cfg.Links[r.name]
	if lk == nil {
		l.undeclared(r, mapKeys(l.cfg.Links))
	}
	return lk
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
