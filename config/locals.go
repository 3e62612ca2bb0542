package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// finishVariables applies defaults, reports missing values, marks sensitive
// values and runs the validation blocks.
func (l *loader) finishVariables() {
	names := make([]string, 0, len(l.varDecls))
	for n := range l.varDecls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := l.varDecls[n]
		if d.v.Value == cty.NilVal {
			if d.v.Default == cty.NilVal {
				l.errorf(d.v.DeclRange, "No value for required variable",
					"The variable %q has no default, so it must be set: with -var %s=..., in a %s file given with -var-file, or with the environment variable %s%s.",
					n, n, VarFileSuffix, EnvVarPrefix, n)
				d.v.Value = cty.UnknownVal(d.v.Type)
			} else {
				d.v.Value = d.v.Default
			}
		}
		val := d.v.Value
		if d.v.Sensitive {
			val = val.Mark(sensitiveMark)
			l.cfg.secrets = append(l.cfg.secrets, stringLeaves(d.v.Value)...)
		}
		l.vars[n] = val
	}
	for _, n := range names {
		l.checkValidations(l.varDecls[n])
	}
}

func (l *loader) checkValidations(d *variableDecl) {
	if !d.v.Value.IsWhollyKnown() {
		return
	}
	ctx := l.evalContext(nil)
	for _, b := range d.validations {
		content, diags := b.Body.Content(validationSchema)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			continue
		}
		cond := content.Attributes["condition"]
		if !referencesVariable(cond.Expr, d.v.Name) {
			l.errorf(cond.Expr.Range(), "Invalid variable validation condition",
				"The condition of a validation of variable %q must refer to var.%s.", d.v.Name, d.v.Name)
			continue
		}
		v, diags := cond.Expr.Value(ctx)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			continue
		}
		v, _ = v.UnmarkDeep()
		if cv, err := convert.Convert(v, cty.Bool); err != nil || cv.IsNull() {
			l.errorf(cond.Expr.Range(), "Invalid variable validation result", "The condition must evaluate to true or false.")
			continue
		} else if cv.True() {
			continue
		}
		subject := cond.Expr.Range()
		if d.valueRange != nil {
			subject = *d.valueRange
		}
		l.errorf(subject, "Invalid value for variable", "%s\n\nThis was checked by the validation rule at %s.",
			l.validationMessage(content.Attributes["error_message"], ctx), cond.Expr.Range())
	}
}

// validationMessage evaluates an error_message, refusing to show one that
// includes a sensitive value.
func (l *loader) validationMessage(attr *hcl.Attribute, ctx *hcl.EvalContext) string {
	v, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() {
		return "The value does not satisfy the validation rule (its error_message could not be evaluated)."
	}
	if v.IsMarked() {
		return "The value does not satisfy the validation rule. (The error message is hidden because it includes a sensitive value.)"
	}
	if v.Type() != cty.String {
		return "The value does not satisfy the validation rule."
	}
	return v.AsString()
}

func referencesVariable(expr hcl.Expression, name string) bool {
	for _, t := range expr.Variables() {
		if t.RootName() != "var" || len(t) < 2 {
			continue
		}
		if a, ok := t[1].(hcl.TraverseAttr); ok && a.Name == name {
			return true
		}
	}
	return false
}

// evalLocals evaluates every locals attribute, each after the locals it
// refers to: the order is found once (a topological sort over the
// references), and each local is evaluated with just the locals it names,
// so the work is linear in the number of locals and references.
func (l *loader) evalLocals() {
	attrs := map[string]*hcl.Attribute{}
	for _, b := range l.blocks["locals"] {
		as, diags := b.Body.JustAttributes()
		l.diags = append(l.diags, diags...)
		for _, a := range sortedAttributes(as) {
			if prev, ok := attrs[a.Name]; ok {
				l.errorf(a.NameRange, "Duplicate local value", "A local value %q was already defined at %s.", a.Name, prev.NameRange)
				continue
			}
			attrs[a.Name] = a
		}
	}
	deps := map[string][]string{}
	users := map[string][]string{}
	waiting := map[string]int{}
	for name, a := range attrs {
		seen := map[string]bool{}
		for _, t := range a.Expr.Variables() {
			if t.RootName() != "local" || len(t) < 2 {
				continue
			}
			if ta, ok := t[1].(hcl.TraverseAttr); ok && attrs[ta.Name] != nil && !seen[ta.Name] {
				seen[ta.Name] = true
				deps[name] = append(deps[name], ta.Name)
				users[ta.Name] = append(users[ta.Name], name)
			}
		}
		waiting[name] = len(deps[name])
	}
	var ready []string
	for _, a := range sortedAttrList(attrs) {
		if waiting[a.Name] == 0 {
			ready = append(ready, a.Name)
		}
	}
	for len(ready) > 0 {
		name := ready[0]
		ready = ready[1:]
		l.evalLocal(attrs[name], deps[name])
		for _, u := range users[name] {
			if waiting[u]--; waiting[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	for _, a := range sortedAttrList(attrs) {
		if _, done := l.locals[a.Name]; !done {
			l.errorf(a.Expr.Range(), "Cycle in local values",
				"local.%s refers to itself through other local values; break the cycle.", a.Name)
			l.locals[a.Name] = cty.DynamicVal
		}
	}
	l.localsObj = objectOrEmpty(l.locals)
}

// evalLocal evaluates a local with the locals it refers to.
func (l *loader) evalLocal(a *hcl.Attribute, refs []string) {
	named := make(map[string]cty.Value, len(refs))
	for _, r := range refs {
		named[r] = l.locals[r]
	}
	v, diags := a.Expr.Value(l.contextWith(objectOrEmpty(named), nil))
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		v = cty.DynamicVal
	}
	l.locals[a.Name] = v
	if plain, marks := v.UnmarkDeep(); len(marks) == 0 && plain.IsWhollyKnown() {
		l.cfg.Locals[a.Name] = plain
	}
}

func sortedAttrList(m map[string]*hcl.Attribute) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// stringLeaves returns every known string inside v.
func stringLeaves(v cty.Value) []string {
	var out []string
	cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		if e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
			out = append(out, e.AsString())
		}
		return true, nil
	})
	return out
}
