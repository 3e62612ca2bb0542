package live

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/planner"
	"github.com/dwctl/dwctl/providers"
	"github.com/google/go-cmp/cmp"
)

// calls counts requests by name.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *calls) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *calls) total() int {
	t := 0
	for _, n := range c.n {
		t += n
	}
	return t
}

// pageSize is the paging of the fakes' bulk listings: a listing of n
// objects costs ceil(n/pageSize) requests, as over HTTP.
const pageSize = 100

func pages(n int) int { return max(1, (n+pageSize-1)/pageSize) }

type fakeControl struct {
	providers.ControlPlane
	c    *calls
	maps []providers.Map
}

func (f *fakeControl) Link(context.Context) (providers.LinkInfo, bool, error) {
	f.c.add("link")
	return providers.LinkInfo{ConnectionSetID: "cs", FinOpsEnvironment: "fo.example", DataverseEnvironment: "https://dv.example"}, true, nil
}
func (f *fakeControl) Details(context.Context, providers.LinkInfo) (providers.LinkDetails, error) {
	f.c.add("details")
	return providers.LinkDetails{LegalEntities: []providers.LegalEntity{{Code: "USMF"}}, IntegrationKeys: map[string][]string{},
		Warnings: []string{"GET api/ConnectionSet/cs: dualWriteDetail.alertSettings[0] has no name; dwctl ignores that alert"}}, nil
}
func (f *fakeControl) LinkWithDetails(ctx context.Context) (providers.LinkInfo, providers.LinkDetails, bool, error) {
	link, found, _ := f.Link(ctx)
	d, err := f.Details(ctx, link)
	return link, d, found, err
}
func (f *fakeControl) Probe(context.Context) (providers.Gateway, error) {
	f.c.add("probe")
	return providers.Gateway{Version: "1"}, nil
}
func (f *fakeControl) Maps(context.Context, providers.LinkInfo) ([]providers.Map, error) {
	for range pages(len(f.maps)) {
		f.c.add("maps")
	}
	return f.maps, nil
}
func (f *fakeControl) MapDefinition(_ context.Context, _ providers.LinkInfo, want providers.Map) (providers.MapDefinition, error) {
	f.c.add("map_definition")
	for _, m := range f.maps {
		if m.ProjectID == want.ProjectID {
			return providers.MapDefinition{FinOpsEntity: m.FinOpsEntity, DataverseEntitySet: m.DataverseEntitySet}, nil
		}
	}
	return providers.MapDefinition{}, fmt.Errorf("no project %s", want.ProjectID)
}

type fakeDataverse struct {
	providers.Dataverse
	c       *calls
	mapping []providers.EntityMap
}

func (f *fakeDataverse) Companies(context.Context) ([]providers.Company, error) {
	f.c.add("companies")
	return []providers.Company{{Code: "usmf", Name: "Contoso"}}, nil
}
func (f *fakeDataverse) CurrentOrganization(context.Context) (providers.Organization, error) {
	f.c.add("organization")
	return providers.Organization{ID: "org", EnvironmentID: "env"}, nil
}
func (f *fakeDataverse) EntityMaps(context.Context) ([]providers.EntityMap, error) {
	for range pages(len(f.mapping)) {
		f.c.add("entity_maps")
	}
	return f.mapping, nil
}
func (f *fakeDataverse) CountRows(_ context.Context, set string, _ providers.Query) (int64, error) {
	f.c.add("count")
	return int64(len(set)), nil
}

type fakeFinOps struct {
	providers.FinOps
	c *calls
}

func (f *fakeFinOps) Tables(_ context.Context, names []string) ([]providers.Table, error) {
	f.c.add("finops_tables")
	var out []providers.Table
	for _, n := range names {
		out = append(out, providers.Table{LogicalName: n + "Entity", EntitySetName: n})
	}
	return out, nil
}
func (f *fakeFinOps) LegalEntities(context.Context) ([]providers.Company, error) {
	f.c.add("legal_entities")
	return []providers.Company{{Code: "usmf", Name: "Contoso"}}, nil
}
func (f *fakeFinOps) ProjectConfigurations(context.Context) ([]providers.ProjectConfiguration, error) {
	f.c.add("project_configurations")
	return nil, nil
}
func (f *fakeFinOps) CountRows(_ context.Context, set string, _ providers.Query) (int64, error) {
	f.c.add("count")
	return 1000, nil
}

