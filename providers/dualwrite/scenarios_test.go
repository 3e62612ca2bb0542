package dualwrite_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/providers"
	"github.com/dwctl/dwctl/providers/transport"
)

// addLegalEntities creates n more F&O legal entities (L001, L002, ...).
func addLegalEntities(t *testing.T, e *emulator.Emulator, n int) []string {
	t.Helper()
	ctx := context.Background()
	le, _ := e.Store().Table(store.FinOps, "LegalEntity")
	var codes []string
	for i := 1; i <= n; i++ {
		data := map[string]any{"LegalEntityId": fmt.Sprintf("L%03d", i), "Name": fmt.Sprintf("Legal entity %d", i)}
		id, err := store.FinOpsID(le, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Store().Put(ctx, le, store.Row{ID: id, Data: data}); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, data["LegalEntityId"].(string))
	}
	return codes
}

func TestLegalEntityLimit(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	codes := addLegalEntities(t, e, 41)
	link := mustLink(t, c, e, codes[:40]...)
	if les := details(t, c, link).LegalEntities; len(les) != 40 {
		t.Fatalf("%d legal entities", len(les))
	}
	err := c.AddLegalEntities(context.Background(), link, codes[40:], false)
	wantStatus(t, err, http.StatusBadRequest, "Exceeds the maximum partitions allowed for mapping DWM-")
	if les := details(t, c, link).LegalEntities; len(les) != 40 {
		t.Fatalf("the 41st legal entity was kept: %d", len(les))
	}
}

func TestResetLink(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	ctx := context.Background()
	link := mustLink(t, c, e, "USMF")
	if err := c.SetAlerts(ctx, link, []providers.AlertSetting{{Name: "a", Errors: []string{"network"}, Count: 1, Within: time.Hour, Action: "stop"}}); err != nil {
		t.Fatal(err)
	}
	maps, _ := c.Maps(ctx, link)
	groups := mapNamed(t, maps, "msdyn_customergroups - Customer groups")
	if _, err := act(t, c, link, providers.ActionStart, providers.ActionOptions{}, mapNamed(t, maps, "msdyn_paymentterms - Terms of payment"), groups); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.ResetLink(ctx, link, providers.ResetOptions{}), http.StatusBadRequest, "Stop all table maps")
	if err := c.ResetLink(ctx, link, providers.ResetOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	// The link is made again with the legal entities it had [O]; keys and alerts are gone.
	d := details(t, c, link)
	if len(d.LegalEntities) != 1 || d.LegalEntities[0].Code != "USMF" || len(d.IntegrationKeys) != 0 || len(d.Alerts) != 0 {
		t.Fatalf("after reset: %+v", d)
	}
	if err := c.ResetLink(ctx, link, providers.ResetOptions{LegalEntities: []string{"demf", "GBSI"}}); err != nil {
		t.Fatal(err)
	}
	if les := details(t, c, link).LegalEntities; len(les) != 2 || les[0].Code != "DEMF" || les[1].Code != "GBSI" {
		t.Fatalf("after a reset with DEMF and GBSI: %+v", les)
	}
	maps, _ = c.Maps(ctx, link)
	for _, m := range maps {
		if m.State != providers.StateNotRunning || m.ProjectID != "" || len(m.LastRequests) != 0 || m.Active.Author != "Microsoft" {
			t.Fatalf("after reset: %+v", m)
		}
	}
	for _, tbl := range []struct {
		svc  store.Service
		name string
	}{{store.FinOps, "DualWriteProjectConfiguration"}, {store.FinOps, "DualWriteProjectPartitionMapping"}, {store.Dataverse, "msdyn_dualwriteruntimeconfig"}} {
		if n, _ := e.Store().Count(ctx, tbl.svc, tbl.name); n != 0 {
			t.Errorf("%s: %d rows after reset", tbl.name, n)
		}
	}
	// Without integration keys a start ends in Error, naming the missing key.
	_, err := act(t, c, link, providers.ActionStart, providers.ActionOptions{SkipInitialSync: true}, mapNamed(t, maps, "msdyn_customergroups - Customer groups"))
	if err == nil || !strings.Contains(err.Error(), "DIPV1003") {
		t.Fatalf("start without keys: %v", err)
	}
}

