package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/emulator"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/mapping"
	"github.com/dwctl/dwctl/providers/transport"
)

// scenario is one of the documented dual-write setup scenarios, as
// examples/scenarios configures it.
type scenario struct {
	dir               string
	finops, dataverse string   // the emulator's seeds, as the configuration's URLs name them
	companies         []string // the link's companies
	actions           []string // action ids the plan must have (among others)
	live              string   // the company the live changes are made in
}

var scenarios = map[string]scenario{
	"new+new": {dir: "1-new-new", finops: "empty", dataverse: "empty", companies: []string{"DAT"}, live: "DAT",
		actions: []string{"link.main:create", "company.DAT:create", "initial_sync.table_map.currencies:initial_sync"}},
	"new+existing": {dir: "2-new-existing", finops: "empty", dataverse: "existing", companies: []string{"CRM", "DAT"}, live: "CRM",
		actions: []string{"company.CRM:create", "bootstrap.company.CRM:bootstrap", "initial_sync.table_map.customers:initial_sync"}},
	"demo+new": {dir: "3-demo-new", finops: "demo", dataverse: "empty", companies: []string{"DEMF", "USMF"}, live: "USMF",
		actions: []string{"company.USMF:create", "company.DEMF:create", "initial_sync.table_map.customers:initial_sync"}},
	"demo+existing": {dir: "4-demo-existing", finops: "demo", dataverse: "existing", companies: []string{"CRM", "USMF"}, live: "CRM",
		actions: []string{"company.CRM:create", "bootstrap.company.CRM:bootstrap", "initial_sync.table_map.customers:initial_sync"}},
	"existing+new": {dir: "5-existing-new", finops: "existing", dataverse: "empty", companies: []string{"FRRT", "USMF", "USRT"}, live: "FRRT",
		actions: []string{"company.FRRT:create", "company.USRT:create", "initial_sync.table_map.customers:initial_sync"}},
	"existing+existing": {dir: "6-existing-existing", finops: "existing", dataverse: "existing", companies: []string{"USMF", "USRT"}, live: "USRT",
		actions: []string{"bootstrap.company.USRT:bootstrap", "initial_sync.table_map.customers:initial_sync"}},
}

// TestSetupScenarios runs each documented setup scenario with the real
// binary on a fresh emulator seeded for it: the plan has the scenario's
// actions, apply writes exactly the rows the plan counted, the next plan
// has no changes, both sides hold the same customer groups and
// organisations per company (by integration key), and a change made live
// on either side reaches the other.
func TestSetupScenarios(t *testing.T) {
	t.Parallel()
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			src, err := os.ReadFile(filepath.Join("..", "..", "examples", "scenarios", sc.dir, "main.dw.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), src, 0o600); err != nil {
				t.Fatal(err)
			}
			// The seeds come from the configuration's URLs; the defaults the
			// environment would give are the other ones, to prove it.
			env := []string{"DWCTL_EMULATOR_FINOPS=" + other(sc.finops, "demo", "empty"), "DWCTL_EMULATOR_DATAVERSE=" + other(sc.dataverse, "existing", "empty"), "DWCTL_EMULATOR_ROWS=6"}
			if r := dwctlEnv(t, dir, env, "plan", "-out=p.dwplan", "-no-color"); r.status != 0 {
				t.Fatalf("plan: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
			}
			var plan struct {
				Actions []struct {
					ID, Address, Action string
					Rows                int64
				}
			}
			show := dwctlEnv(t, dir, env, "show", "-json", "p.dwplan")
			if err := json.Unmarshal([]byte(show.stdout), &plan); err != nil {
				t.Fatalf("show -json: %v\n%s", err, show.stdout)
			}
			var ids []string
			planned := map[string]int64{}
			for _, a := range plan.Actions {
				ids = append(ids, a.ID)
				if a.Action == "initial_sync" || a.Action == "bootstrap" {
					planned[a.Address] = a.Rows
				}
			}
			for _, want := range sc.actions {
				if !slices.Contains(ids, want) {
					t.Errorf("the plan lacks %s: %v", want, ids)
				}
			}
			r := dwctlEnv(t, dir, env, "apply", "-json", "p.dwplan")
			if r.status != 0 {
				t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
			}
			for addr, rows := range planned {
				if got := doneRows(t, r.stdout, addr); got != rows {
					t.Errorf("%s wrote %d rows, the plan counted %d", addr, got, rows)
				}
			}
			if r := dwctlEnv(t, dir, env, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
				t.Fatalf("plan after apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
			}
			data := filepath.Join(dir, ".dwctl", "emulator", "scenario")
			bothSidesAgree(t, data, sc.companies)
			liveChangesFlow(t, data, sc.live)
		})
	}
}

// other returns a or, when v is a, b.
func other(v, a, b string) string {
	if v == a {
		return b
	}
	return a
}

