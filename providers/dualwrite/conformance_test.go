package dualwrite

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/providers"
)

// fixture reads a conformance fixture of testdata/gateway.
func fixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "gateway", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// conformanceLink is the link of the fixtures.
var conformanceLink = providers.LinkInfo{ConnectionSetID: "7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41", ConnectionSetName: "dualwrite_7f3c2a10",
	FinOpsEnvironment: "contoso-test.sandbox.operations.dynamics.com", DataverseEnvironment: "https://contoso-test.crm.dynamics.com",
	DataverseEnvironmentID: "3c9e1f22-8d4b-4f0a-b6a5-71e2c0d9f812", DataverseDataset: "org1a2b3c4d", SolutionAware: true}

func conformanceClient(t *testing.T) (*Client, *recorded) {
	t.Helper()
	c, g := newRecorded(t, map[string][]string{
		"GET " + mgmtPath + "Environments":                                                                                          {fixture(t, "environments.json")},
		"GET /api/ConnectionSet/dualwrite_7f3c2a10":                                                                                 {fixture(t, "connection-set.json")},
		"GET " + mgmtPath + "Entities":                                                                                              {fixture(t, "entities.json")},
		"GET " + mgmtPath + "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4/FieldMappings":                                                    {fixture(t, "field-mappings.json")},
		"GET " + mgmtPath + "Status/b2c3d4e5-0000-4000-8000-000000000003":                                                           {fixture(t, "status.json")},
		"GET /api/ProjectExecutionWithCompanies/9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4":                                               {fixture(t, "executions.json")},
		"POST " + mgmtPath + "GetTemplatePrerequisiteSequences/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41":                                {fixture(t, "prerequisites.json")},
		"GET " + mgmtPath + "SolutionAware/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41/Solutions/":                                         {fixture(t, "solutions.json")},
		"POST " + mgmtPath + "SolutionAware/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41/RestoreTemplates":                                  {`{"requestId":"d4e5f6a7-0000-4000-8000-000000000006"}`},
		"GET " + mgmtPath + "SolutionAware/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41/Status/d4e5f6a7-0000-4000-8000-000000000006":        {fixture(t, "solution-status.json")},
		"POST /api/Project/DWM-9E8D7C6B5A494382A1B0C9D8E7F6A5B4/Refresh":                                                            {`{}`},
		"POST /api/dataset/org1a2b3c4d/IntegrationKeys":                                                                             {`{}`},
		"POST /api/ConnectionSet/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41/Reset":                                                        {``},
		"POST " + mgmtPath + "SolutionAware/7f3c2a10-5b2e-4d7a-9c11-2f0e6a8b9d41/SwitchActive/3d5f7a9b-1c2e-4f3a-8b4c-5d6e7f8a9b0c": {``},
	}, PollOptions{Sleep: func(context.Context, time.Duration) error { return nil }})
	c.finOps = "contoso-test.sandbox.operations.dynamics.com"
	return c, g
}

