package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// send writes body to url with the bearer token and returns the status and
// the answer.
func send(t *testing.T, c *http.Client, method, url, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// TestFailedInitialSyncIsRemembered breaks the customers map's initial
// sync with a Dataverse account that has no customer group (F&O's
// CustomerGroupId is mandatory), in both modes: the plan predicts the
// failing row, the apply fails naming it (a dwctl-mode copy after writing
// exactly the rows the plan counted), the map is in state, and every next
// plan plans its initial sync again until it succeeds.
func TestFailedInitialSyncIsRemembered(t *testing.T) {
	t.Parallel()
	modes := map[string][]string{
		"service": {"stop table_map.customers initial_sync_failed", "start table_map.customers state_changed",
			"initial_sync initial_sync.table_map.customers initial_sync_failed"},
		// The copy wrote the other rows and the map started: only the copy
		// runs again.
		"dwctl": {"initial_sync initial_sync.table_map.customers initial_sync_failed"},
	}
	for mode, replan := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			failAndRecover(t, mode, replan)
		})
	}
}

func failAndRecover(t *testing.T, mode string, replan []string) {
	s := serveEmulator(t, "", "-data", t.TempDir(), "-finops=demo", "-dataverse=existing", "-rows=3")
	dir, env := standaloneConfig(t, s, s.info.ControlURL)
	if mode == "dwctl" {
		path := filepath.Join(dir, "main.dw.hcl")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := strings.Replace(string(b), "    master  = \"finops\"\n  }\n\n  filter {", "    master  = \"finops\"\n    mode    = \"dwctl\"\n  }\n\n  filter {", 1)
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The link, its companies and the reference data first.
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color", "-target=table_map.customer_groups", "-target=table_map.currencies"); r.status != 0 {
		t.Fatalf("apply of the reference data: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	c := s.client(t)
	tok := s.token(t, c, s.info.DataverseURL)
	api := s.info.DataverseURL + "/api/data/v9.2/"
	_, body := get(t, c, api+"cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq 'USMF'"), tok)
	var companies struct {
		Value []struct {
			ID string `json:"cdm_companyid"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &companies); err != nil || len(companies.Value) != 1 {
		t.Fatalf("cdm_companies: %v %s", err, body)
	}
	broken := `{"name":"Broken Ltd","accountnumber":"BRK-001","customertypecode":3,"msdyn_company@odata.bind":"/cdm_companies(` + companies.Value[0].ID + `)"}`
	if status, body := send(t, c, http.MethodPost, api+"accounts", tok, broken); status/100 != 2 {
		t.Fatalf("create the broken account: %d %s", status, body)
	}

	// The plan predicts the failure.
	r := dwctlEnv(t, dir, env, "plan", "-no-color")
	if out := r.stdout + r.stderr; !strings.Contains(out, "Initial sync rows that will fail") || !strings.Contains(out, "CustomerGroupId would be empty") {
		t.Errorf("the plan does not predict the failing row:\n%s", out)
	}
	if r := dwctlEnv(t, dir, env, "plan", "-out=broken.dwplan"); r.status != 0 {
		t.Fatalf("plan -out: status %d\n%s", r.status, r.stderr)
	}
	planned := syncRows(t, dwctlEnv(t, dir, env, "show", "-json", "broken.dwplan").stdout)
	r = dwctlEnv(t, dir, env, "apply", "-json", "broken.dwplan")
	if r.status == 0 || !strings.Contains(r.stdout+r.stderr, "CustomerGroupId") {
		t.Fatalf("apply with a broken row: status %d, want a failure naming CustomerGroupId\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if got := doneRows(t, r.stdout, "initial_sync.table_map.customers"); got != planned {
		t.Errorf("the failed sync wrote %d rows, the plan counted %d", got, planned)
	}
	if r := dwctlEnv(t, dir, env, "state", "list"); !strings.Contains(r.stdout, "table_map.customers\n") {
		t.Errorf("state list lacks the running map whose initial sync failed:\n%s\n%s", r.stdout, r.stderr)
	}
	// Until the data is fixed, every plan plans the sync again.
	for range 2 {
		r = dwctlEnv(t, dir, env, "plan", "-no-color", "-json")
		if r.status != 0 {
			t.Fatalf("plan after the failed sync: status %d\n%s", r.status, r.stderr)
		}
		var plan struct {
			Actions []struct{ Address, Action, Reason string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil {
			t.Fatalf("plan -json: %v\n%s", err, r.stdout)
		}
		var got []string
		for _, a := range plan.Actions {
			got = append(got, a.Action+" "+a.Address+" "+a.Reason)
		}
		if diff := cmp.Diff(replan, got); diff != "" {
			t.Fatalf("plan after the failed sync (-want +got):\n%s", diff)
		}
		if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status == 0 {
			t.Fatalf("apply with the row still broken succeeded:\n%s", r.stdout)
		}
	}
	// The row gets its group: the sync runs again and succeeds, and then
	// there is nothing left to do.
	_, body = get(t, c, api+"msdyn_customergroups?$select=msdyn_customergroupid&$top=1", tok)
	var groups struct {
		Value []struct {
			ID string `json:"msdyn_customergroupid"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &groups); err != nil || len(groups.Value) != 1 {
		t.Fatalf("msdyn_customergroups: %v %s", err, body)
	}
	_, body = get(t, c, api+"accounts?$select=accountid&$filter="+url.QueryEscape("accountnumber eq 'BRK-001'"), tok)
	var accounts struct {
		Value []struct {
			ID string `json:"accountid"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &accounts); err != nil || len(accounts.Value) != 1 {
		t.Fatalf("accounts: %v %s", err, body)
	}
	fix := `{"msdyn_customergroupid@odata.bind":"/msdyn_customergroups(` + groups.Value[0].ID + `)"}`
	if status, body := send(t, c, http.MethodPatch, api+"accounts("+accounts.Value[0].ID+")", tok, fix); status/100 != 2 {
		t.Fatalf("fix the account: %d %s", status, body)
	}
	if r := dwctlEnv(t, dir, env, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply after the fix: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("plan after the successful sync: status %d, want 0\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}

// syncRows returns the rows the customers' initial sync of a plan (show
// -json) writes.
func syncRows(t *testing.T, showJSON string) int64 {
	t.Helper()
	var plan struct {
		Actions []struct {
			Address string
			Rows    int64
		}
	}
	if err := json.Unmarshal([]byte(showJSON), &plan); err != nil {
		t.Fatalf("show -json: %v\n%s", err, showJSON)
	}
	for _, a := range plan.Actions {
		if a.Address == "initial_sync.table_map.customers" {
			return a.Rows
		}
	}
	t.Fatalf("the plan has no initial sync of the customers:\n%s", showJSON)
	return 0
}

// doneRows returns the rows apply -json reports for a finished action.
func doneRows(t *testing.T, events, address string) int64 {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(events), "\n") {
		var e struct {
			Type, Address string
			Rows          int64
		}
		if err := json.Unmarshal([]byte(line), &e); err == nil && e.Type == "action_done" && e.Address == address {
			return e.Rows
		}
	}
	t.Fatalf("apply -json reports no end of %s:\n%s", address, events)
	return 0
}
