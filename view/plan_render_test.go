package view

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/NAME, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// renderCases are the plans whose renderings are kept as golden files.
func renderCases(t *testing.T) map[string]*planner.Plan {
	base := loadConfig(t, baseConfig)
	first, _ := planner.Build(base, map[string]*planner.Live{"main": baseLive()}, nil, planner.Options{})
	st := applied(first)
	build := func(edit func(string) string, live func(*planner.Live), opts planner.Options) *planner.Plan {
		src := baseConfig
		if edit != nil {
			src = edit(src)
		}
		l := baseLive()
		if live != nil {
			live(l)
		}
		p, diags := planner.Build(loadConfig(t, src), map[string]*planner.Live{"main": l}, st, opts)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		return p
	}
	return map[string]*planner.Plan{
		"no_changes": build(nil, nil, planner.Options{}),
		"filter_edit": build(func(s string) string {
			return strings.Replace(s, "customertypecode eq 3", "customertypecode eq 4", 1)
		}, nil, planner.Options{}),
		"field_added": build(func(s string) string {
			return strings.Replace(s, `field "CUSTOMERACCOUNT" "accountnumber" {}`,
				"field \"CUSTOMERACCOUNT\" \"accountnumber\" {}\n  field \"CREDITLIMIT\" \"creditlimit\" {}", 1)
		}, nil, planner.Options{}),
		"pause": build(func(s string) string {
			return strings.Replace(s, `depends_on = [table_map.currencies]`, "depends_on = [table_map.currencies]\n  state = \"paused\"", 1)
		}, nil, planner.Options{}),
		"delete_map": build(func(s string) string {
			i, j := strings.Index(s, `table_map "currencies"`), strings.Index(s, `table_map "customers"`)
			return strings.Replace(s[:i]+s[j:], "depends_on = [table_map.currencies]", "", 1)
		}, nil, planner.Options{}),
		"add_company": build(func(s string) string {
			return s + "company \"USRT\" {\n  link = link.main\n  name = \"Contoso Retail USA\"\n}\n"
		}, nil, planner.Options{}),
		"seed":  build(func(s string) string { return strings.Replace(s, "seed   = 5000", "seed   = 6000", 1) }, nil, planner.Options{}),
		"first": build(nil, func(l *planner.Live) { *l = planner.Live{RowCounts: l.RowCounts} }, planner.Options{}),
		"copy_preview": build(func(s string) string {
			return strings.Replace(s, `master  = "finops"`, "master  = \"finops\"\n    mode    = \"dwctl\"", 1)
		}, func(l *planner.Live) {
			*l = planner.Live{RowCounts: l.RowCounts, Transfers: map[string]*planner.Transfer{"table_map.customers": {
				Companies: map[string]map[string]int64{
					"USMF": {"dataverse_create": 1200, "dataverse_update": 3, "unchanged": 40, "filtered": 7, "errors": 1},
					"USRT": {"dataverse_create": 4, "finops_create": 2}},
				Errors: []string{"[USMF] US-099, usmf to Dataverse: msdyn_customergroupid: no msdyn_customergroup row has msdyn_groupid = \"90\""},
				Rows: []planner.RowChange{
					{Company: "USMF", Side: "dataverse", Kind: "create", Key: "US-001, usmf", Fields: []planner.FieldChange{{Name: "accountnumber", After: "US-001"}, {Name: "name", After: "Adatum"}}},
					{Company: "USMF", Side: "dataverse", Kind: "update", Key: "US-002, usmf", Fields: []planner.FieldChange{{Name: "name", Before: "Old name", After: "Contoso"}}},
				}}}}
		}, planner.Options{}),
		"drift": build(nil, func(l *planner.Live) {
			l.Maps[1].Definition.DataverseFilter = "customertypecode eq 5"
			l.Maps[1].Definition.Fields = l.Maps[1].Definition.Fields[1:]
			l.IntegrationKeys["contact"] = []string{"msdyn_contactpersonid"}
		}, planner.Options{}),
		"relink": build(nil, func(l *planner.Live) {
			l.Link.DataverseEnvironment = "https://fabrikam.crm.dynamics.com"
			l.Maps[0].State = providers.StateStopped
		}, planner.Options{AllowDestroy: true}),
	}
}

