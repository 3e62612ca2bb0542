package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHealthChecksOnTheEmulator breaks a linked pair the ways the
// service's health checks know, with the services' own APIs, and expects
// plan and validate -live to name each break by its code: a linked
// company's cdm_company row deleted (DWDVEV1003) and a linked legal entity
// deleted in F&O (DWFOEV1003), a company's default owning team cleared
// (DWDVEV1007), and F&O runtime configuration naming another Dataverse
// (DWFOEV1004).
func TestHealthChecksOnTheEmulator(t *testing.T) {
	t.Parallel()
	s := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=3")
	dir, env := standaloneConfig(t, s, s.info.ControlURL)
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	for _, cmd := range [][]string{{"plan", "-no-color"}, {"validate", "-live", "-no-color"}} {
		if r := dwctlEnv(t, dir, env, cmd...); strings.Contains(r.stdout+r.stderr, "Health check") {
			t.Fatalf("%s on a healthy pair reports a health check:\n%s\n%s", cmd[0], r.stdout, r.stderr)
		}
	}
	c := s.client(t)
	dvTok := s.token(t, c, s.info.DataverseURL)
	api := s.info.DataverseURL + "/api/data/v9.2/"
	usmf := firstValue(t, c, api+"cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq 'USMF'"), dvTok, "cdm_companyid")
	if status, body := send(t, c, http.MethodDelete, api+"cdm_companies("+usmf+")", dvTok, ""); status/100 != 2 {
		t.Fatalf("delete cdm_company USMF: %d %s", status, body)
	}
	// DEMF's company loses its default owning team.
	demf := firstValue(t, c, api+"cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq 'DEMF'"), dvTok, "cdm_companyid")
	if status, body := send(t, c, http.MethodPatch, api+"cdm_companies("+demf+")", dvTok, `{"cdm_defaultowningteam@odata.bind":null}`); status/100 != 2 {
		t.Fatalf("clear DEMF's owning team: %d %s", status, body)
	}
	foTok := s.token(t, c, s.info.FinOpsURL)
	if status, body := send(t, c, http.MethodDelete, s.info.FinOpsURL+"/data/LegalEntities('DEMF')", foTok, ""); status/100 != 2 {
		t.Fatalf("delete legal entity DEMF: %d %s", status, body)
	}
	// A runtime configuration row that names another Dataverse, as an F&O
	// database copied from another pair leaves behind.
	stale := `{"ProjectName":"stale_copy","InternalEntityName":"Customers V3","ExternalEntityName":"accounts",` +
		`"ExternalEnvironmentUrl":"https://contoso-prod.crm.dynamics.com","Status":"Enabled"}`
	if status, body := send(t, c, http.MethodPost, s.info.FinOpsURL+"/data/DualWriteProjectConfigurations", foTok, stale); status/100 != 2 {
		t.Fatalf("write a stale runtime configuration: %d %s", status, body)
	}
	for _, cmd := range [][]string{{"plan", "-no-color"}, {"validate", "-live", "-no-color"}} {
		r := dwctlEnv(t, dir, env, cmd...)
		out := r.stdout + r.stderr
		for _, want := range []string{"Health check DWDVEV1003: linked company missing in Dataverse", "Health check DWFOEV1003: linked company missing in F&O",
			"Health check DWDVEV1007: company without a default owning team", "Health check DWFOEV1004: stale runtime configuration in F&O"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s does not report %q:\n%s", cmd[0], want, out)
			}
		}
	}
}
