package emulator

import (
	"strings"
	"testing"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/tables"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/google/go-cmp/cmp"
)

// innerError returns the innererror type of an F&O error answer ("" when there is none).
func innerError(t testing.TB, r response) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	inner, _ := e["innererror"].(map[string]any)
	typ, _ := inner["type"].(string)
	return typ
}

func TestFinOpsReads(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 4})
	cases := map[string]struct {
		path       string
		wantStatus int
		wantRows   int
	}{
		"default company only":      {"/data/CustomersV3", 200, 4},
		"cross-company":             {"/data/CustomersV3?cross-company=true", 200, 16},
		"one company":               {"/data/CustomersV3?cross-company=true&$filter=dataAreaId eq 'usmf'", 200, 4},
		"company code in any case":  {"/data/CustomersV3?cross-company=true&$filter=dataAreaId eq 'USMF'", 200, 4},
		"order and select":          {"/data/CustomersV3?cross-company=true&$select=CustomerAccount&$orderby=CustomerAccount desc&$top=3", 200, 3},
		"wildcard":                  {"/data/CustomersV3?cross-company=true&$filter=CustomerAccount eq 'US-*'", 200, 4},
		"enum literal":              {"/data/CustomersV3?cross-company=true&$filter=PartyType eq Microsoft.Dynamics.DataEntities.DirPartyBaseType'Person'", 200, 4},
		"skip and top":              {"/data/CustomersV3?cross-company=true&$skip=14&$top=5", 200, 2},
		"collection names any case": {"/data/customersv3?cross-company=true&$top=1", 200, 1},
		"shared entity":             {"/data/Currencies", 200, 6},
		"legal entities":            {"/data/LegalEntities", 200, 4},
		"unknown set":               {"/data/NoSuchEntities", 404, -1},
		"unknown column":            {"/data/CustomersV3?$select=Nope", 400, -1},
		"in is refused":             {"/data/CustomersV3?$filter=CustomerAccount in ('a')", 400, -1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := env.do("fo", "GET", tc.path, "")
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.wantRows >= 0 {
				if got := len(r.json(t)["value"].([]any)); got != tc.wantRows {
					t.Errorf("%d rows, want %d", got, tc.wantRows)
				}
			}
		})
	}
}