func TestRenderGolden(t *testing.T) {
	for name, p := range renderCases(t) {
		t.Run(name, func(t *testing.T) {
			var text, js bytes.Buffer
			if err := RenderText(&text, p, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("render", name+".txt"), text.String())
			golden(t, filepath.Join("render", name+".md"), strings.Join(RenderMarkdown(p), MarkdownSeparator))
			if err := RenderJSON(&js, p, nil); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("render", name+".json"), js.String())
		})
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	p := renderCases(t)["filter_edit"]
	for name, color := range map[string]bool{"plain": false, "colour": true} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderText(&b, p, TextOptions{Color: color}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(b.String(), "\x1b["); got != color {
				t.Errorf("escape codes present = %v, want %v", got, color)
			}
		})
	}
}

func TestMarkdownSplitsLongPlans(t *testing.T) {
	var src strings.Builder
	src.WriteString(baseConfig)
	for i := range 400 {
		src.WriteString(strings.NewReplacer("NAME", "m"+planner.Thousands(int64(i)), "SET", "sets"+planner.Thousands(int64(i))).Replace(`
table_map "NAME" {
  link      = link.main
  finops    = "SET"
  dataverse = "SET"
  field "A" "a" {}
  field "B" "b" {}
  field "C" "c" {}
}
`))
	}
	p, diags := planner.Build(loadConfig(t, src.String()), map[string]*planner.Live{"main": baseLive()}, nil, planner.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	parts := RenderMarkdown(p)
	if len(parts) < 2 {
		t.Fatalf("%d parts, want several", len(parts))
	}
	total := 0
	for i, part := range parts {
		if len(part) >= 65536 {
			t.Errorf("part %d has %d characters", i, len(part))
		}
		if strings.Count(part, "<details>") != strings.Count(part, "</details>") {
			t.Errorf("part %d splits a section", i)
		}
		total += strings.Count(part, "<details>")
	}
	if total != 400 {
		t.Errorf("%d sections, want one per changed object (400)", total)
	}
}

func TestSummaryLine(t *testing.T) {
	tests := map[string]struct {
		s    planner.Summary
		want string
	}{
		"data":    {planner.Summary{Add: 2, Change: 1, DataOperations: 2, Rows: 1207}, "Plan: 2 to add, 1 to change, 0 to destroy; 2 data operations (1,207 rows)."},
		"no data": {planner.Summary{Destroy: 1}, "Plan: 0 to add, 0 to change, 1 to destroy."},
		"one op":  {planner.Summary{DataOperations: 1, Rows: 1234567}, "Plan: 0 to add, 0 to change, 0 to destroy; 1 data operation (1,234,567 rows)."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.s.String()); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestRenderDOT(t *testing.T) {
	var b bytes.Buffer
	if err := RenderDOT(&b, renderCases(t)["relink"]); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("render", "relink.dot"), b.String())
	b.Reset()
	if err := RenderMapsDOT(&b, loadConfig(t, baseConfig)); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("render", "maps.dot"), b.String())
}

func TestTextTargetNote(t *testing.T) {
	l := baseLive()
	*l = planner.Live{RowCounts: l.RowCounts}
	p, _ := planner.Build(loadConfig(t, baseConfig), map[string]*planner.Live{"main": l}, nil, planner.Options{Targets: []string{"company.USMF"}})
	var b bytes.Buffer
	if err := RenderText(&b, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Note: the plan is limited to -target=company.USMF") {
		t.Errorf("got:\n%s", b.String())
	}
}

// TestTextSummarisesNotManaged: objects not managed are one line, with the right plural forms,
// unless -show-unmanaged asks for the list.
func TestTextSummarisesNotManaged(t *testing.T) {
	p := &planner.Plan{}
	for i := range 25 {
		p.NotManaged = append(p.NotManaged, planner.NotManaged{Kind: "integration_key", Identity: map[string]string{"table": fmt.Sprint("t", i)}})
	}
	p.NotManaged = append(p.NotManaged, planner.NotManaged{Kind: "table_map", Identity: map[string]string{"finops": "A"}}, planner.NotManaged{Kind: "company", Identity: map[string]string{"id": "USMF"}}, planner.NotManaged{Kind: "company", Identity: map[string]string{"id": "DEMF"}})
	var b bytes.Buffer
	if err := RenderText(&b, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "2 companies, 25 integration keys and 1 map not managed by dwctl (left alone); -show-unmanaged lists them.\n"
	if !strings.HasPrefix(b.String(), want) || strings.Count(b.String(), "integration_key ") != 0 {
		t.Errorf("got:\n%s\nwant it to start with %q", b.String(), want)
	}
	b.Reset()
	if err := RenderText(&b, p, TextOptions{ShowUnmanaged: true}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(b.String(), "  integration_key "); got != 25 {
		t.Errorf("-show-unmanaged listed %d integration keys, want 25", got)
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 actions", 1: "1 action", 2: "2 actions"} {
		if got := planner.Plural(n, "action"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	if got := planner.Plural(3, "company"); got != "3 companies" {
		t.Errorf("Plural(3, company) = %q", got)
	}
}

func TestCompanyTable(t *testing.T) {
	as := []*planner.Action{
		{Address: "table_map.customers", Kind: planner.Start},
		{Address: "initial_sync.table_map.customers", Kind: planner.InitialSync, Rows: 21,
			Companies: map[string]map[string]int64{"USMF": {"finops": 15, "dataverse": 3, "errors": 1}, "DEMF": {"finops": 3}}},
		{Address: "initial_sync.table_map.currencies", Kind: planner.InitialSync, Rows: 8},
	}
	want := "\n**Initial syncs by company**\n\n| Sync | Company | From F&O | From Dataverse | Failing |\n|---|---|---:|---:|---:|\n" +
		"| `initial_sync.table_map.customers` | DEMF | 3 | 0 | 0 |\n" +
		"| `initial_sync.table_map.customers` | USMF | 15 | 3 | 1 |\n"
	if diff := cmp.Diff(want, companyTable(as)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := companyTable(as[:1]); got != "" {
		t.Errorf("a plan without syncs: %q", got)
	}
}

// TestPlanJSONDiagnosticsHaveRanges: the diagnostics of a JSON plan are the one diagnostic type,
// with the range and the source snippet of their subject.
func TestPlanJSONDiagnosticsHaveRanges(t *testing.T) {
	src := []byte("link \"main\" {\n  lifecycle { prevent_destroy = true }\n}\n")
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Instance cannot be destroyed", Detail: "link.main has lifecycle.prevent_destroy set.",
		Subject: &hcl.Range{Filename: "main.dw.hcl", Start: hcl.Pos{Line: 1, Column: 1, Byte: 0}, End: hcl.Pos{Line: 1, Column: 12, Byte: 11}}}
	var b bytes.Buffer
	if err := RenderJSON(&b, &planner.Plan{}, NewDiagnostics(hcl.Diagnostics{d}, map[string][]byte{"main.dw.hcl": src})); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Diagnostics []Diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []Diagnostic{{Severity: "error", Summary: d.Summary, Detail: d.Detail,
		Range:   &Range{Filename: "main.dw.hcl", Start: Pos{Line: 1, Column: 1}, End: Pos{Line: 1, Column: 12, Byte: 11}},
		Snippet: &Snippet{Context: `link "main"`, Code: `link "main" {`, StartLine: 1, HighlightEndOffset: 11}}}
	if diff := cmp.Diff(want, doc.Diagnostics); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