func TestConformanceLink(t *testing.T) {
	c, _ := conformanceClient(t)
	ctx := context.Background()
	link, found, err := c.Link(ctx)
	if err != nil || !found {
		t.Fatalf("Link = %v, %v", found, err)
	}
	if diff := cmp.Diff(conformanceLink, link); diff != "" {
		t.Errorf("link (-want +got):\n%s", diff)
	}
	d, err := c.Details(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	want := providers.LinkDetails{
		LegalEntities: []providers.LegalEntity{{Code: "DEMF", Name: "Contoso Entertainment System Germany"}, {Code: "USMF", Name: "Contoso Entertainment System USA"}},
		// account: userKeys wins over the hard-coded primary key; msdyn_customergroup: userKey; uom has neither.
		IntegrationKeys: map[string][]string{"account": {"accountnumber", "msdyn_company.cdm_companycode"},
			"msdyn_customergroup": {"msdyn_groupid", "msdyn_company.cdm_companycode"}},
		Alerts:   []providers.AlertSetting{{Name: "outage", Errors: []string{"application", "network"}, Count: 10, Within: 15 * time.Minute, Action: "pause"}},
		Warnings: []string{`GET api/ConnectionSet/dualwrite_7f3c2a10: dualWriteDetail.alertSettings[1] ("weekly") has the unknown unit "Weeks"; dwctl ignores that alert`},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

func TestConformanceMaps(t *testing.T) {
	c, _ := conformanceClient(t)
	maps, err := c.Maps(context.Background(), conformanceLink)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 5, 14, 8, 21, 40, 123456700, time.UTC)
	units := providers.MapTemplate{ID: "2b4f6a8c-0d1e-4f2a-b3c4-d5e6f7a8b9c0", Author: "Microsoft", Version: "1.0.0.2", ReadOnly: true, Created: created}
	ms := providers.MapTemplate{ID: "3d5f7a9b-1c2e-4f3a-8b4c-5d6e7f8a9b0c", Author: "Microsoft", Version: "1.0.0.12", ReadOnly: true, Created: time.Date(2024, 5, 14, 8, 21, 40, 0, time.UTC)}
	ours := providers.MapTemplate{ID: "4c6e8a0b-2d3f-4a5b-9c6d-7e8f9a0b1c2d", Author: "Contoso", Version: "1.0.0.13", Created: time.Date(2026, 10, 2, 12, 0, 0, 0, time.UTC)}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	want := []providers.Map{
		{TemplateID: units.ID, ProjectID: "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4", DisplayName: "uoms - Units", FinOpsEntity: "UnitOfMeasureEntity",
			FinOpsLabel: "Units", DataverseTable: "uom", DataverseEntitySet: "uoms", Active: units, Versions: []providers.MapTemplate{units},
			State: providers.StateRunning,
			LastRequests: []providers.Request{
				{ID: "a1b2c3d4-0000-4000-8000-000000000001", Action: providers.ActionStart, State: providers.RequestCompleted, Created: at("2026-11-30T10:00:00Z"), Modified: at("2026-11-30T10:04:12Z")},
				{ID: "a1b2c3d4-0000-4000-8000-000000000002", Action: 11, State: providers.RequestCompleted, Created: at("2026-11-30T10:15:00Z"), Modified: at("2026-11-30T10:15:09Z")}},
			Warnings: []string{`GET Entities: [0].detail.lastRequests[1].action has the action "11", which dwctl does not know; it is shown as it is`}},
		{TemplateID: ours.ID, DisplayName: "accounts - Customers V3", FinOpsEntity: "CustCustomerV3Entity", FinOpsLabel: "Customers V3",
			DataverseTable: "account", DataverseEntitySet: "accounts", Active: ours, Versions: []providers.MapTemplate{ms, ours}, State: providers.StateNotRunning},
	}
	if diff := cmp.Diff(want, maps); diff != "" {
		t.Errorf("maps (-want +got):\n%s", diff)
	}
}

func TestConformanceProject(t *testing.T) {
	c, g := conformanceClient(t)
	ctx := context.Background()
	units := providers.Map{DisplayName: "uoms - Units", ProjectID: "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4", Active: providers.MapTemplate{ID: "2b4f6a8c-0d1e-4f2a-b3c4-d5e6f7a8b9c0"}}
	def, err := c.MapDefinition(ctx, conformanceLink, units)
	if err != nil {
		t.Fatal(err)
	}
	two := "2"
	want := providers.MapDefinition{FinOpsEntity: "UnitOfMeasureEntity", DataverseEntitySet: "uoms",
		FinOpsFilter: `((UnitClass != "Undefined"))`, DataverseFilter: "msdyn_decimalprecision ge 0",
		Fields: []providers.FieldMapping{
			{FinOps: "UnitSymbol", Dataverse: "msdyn_symbol", Direction: providers.Bidirectional},
			{FinOps: "UnitDescription", Dataverse: "name", Direction: providers.ToDataverse},
			{FinOps: "UnitClass", Dataverse: "msdyn_unitclass", Direction: providers.Bidirectional, ValueMap: map[string]string{"Quantity": "1", "Mass": "2"}},
			{FinOps: "DecimalPrecision", Dataverse: "msdyn_decimalprecision", Direction: providers.ToFinOps, Default: &two},
		}}
	if diff := cmp.Diff(want, def); diff != "" {
		t.Errorf("definition (-want +got):\n%s", diff)
	}
	if err := c.RefreshTables(ctx, conformanceLink, units); err != nil {
		t.Fatal(err)
	}
	last := g.got[len(g.got)-1]
	if last.Path != "/api/Project/DWM-9E8D7C6B5A494382A1B0C9D8E7F6A5B4/Refresh" || last.Body != `{"tokens":[""]}` {
		t.Errorf("refresh = %+v", last)
	}
	if err := c.SwitchVersion(ctx, conformanceLink, units, "3d5f7a9b-1c2e-4f3a-8b4c-5d6e7f8a9b0c"); err != nil {
		t.Fatal(err)
	}
	last = g.got[len(g.got)-1]
	if last.Query != "pid=9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4" || last.Body != "3d5f7a9b-1c2e-4f3a-8b4c-5d6e7f8a9b0c" {
		t.Errorf("switch active = %+v, want ?pid= and the raw template id as body", last)
	}
	if err := c.SwitchVersion(ctx, conformanceLink, providers.Map{DisplayName: "x"}, "t"); err == nil || !strings.Contains(err.Error(), "initialise") {
		t.Errorf("switch without a project = %v", err)
	}
}

func TestConformanceRequestsAndResults(t *testing.T) {
	c, _ := conformanceClient(t)
	ctx := context.Background()
	req, err := c.Wait(ctx, conformanceLink, "b2c3d4e5-0000-4000-8000-000000000003")
	if err == nil || req.State != providers.RequestError || !strings.Contains(err.Error(), "DIPV1003") || !strings.Contains(err.Error(), `"uoms - Units"`) {
		t.Errorf("Wait = %+v, %v", req, err)
	}
	res, err := c.InitialSyncResults(ctx, conformanceLink, providers.Map{DisplayName: "uoms - Units", ProjectID: "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4"})
	if err != nil {
		t.Fatal(err)
	}
	want := []providers.SyncResult{
		{Company: "USMF", Status: "CompletedWithErrors", Upserts: 41, Errors: 2, FirstErrors: []providers.SyncError{
			{RecordID: "Kg-05", Field: "UnitClass", Message: "Value Weight is not in the value map."},
			{RecordID: "Kg-06", Field: "UnitClass", Message: "Value Weight is not in the value map."}}},
		{Company: "DEMF", Status: "Completed", Upserts: 12},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("results: only the newest run (-want +got):\n%s", diff)
	}
	pre, err := c.Prerequisites(ctx, conformanceLink, "4c6e8a0b-2d3f-4a5b-9c6d-7e8f9a0b1c2d")
	if diff := cmp.Diff([]string{"6e8a0c2d-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "7f9b1d3e-5a6b-4c7d-9e8f-0a1b2c3d4e5f"}, pre); err != nil || diff != "" {
		t.Errorf("prerequisites (-want +got): %v\n%s", err, diff)
	}
}

func TestConformanceSolutions(t *testing.T) {
	c, g := conformanceClient(t)
	ctx := context.Background()
	sols, err := c.Solutions(ctx, conformanceLink)
	want := []providers.Solution{{UniqueName: "Dynamics365Company", FriendlyName: "Dual-write application core", Version: "1.0.4.96", Managed: true},
		{UniqueName: "contoso_dwctl_maps", FriendlyName: "Contoso dual-write maps", Version: "1.0.0.0"}}
	if diff := cmp.Diff(want, sols); err != nil || diff != "" {
		t.Errorf("solutions (-want +got): %v\n%s", err, diff)
	}
	if err := c.ApplySolution(ctx, conformanceLink, "contoso_dwctl_maps"); err != nil {
		t.Fatal(err)
	}
	var body any
	for _, r := range g.got {
		if strings.HasSuffix(r.Path, "/RestoreTemplates") {
			_ = json.Unmarshal([]byte(r.Body), &body)
		}
	}
	wantBody := map[string]any{"action": "2", "solutions": []any{map[string]any{"criteria": map[string]any{"uniquename": "contoso_dwctl_maps"}}}}
	if diff := cmp.Diff(wantBody, body); diff != "" {
		t.Errorf("RestoreTemplates body (-want +got):\n%s", diff)
	}
}

// TestConformanceWrites checks the bodies of the observed writes: integration keys one table a
// request on the Dataverse dataset, and Reset's body.
func TestConformanceWrites(t *testing.T) {
	c, g := conformanceClient(t)
	ctx := context.Background()
	if err := c.SetIntegrationKeys(ctx, conformanceLink, map[string][]string{"uom": {"msdyn_symbol"}, "account": {"accountnumber"}}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range g.got {
		if r.Path == "/api/dataset/org1a2b3c4d/IntegrationKeys" {
			keys = append(keys, r.Body)
		}
	}
	wantKeys := []string{`{"datasetName":"org1a2b3c4d","integrationKeys":{"account":["accountnumber"]}}`,
		`{"datasetName":"org1a2b3c4d","integrationKeys":{"uom":["msdyn_symbol"]}}`}
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("integration-key requests (-want +got):\n%s", diff)
	}
	if err := c.ResetLink(ctx, conformanceLink, providers.ResetOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	last := g.got[len(g.got)-1]
	var body map[string]any
	if err := json.Unmarshal([]byte(last.Body), &body); err != nil {
		t.Fatal(err)
	}
	wantReset := map[string]any{"powerAppsEnvironmentName": "3c9e1f22-8d4b-4f0a-b6a5-71e2c0d9f812",
		"environments": []any{
			map[string]any{"targetType": "CDS", "name": "org1a2b3c4d", "displayName": "Contoso Test", "id": "3c9e1f22-8d4b-4f0a-b6a5-71e2c0d9f812",
				"isDevInstance": false, "directUrl": "https://contoso-test.crm.dynamics.com/"},
			map[string]any{"targetType": "AX", "name": "contoso-test.sandbox.operations.dynamics.com", "displayName": "contoso-test",
				"id": "0f6b8c3e-2a4d-4c9b-8e71-5d2f9a1b3c44", "isDevInstance": true, "directUrl": "https://contoso-test.sandbox.operations.dynamics.com"}},
		"legalEntities": []any{"usmf", "demf"}}
	if diff := cmp.Diff(wantReset, body); diff != "" {
		t.Errorf("reset body (-want +got):\n%s", diff)
	}
	if last.Query != "targetType=AX&forceReset=true" {
		t.Errorf("reset query = %q", last.Query)
	}
}
