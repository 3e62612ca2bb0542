package maptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

const configSrc = `
environment "finops" "fo" { url = "emulator://t" }
environment "dataverse" "ce" { url = "emulator://t" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
table_map "groups" {
  link      = link.main
  finops    = "CustomerGroups"
  dataverse = "msdyn_customergroups"
  filter {
    finops = "((CUSTOMERGROUPID != \"99\"))"
  }
  field "CUSTOMERGROUPID" "msdyn_groupid" {}
  field "DESCRIPTION" "msdyn_description" { direction = "to_dataverse" }
  field "TAX" "msdyn_tax" {
    value_map = { no = false, yes = true }
  }
  field "" "msdyn_kind" { default = 7 }
}
`

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(configSrc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cfg
}

// outcome renders a test's diagnostics as "line: summary".
func outcome(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		out = append(out, fmt.Sprintf("%d: %s", line, d.Summary))
	}
	return out
}

func TestRun(t *testing.T) {
	cfg := loadConfig(t)
	cases := map[string]struct {
		src  string
		want []string // "line: summary" of each failed expectation; none to pass
	}{
		"pass": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10", DESCRIPTION = "Wholesale", TAX = "yes" }]
  expect = [{ msdyn_groupid = "10", msdyn_description = "Wholesale", msdyn_tax = true, msdyn_kind = 7 }]
}`},
		"filtered out": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "99" }]
  expect = []
}`},
		"from Dataverse, one way only": {src: `test "t" {
  map       = table_map.groups
  dataverse = [{ msdyn_groupid = "20", msdyn_description = "ignored", msdyn_tax = false }]
  expect    = [{ CUSTOMERGROUPID = "20", TAX = "no", DESCRIPTION = null }]
}`},
		"wrong value": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10", TAX = "no" }]
  expect = [{
    msdyn_groupid = "10"
    msdyn_tax     = true
  }]
}`, want: []string{"6: Wrong value"}},
		"column not written": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10" }]
  expect = [{ msdyn_other = "x" }]
}`, want: []string{"4: Column not written"}},
		"wrong count": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10" }, { CUSTOMERGROUPID = "11" }]
  expect = [{ msdyn_groupid = "10" }]
}`, want: []string{"4: Wrong number of rows"}},
		"expected error": {src: `test "t" {
  map          = table_map.groups
  finops       = [{ CUSTOMERGROUPID = "10", TAX = "maybe" }]
  expect_error = "no entry in the value map"
}`},
		"another error": {src: `test "t" {
  map          = table_map.groups
  finops       = [{ CUSTOMERGROUPID = "10", TAX = "maybe" }]
  expect_error = "something else"
}`, want: []string{"4: Another error"}},
		"no error": {src: `test "t" {
  map          = table_map.groups
  finops       = [{ CUSTOMERGROUPID = "10", TAX = "no" }]
  expect_error = "value map"
}`, want: []string{"4: No error"}},
		"unexpected error": {src: `test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10", TAX = "maybe" }]
  expect = []
}`, want: []string{"3: The map fails on this row"}},
		"unknown map": {src: `test "t" {
  map    = table_map.nosuch
  finops = []
  expect = []
}`, want: []string{"2: Unknown table map"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f, diags := Parse("t.dwtest.hcl", []byte(tc.src))
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			rs := Run(cfg, f)
			if len(rs) != 1 {
				t.Fatalf("%d results", len(rs))
			}
			if diff := cmp.Diff(tc.want, outcome(rs[0].Diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if rs[0].Passed() != (len(tc.want) == 0) {
				t.Errorf("Passed() = %v", rs[0].Passed())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]struct {
		src  string
		want []string
	}{
		"two sources":     {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = []` + "\n" + `dataverse = []` + "\n" + `expect = []` + "\n}", []string{"1: One source of rows required"}},
		"no expectation":  {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = []` + "\n}", []string{"1: Expect rows or an error"}},
		"both":            {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = []` + "\n" + `expect = []` + "\n" + `expect_error = "x"` + "\n}", []string{"1: Expect rows or an error"}},
		"not a map":       {`test "t" {` + "\n" + `map = link.main` + "\n" + `finops = []` + "\n" + `expect = []` + "\n}", []string{"2: Invalid map reference"}},
		"rows not a list": {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = {}` + "\n" + `expect = []` + "\n}", []string{"3: Rows must be a list"}},
		"row not object":  {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = ["x"]` + "\n" + `expect = []` + "\n}", []string{"3: A row must be an object"}},
		"list value":      {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = [{ A = [1] }]` + "\n" + `expect = []` + "\n}", []string{"3: Invalid row value"}},
		"duplicate test":  {`test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = []` + "\n" + `expect = []` + "\n}\n" + `test "t" {` + "\n" + `map = table_map.a` + "\n" + `finops = []` + "\n" + `expect = []` + "\n}", []string{"6: Duplicate test"}},
		"unknown block":   {`nosuch {}`, []string{"1: Unsupported block type"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, diags := Parse("t.dwtest.hcl", []byte(tc.src))
			if diff := cmp.Diff(tc.want, outcome(diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParse: no input panics the parser, and what it accepts can run.
func FuzzParse(f *testing.F) {
	f.Add(`test "t" {
  map    = table_map.groups
  finops = [{ CUSTOMERGROUPID = "10", "a.b" = 1.5, X = null, Y = true }]
  expect = [{ msdyn_groupid = "10" }]
}`)
	f.Add(`test "t" { map = table_map.groups` + "\n" + `dataverse = []` + "\n" + `expect_error = "x" }`)
	f.Add(strings.Repeat("[", 300))
	f.Fuzz(func(t *testing.T, src string) {
		file, _ := Parse("f.dwtest.hcl", []byte(src))
		if file == nil {
			return
		}
		for _, tc := range file.Tests {
			if tc.Map == "" || (tc.Source != "finops" && tc.Source != "dataverse") {
				t.Fatalf("accepted a test without a map or source: %+v", tc)
			}
		}
	})
}