// TestFinOpsSamples is protocols.md §5.8: a cross-company read of a number sequence, a create and an
// update by composite key.
func TestFinOpsSamples(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 3})
	r := env.do("fo", "GET", "/data/SequenceV2Tables?$filter=ScopeValue eq 'USMF' and NumberSequenceCode eq 'Cust_1'&cross-company=true", "")
	rows := r.json(t)["value"].([]any)
	if len(rows) != 1 {
		t.Fatalf("sequences: %s", r.body)
	}
	seq := rows[0].(map[string]any)
	got := []any{seq["ScopeType"], seq["Smallest"], seq["Largest"], seq["Next"], seq["Format"], seq["Manual"], strings.HasPrefix(seq["@odata.etag"].(string), `W/"JzAs`)}
	if diff := cmp.Diff([]any{"DataArea", 1.0, 999.0, 4.0, "US-###", "No", true}, got); diff != "" {
		t.Errorf("sequence (-want +got):\n%s", diff)
	}
	steps := []struct {
		method, path, body string
		want               int
		inner              string
	}{
		{"POST", "/data/CustomerGroups?cross-company=true", `{"dataAreaId":"usmf","CustomerGroupId":"T1","Description":"Test group"}`, 201, ""},
		{"PATCH", "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='T1')?cross-company=true", `{"Description":"Renamed"}`, 204, ""},
		{"POST", "/data/CustomerGroups?cross-company=true", `{"dataAreaId":"USMF","CustomerGroupId":"t1"}`, 500, wire.CodeAxWriteExceptionTyp},
		{"POST", "/data/CustomersV3?cross-company=true", `{"dataAreaId":"usmf","CustomerAccount":"X1","CustomerGroupId":"Local"}`, 500, wire.CodeAxWriteExceptionTyp},
		{"POST", "/data/CustomersV3?cross-company=true", `{"dataAreaId":"usmf","CustomerAccount":"X2"}`, 500, wire.CodeAxWriteExceptionTyp},
		{"POST", "/data/SequenceV2Tables", `{"NumberSequenceCode":"S1","ScopeType":"DataArea","ScopeValue":"USMF","InUse":"Yes"}`, 500, wire.CodeAxWriteExceptionTyp},
		{"PATCH", "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='NONE')?cross-company=true", `{"Description":"x"}`, 404, ""},
		{"GET", "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='T1')", "", 404, ""},
		{"GET", "/data/CustomerGroups(CustomerGroupId='T1')?cross-company=true", "", 400, ""},
		{"DELETE", "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='T1')?cross-company=true", "", 204, ""},
		{"POST", "/data/NumberSequencesV2References", `{"DataTypeName":"CustAccount","NumberSequenceCode":"Nope","ScopeType":"DataArea","ScopeValue":"USMF"}`, 500, wire.CodeAxWriteExceptionTyp},
		{"POST", "/data/NumberSequencesV2References", `{"DataTypeName":"CustAccount","NumberSequenceCode":"Cust_1","ScopeType":"DataArea","ScopeValue":"USMF"}`, 201, ""},
		{"PATCH", "/data/SequenceV2Tables(NumberSequenceCode='Cust_1',ScopeType=Microsoft.Dynamics.DataEntities.NumberSequenceType'DataArea',ScopeValue='USMF')", `{"Next":1000}`, 500, wire.CodeAxWriteExceptionTyp},
		{"PATCH", "/data/SequenceV2Tables(NumberSequenceCode='Cust_1',ScopeType=Microsoft.Dynamics.DataEntities.NumberSequenceType'DataArea',ScopeValue='USMF')", `{"Next":500}`, 204, ""},
	}
	for _, s := range steps {
		r := env.do("fo", s.method, s.path, s.body)
		if r.status != s.want {
			t.Fatalf("%s %s: %d, want %d: %s", s.method, s.path, r.status, s.want, r.body)
		}
		if s.inner != "" && innerError(t, r) != s.inner {
			t.Errorf("%s %s: inner error %s", s.method, s.path, r.body)
		}
	}
}

