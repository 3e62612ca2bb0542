package dualwrite_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/dualwrite"
)

// TestControlPlaneFlow drives every control-plane operation against the emulator over HTTPS, in the
// order a first apply would.
func TestControlPlaneFlow(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	ctx := context.Background()

	if _, found, err := c.Link(ctx); err != nil || found {
		t.Fatalf("Link before linking = %v, %v", found, err)
	}
	link := mustLink(t, c, e, "USMF", "DEMF")
	got, found, err := c.Link(ctx)
	if err != nil || !found || got != link || got.DataverseEnvironment != e.Info().DataverseURL || got.DataverseEnvironmentID == "" || got.DataverseDataset == "" {
		t.Fatalf("Link = %+v, %v, %v; created %+v", got, found, err, link)
	}
	_, err = c.CreateLink(ctx, providers.LinkRequest{DataverseEnvironment: e.Info().DataverseURL})
	wantStatus(t, err, http.StatusConflict, "already linked")

	t.Run("legal entities", func(t *testing.T) { legalEntities(t, c, link) })
	t.Run("integration keys", func(t *testing.T) { integrationKeys(t, c, link) })
	t.Run("alerts", func(t *testing.T) { alerts(t, c, link) })

	maps, err := c.Maps(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	customers := mapNamed(t, maps, "accounts - Customers V3")
	if customers.State != providers.StateNotRunning || len(customers.Versions) != 2 || customers.Active.Author != "Microsoft" ||
		customers.DataverseTable != "account" || customers.FinOpsEntity != "CustomersV3" {
		t.Fatalf("customers map = %+v", customers)
	}
	if _, err := c.MapDefinition(ctx, link, customers); err == nil || !strings.Contains(err.Error(), "no project") {
		t.Fatalf("definition of a map never initialised: %v", err)
	}
	if _, err := act(t, c, link, providers.ActionInitialize, providers.ActionOptions{}, customers); err != nil {
		t.Fatal(err)
	}
	maps, _ = c.Maps(ctx, link)
	customers = mapNamed(t, maps, "accounts - Customers V3")
	def, err := c.MapDefinition(ctx, link, customers)
	if err != nil || def.FinOpsFilter != `((PartyType == "Organization"))` || def.DataverseFilter != "customertypecode eq 3" || def.FinOpsEntity != "CustomersV3" {
		t.Fatalf("definition = %+v, %v", def, err)
	}

	t.Run("initialize", func(t *testing.T) {
		vendors := mapNamed(t, maps, "msdyn_vendorgroups - Vendor groups")
		if vendors.ProjectID != "" {
			t.Fatalf("a map that never ran has project %q", vendors.ProjectID)
		}
		if req, err := act(t, c, link, providers.ActionInitialize, providers.ActionOptions{}, vendors); err != nil || req.Action != providers.ActionInitialize {
			t.Fatalf("initialize: %+v, %v", req, err)
		}
		after, _ := c.Maps(ctx, link)
		if m := mapNamed(t, after, vendors.DisplayName); m.ProjectID == "" || m.State != providers.StateNotRunning {
			t.Fatalf("after initialize: %+v", m)
		}
	})
	t.Run("start with initial sync", func(t *testing.T) { startWithInitialSync(t, e, c, link) })
	t.Run("pause, resume, stop", func(t *testing.T) { lifecycle(t, c, link) })
	t.Run("versions", func(t *testing.T) { versions(t, e, c, link, def) })
}

func legalEntities(t *testing.T, c *dualwrite.Client, link providers.LinkInfo) {
	ctx := context.Background()
	if err := c.AddLegalEntities(ctx, link, []string{"gbsi"}, true); err != nil {
		t.Fatal(err)
	}
	les := details(t, c, link).LegalEntities
	want := []providers.LegalEntity{{Code: "DEMF", Name: "Contoso Entertainment System Germany"},
		{Code: "GBSI", Name: "Contoso Entertainment System UK"}, {Code: "USMF", Name: "Contoso Entertainment System USA"}}
	if diff := cmp.Diff(want, les); diff != "" {
		t.Fatalf("legal entities (-want +got):\n%s", diff)
	}
	if err := c.RemoveLegalEntities(ctx, link, []string{"GBSI"}); err != nil {
		t.Fatal(err)
	}
	if les = details(t, c, link).LegalEntities; len(les) != 2 {
		t.Fatalf("after removal: %+v", les)
	}
	wantStatus(t, c.AddLegalEntities(ctx, link, []string{"ZZZZ"}, true), http.StatusBadRequest, "does not exist")
}

func integrationKeys(t *testing.T, c *dualwrite.Client, link providers.LinkInfo) {
	ctx := context.Background()
	keys := details(t, c, link).IntegrationKeys
	if !cmp.Equal(keys["account"], []string{"accountnumber", "msdyn_company.cdm_companycode"}) {
		t.Fatalf("keys = %v", keys)
	}
	err := c.SetIntegrationKeys(ctx, link, map[string][]string{"account": {"name"}})
	wantStatus(t, err, http.StatusBadRequest, "is not one of its active alternate keys")
	if err := c.SetIntegrationKeys(ctx, link, map[string][]string{"contact": {"msdyn_contactpersonid", "msdyn_company.cdm_companycode"}}); err != nil {
		t.Fatal(err)
	}
	// An empty list deletes a key.
	if err := c.SetIntegrationKeys(ctx, link, map[string][]string{"uom": {}}); err != nil {
		t.Fatal(err)
	}
	if keys = details(t, c, link).IntegrationKeys; len(keys["uom"]) != 0 || len(keys["contact"]) != 2 {
		t.Fatalf("keys after deleting uom's: %v", keys)
	}
}

func alerts(t *testing.T, c *dualwrite.Client, link providers.LinkInfo) {
	ctx := context.Background()
	want := []providers.AlertSetting{{Name: "outage", Errors: []string{"application", "network"}, Count: 10, Within: 15 * time.Minute,
		Action: "pause", Recipients: []string{"ops@contoso.com"}}}
	if err := c.SetAlerts(ctx, link, want); err != nil {
		t.Fatal(err)
	}
	got := details(t, c, link)
	if diff := cmp.Diff(want, got.Alerts); diff != "" || len(got.Warnings) != 0 {
		t.Fatalf("alerts (-want +got): %v\n%s", got.Warnings, diff)
	}
}

// references are the maps the customers map looks up, in dependency order.
var references = []string{"msdyn_paymentterms - Terms of payment", "msdyn_customergroups - Customer groups", "transactioncurrencies - Currencies"}

func startWithInitialSync(t *testing.T, e *emulator.Emulator, c *dualwrite.Client, link providers.LinkInfo) {
	ctx := context.Background()
	maps, _ := c.Maps(ctx, link)
	var batch []providers.Map
	for _, n := range append(references, "accounts - Customers V3") {
		batch = append(batch, mapNamed(t, maps, n))
	}
	e.SetControlPolls(1)
	id, err := c.Act(ctx, link, providers.ActionStart, batch, providers.ActionOptions{Master: "finops"})
	if err != nil {
		t.Fatal(err)
	}
	maps, _ = c.Maps(ctx, link)
	waiting := mapNamed(t, maps, "accounts - Customers V3")
	if waiting.State != providers.StateInitialSync || waiting.LastRequests[len(waiting.LastRequests)-1].State != providers.RequestWaiting {
		t.Fatalf("while waiting: state %v, requests %+v", waiting.State, waiting.LastRequests)
	}
	req, err := c.Wait(ctx, link, id)
	if err != nil || req.State != providers.RequestCompleted || req.Action != providers.ActionStart {
		t.Fatalf("Wait = %+v, %v", req, err)
	}
	maps, _ = c.Maps(ctx, link)
	customers := mapNamed(t, maps, "accounts - Customers V3")
	if customers.State != providers.StateRunning || customers.ProjectID == "" {
		t.Fatalf("customers after start: %+v", customers)
	}
	results, err := c.InitialSyncResults(ctx, link, customers)
	if err != nil || len(results) != 2 {
		t.Fatalf("results = %+v, %v", results, err)
	}
	// Rows: 8 per company seeds 6 organisations and 2 persons; only organisations pass the filter.
	for _, r := range results {
		if r.Upserts != 6 || r.Errors != 0 || r.Status != "Completed" {
			t.Errorf("company %s: %+v", r.Company, r)
		}
	}
	synced := 0
	_ = e.Store().Scan(ctx, store.Dataverse, "account", "", func(r store.Row) (bool, error) {
		if r.Data["_msdyn_company_value"] != nil && r.Data["_msdyn_customergroupid_value"] != nil &&
			r.Data["_transactioncurrencyid_value"] != nil && r.Data["customertypecode"] == 3.0 {
			synced++
		}
		return true, nil
	})
	if synced != 12 {
		t.Errorf("%d accounts with company, customer group, currency and type 3; want 12", synced)
	}
	checkArtefacts(t, e, 4)
}

// checkArtefacts counts the rows the service leaves for running maps: two project configurations
// per map in F&O and a runtime configuration per map with a leg from Dataverse.
func checkArtefacts(t *testing.T, e *emulator.Emulator, running int) {
	t.Helper()
	ctx := context.Background()
	n, err := e.Store().Count(ctx, store.FinOps, "DualWriteProjectConfiguration")
	if err != nil || n != 2*running {
		t.Errorf("DualWriteProjectConfigurations: %d rows, %v; want %d", n, err, 2*running)
	}
	n, err = e.Store().Count(ctx, store.Dataverse, "msdyn_dualwriteruntimeconfig")
	if err != nil || n == 0 {
		t.Errorf("msdyn_dualwriteruntimeconfig: %d rows, %v", n, err)
	}
}

func lifecycle(t *testing.T, c *dualwrite.Client, link providers.LinkInfo) {
	ctx := context.Background()
	maps, _ := c.Maps(ctx, link)
	customers := mapNamed(t, maps, "accounts - Customers V3")
	steps := []struct {
		action  providers.MapAction
		opts    providers.ActionOptions
		state   providers.MapState
		failure string
	}{
		{action: providers.ActionPause, state: providers.StatePaused},
		{action: providers.ActionPause, state: providers.StatePaused, failure: "cannot be paused: it is Paused"},
		{action: providers.ActionResume, opts: providers.ActionOptions{SkipCatchUp: true, PreserveQueue: true}, state: providers.StateRunning},
		{action: providers.ActionStop, state: providers.StateStopped},
		{action: providers.ActionStop, state: providers.StateStopped, failure: "cannot be stopped: it is Stopped"},
	}
	for i, s := range steps {
		req, err := act(t, c, link, s.action, s.opts, customers)
		var re *dualwrite.RequestError
		switch {
		case s.failure == "" && err != nil:
			t.Fatalf("step %d: %v", i, err)
		case s.failure != "" && (!errors.As(err, &re) || req.State != providers.RequestError):
			t.Fatalf("step %d: error %v, state %v; want a request error", i, err, req.State)
		case s.failure != "" && (re.Maps[0] != customers.DisplayName || !strings.Contains(re.Message, s.failure)):
			t.Fatalf("step %d: %v", i, err)
		}
		maps, _ = c.Maps(ctx, link)
		if got := mapNamed(t, maps, customers.DisplayName).State; got != s.state {
			t.Fatalf("step %d: state %v, want %v", i, got, s.state)
		}
	}
}

func versions(t *testing.T, e *emulator.Emulator, c *dualwrite.Client, link providers.LinkInfo, def providers.MapDefinition) {
	ctx := context.Background()
	maps, _ := c.Maps(ctx, link)
	groups := mapNamed(t, maps, "msdyn_customergroups - Customer groups")
	_, err := saveVersion(t, e, c, link, groups.DisplayName, def, "contoso", "1.0.0.20")
	var re *dualwrite.RequestError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "Stop it before you apply a solution") {
		t.Fatalf("saving a version of a running map: %v", err)
	}
	wantStatus(t, c.SwitchVersion(ctx, link, groups, groups.Versions[0].ID), http.StatusBadRequest, "Stop it before")

	customers := mapNamed(t, maps, "accounts - Customers V3") // stopped by lifecycle
	def.FinOpsFilter = `((PartyType == "Organization") && (CustomerGroupId != "40"))`
	tmpl, err := saveVersion(t, e, c, link, customers.DisplayName, def, "contoso2", "1.0.0.20")
	if err != nil || tmpl.Author != "contoso2" || tmpl.Version != "1.0.0.20" || tmpl.ReadOnly {
		t.Fatalf("save version = %+v, %v", tmpl, err)
	}
	if err := c.SwitchVersion(ctx, link, customers, tmpl.ID); err != nil {
		t.Fatal(err)
	}
	maps, _ = c.Maps(ctx, link)
	customers = mapNamed(t, maps, "accounts - Customers V3")
	if customers.Active.ID != tmpl.ID || len(customers.Versions) != 3 {
		t.Fatalf("after switch: %+v", customers)
	}
	got, err := c.MapDefinition(ctx, link, customers)
	if diff := cmp.Diff(def, got); err != nil || diff != "" {
		t.Fatalf("saved definition (-want +got): %v\n%s", err, diff)
	}
	if _, err := act(t, c, link, providers.ActionStart, providers.ActionOptions{SkipInitialSync: true}, customers); err != nil {
		t.Fatal(err)
	}
}
