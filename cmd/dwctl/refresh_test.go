package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/emulator"
)

// TestRelinkAfterDatabaseRefresh copies a linked pair with running maps
// into a second emulator, as a PROD → sandbox refresh does: the copy's
// link still belongs to production and its Dataverse refuses writes to
// tables with running maps. The plan tells the copy from the original by
// the environment identity (both are loopback hosts), explains it and
// plans the relink; one apply with -allow-destroy makes writes flow again,
// and the next plan has no changes.
func TestRelinkAfterDatabaseRefresh(t *testing.T) {
	t.Parallel()
	prod := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=3")
	dir, env := standaloneConfig(t, prod, prod.info.ControlURL)
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply on production: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	c := prod.client(t)
	copyDir := t.TempDir()
	body, _ := json.Marshal(map[string]string{"target_dir": copyDir})
	if status, answer := send(t, c, http.MethodPost, prod.info.ControlURL+emulator.ControlRefreshPath, prod.token(t, c, emulator.ControlAudience), string(body)); status != http.StatusOK {
		t.Fatalf("refresh: %d %s", status, answer)
	}
	sandbox := serveEmulator(t, "", "-data", copyDir)
	sc := sandbox.client(t)
	write := func() (int, string) {
		status, b := send(t, sc, http.MethodPost, sandbox.info.DataverseURL+"/api/data/v9.2/accounts", sandbox.token(t, sc, sandbox.info.DataverseURL), `{"name":"After the refresh"}`)
		return status, string(b)
	}
	if status, answer := write(); status != http.StatusBadRequest || !strings.Contains(answer, "SecureConfig Organization") {
		t.Fatalf("a write on the copy: %d %s, want the runtime's refusal", status, answer)
	}

	sdir, senv := standaloneConfig(t, sandbox, sandbox.info.ControlURL)
	r := dwctlEnv(t, sdir, senv, "plan", "-no-color", "-allow-destroy")
	if r.status != 0 || !strings.Contains(r.stdout, "a database was copied from another environment") || !strings.Contains(r.stdout, "-/+ link.main") ||
		strings.Contains(r.stdout, "row counts unknown") || !strings.Contains(r.stdout+r.stderr, "Health check DWDVEV1004") {
		t.Fatalf("plan on the copy: status %d, want the relink explained\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctlEnv(t, sdir, senv, "apply", "-auto-approve", "-allow-destroy", "-no-color"); r.status != 0 {
		t.Fatalf("apply on the copy: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if status, answer := write(); status/100 != 2 {
		t.Errorf("a write after the relink: %d %s", status, answer)
	}
	// A customer made in the copy's Dataverse reaches the copy's F&O.
	dvTok := sandbox.token(t, sc, sandbox.info.DataverseURL)
	api := sandbox.info.DataverseURL + "/api/data/v9.2/"
	company := firstValue(t, sc, api+"cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq 'USMF'"), dvTok, "cdm_companyid")
	group := firstValue(t, sc, api+"msdyn_customergroups?$select=msdyn_customergroupid&$filter="+url.QueryEscape("_msdyn_company_value eq "+company), dvTok, "msdyn_customergroupid")
	account := `{"name":"Sandbox customer","accountnumber":"SBX-001","customertypecode":3,"msdyn_company@odata.bind":"/cdm_companies(` + company +
		`)","msdyn_customergroupid@odata.bind":"/msdyn_customergroups(` + group + `)"}`
	if status, answer := send(t, sc, http.MethodPost, api+"accounts", dvTok, account); status/100 != 2 {
		t.Fatalf("a customer after the relink: %d %s", status, answer)
	}
	foTok := sandbox.token(t, sc, sandbox.info.FinOpsURL)
	firstValue(t, sc, sandbox.info.FinOpsURL+"/data/CustomersV3?cross-company=true&$filter="+url.QueryEscape("CustomerAccount eq 'SBX-001'"), foTok, "CustomerAccount")
	if r := dwctlEnv(t, sdir, senv, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Errorf("plan after the relink: status %d, want no changes\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	// Production is untouched.
	if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Errorf("plan on production: status %d, want no changes\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// firstValue reads a query that must find a row and returns the field of
// the first.
func firstValue(t *testing.T, c *http.Client, u, token, field string) string {
	t.Helper()
	status, body := get(t, c, u, token)
	var page struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil || len(page.Value) == 0 {
		t.Fatalf("%s: %d %s", u, status, body)
	}
	v, _ := page.Value[0][field].(string)
	return v
}

// TestRelinkEmbeddedAfterRefresh is the refresh recovery with embedded
// emulators (url = "emulator://quickstart"): the applied pair's database
// is copied into another working directory, as PROD into a sandbox; there
// the plan relinks, apply -allow-destroy carries it out, the next plan is
// clean, and a customer made in the sandbox's Dataverse reaches its F&O.
func TestRelinkEmbeddedAfterRefresh(t *testing.T) {
	t.Parallel()
	prod := exampleDir(t, "quickstart", nil)
	if r := dwctl(t, prod, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply on production: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	sandbox := t.TempDir()
	src, err := os.ReadFile(filepath.Join(prod, "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sandbox, "main.dw.hcl"), src, 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := emulator.Start(context.Background(), emulator.Options{DataDir: filepath.Join(prod, ".dwctl", "emulator", "quickstart")})
	if err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(sandbox, ".dwctl", "emulator", "quickstart")
	if err := os.MkdirAll(filepath.Dir(copyDir), 0o700); err != nil {
		t.Fatal(err)
	}
	err = e.CopyDataTo(context.Background(), copyDir)
	e.Close()
	if err != nil {
		t.Fatalf("copy the database: %v", err)
	}
	r := dwctl(t, sandbox, "plan", "-no-color", "-allow-destroy")
	if r.status != 0 || !strings.Contains(r.stdout, "a database was copied from another environment") || !strings.Contains(r.stdout+r.stderr, "DWDVEV1004") {
		t.Fatalf("plan on the copy: status %d, want the relink explained\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, sandbox, "apply", "-auto-approve", "-allow-destroy", "-no-color"); r.status != 0 {
		t.Fatalf("apply on the copy: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, sandbox, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("plan after the relink: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	liveChangesFlow(t, copyDir, "USMF")
}