// TestFinOpsPaging follows server-driven paging over 16 rows, 5 per page.
// TestFinOpsPaging pages through 16 customers, 5 per page, in id order
// and in the entity key's order (pages continue from a cursor), and with a
// row deleted between pages: the next pages then skip by offset, as the
// service does, so one row moves into the page already read.
func TestFinOpsPaging(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		query       string
		deleteAfter int // delete the first row read after this page; 0 for none
		want        [2]int
	}{
		"id order":          {query: "", want: [2]int{4, 16}},
		"entity key order":  {query: "&$orderby=dataAreaId,CustomerAccount", want: [2]int{4, 16}},
		"a write meanwhile": {query: "", deleteAfter: 1, want: [2]int{3, 15}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := startEnv(t, Options{FinOps: "demo", Rows: 4, FinOpsPageSize: 5})
			next, pages, seen := env.info.FinOpsURL+"/data/CustomersV3?cross-company=true&$count=true"+tc.query, 0, map[string]bool{}
			var first map[string]any
			for next != "" {
				body := env.do("fo", "GET", strings.TrimPrefix(next, env.info.FinOpsURL), "").json(t)
				for _, v := range body["value"].([]any) {
					row := v.(map[string]any)
					if first == nil {
						first = row
					}
					seen[row["dataAreaId"].(string)+"/"+row["CustomerAccount"].(string)] = true
				}
				pages++
				if pages == tc.deleteAfter {
					path := "/data/CustomersV3(dataAreaId='" + first["dataAreaId"].(string) + "',CustomerAccount='" + first["CustomerAccount"].(string) + "')?cross-company=true"
					if r := env.do("fo", "DELETE", path, ""); r.status/100 != 2 {
						t.Fatalf("delete %s: %d %s", path, r.status, r.body)
					}
				}
				next, _ = body["@odata.nextLink"].(string)
				if next != "" && !strings.Contains(next, "$skip=") {
					t.Fatalf("nextLink %s", next)
				}
			}
			if diff := cmp.Diff(tc.want, [2]int{pages, len(seen)}); diff != "" {
				t.Errorf("pages and rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFinOpsMetadata(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	pe := env.do("fo", "GET", "/Metadata/PublicEntities('CustomerV3')", "").json(t)
	if pe["EntitySetName"] != "CustomersV3" {
		t.Fatalf("public entity %v", pe)
	}
	list := env.do("fo", "GET", "/Metadata/PublicEntities?$filter=EntitySetName eq 'CustomersV3' or EntitySetName eq 'LegalEntities'&$select=Name,EntitySetName", "").json(t)["value"].([]any)
	if diff := cmp.Diff([]any{map[string]any{"Name": "CustomerV3", "EntitySetName": "CustomersV3"}, map[string]any{"Name": "LegalEntity", "EntitySetName": "LegalEntities"}}, list); diff != "" {
		t.Errorf("filtered public entities (-want +got):\n%s", diff)
	}
	en := env.do("fo", "GET", "/Metadata/PublicEnumerations('NoYes')", "").json(t)
	if diff := cmp.Diff([]any{map[string]any{"Name": "No", "Value": 0.0, "LabelId": "No"}, map[string]any{"Name": "Yes", "Value": 1.0, "LabelId": "Yes"}}, en["Members"]); diff != "" {
		t.Errorf("NoYes (-want +got):\n%s", diff)
	}
	if doc := env.do("fo", "GET", "/data/$metadata", ""); !strings.Contains(string(doc.body), `<EntityContainer Name="Resources">`) {
		t.Errorf("$metadata %d", doc.status)
	}
}

// TestSeedPairs checks that both sides of every seeded map pair exist.
func TestSeedPairs(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	if len(tables.Pairs) < 15 {
		t.Fatalf("%d pairs, want at least 15", len(tables.Pairs))
	}
	for _, p := range tables.Pairs {
		if _, ok := env.e.store.TableBySet(store.FinOps, p.FinOps); !ok {
			t.Errorf("F&O entity %s missing", p.FinOps)
		}
		if _, ok := env.e.store.TableBySet(store.Dataverse, p.Dataverse); !ok {
			t.Errorf("Dataverse table %s missing", p.Dataverse)
		}
	}
}

func TestFinOpsDemoSeed(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 6})
	cases := map[string]string{
		"LegalEntities":    "4",
		"CustomersV3":      "24",
		"VendorsV2":        "16",
		"ContactPersonsV2": "16",
		"CustomerGroups":   "16",
		"Currencies":       "6",
		"SequenceV2Tables": "8",
	}
	for set, want := range cases {
		t.Run(set, func(t *testing.T) {
			if r := env.do("fo", "GET", "/data/"+set+"/$count?cross-company=true", ""); string(r.body) != want {
				t.Errorf("%s: %s rows, want %s", set, r.body, want)
			}
		})
	}
}

func TestFinOpsErrorShape(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	r := env.do("fo", "GET", "/data/CustomersV3?$filter=Nope eq 1", "")
	if diff := cmp.Diff([]any{400, ""}, []any{r.status, errorCode(t, r)}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFinOpsDemoSeedWidth checks that account numbers and their sequences widen past 999 rows.
func TestFinOpsDemoSeedWidth(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{FinOps: "demo", Rows: 1000})
	seq := env.do("fo", "GET", "/data/SequenceV2Tables?cross-company=true&$filter=ScopeValue eq 'USMF' and NumberSequenceCode eq 'Cust_1'", "").json(t)["value"].([]any)[0].(map[string]any)
	last := env.do("fo", "GET", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-1000')?cross-company=true&$select=CustomerAccount", "")
	got := []any{seq["Format"], seq["Largest"], seq["Next"], last.status}
	if diff := cmp.Diff([]any{"US-####", 9999.0, 1001.0, 200}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
