package emulator

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/google/go-cmp/cmp"
)

// errorCode returns the error.code of an OData error answer.
func errorCode(t testing.TB, r response) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", r.body)
	}
	return e["code"].(string)
}

func TestDataverseQueryOptions(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{Dataverse: "existing", Rows: 12})
	cases := map[string]struct {
		path       string
		wantStatus int
		wantCode   string
		wantRows   int
	}{
		"top":                   {"/api/data/v9.2/accounts?$top=3", 200, "", 3},
		"select and filter":     {"/api/data/v9.2/accounts?$select=name,accountnumber&$filter=accountnumber eq 'A00001'", 200, "", 1},
		"filter null":           {"/api/data/v9.2/accounts?$filter=accountnumber eq null", 200, "", 1},
		"filter contains":       {"/api/data/v9.2/contacts?$filter=contains(emailaddress1,'@EXAMPLE.com')", 200, "", 12},
		"filter on a lookup":    {"/api/data/v9.2/contacts?$filter=_parentcustomerid_value ne null", 200, "", 6},
		"order by":              {"/api/data/v9.2/accounts?$orderby=name desc,accountnumber&$top=5", 200, "", 5},
		"keys ored":             {"/api/data/v9.2/accounts?$filter=(accountnumber eq 'A00001' or accountnumber eq 'A00002') and statecode eq 0", 200, "", 2},
		"id pinned":             {"/api/data/v9.2/accounts?$filter=accountid eq 00000000-0000-0000-0000-000000000000", 200, "", 0},
		"alias":                 {"/api/data/v9.2/accounts?$filter=customertypecode eq @p1&@p1=8", 200, "", 2},
		"skip refused":          {"/api/data/v9.2/accounts?$skip=2", 400, wire.CodeBadRequest, -1},
		"search refused":        {"/api/data/v9.2/accounts?$search=x", 400, wire.CodeBadRequest, -1},
		"format refused":        {"/api/data/v9.2/accounts?$format=json", 400, wire.CodeBadRequest, -1},
		"unknown option":        {"/api/data/v9.2/accounts?$foo=1", 400, wire.CodeBadRequest, -1},
		"unknown select column": {"/api/data/v9.2/accounts?$select=nosuch", 400, wire.CodeInvalidProperty, -1},
		"unknown filter column": {"/api/data/v9.2/accounts?$filter=nosuch eq 1", 400, wire.CodeInvalidProperty, -1},
		"bad filter":            {"/api/data/v9.2/accounts?$filter=name eq", 400, wire.CodeBadRequest, -1},
		"unknown entity set":    {"/api/data/v9.2/account", 404, wire.CodeInvalidProperty, -1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := env.do("dv", "GET", strings.ReplaceAll(tc.path, " ", "%20"), "")
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if r.header.Get("OData-Version") != "4.0" {
				t.Errorf("OData-Version = %q", r.header.Get("OData-Version"))
			}
			if tc.wantCode != "" {
				if got := errorCode(t, r); got != tc.wantCode {
					t.Errorf("code %q, want %q", got, tc.wantCode)
				}
				return
			}
			if got := len(r.json(t)["value"].([]any)); got != tc.wantRows {
				t.Errorf("%d rows, want %d", got, tc.wantRows)
			}
		})
	}
}

func TestDataverseCount(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{Dataverse: "existing", Rows: 9})
	r := env.do("dv", "GET", "/api/data/v9.2/accounts/$count", "")
	if r.status != 200 || string(r.body) != "9" {
		t.Errorf("$count: %d %s", r.status, r.body)
	}
	body := env.do("dv", "GET", "/api/data/v9.2/accounts?$count=true&$top=1", "").json(t)
	if body["@odata.count"] != 9.0 || len(body["value"].([]any)) != 1 {
		t.Errorf("$count=true: %v", body)
	}
}

