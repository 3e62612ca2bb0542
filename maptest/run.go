package maptest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/filter"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/planner"
	"github.com/hashicorp/hcl/v2"
)

// Result is the outcome of one test.
type Result struct {
	File string
	Test string
	// Diags are the expectations that do not hold (errors) and anything
	// that kept the test from running; none means it passed.
	Diags hcl.Diagnostics
}

// Passed reports whether the test held.
func (r Result) Passed() bool { return !r.Diags.HasErrors() }

// Run runs the tests of f against the maps of cfg.
func Run(cfg *config.Config, f *File) []Result {
	var out []Result
	for _, t := range f.Tests {
		out = append(out, Result{File: f.Path, Test: t.Name, Diags: run(cfg, t)})
	}
	return out
}

func run(cfg *config.Config, t *Test) hcl.Diagnostics {
	m := cfg.TableMaps[t.Map]
	if m == nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown table map",
			Detail: fmt.Sprintf("The configuration declares no %s.", t.Map), Subject: t.MapRange.Ptr()}}
	}
	cm, err := mapping.Compile(planner.MapOf(cfg, m).Mapping())
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "The map cannot run",
			Detail: fmt.Sprintf("%s: %s", t.Map, err), Subject: t.MapRange.Ptr()}}
	}
	var got []map[string]any
	for _, r := range t.Rows {
		row := sourceRow(r, t.Source)
		var selected bool
		if t.Source == "finops" {
			selected, err = cm.FinOpsSelected(row)
		} else {
			selected, err = cm.DataverseSelected(row)
		}
		if err == nil && selected {
			var out map[string]any
			if t.Source == "finops" {
				out, err = cm.ToDataverse(row)
			} else {
				out, err = cm.ToFinOps(row)
			}
			got = append(got, out)
		}
		if err != nil {
			return errorOutcome(t, r, err)
		}
	}
	if t.ExpectError != "" {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No error",
			Detail:  fmt.Sprintf("The map writes %s without an error; the test expects one containing %q.", rowCount(len(got)), t.ExpectError),
			Subject: t.ExpectErrorRange.Ptr()}}
	}
	return compare(t, got)
}

// sourceRow is a test row as the mapping reads it: F&O fields by
// upper-case name, Dataverse columns by lower-case name.
func sourceRow(r Row, side string) filter.MapRow {
	out := filter.MapRow{}
	for k, v := range r.Values {
		if side == "finops" {
			out[strings.ToUpper(k)] = v
		} else {
			out[strings.ToLower(k)] = v
		}
	}
	return out
}

// errorOutcome judges an error of the mapping or a filter on row r.
func errorOutcome(t *Test, r Row, err error) hcl.Diagnostics {
	if t.ExpectError != "" {
		if strings.Contains(err.Error(), t.ExpectError) {
			return nil
		}
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Another error",
			Detail: fmt.Sprintf("The map fails with %q, which does not contain %q.", err, t.ExpectError), Subject: t.ExpectErrorRange.Ptr()}}
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "The map fails on this row",
		Detail: err.Error(), Subject: r.Range.Ptr()}}
}

// compare checks the rows written against the expected ones, in order.
func compare(t *Test, got []map[string]any) hcl.Diagnostics {
	var diags hcl.Diagnostics
	want := t.Expect.Rows
	if len(got) != len(want) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Wrong number of rows",
			Detail:  fmt.Sprintf("The map writes %s to %s; the test expects %s.%s", rowCount(len(got)), target(t.Source), rowCount(len(want)), listRows(got)),
			Subject: t.Expect.Range.Ptr()})
	}
	for i := range min(len(got), len(want)) {
		for _, col := range slices.Sorted(maps.Keys(want[i].Values)) {
			exp := want[i].Values[col]
			have, ok := lookup(got[i], col)
			switch {
			case !ok && exp != nil:
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Column not written",
					Detail:  fmt.Sprintf("Row %d: the map writes no %s (it writes %s).", i+1, col, strings.Join(slices.Sorted(maps.Keys(got[i])), ", ")),
					Subject: want[i].Ranges[col].Ptr()})
			case ok && !same(exp, have):
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Wrong value",
					Detail:  fmt.Sprintf("Row %d: the map writes %s = %s; the test expects %s.", i+1, col, show(have), show(exp)),
					Subject: want[i].Ranges[col].Ptr()})
			}
		}
	}
	return diags
}

func target(source string) string {
	if source == "finops" {
		return "Dataverse"
	}
	return "F&O"
}

func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return strconv.Itoa(n) + " rows"
}

func listRows(rows []map[string]any) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" It writes:")
	for i, r := range rows {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r)) {
			parts = append(parts, k+" = "+show(r[k]))
		}
		fmt.Fprintf(&b, "\n  %d: %s", i+1, strings.Join(parts, ", "))
	}
	return b.String()
}

// lookup finds a column case-insensitively.
func lookup(row map[string]any, col string) (any, bool) {
	if v, ok := row[col]; ok {
		return v, true
	}
	for k, v := range row {
		if strings.EqualFold(k, col) {
			return v, true
		}
	}
	return nil, false
}

// same compares as the services do (mapping.Same): an expected null is an
// absent or empty value.
func same(want, have any) bool { return mapping.Same(want, have) }

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	}
	return mapping.Text(v)
}
