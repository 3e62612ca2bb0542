package config

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// sensitiveMark marks cty values that come from sensitive variables.
const sensitiveMark = "sensitive"

// evalContext returns the context expressions are evaluated in: var.*,
// local.* and the functions; each, when given, is each.key/each.value.
func (l *loader) evalContext(each *eachValue) *hcl.EvalContext {
	locals := l.localsObj
	if locals == cty.NilVal {
		locals = objectOrEmpty(l.locals)
	}
	return l.contextWith(locals, each)
}

// contextWith is evalContext with local.* given.
func (l *loader) contextWith(locals cty.Value, each *eachValue) *hcl.EvalContext {
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   objectOrEmpty(l.vars),
			"local": locals,
		},
		Functions: l.functions(),
	}
	if each != nil {
		ctx.Variables["each"] = cty.ObjectVal(map[string]cty.Value{
			"key":   cty.StringVal(each.key),
			"value": each.value,
		})
	}
	return ctx
}

func objectOrEmpty(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// eachValue is one instance of a for_each block.
type eachValue struct {
	key   string
	value cty.Value
}

// scope evaluates the attributes of one block instance.
type scope struct {
	l   *loader
	ctx *hcl.EvalContext
	// path is the attribute path prefix of the block being decoded
	// ("filter/", "field[2]/"); marked collects the paths of the attributes
	// whose values came from sensitive values, for the whole object.
	path   string
	marked *[]string
}

func (l *loader) scope(each *eachValue) *scope {
	return &scope{l: l, ctx: l.evalContext(each), marked: &[]string{}}
}

// at returns the scope of a nested block: same values, its path prefix
// added, the same list of sensitive paths.
func (s *scope) at(prefix string) *scope {
	c := *s
	c.path = s.path + prefix
	return &c
}

// sensitivePaths returns the paths of the attributes decoded in s whose
// values came from sensitive values (nil when none).
func (s *scope) sensitivePaths() []string {
	if len(*s.marked) == 0 {
		return nil
	}
	return append([]string(nil), *s.marked...)
}

func (s *scope) errorf(rng hcl.Range, summary, format string, args ...any) {
	s.l.errorf(rng, summary, format, args...)
}

func (l *loader) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &r,
	})
}

func (l *loader) warnf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &r,
	})
}

// value evaluates an attribute and converts it to want. It reports
// unknown or null values as errors; ok is false when a diagnostic was added.
func (s *scope) value(attr *hcl.Attribute, want cty.Type) (cty.Value, bool) {
	v, diags := attr.Expr.Value(s.ctx)
	s.l.diags = append(s.l.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v, marks := v.UnmarkDeep()
	if _, ok := marks[sensitiveMark]; ok && s.marked != nil {
		*s.marked = append(*s.marked, s.path+attr.Name)
	}
	if v.IsKnown() && v.IsNull() {
		s.errorf(attr.Expr.Range(), "Missing value", "The attribute %q needs a value; it evaluated to null.", attr.Name)
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		// Unknown values come only from errors reported already (a
		// variable without a value, a local that failed).
		return cty.NilVal, false
	}
	if want == cty.DynamicPseudoType {
		return v, true
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		s.errorf(attr.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for attribute %q: %s.", attr.Name, convertMessage(err, want))
		return cty.NilVal, false
	}
	return cv, true
}

func convertMessage(err error, want cty.Type) string {
	msg := err.Error()
	if msg == "" {
		return want.FriendlyName() + " required"
	}
	return msg
}

// str evaluates a string attribute.
func (s *scope) str(attr *hcl.Attribute) (string, bool) {
	v, ok := s.value(attr, cty.String)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// strs evaluates a list of strings.
func (s *scope) strs(attr *hcl.Attribute) ([]string, bool) {
	v, ok := s.value(attr, cty.List(cty.String))
	if !ok {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			s.errorf(attr.Expr.Range(), "Missing value", "The list %q must not hold null elements.", attr.Name)
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

// boolean evaluates a bool attribute.
func (s *scope) boolean(attr *hcl.Attribute) (bool, bool) {
	v, ok := s.value(attr, cty.Bool)
	if !ok {
		return false, false
	}
	return v.True(), true
}

// integer evaluates a whole-number attribute within [min, max].
func (s *scope) integer(attr *hcl.Attribute, min, max int64) (int64, bool) {
	v, ok := s.value(attr, cty.Number)
	if !ok {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		s.errorf(attr.Expr.Range(), "Invalid value", "The attribute %q must be a whole number.", attr.Name)
		return 0, false
	}
	i, acc := bf.Int64()
	if acc != big.Exact || i < min || i > max {
		s.errorf(attr.Expr.Range(), "Value out of range", "The attribute %q must be between %d and %d.", attr.Name, min, max)
		return 0, false
	}
	return i, true
}

// oneOf evaluates a string attribute that must be one of allowed.
func (s *scope) oneOf(attr *hcl.Attribute, allowed ...string) (string, bool) {
	v, ok := s.str(attr)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if v == a {
			return v, true
		}
	}
	s.errorf(attr.Expr.Range(), "Invalid value for "+attr.Name,
		"%q is not a valid %s; use one of %s.", v, attr.Name, quoteList(allowed))
	return "", false
}

func quoteList(xs []string) string {
	out := ""
	for i, x := range xs {
		switch {
		case i == 0:
		case i == len(xs)-1:
			out += " or "
		default:
			out += ", "
		}
		out += fmt.Sprintf("%q", x)
	}
	return out
}
