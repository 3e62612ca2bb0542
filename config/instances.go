package config

import (
	"sort"

	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"
)

var forEachSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "for_each"}}}

// instance is one expansion of a block that may carry for_each.
type instance struct {
	each  *eachValue // nil without for_each
	scope *scope
	body  hcl.Body // the body with dynamic blocks expanded
}

// instances expands a block's for_each. Without for_each it returns one
// instance. The body of each instance has `dynamic` blocks expanded.
func (l *loader) instances(b *hcl.Block) []instance {
	content, _, diags := b.Body.PartialContent(forEachSchema)
	l.diags = append(l.diags, diags...)
	attr, ok := content.Attributes["for_each"]
	if !ok {
		s := l.scope(nil)
		return []instance{{scope: s, body: dynblock.Expand(b.Body, s.ctx)}}
	}
	keys, values, ok := l.forEach(attr)
	if !ok {
		return nil
	}
	out := make([]instance, 0, len(keys))
	for i, k := range keys {
		ev := &eachValue{key: k, value: values[i]}
		s := l.scope(ev)
		out = append(out, instance{each: ev, scope: s, body: dynblock.Expand(b.Body, s.ctx)})
	}
	return out
}

// forEach evaluates a for_each expression: a map or object (keys and
// values) or a set of strings (each key is its value). Keys are sorted.
func (l *loader) forEach(attr *hcl.Attribute) ([]string, []cty.Value, bool) {
	v, diags := attr.Expr.Value(l.evalContext(nil))
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return nil, nil, false
	}
	if v.IsMarked() {
		l.errorf(attr.Expr.Range(), "Invalid for_each argument", "for_each cannot use sensitive values: they would show up in addresses.")
		return nil, nil, false
	}
	if v.IsNull() || !v.IsWhollyKnown() {
		l.errorf(attr.Expr.Range(), "Invalid for_each argument", "for_each needs a known map, object or set of strings.")
		return nil, nil, false
	}
	ty := v.Type()
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		m := v.AsValueMap()
		keys := mapKeys(m)
		vals := make([]cty.Value, len(keys))
		for i, k := range keys {
			vals[i] = m[k]
		}
		return keys, vals, true
	case ty.IsSetType() && ty.ElementType() == cty.String:
		var keys []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			keys = append(keys, e.AsString())
		}
		sort.Strings(keys)
		vals := make([]cty.Value, len(keys))
		for i, k := range keys {
			vals[i] = cty.StringVal(k)
		}
		return keys, vals, true
	case ty.IsListType() || ty.IsTupleType():
		l.errorf(attr.Expr.Range(), "Invalid for_each argument",
			"for_each takes a map or a set of strings, not a list: convert it with toset(...), whose elements become the instance keys.")
	default:
		l.errorf(attr.Expr.Range(), "Invalid for_each argument",
			"for_each takes a map or a set of strings; this is %s.", ty.FriendlyName())
	}
	return nil, nil, false
}

// address is the address of an instance: kind.label or kind.label["key"].
func address(kind addrs.Kind, label string, each *eachValue) string {
	if each == nil {
		return addrs.NewObject(kind, label).String()
	}
	return addrs.Instance(kind, label, each.key).String()
}
