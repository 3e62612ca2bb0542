package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// startMap starts one map with an initial sync and returns its project id.
func startMap(t *testing.T, env *testEnv, tok string, cs map[string]any, name, master string) string {
	t.Helper()
	env.e.SetControlPolls(0)
	tid := dwMapNamed(t, mapsOf(t, env, tok, cs), name)["tid"].(string)
	r := env.ctl(tok, "POST", mgmt+"Start", `{"action":"1","details":[{"tid":"`+tid+`","cid":"`+cs["id"].(string)+
		`","parameters":{"skipInitialSync":false,"conflictResolution":{"option":"1","master":"`+master+`"}}}]}`)
	if r.status != http.StatusOK {
		t.Fatalf("Start: %d %s", r.status, r.body)
	}
	var maps []map[string]any
	_ = json.Unmarshal(env.ctl(tok, "GET", mgmt+"Status/"+r.json(t)["requestId"].(string), "").body, &maps)
	d := maps[0]["detail"].(map[string]any)
	if d["state"] != "4" {
		t.Fatalf("map state %v after start: %s", d["state"], d["lastRequest"])
	}
	return d["pid"].(string)
}

func companyID(t *testing.T, env *testEnv, code string) string {
	t.Helper()
	r := env.do("dv", "GET", "/api/data/v9.2/cdm_companies?$select=cdm_companyid&$filter="+url.QueryEscape("cdm_companycode eq '"+code+"'"), "")
	rows, _ := r.json(t)["value"].([]any)
	if len(rows) != 1 {
		t.Fatalf("cdm_company %s: %s", code, r.body)
	}
	return rows[0].(map[string]any)["cdm_companyid"].(string)
}

func TestInitialSyncMasterWins(t *testing.T) {
	cases := map[string]struct {
		master   string
		wantDesc string // the description of STD on both sides afterwards
	}{
		"Dataverse is the master": {master: "CRM", wantDesc: "Standard (CRM)"},
		"F&O is the master":       {master: "AX", wantDesc: "Standard"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env, tok, cs := linked(t, Options{})
			bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
			for _, body := range []string{`{"msdyn_name":"STD","msdyn_description":"Standard (CRM)",` + bind + `}`,
				`{"msdyn_name":"CRMONLY","msdyn_description":"Made in Dataverse",` + bind + `}`} {
				if r := env.do("dv", "POST", "/api/data/v9.2/msdyn_taxgroups", body); r.status != http.StatusNoContent {
					t.Fatalf("seeding Dataverse: %d %s", r.status, r.body)
				}
			}
			pid := startMap(t, env, tok, cs, "msdyn_taxgroups - Sales tax groups", tc.master)

			fo := env.do("fo", "GET", "/data/SalesTaxGroups?cross-company=true&$filter="+url.QueryEscape("dataAreaId eq 'usmf'"), "")
			dv := env.do("dv", "GET", "/api/data/v9.2/msdyn_taxgroups?$select=msdyn_name,msdyn_description", "")
			got := map[string]string{}
			for _, r := range fo.json(t)["value"].([]any) {
				m := r.(map[string]any)
				got["fo:"+m["TaxGroupCode"].(string)] = m["Description"].(string)
			}
			for _, r := range dv.json(t)["value"].([]any) {
				m := r.(map[string]any)
				got["dv:"+m["msdyn_name"].(string)] = m["msdyn_description"].(string)
			}
			want := map[string]string{"fo:STD": tc.wantDesc, "dv:STD": tc.wantDesc, "fo:EXEMPT": "Exempt", "dv:EXEMPT": "Exempt",
				"fo:CRMONLY": "Made in Dataverse", "dv:CRMONLY": "Made in Dataverse"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rows after the initial sync (-want +got):\n%s", diff)
			}
			res := env.ctl(tok, "GET", "/api/ProjectExecutionWithCompanies/"+pid, "").json(t)
			exec := res["projectExecutionResponses"].([]any)[0].(map[string]any)
			if exec["legalEntityId"] != "USMF" || exec["upsertCount"] != 4.0 || exec["errorCount"] != 0.0 {
				t.Errorf("execution = %v", exec)
			}
		})
	}
}

