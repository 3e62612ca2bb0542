package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// VarFileSuffix is the suffix of variable definition files.
const VarFileSuffix = ".dwvars"

// EnvVarPrefix prefixes environment variables that set input variables.
const EnvVarPrefix = "DWCTL_VAR_"

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "error_message", Required: true},
	},
}

// variableDecl is a declared variable with what is needed to check values.
type variableDecl struct {
	v           *Variable
	validations []*hcl.Block
	// valueRange is where the winning value was given (nil: default/env/-var).
	valueRange *hcl.Range
	// defaults fills in optional(...) object attributes left out.
	defaults *typeexpr.Defaults
}

func (l *loader) declareVariables() {
	decls := map[string]*variableDecl{}
	for _, b := range l.blocks["variable"] {
		name := b.Labels[0]
		if !hclsyntax.ValidIdentifier(name) {
			l.errorf(b.LabelRanges[0], "Invalid variable name", "A variable name must start with a letter or underscore and hold only letters, digits, underscores and dashes.")
			continue
		}
		if prev, ok := l.cfg.Variables[name]; ok {
			l.errorf(b.DefRange, "Duplicate variable", "A variable %q was already declared at %s.", name, prev.DeclRange)
			continue
		}
		d := l.decodeVariable(b)
		l.cfg.Variables[name] = d.v
		decls[name] = d
	}
	l.varDecls = decls
}

func (l *loader) decodeVariable(b *hcl.Block) *variableDecl {
	v := &Variable{Name: b.Labels[0], Type: cty.DynamicPseudoType, DeclRange: b.DefRange}
	d := &variableDecl{v: v}
	content, diags := b.Body.Content(variableSchema)
	l.diags = append(l.diags, diags...)
	s := &scope{l: l, ctx: &hcl.EvalContext{Functions: l.functions()}}
	if a, ok := content.Attributes["type"]; ok {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			v.Type, d.defaults = ty, defaults
		}
	}
	if a, ok := content.Attributes["description"]; ok {
		v.Description, _ = s.str(a)
	}
	if a, ok := content.Attributes["sensitive"]; ok {
		v.Sensitive, _ = s.boolean(a)
	}
	if a, ok := content.Attributes["default"]; ok {
		def, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			if d.defaults != nil {
				def = d.defaults.Apply(def)
			}
			if cv, err := convert.Convert(def, v.Type); err != nil {
				l.errorf(a.Expr.Range(), "Invalid default value for variable",
					"The default value does not match the variable's type: %s.", err)
			} else {
				v.Default = cv
			}
		}
	}
	for _, vb := range content.Blocks {
		d.validations = append(d.validations, vb)
	}
	return d
}

// assignVariables resolves every variable's value with Terraform's
// precedence: default < DWCTL_VAR_name < *.auto.dwvars < -var/-var-file
// in command-line order.
func (l *loader) assignVariables(opts LoadOptions) {
	for name, d := range l.varDecls {
		if raw, ok := l.environ[EnvVarPrefix+name]; ok {
			l.setRaw(d, raw, "the environment variable "+EnvVarPrefix+name)
		}
	}
	for _, f := range l.autoVarFiles() {
		l.readVarFile(f, f)
	}
	for _, a := range opts.Vars {
		if a.File {
			l.readVarFile(a.Value, a.Value)
			continue
		}
		name, raw, ok := strings.Cut(a.Value, "=")
		d := l.varDecls[strings.TrimSpace(name)]
		switch {
		case !ok:
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid -var option",
				Detail: fmt.Sprintf("The option -var %q is not NAME=VALUE.", name)})
		case d == nil:
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("A variable named %q was given with -var but is not declared. Declare it with a variable block, or check the spelling.", strings.TrimSpace(name))})
		default:
			d.valueRange = nil
			l.setRaw(d, raw, "-var "+d.v.Name)
		}
	}
	l.finishVariables()
}

// autoVarFiles lists *.auto.dwvars of the configuration directory.
func (l *loader) autoVarFiles() []string {
	matches, _ := filepath.Glob(filepath.Join(l.cfg.Dir, "*.auto"+VarFileSuffix))
	sort.Strings(matches)
	return matches
}

// setRaw sets a variable from a string given outside HCL: primitive types
// take it as it is, others parse it as an HCL expression.
func (l *loader) setRaw(d *variableDecl, raw, from string) {
	var val cty.Value
	if d.v.Type.IsPrimitiveType() || d.v.Type == cty.DynamicPseudoType {
		val = cty.StringVal(raw)
	} else {
		diags := CheckExpressionNesting([]byte(raw), from)
		var expr hclsyntax.Expression
		if !diags.HasErrors() {
			expr, diags = hclsyntax.ParseExpression([]byte(raw), from, hcl.InitialPos)
		}
		if !diags.HasErrors() {
			val, diags = expr.Value(nil)
		}
		if diags.HasErrors() {
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for variable",
				Detail: fmt.Sprintf("The value of variable %q given by %s is not a valid HCL expression for type %s.", d.v.Name, from, d.v.Type.FriendlyName())})
			return
		}
	}
	l.assign(d, val, nil, from)
}

// assign converts and stores a variable's value.
func (l *loader) assign(d *variableDecl, val cty.Value, rng *hcl.Range, from string) {
	if d.defaults != nil {
		val = d.defaults.Apply(val)
	}
	cv, err := convert.Convert(val, d.v.Type)
	if err != nil {
		diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for variable",
			Detail: fmt.Sprintf("The value of variable %q given by %s does not match its type %s: %s.",
				d.v.Name, from, d.v.Type.FriendlyName(), err)}
		if rng != nil {
			diag.Subject = rng
		} else {
			diag.Subject = d.v.DeclRange.Ptr()
		}
		l.diags = append(l.diags, diag)
		return
	}
	d.v.Value = cv
	d.valueRange = rng
}

// readVarFile reads a *.dwvars file: attributes NAME = VALUE.
func (l *loader) readVarFile(path, display string) {
	src, err := os.ReadFile(l.varFilePath(path))
	if err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read a variables file",
			Detail: fmt.Sprintf("Reading %s failed: %s. Paths given with -var-file are relative to the configuration directory.", display, pathError(err))})
		return
	}
	l.cfg.Sources[display] = src
	if diags := CheckNesting(src, display); diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return
	}
	file, diags := l.parser.ParseHCL(src, display)
	l.diags = append(l.diags, diags...)
	if file == nil || diags.HasErrors() {
		return
	}
	attrs, diags := file.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for _, a := range sortedAttributes(attrs) {
		d := l.varDecls[a.Name]
		if d == nil {
			l.errorf(a.NameRange, "Value for undeclared variable",
				"The file %s sets %q, which no variable block declares.%s", display, a.Name, l.suggestVariable(a.Name))
			continue
		}
		val, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			l.assign(d, val, a.Expr.Range().Ptr(), display)
		}
	}
}

// varFilePath resolves a -var-file path: as given when it exists, else
// relative to the configuration directory.
func (l *loader) varFilePath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(l.cfg.Dir, p)
}

func (l *loader) suggestVariable(name string) string {
	var names []string
	for n := range l.varDecls {
		names = append(names, n)
	}
	if s := nameSuggestion(name, names); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return " Declare it, or remove the line."
}

func sortedAttributes(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}
