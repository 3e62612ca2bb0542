package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// standaloneConfig writes the quickstart with real https URLs: the
// environments and the gateway of a running `dwctl emulator serve` (or a
// stand-in gateway), its app registration as the auth of both sides.
func standaloneConfig(t *testing.T, s *serving, gateway string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(src string) string {
		src = strings.ReplaceAll(src, `"USRT"`, `"DEMF"`)
		src = strings.ReplaceAll(src, "Contoso Retail USA", "Contoso Entertainment System Germany")
		auth := `
  auth {
    tenant_id      = "` + s.info.TenantID + `"
    client_id      = "` + s.info.ClientID + `"
    client_secret  = var.client_secret
    authority_host = "` + s.info.AuthorityURL + `"
  }
`
		src = strings.Replace(src, "environment \"finops\" \"fo\" {\n  url = \"emulator://quickstart\"\n", "environment \"finops\" \"fo\" {\n  url = \""+s.info.FinOpsURL+"\"\n"+auth, 1)
		src = strings.Replace(src, "environment \"dataverse\" \"ce\" {\n  url = \"emulator://quickstart\"\n", "environment \"dataverse\" \"ce\" {\n  url = \""+s.info.DataverseURL+"\"\n"+auth, 1)
		src = strings.Replace(src, "  dataverse = environment.ce\n}", "  dataverse = environment.ce\n  control {\n    gateway = \""+gateway+"\"\n  }\n}", 1)
		if strings.Contains(src, "dwctl {") {
			src += "\nvariable \"client_secret\" {\n  type      = string\n  sensitive = true\n}\n"
		}
		return src
	}
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(edit(string(b))), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{"SSL_CERT_FILE=" + s.info.CAFile, "DWCTL_VAR_client_secret=" + s.info.ClientSecret,
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "DWCTL_GATEWAY_TOKEN_CACHE=",
		"AZURE_TENANT_ID=", "AZURE_CLIENT_ID=", "AZURE_CLIENT_SECRET="}
	return dir, env
}