func TestInitialSyncReportsFirstErrors(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	// The customer groups look up terms of payment, which Dataverse does not have yet.
	pid := startMap(t, env, tok, cs, "msdyn_customergroups - Customer groups", "CRM")
	res := env.ctl(tok, "GET", "/api/ProjectExecutionWithCompanies/"+pid, "").json(t)
	exec := res["projectExecutionResponses"].([]any)[0].(map[string]any)
	if exec["errorCount"] != 4.0 || exec["upsertCount"] != 0.0 || exec["executionStatus"] != "CompletedWithErrors" {
		t.Fatalf("execution = %v", exec)
	}
	leg := exec["taskExecutionStatuses"].([]any)[0].(map[string]any)["legs"].([]any)[0].(map[string]any)
	first := leg["importErrors"].([]any)[0].(map[string]any)
	if first["sourceField"] != "msdyn_paymenttermid.msdyn_name" ||
		!strings.HasPrefix(first["errorMessage"].(string), "Couldn't resolve the guid for the field: msdyn_paymenttermid.msdyn_name. The lookup wasn't found: Net30") {
		t.Fatalf("first error = %v", first)
	}
}

func TestInitialSyncLimits(t *testing.T) {
	cases := map[string]struct {
		rows, lookups int
		want          string
		upserts       float64
	}{
		"rows per company": {rows: 3, want: "Initial sync of 6 rows for legal entity USMF exceeds the limit of 3 rows"},
		"lookups from Dataverse": {lookups: 3, upserts: 6,
			want: "5 Attempts to get data from https://"},
		"within the limits": {upserts: 6},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env, tok, cs := linked(t, Options{Rows: 8})
			for _, ref := range []string{"msdyn_paymentterms - Terms of payment", "msdyn_customergroups - Customer groups", "transactioncurrencies - Currencies"} {
				startMap(t, env, tok, cs, ref, "CRM")
			}
			// A Dataverse account of the company gives the Dataverse leg something to copy.
			g := env.do("dv", "GET", "/api/data/v9.2/msdyn_customergroups?$select=msdyn_customergroupid&$filter="+url.QueryEscape("msdyn_groupid eq '10'"), "")
			group := g.json(t)["value"].([]any)[0].(map[string]any)["msdyn_customergroupid"].(string)
			bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)","msdyn_customergroupid@odata.bind":"/msdyn_customergroups(` + group + `)"`
			if r := env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"From CRM","accountnumber":"CRM-1","customertypecode":3,`+bind+`}`); r.status != http.StatusNoContent {
				t.Fatalf("account: %d %s", r.status, r.body)
			}
			env.e.SetInitialSyncLimits(tc.rows, tc.lookups)
			pid := startMap(t, env, tok, cs, "accounts - Customers V3", "CRM")
			exec := env.ctl(tok, "GET", "/api/ProjectExecutionWithCompanies/"+pid, "").json(t)["projectExecutionResponses"].([]any)[0].(map[string]any)
			leg := exec["taskExecutionStatuses"].([]any)[0].(map[string]any)["legs"].([]any)[0].(map[string]any)
			errs := leg["importErrors"].([]any)
			switch {
			case tc.want == "" && len(errs) > 0:
				t.Fatalf("errors: %v", errs)
			case tc.want != "" && (len(errs) != 1 || !strings.HasPrefix(errs[0].(map[string]any)["errorMessage"].(string), tc.want)):
				t.Fatalf("errors = %v, want one starting %q", errs, tc.want)
			}
			if want := tc.upserts; tc.want == "" {
				want++ // the Dataverse account reaches F&O too
				if exec["upsertCount"] != want {
					t.Fatalf("upserts = %v, want %v", exec["upsertCount"], want)
				}
			} else if exec["upsertCount"] != tc.upserts {
				t.Fatalf("upserts = %v, want %v", exec["upsertCount"], tc.upserts)
			}
		})
	}
}