// fixture returns a configuration of n running maps and a fake pair that
// holds them, with their definitions in msdyn_dualwriteentitymaps except
// for the ones missing.
func fixture(t testing.TB, n, missing int) (*config.Config, Pair, *calls) {
	var src strings.Builder
	src.WriteString(`
environment "finops" "fo" { url = "https://fo.example" }
environment "dataverse" "ce" { url = "https://dv.example" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`)
	c := &calls{}
	ctl := &fakeControl{c: c}
	dv := &fakeDataverse{c: c}
	for i := range n {
		fmt.Fprintf(&src, "table_map \"m%d\" {\n  link = link.main\n  finops = \"Set%d\"\n  dataverse = \"set%d\"\n  field \"A\" \"a\" {}\n}\n", i, i, i)
		id := fmt.Sprintf("t%d", i)
		ctl.maps = append(ctl.maps, providers.Map{TemplateID: id, ProjectID: "p" + id, FinOpsEntity: fmt.Sprintf("Set%dEntity", i),
			DataverseEntitySet: fmt.Sprintf("set%d", i), Active: providers.MapTemplate{ID: id, Version: "1.0.0.1"}, State: providers.StateRunning})
		if i < n-missing {
			doc := fmt.Sprintf(`{"legs":[{"sourceSchema":"Set%dEntity","sourceEnvironmentType":"AX","destinationSchema":"set%d","fieldMappings":[{"syncDirection":3,"sourceField":"A","destinationField":"a"}]}]}`, i, i)
			dv.mapping = append(dv.mapping, providers.EntityMap{ID: providers.GUID(strings.ToUpper(id)), Mapping: json.RawMessage(doc)})
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cfg, Pair{Control: ctl, Dataverse: dv, FinOps: &fakeFinOps{c: c}}, c
}

func TestReadPlansNoChanges(t *testing.T) {
	cfg, pair, _ := fixture(t, 3, 1)
	l, err := Read(context.Background(), cfg, cfg.Links["main"], pair, Options{Counts: true})
	if err != nil {
		t.Fatal(err)
	}
	p, diags := planner.Build(cfg, map[string]*planner.Live{"main": l}, nil, planner.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var ids []string
	for _, a := range p.Actions {
		ids = append(ids, a.ID)
	}
	// The map whose definition was read through the control plane has no
	// fields (the fake returns none), so it alone differs.
	want := []string{"table_map.m2:stop", "table_map.m2:save_version", "table_map.m2:start"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

func TestReadRequestsAreBounded(t *testing.T) {
	tests := map[string]struct {
		maps, missing int
		want          map[string]int
	}{
		"5 maps": {maps: 5, want: map[string]int{"link": 1, "details": 1, "probe": 1, "organization": 1, "legal_entities": 1, "maps": 1,
			"companies": 1, "entity_maps": 1, "finops_tables": 1, "project_configurations": 1}},
		"500 maps": {maps: 500, want: map[string]int{"link": 1, "details": 1, "probe": 1, "organization": 1, "legal_entities": 1, "maps": 5,
			"companies": 1, "entity_maps": 5, "finops_tables": 1, "project_configurations": 1}},
		"definitions missing": {maps: 20, missing: 2, want: map[string]int{"link": 1, "details": 1, "probe": 1, "organization": 1, "legal_entities": 1,
			"maps": 1, "companies": 1, "entity_maps": 1, "finops_tables": 1, "map_definition": 2,
			"project_configurations": 1}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg, pair, c := fixture(t, tc.maps, tc.missing)
			if _, err := Read(context.Background(), cfg, cfg.Links["main"], pair, Options{Counts: true}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c.n); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkPlanRequests(b *testing.B) {
	for _, n := range []int{5, 500} {
		b.Run(fmt.Sprintf("maps=%d", n), func(b *testing.B) {
			cfg, pair, c := fixture(b, n, 0)
			for b.Loop() {
				c.n = nil
				l, err := Read(context.Background(), cfg, cfg.Links["main"], pair, Options{Counts: true})
				if err != nil {
					b.Fatal(err)
				}
				planner.Build(cfg, map[string]*planner.Live{"main": l}, nil, planner.Options{})
			}
			b.ReportMetric(float64(c.total()), "requests/plan")
		})
	}
}

func TestDecodeMapping(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want *providers.MapDefinition
	}{
		"two legs": {
			doc: `{"legs":[
 {"sourceSchema":"CustomersV3","sourceEnvironmentType":"AX","destinationSchema":"accounts","sourceFilter":"(A == 1)",
  "fieldMappings":[{"syncDirection":3,"sourceField":"CUSTOMERACCOUNT","destinationField":"accountnumber"},
   {"syncDirection":"1","sourceField":"","destinationField":"customertypecode","valueTransforms":[{"transformType":"Default","defaultValue":3}]},
   {"syncDirection":3,"sourceField":"ONHOLD","destinationField":"msdyn_onhold","valueTransforms":[{"transformType":"ValueMap","valueMap":{"no":"1"}}]}]},
 {"sourceSchema":"accounts","sourceEnvironmentType":"CRM","destinationSchema":"CustomersV3","sourceFilter":"a eq 1",
  "fieldMappings":[{"syncDirection":1,"sourceField":"","destinationField":"LANGUAGEID","valueTransforms":[{"transformType":"Default","defaultValue":"en-us"}]},
   {"syncDirection":3,"sourceField":"accountnumber","destinationField":"CUSTOMERACCOUNT"}]}]}`,
			want: &providers.MapDefinition{FinOpsEntity: "CustomersV3", DataverseEntitySet: "accounts", FinOpsFilter: "(A == 1)",
				DataverseFilter: "a eq 1", Fields: []providers.FieldMapping{
					{FinOps: "CUSTOMERACCOUNT", Dataverse: "accountnumber", Direction: 3},
					{Dataverse: "customertypecode", Direction: 1, Default: ptr("3")},
					{FinOps: "ONHOLD", Dataverse: "msdyn_onhold", Direction: 3, ValueMap: map[string]string{"no": "1"}},
					{FinOps: "LANGUAGEID", Direction: 2, Default: ptr("en-us")},
				}},
		},
		"no F&O leg": {doc: `{"legs":[{"sourceEnvironmentType":"CRM"}]}`},
		"not json":   {doc: `legs`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, _ := DecodeMapping(json.RawMessage(tc.doc))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func FuzzDecodeMapping(f *testing.F) {
	f.Add(`{"legs":[{"sourceEnvironmentType":"AX","fieldMappings":[{"syncDirection":2,"valueTransforms":[{"transformType":"Default","defaultValue":null}]}]}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		d, ok := DecodeMapping(json.RawMessage(doc))
		if ok != (d != nil) {
			t.Fatalf("ok %v with definition %v", ok, d)
		}
		if d != nil {
			for _, fm := range d.Fields {
				if fm.Direction < 1 || fm.Direction > 3 {
					t.Fatalf("direction %d", fm.Direction)
				}
			}
		}
	})
}

type teamsDataverse struct {
	fakeDataverse
}

func (f *teamsDataverse) ListRows(_ context.Context, set string, q providers.Query, page func([]providers.Row) error) error {
	f.c.add("list " + set)
	switch set {
	case "cdm_companies":
		return page([]providers.Row{{"cdm_companycode": "usmf", "_cdm_defaultowningteam_value": "T1"},
			{"cdm_companycode": "DEMF", "_cdm_defaultowningteam_value": "t2"}, {"cdm_companycode": "GBSI"}})
	case "teams":
		if q.Filter == "name eq 'USMF DW'" {
			return page([]providers.Row{{"name": "USMF DW"}})
		}
		if !strings.Contains(q.Filter, "teamid eq t1") || !strings.Contains(q.Filter, "teamid eq t2") {
			return fmt.Errorf("filter %q", q.Filter)
		}
		return page([]providers.Row{{"teamid": "t1", "name": "USMF DW"}, {"teamid": "T2", "name": "Europe"}})
	}
	return fmt.Errorf("unexpected set %s", set)
}

func TestOwningTeams(t *testing.T) {
	cfg, pair, c := fixture(t, 1, 0)
	dv := &teamsDataverse{fakeDataverse: *pair.Dataverse.(*fakeDataverse)}
	pair.Dataverse = dv
	for _, co := range []string{"", "USMF DW"} {
		cfg.Companies["company.USMF"] = &config.Company{Address: "company.USMF", ID: "USMF", Link: cfg.Links["main"], OwningTeam: co}
		c.n = nil
		l, err := Read(context.Background(), cfg, cfg.Links["main"], pair, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		if co != "" {
			want = map[string]string{"USMF": "USMF DW", "DEMF": "Europe"}
		}
		if diff := cmp.Diff(want, l.OwningTeams); diff != "" {
			t.Errorf("owning team %q: (-want +got):\n%s", co, diff)
		}
		if got := c.n["list teams"]; (co != "") != (got == 2) {
			t.Errorf("owning team %q: %d team reads, want the declared ones and the companies' ones", co, got)
		}
		if co != "" && !l.Teams["usmf dw"] {
			t.Errorf("the declared team is not found: %v", l.Teams)
		}
	}
}