// TestApplyOnStandaloneEmulator applies the quickstart to `dwctl emulator
// serve` through its real https URLs, then checks that the control URL
// answers in the shapes Microsoft's automation relies on and that a second
// plan shows no changes.
func TestApplyOnStandaloneEmulator(t *testing.T) {
	t.Parallel()
	s := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=4")
	dir, env := standaloneConfig(t, s, s.info.ControlURL)
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("second plan: status %d, want 0 (no changes)\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	c := s.client(t)
	tok := s.token(t, c, "https://IntegratorApp.com")
	host := strings.TrimPrefix(s.info.FinOpsURL, "https://")
	_, body := get(t, c, s.info.ControlURL+"/api/DualWriteManagement/1.0/Environments?targetType=AX&identifier="+url.QueryEscape(host), tok)
	var envs []struct{ CID, CName string }
	if err := json.Unmarshal(body, &envs); err != nil || len(envs) != 1 {
		t.Fatalf("Environments: %s", body)
	}
	_, body = get(t, c, s.info.ControlURL+"/api/ConnectionSet/"+envs[0].CName, tok)
	var cs struct {
		Environments    map[string]struct{ TargetType, PowerAppsEnvironment, DirectURL string }
		DualWriteDetail struct {
			LegalEntityMappings struct {
				Mappings []struct{ Left struct{ Name string } }
			}
		}
	}
	if err := json.Unmarshal(body, &cs); err != nil || len(cs.Environments) != 2 {
		t.Fatalf("the connection set's environments are not an object of two: %v\n%.300s", err, body)
	}
	if n := len(cs.DualWriteDetail.LegalEntityMappings.Mappings); n != 2 {
		t.Errorf("%d legal entities, want 2", n)
	}
	_, body = get(t, c, s.info.ControlURL+"/api/DualWriteManagement/1.0/Entities?targetType=AX&cid="+envs[0].CID, tok)
	var maps []struct {
		Detail struct {
			TName     string `json:"tName"`
			State     string
			Templates []struct{ ID *string }
		}
	}
	if err := json.Unmarshal(body, &maps); err != nil {
		t.Fatal(err)
	}
	running, nullIDs := 0, 0
	for _, m := range maps {
		if !strings.Contains(m.Detail.TName, " - ") || strings.HasSuffix(m.Detail.TName, ")") {
			t.Errorf("map name %q is not \"<entity set> - <F&O label>\"", m.Detail.TName)
		}
		if m.Detail.State == "4" {
			running++
		}
		for _, tp := range m.Detail.Templates {
			if tp.ID == nil {
				nullIDs++
			}
		}
	}
	if running != 3 || nullIDs == 0 {
		t.Errorf("%d maps running (want 3), %d template records without an id (the gateway lists some)", running, nullIDs)
	}
}

// TestManualStepsOnRealGateway puts a stand-in gateway in front of the
// emulator's control plane that does not say it is the emulator, as a real
// gateway does not: the plan shows creating the link as a manual step, and
// apply stops before it.
func TestManualStepsOnRealGateway(t *testing.T) {
	t.Parallel()
	s := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=4")
	target, _ := url.Parse(s.info.ControlURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = s.client(t).Transport
	var mu sync.Mutex
	var sent []string
	standIn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = append(sent, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/1.0/Version") {
			_, _ = io.WriteString(w, `{"version":"1.0.0.0"}`)
			return
		}
		r.Host = target.Host
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(standIn.Close)
	dir, env := standaloneConfig(t, s, standIn.URL)
	plan := dwctlEnv(t, dir, env, "plan", "-no-color")
	if plan.status != 0 || !strings.Contains(plan.stdout, "to do by hand: apply stops here") ||
		!strings.Contains(plan.stdout, "Link to Dataverse environment") || !strings.Contains(plan.stdout, "to take by hand") {
		t.Fatalf("plan: status %d\n%s\n%s", plan.status, plan.stdout, plan.stderr)
	}
	mu.Lock()
	sent = nil
	mu.Unlock()
	apply := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color")
	if apply.status == 0 || !strings.Contains(apply.stderr, "manual step") {
		t.Fatalf("apply: status %d, want a failure naming the manual step\n%s\n%s", apply.status, apply.stdout, apply.stderr)
	}
	mu.Lock()
	for _, call := range sent {
		if call == "POST /api/ConnectionSet" {
			t.Errorf("apply sent the unverified call %s to a gateway that is not the emulator", call)
		}
	}
	mu.Unlock()
	// With the opt-in, the same apply goes through.
	src, err := os.ReadFile(filepath.Join(dir, "main.dw.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	optIn := strings.Replace(string(src), "    gateway = ", "    unverified_calls = true\n    gateway = ", 1)
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(optIn), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply with unverified_calls: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}

	// A new company without the opt-in is a manual step; with legal_entities_by_reset it is the
	// observed Reset with the new list, destructive, and everything is rebuilt after it.
	withGBSI := strings.Replace(string(src), "    gateway = ", "    legal_entities_by_reset = true\n    gateway = ", 1) +
		"\ncompany \"GBSI\" {\n  link = link.main\n  name = \"Contoso Entertainment System UK\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(withGBSI), 0o600); err != nil {
		t.Fatal(err)
	}
	plan = dwctlEnv(t, dir, env, "plan", "-no-color")
	if plan.status != 0 || !strings.Contains(plan.stdout, "legal entities changed") || !strings.Contains(plan.stdout, "reset with the legal entities DEMF, GBSI, USMF") ||
		strings.Contains(plan.stdout, "to take by hand") {
		t.Fatalf("plan with legal_entities_by_reset: status %d\n%s\n%s", plan.status, plan.stdout, plan.stderr)
	}
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status == 0 || !strings.Contains(r.stderr, "allow-destroy") {
		t.Fatalf("apply of a reset without -allow-destroy: status %d\n%s", r.status, r.stderr)
	}
	mu.Lock()
	sent = nil
	mu.Unlock()
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-allow-destroy", "-no-color"); r.status != 0 {
		t.Fatalf("apply with -allow-destroy: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	mu.Lock()
	for _, call := range sent {
		if strings.Contains(call, "/LegalEntities") || call == "POST /api/ConnectionSet" {
			t.Errorf("the reset route sent the unverified call %s", call)
		}
	}
	mu.Unlock()
	if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("plan after the reset: status %d, want no changes\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// federatedTokenFile writes a federated token of the emulator's authority
// (asked from its GitHub OIDC source, as a runner would) into a file.
func federatedTokenFile(t *testing.T, s *serving) string {
	t.Helper()
	c := s.client(t)
	req, _ := http.NewRequest(http.MethodGet, s.info.GitHubOIDCURL+"&audience="+url.QueryEscape("api://AzureADTokenExchange"), nil)
	req.Header.Set("Authorization", "Bearer "+s.info.RunnerToken)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Value string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Value == "" {
		t.Fatalf("federated token: %v %d", err, resp.StatusCode)
	}
	path := filepath.Join(t.TempDir(), "federated-token")
	if err := os.WriteFile(path, []byte(v.Value), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeAzureCLI writes an `az` that answers `az account get-access-token
// --resource R` with a token of the emulator for R, as the Azure CLI does
// for a signed-in account, for the three resources of a pair.
func fakeAzureCLI(t *testing.T, s *serving) string {
	t.Helper()
	c := s.client(t)
	var cases strings.Builder
	exp := time.Now().Add(time.Hour)
	for _, r := range []string{s.info.FinOpsURL, s.info.DataverseURL, "https://IntegratorApp.com"} {
		fmt.Fprintf(&cases, "  *\"--resource %s\"*) tok='%s' ;;\n", r, s.token(t, c, r))
	}
	script := fmt.Sprintf("#!/bin/sh\ncase \"$*\" in\n%s  *) echo \"ERROR: unexpected: $*\" >&2; exit 1 ;;\nesac\n"+
		"echo \"{\\\"accessToken\\\":\\\"$tok\\\",\\\"expiresOn\\\":\\\"%s\\\",\\\"expires_on\\\":%d,\\\"tokenType\\\":\\\"Bearer\\\"}\"\n",
		cases.String(), exp.Format("2006-01-02 15:04:05.000000"), exp.Unix())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSignInMethodsPlan plans the quickstart against `dwctl emulator serve`
// with each sign-in method in the auth blocks, its environment set the way
// the platform sets it: the configuration reaches azidentity and the
// emulator's authority and token sources answer.
func TestSignInMethodsPlan(t *testing.T) {
	s := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=4")
	cases := map[string]struct {
		auth string
		env  []string
	}{
		"client_secret":      {auth: "    method         = \"client_secret\"\n    client_secret  = var.client_secret\n"},
		"client_certificate": {auth: "    method                  = \"client_certificate\"\n    client_certificate_path = \"" + s.info.ClientCertificateFile + "\"\n"},
		"azure_pipelines": {auth: "    method                = \"azure_pipelines\"\n    service_connection_id = \"3c0f0000-0000-4000-8000-000000000001\"\n",
			env: []string{"SYSTEM_OIDCREQUESTURI=" + s.info.PipelinesOIDCURL, "SYSTEM_ACCESSTOKEN=" + s.info.RunnerToken}},
		"github_actions": {auth: "    method = \"github_actions\"\n",
			env: []string{"ACTIONS_ID_TOKEN_REQUEST_URL=" + s.info.GitHubOIDCURL, "ACTIONS_ID_TOKEN_REQUEST_TOKEN=" + s.info.RunnerToken}},
		"managed_identity": {auth: "    method = \"managed_identity\"\n",
			env: []string{"IDENTITY_ENDPOINT=" + s.info.IdentityEndpoint, "IDENTITY_HEADER=" + s.info.IdentityHeader}},
		"workload_identity": {auth: "    method               = \"workload_identity\"\n    federated_token_file = \"" + federatedTokenFile(t, s) + "\"\n"},
		"default": {auth: "    method = \"default\"\n",
			env: []string{"AZURE_TENANT_ID=" + s.info.TenantID, "AZURE_CLIENT_ID=" + s.info.ClientID, "AZURE_CLIENT_SECRET=" + s.info.ClientSecret}},
		"azure_cli": {auth: "    method = \"azure_cli\"\n", env: []string{"PATH=" + fakeAzureCLI(t, s) + string(os.PathListSeparator) + os.Getenv("PATH")}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir, env := standaloneConfig(t, s, s.info.ControlURL)
			src, err := os.ReadFile(filepath.Join(dir, "main.dw.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			edited := strings.ReplaceAll(string(src), "    client_secret  = var.client_secret\n", tc.auth)
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			if r := dwctlEnv(t, dir, append(env, tc.env...), "plan", "-no-color"); r.status != 0 || !strings.Contains(r.stdout, "Plan: ") {
				t.Fatalf("plan with %s: status %d\n%s\n%s", name, r.status, r.stdout, r.stderr)
			}
		})
	}
}