// bothSidesAgree reads the pair's store: per company, F&O and Dataverse
// hold the same customer groups and the same organisations (keys only).
func bothSidesAgree(t *testing.T, dir string, companies []string) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, store.DatabaseFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	linked := map[string]bool{}
	for _, c := range companies {
		linked[c] = true
	}
	codes := map[string]string{}
	scan := func(svc store.Service, table string, fn func(map[string]any)) {
		t.Helper()
		if err := st.Scan(ctx, svc, table, "", func(r store.Row) (bool, error) { fn(r.Data); return true, nil }); err != nil {
			t.Fatal(err)
		}
	}
	err = st.Scan(ctx, store.Dataverse, "cdm_company", "", func(r store.Row) (bool, error) {
		codes[r.ID] = strings.ToUpper(mapping.Text(r.Data["cdm_companycode"]))
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type keys map[string][]string // company → keys
	add := func(k keys, company, key string) {
		if linked[company] && key != "" {
			k[company] = append(k[company], strings.ToUpper(key))
		}
	}
	foGroups, dvGroups, foOrgs, dvOrgs := keys{}, keys{}, keys{}, keys{}
	scan(store.FinOps, "CustomerGroup", func(d map[string]any) {
		add(foGroups, strings.ToUpper(mapping.Text(d["dataAreaId"])), mapping.Text(d["CustomerGroupId"]))
	})
	scan(store.Dataverse, "msdyn_customergroup", func(d map[string]any) {
		add(dvGroups, codes[mapping.Text(d["_msdyn_company_value"])], mapping.Text(d["msdyn_groupid"]))
	})
	scan(store.FinOps, "CustomerV3", func(d map[string]any) {
		if d["PartyType"] == "Organization" {
			add(foOrgs, strings.ToUpper(mapping.Text(d["dataAreaId"])), mapping.Text(d["CustomerAccount"]))
		}
	})
	scan(store.Dataverse, "account", func(d map[string]any) {
		if mapping.Text(d["customertypecode"]) == "3" {
			add(dvOrgs, codes[mapping.Text(d["_msdyn_company_value"])], mapping.Text(d["accountnumber"]))
		}
	})
	for _, k := range []keys{foGroups, dvGroups, foOrgs, dvOrgs} {
		for _, v := range k {
			slices.Sort(v)
		}
	}
	n := 0
	for _, v := range foOrgs {
		n += len(v)
	}
	t.Logf("organisations on both sides: %d in %d companies; customer groups in %d companies", n, len(foOrgs), len(foGroups))
	if diff := cmp.Diff(foGroups, dvGroups); diff != "" {
		t.Errorf("customer groups per company (-F&O +Dataverse):\n%s", diff)
	}
	if diff := cmp.Diff(foOrgs, dvOrgs); diff != "" {
		t.Errorf("organisations per company (-F&O +Dataverse):\n%s", diff)
	}
}

// liveChangesFlow starts the pair's emulator and makes changes the way
// users do, in company: a customer group and a customer created in F&O
// appear in Dataverse, and an account created in Dataverse appears in F&O.
func liveChangesFlow(t *testing.T, dir, company string) {
	t.Helper()
	e, err := emulator.Start(context.Background(), emulator.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	info := e.Info()
	c := apiClient{t: t, e: e}
	area := strings.ToLower(company)
	c.call(http.MethodPost, info.FinOpsURL+"/data/CustomerGroups?cross-company=true",
		map[string]any{"dataAreaId": area, "CustomerGroupId": "LIVE", "Description": "Made live in F&O"})
	c.call(http.MethodPost, info.FinOpsURL+"/data/CustomersV3?cross-company=true", map[string]any{"dataAreaId": area,
		"CustomerAccount": "LIVE-FO", "OrganizationName": "Made in F&O", "PartyType": "Organization", "CustomerGroupId": "LIVE"})
	dv := info.DataverseURL + "/api/data/v9.2/"
	companyID := c.one(dv+"cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq '"+company+"'"), "cdm_companyid")
	group := c.one(dv+"msdyn_customergroups?$select=msdyn_customergroupid&$filter="+
		url.QueryEscape("msdyn_groupid eq 'LIVE' and _msdyn_company_value eq "+companyID), "msdyn_customergroupid")
	c.one(dv+"accounts?$select=accountid&$filter="+url.QueryEscape("accountnumber eq 'LIVE-FO' and _msdyn_company_value eq "+companyID), "accountid")
	c.call(http.MethodPost, dv+"accounts", map[string]any{"accountnumber": "LIVE-DV", "name": "Made in Dataverse", "customertypecode": 3,
		"msdyn_company@odata.bind": "/cdm_companies(" + companyID + ")", "msdyn_customergroupid@odata.bind": "/msdyn_customergroups(" + group + ")"})
	c.one(info.FinOpsURL+"/data/CustomersV3?cross-company=true&$filter="+
		url.QueryEscape("CustomerAccount eq 'LIVE-DV' and dataAreaId eq '"+area+"'"), "CustomerAccount")
}

// apiClient calls the emulator's services with tokens of its authority.
type apiClient struct {
	t *testing.T
	e *emulator.Emulator
}

func (c apiClient) do(method, u string, body any) []byte {
	c.t.Helper()
	info := c.e.Info()
	resource := info.DataverseURL
	if strings.HasPrefix(u, info.FinOpsURL) {
		resource = info.FinOpsURL
	}
	tok, err := c.e.TokenFor(resource, time.Hour)
	if err != nil {
		c.t.Fatal(err)
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	hc, err := transport.NewHTTPClient(info.CAFile)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		c.t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, b)
	}
	return b
}

func (c apiClient) call(method, u string, body any) { c.t.Helper(); c.do(method, u, body) }

// one reads a query that must find exactly one row and returns its field.
func (c apiClient) one(u, field string) string {
	c.t.Helper()
	var page struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(c.do(http.MethodGet, u, nil), &page); err != nil {
		c.t.Fatal(err)
	}
	if len(page.Value) != 1 {
		c.t.Fatalf("%s: %d rows, want 1", u, len(page.Value))
	}
	return mapping.Text(page.Value[0][field])
}
