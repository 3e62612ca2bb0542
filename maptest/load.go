package maptest

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dwctl/dwctl/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Suffix is the file name ending of test files.
const Suffix = ".dwtest.hcl"

// File is one test file.
type File struct {
	Path  string
	Tests []*Test
}

// Test is one test block.
type Test struct {
	Name string
	// Map is the address of the map under test ("table_map.customers").
	Map      string
	MapRange hcl.Range
	// Source is the side the rows come from: "finops" or "dataverse".
	Source string
	Rows   []Row
	// Expect holds the expected rows; nil when the test expects an error.
	Expect *Expect
	// ExpectError is the text the mapping's error must contain.
	ExpectError      string
	ExpectErrorRange hcl.Range
	DeclRange        hcl.Range
}

// Expect is the expect block: the rows written to the other side.
type Expect struct {
	Rows  []Row
	Range hcl.Range
}

// Row is a row block: column → value, with where each value is written.
type Row struct {
	Values map[string]any
	Ranges map[string]hcl.Range
	Range  hcl.Range
}

// Load parses every *.dwtest.hcl file of dir, in name order. sources
// receives each file's bytes for diagnostics.
func Load(dir string, sources map[string][]byte) ([]*File, hcl.Diagnostics) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+Suffix))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list the test files", Detail: err.Error()}}
	}
	sort.Strings(paths)
	var files []*File
	var diags hcl.Diagnostics
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read a test file", Detail: err.Error()})
			continue
		}
		name := filepath.Base(path)
		sources[name] = src
		f, more := Parse(name, src)
		diags = append(diags, more...)
		if f != nil {
			files = append(files, f)
		}
	}
	return files, diags
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "test", LabelNames: []string{"name"}}}}

var testSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "map", Required: true}, {Name: "finops"}, {Name: "dataverse"},
		{Name: "expect"}, {Name: "expect_error"}},
}

// Parse parses one test file.
func Parse(name string, src []byte) (*File, hcl.Diagnostics) {
	hf, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, more := hf.Body.Content(fileSchema)
	diags = append(diags, more...)
	f := &File{Path: name}
	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		t, more := parseTest(b)
		diags = append(diags, more...)
		if t == nil {
			continue
		}
		if prev, dup := seen[t.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate test",
				Detail: fmt.Sprintf("A test named %q is already declared at %s.", t.Name, prev), Subject: b.LabelRanges[0].Ptr()})
			continue
		}
		seen[t.Name] = b.DefRange
		f.Tests = append(f.Tests, t)
	}
	return f, diags
}

func parseTest(b *hcl.Block) (*Test, hcl.Diagnostics) {
	content, diags := b.Body.Content(testSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	t := &Test{Name: b.Labels[0], DeclRange: b.DefRange}
	attr := content.Attributes["map"]
	t.MapRange = attr.Expr.Range()
	trav, tdiags := hcl.AbsTraversalForExpr(attr.Expr)
	if tdiags.HasErrors() || len(trav) != 2 || trav.RootName() != "table_map" {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid map reference",
			Detail: "map must name a table map of the configuration, like table_map.customers.", Subject: t.MapRange.Ptr()})
	}
	if ta, ok := trav[1].(hcl.TraverseAttr); ok {
		t.Map = addrs.NewObject(addrs.TableMap, ta.Name).String()
	}
	if a, ok := content.Attributes["expect_error"]; ok {
		v, vd := a.Expr.Value(nil)
		diags = append(diags, vd...)
		if !vd.HasErrors() && (v.Type() != cty.String || v.IsNull()) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid expect_error",
				Detail: "expect_error is the text the mapping's error must contain.", Subject: a.Expr.Range().Ptr()})
		} else if !vd.HasErrors() {
			t.ExpectError, t.ExpectErrorRange = v.AsString(), a.Expr.Range()
		}
	}
	if a, ok := content.Attributes["expect"]; ok {
		rows, more := parseRows(a)
		diags = append(diags, more...)
		t.Expect = &Expect{Rows: rows, Range: a.Expr.Range()}
	}
	fo, dv := content.Attributes["finops"], content.Attributes["dataverse"]
	switch {
	case (fo == nil) == (dv == nil):
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "One source of rows required",
			Detail: "A test gives its rows in exactly one of finops = [...] and dataverse = [...].", Subject: b.DefRange.Ptr()})
	case (t.Expect == nil) == (t.ExpectError == ""):
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Expect rows or an error",
			Detail: "A test has either expect = [...] or expect_error.", Subject: b.DefRange.Ptr()})
	default:
		src := fo
		t.Source = "finops"
		if dv != nil {
			src, t.Source = dv, "dataverse"
		}
		rows, more := parseRows(src)
		diags = append(diags, more...)
		t.Rows = rows
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return t, diags
}

// parseRows reads a list of rows: [{ column = value, "lookup.path" = value }, ...].
func parseRows(a *hcl.Attribute) ([]Row, hcl.Diagnostics) {
	tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Rows must be a list",
			Detail: fmt.Sprintf("%s is a list of rows: [{ column = value, ... }, ...].", a.Name), Subject: a.Expr.Range().Ptr()}}
	}
	var rows []Row
	var diags hcl.Diagnostics
	for _, e := range tuple.Exprs {
		obj, ok := e.(*hclsyntax.ObjectConsExpr)
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "A row must be an object",
				Detail:  "A row is { column = value, ... }; quote a lookup path: \"msdyn_customergroupid.msdyn_groupid\" = \"10\".",
				Subject: e.Range().Ptr()})
			continue
		}
		r := Row{Values: map[string]any{}, Ranges: map[string]hcl.Range{}, Range: e.Range()}
		for _, item := range obj.Items {
			name := hcl.ExprAsKeyword(item.KeyExpr)
			if name == "" {
				k, kd := item.KeyExpr.Value(nil)
				if kd.HasErrors() || k.Type() != cty.String || k.IsNull() {
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid column name",
						Detail: "A column is a name or a quoted lookup path.", Subject: item.KeyExpr.Range().Ptr()})
					continue
				}
				name = k.AsString()
			}
			v, vd := item.ValueExpr.Value(nil)
			diags = append(diags, vd...)
			if vd.HasErrors() {
				continue
			}
			x, err := goValue(v)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid row value",
					Detail: fmt.Sprintf("%s: %s", name, err), Subject: item.ValueExpr.Range().Ptr()})
				continue
			}
			if _, dup := r.Values[name]; dup {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate column",
					Detail: fmt.Sprintf("%s is given twice in this row.", name), Subject: item.KeyExpr.Range().Ptr()})
				continue
			}
			r.Values[name], r.Ranges[name] = x, item.ValueExpr.Range()
		}
		rows = append(rows, r)
	}
	return rows, diags
}

// goValue turns a literal into the value a row holds: nil, string, bool,
// int64 or float64.
func goValue(v cty.Value) (any, error) {
	switch {
	case v.IsNull():
		return nil, nil
	case v.Type() == cty.String:
		return v.AsString(), nil
	case v.Type() == cty.Bool:
		return v.True(), nil
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			if i, acc := bf.Int64(); acc == big.Exact {
				return i, nil
			}
		}
		f, _ := bf.Float64()
		return f, nil
	}
	return nil, fmt.Errorf("a row value is a string, number, bool or null, not %s", strings.ToLower(v.Type().FriendlyName()))
}