// TestDatabaseRefresh copies a pair with a running map into another emulator, as a PROD → sandbox
// refresh does, and reproduces what the copy leaves behind.
func TestDatabaseRefresh(t *testing.T) {
	prod := startEmulator(t, "")
	pc := gateway(t, prod)
	ctx := context.Background()
	link := mustLink(t, pc, prod, "USMF")
	maps, _ := pc.Maps(ctx, link)
	var batch []providers.Map
	for _, n := range append(references, "accounts - Customers V3") {
		batch = append(batch, mapNamed(t, maps, n))
	}
	if _, err := act(t, pc, link, providers.ActionStart, providers.ActionOptions{SkipInitialSync: true}, batch...); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := prod.CopyDataTo(ctx, dir); err != nil {
		t.Fatal(err)
	}
	sandbox := startEmulator(t, dir)
	sc := gateway(t, sandbox)
	copied, found, err := sc.Link(ctx)
	if err != nil || !found {
		t.Fatalf("Link on the copy = %v, %v", found, err)
	}
	if copied.DataverseEnvironment != prod.Info().DataverseURL || copied.DataverseEnvironment == sandbox.Info().DataverseURL {
		t.Errorf("the copied link points at %s; want the production environment %s", copied.DataverseEnvironment, prod.Info().DataverseURL)
	}
	// The copied F&O runtime configuration still names production's Dataverse environment.
	n := 0
	_ = sandbox.Store().Scan(ctx, store.FinOps, "DualWriteProjectConfiguration", "", func(r store.Row) (bool, error) {
		if r.Data["ExternalEnvironmentUrl"] != prod.Info().DataverseURL {
			t.Errorf("project configuration %v names %v", r.Data["ProjectName"], r.Data["ExternalEnvironmentUrl"])
		}
		n++
		return true, nil
	})
	if n != 8 {
		t.Errorf("%d project configurations copied, want 8", n)
	}
	status, body := createAccount(t, sandbox)
	if status != http.StatusBadRequest || !strings.Contains(body, "SecureConfig Organization (") || !strings.Contains(body, ") does not match actual CRM Organization (") {
		t.Fatalf("write on the copy: %d %s", status, body)
	}
	if err := sc.ResetLink(ctx, copied, providers.ResetOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if status, body := createAccount(t, sandbox); status != http.StatusNoContent {
		t.Fatalf("write after reset: %d %s", status, body)
	}
	if status, body := createAccount(t, prod); status != http.StatusNoContent {
		t.Fatalf("write on production: %d %s", status, body)
	}
}

// createAccount posts an account to an emulator's Dataverse with a token from its authority.
func createAccount(t *testing.T, e *emulator.Emulator) (int, string) {
	t.Helper()
	info := e.Info()
	tok, err := e.TokenFor(info.DataverseURL, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := transport.NewHTTPClient(info.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", info.DataverseURL+"/api/data/v9.2/accounts", bytes.NewReader([]byte(`{"name":"After refresh"}`)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestInitialWritesOfNewLegalEntities adds companies to a link whose maps run: without "skip
// initial writes" their rows are copied, with it they are not.
func TestInitialWritesOfNewLegalEntities(t *testing.T) {
	e := startEmulator(t, "")
	c := gateway(t, e)
	ctx := context.Background()
	link := mustLink(t, c, e, "USMF")
	maps, _ := c.Maps(ctx, link)
	terms := mapNamed(t, maps, "msdyn_paymentterms - Terms of payment")
	if _, err := act(t, c, link, providers.ActionStart, providers.ActionOptions{}, terms); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := e.Store().Count(ctx, store.Dataverse, "msdyn_paymentterm")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 3 {
		t.Fatalf("%d terms of payment after the initial sync of USMF, want 3", n)
	}
	if err := c.AddLegalEntities(ctx, link, []string{"GBSI"}, true); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Fatalf("skipping initial writes copied rows: %d", n)
	}
	if err := c.AddLegalEntities(ctx, link, []string{"DEMF"}, false); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 6 {
		t.Fatalf("%d terms of payment after adding DEMF with initial writes, want 6", n)
	}
	maps, _ = c.Maps(ctx, link)
	results, err := c.InitialSyncResults(ctx, link, mapNamed(t, maps, terms.DisplayName))
	// The initial writes of DEMF are the newest run; the results keep only it.
	if err != nil || len(results) != 1 || results[0].Company != "DEMF" || results[0].Upserts != 3 {
		t.Fatalf("results = %+v, %v", results, err)
	}
}