// TestDataversePaging pages through 25 rows, 10 per page, with and without $orderby.
func TestDataversePaging(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{Dataverse: "existing", Rows: 25})
	for name, path := range map[string]string{
		"id order":           "/api/data/v9.2/accounts?$select=name",
		"primary id order":   "/api/data/v9.2/accounts?$select=name&$orderby=accountid",
		"ordered":            "/api/data/v9.2/accounts?$select=name&$orderby=name",
		"with top (ignored)": "/api/data/v9.2/accounts?$select=name&$top=3",
	} {
		t.Run(name, func(t *testing.T) {
			seen, pages := map[string]bool{}, 0
			var last string
			next := env.info.DataverseURL + path
			for next != "" {
				r := env.do("dv", "GET", strings.TrimPrefix(next, env.info.DataverseURL), "", "Prefer", "odata.maxpagesize=10")
				if r.status != 200 {
					t.Fatalf("page %d: %d %s", pages+1, r.status, r.body)
				}
				if got := r.header.Get("Preference-Applied"); got != "odata.maxpagesize=10" {
					t.Errorf("Preference-Applied = %q", got)
				}
				body := r.json(t)
				for _, v := range body["value"].([]any) {
					row := v.(map[string]any)
					seen[row["accountid"].(string)] = true
					if strings.Contains(path, "orderby=name") && strings.ToLower(row["name"].(string)) < last {
						t.Errorf("order broken at %v", row["name"])
					}
					last = strings.ToLower(row["name"].(string))
				}
				pages++
				next, _ = body["@odata.nextLink"].(string)
				if next != "" && !strings.Contains(next, "$skiptoken=%3Ccookie%20pagenumber%3D%22") {
					t.Fatalf("nextLink %s", next)
				}
			}
			if diff := cmp.Diff([2]int{3, 25}, [2]int{pages, len(seen)}); diff != "" {
				t.Errorf("pages and rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDataverseSamplePaging is the exchange of protocols.md §5.2.
func TestDataverseSamplePaging(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	for i, d := range []string{"Wholesale", "Major", "Retail"} {
		r := env.do("dv", "POST", "/api/data/v9.2/msdyn_customergroups", fmt.Sprintf(`{"msdyn_groupid":"%d","msdyn_description":"%s"}`, (i+1)*10, d))
		if r.status != 204 || !strings.HasPrefix(r.header.Get("OData-EntityId"), env.info.DataverseURL+"/api/data/v9.2/msdyn_customergroups(") {
			t.Fatalf("create: %d %v %s", r.status, r.header, r.body)
		}
	}
	r := env.do("dv", "GET", "/api/data/v9.2/msdyn_customergroups?$select=msdyn_groupid,msdyn_description", "", "Prefer", "odata.maxpagesize=2")
	body := r.json(t)
	if got := body["@odata.context"]; got != env.info.DataverseURL+"/api/data/v9.2/$metadata#msdyn_customergroups(msdyn_groupid,msdyn_description)" {
		t.Errorf("context %v", got)
	}
	values := body["value"].([]any)
	first := values[0].(map[string]any)
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	if diff := cmp.Diff([]string{"@odata.etag", "msdyn_customergroupid", "msdyn_description", "msdyn_groupid"}, sortedStrings(keys)); diff != "" {
		t.Errorf("row keys (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(first["@odata.etag"].(string), `W/"`) || len(values) != 2 || body["@odata.nextLink"] == nil {
		t.Errorf("page: %s", r.body)
	}
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestAlternateKeyLifecycle creates a key, watches Pending → InProgress → Active, then upserts by it
// (protocols.md §5.3 and §5.7).
func TestAlternateKeyLifecycle(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{KeyIndexDelay: time.Hour, TokenLifetime: 24 * time.Hour})
	r := env.do("dv", "POST", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Keys",
		`{"@odata.type":"Microsoft.Dynamics.CRM.EntityKeyMetadata","SchemaName":"new_AccountNumberKey","KeyAttributes":["accountnumber"]}`,
		"MSCRM.SolutionUniqueName", "DwctlManaged")
	if r.status != 204 || !strings.Contains(r.header.Get("OData-EntityId"), "/Keys(") {
		t.Fatalf("create key: %d %s", r.status, r.body)
	}
	status := func() string {
		r := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Keys?$select=SchemaName,KeyAttributes,EntityKeyIndexStatus", "")
		for _, v := range r.json(t)["value"].([]any) {
			k := v.(map[string]any)
			if k["SchemaName"] == "new_AccountNumberKey" {
				return k["EntityKeyIndexStatus"].(string)
			}
		}
		return "missing"
	}
	upsert := env.do("dv", "PATCH", "/api/data/v9.2/accounts(accountnumber='A1')", `{"name":"x"}`)
	var got []string
	got = append(got, status(), fmt.Sprint(upsert.status))
	env.e.skew.Add(int64(31 * time.Minute))
	got = append(got, status())
	env.e.skew.Add(int64(30 * time.Minute))
	got = append(got, status())
	if diff := cmp.Diff([]string{"Pending", "400", "InProgress", "Active"}, got); diff != "" {
		t.Fatalf("lifecycle (-want +got):\n%s", diff)
	}
	steps := []struct {
		name    string
		headers []string
		want    int
	}{
		{"update-only on a missing row", []string{"If-Match", "*"}, 404},
		{"create", []string{"Prefer", "return=representation"}, 201},
		{"update", []string{"Prefer", "return=representation"}, 200},
		{"create-only on an existing row", []string{"If-None-Match", "*"}, 412},
		{"plain upsert", nil, 204},
	}
	for _, s := range steps {
		r := env.do("dv", "PATCH", "/api/data/v9.2/accounts(accountnumber='A1')?$select=accountid", `{"name":"Contoso Retail"}`, s.headers...)
		if r.status != s.want {
			t.Fatalf("%s: %d, want %d: %s", s.name, r.status, s.want, r.body)
		}
		if s.want == 201 || s.want == 200 {
			body := r.json(t)
			if r.header.Get("ETag") != body["@odata.etag"] || body["accountid"] == nil || body["@odata.context"] != env.info.DataverseURL+"/api/data/v9.2/$metadata#accounts(accountid)/$entity" {
				t.Errorf("%s: %v %s", s.name, r.header, r.body)
			}
		}
		if s.want == 204 && r.header.Get("OData-EntityId") != env.info.DataverseURL+"/api/data/v9.2/accounts(accountnumber='A1')" {
			t.Errorf("%s: OData-EntityId %q", s.name, r.header.Get("OData-EntityId"))
		}
	}
	n := env.do("dv", "GET", "/api/data/v9.2/accounts/$count", "")
	if string(n.body) != "1" {
		t.Errorf("upserts made %s rows, want 1", n.body)
	}
}

func TestKeyFailsOnDuplicates(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{KeyIndexDelay: time.Minute})
	for i := 0; i < 2; i++ {
		env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"dup","telephone1":"1"}`)
	}
	env.do("dv", "POST", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Keys", `{"SchemaName":"new_PhoneKey","KeyAttributes":["telephone1"]}`)
	env.e.skew.Add(int64(2 * time.Minute))
	r := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Keys(LogicalName='new_phonekey')?$select=EntityKeyIndexStatus", "")
	if got := r.json(t)["EntityKeyIndexStatus"]; got != "Failed" {
		t.Errorf("status %v, want Failed", got)
	}
}
