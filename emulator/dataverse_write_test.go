package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/google/go-cmp/cmp"
)

// createCompany makes a cdm_company row and returns its id.
func createCompany(t *testing.T, env *testEnv, code string) string {
	t.Helper()
	r := env.do("dv", "POST", "/api/data/v9.2/cdm_companies?$select=cdm_companyid", `{"cdm_companycode":"`+code+`","cdm_name":"Company `+code+`"}`, "Prefer", "return=representation")
	if r.status != 201 {
		t.Fatalf("create company: %d %s", r.status, r.body)
	}
	return r.json(t)["cdm_companyid"].(string)
}

func TestDataverseWrites(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	usmf := createCompany(t, env, "USMF")
	create := func(body string) response {
		return env.do("dv", "POST", "/api/data/v9.2/accounts", body, "Prefer", "return=representation")
	}
	first := create(`{"name":"Litware","accountnumber":"A1","msdyn_company@odata.bind":"/cdm_companies(cdm_companycode='USMF')"}`)
	if first.status != 201 {
		t.Fatalf("create: %d %s", first.status, first.body)
	}
	row := first.json(t)
	id, etag := row["accountid"].(string), row["@odata.etag"].(string)
	if row["_msdyn_company_value"] != usmf || first.header.Get("ETag") != etag {
		t.Fatalf("created row %v", row)
	}
	cases := map[string]struct {
		method, path, body string
		headers            []string
		wantStatus         int
		wantCode           string
	}{
		"duplicate alternate key": {"POST", "/api/data/v9.2/accounts", `{"name":"Other","accountnumber":"a1","msdyn_company@odata.bind":"/cdm_companies(` + usmf + `)"}`, nil, 412, wire.CodeDuplicateKey},
		"same number, no company": {"POST", "/api/data/v9.2/accounts", `{"name":"Other","accountnumber":"A1"}`, nil, 204, ""},
		"unknown column":          {"POST", "/api/data/v9.2/accounts", `{"nosuch":1}`, nil, 400, wire.CodeInvalidProperty},
		"too long":                {"POST", "/api/data/v9.2/accounts", `{"accountnumber":"` + strings.Repeat("x", 21) + `"}`, nil, 400, wire.CodeValidation},
		"bad option":              {"POST", "/api/data/v9.2/accounts", `{"customertypecode":99}`, nil, 400, "0x8004431a"},
		"bind to a missing row":   {"POST", "/api/data/v9.2/accounts", `{"msdyn_company@odata.bind":"/cdm_companies(00000000-0000-0000-0000-000000000001)"}`, nil, 404, wire.CodeObjectDoesNotExist},
		"update with etag":        {"PATCH", "/api/data/v9.2/accounts(" + id + ")", `{"name":"Litware Inc"}`, []string{"If-Match", etag}, 204, ""},
		"update with stale etag":  {"PATCH", "/api/data/v9.2/accounts(" + id + ")", `{"name":"Again"}`, []string{"If-Match", etag}, 412, wire.CodeVersionMismatch},
		"delete with stale etag":  {"DELETE", "/api/data/v9.2/accounts(" + id + ")", "", []string{"If-Match", etag}, 412, wire.CodeVersionMismatch},
		"set one column":          {"PUT", "/api/data/v9.2/accounts(" + id + ")/telephone1", `{"value":"555"}`, nil, 204, ""},
		"clear one column":        {"DELETE", "/api/data/v9.2/accounts(" + id + ")/telephone1", "", nil, 204, ""},
		"get missing":             {"GET", "/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000002)", "", nil, 404, wire.CodeObjectDoesNotExist},
		"key not defined":         {"GET", "/api/data/v9.2/accounts(name='x')", "", nil, 400, wire.CodeKeyNotValid},
		"patch a collection":      {"PATCH", "/api/data/v9.2/accounts", `{}`, nil, 405, wire.CodeNotSupported},
		"forbidden key character": {"GET", "/api/data/v9.2/accounts(accountnumber='A:1',msdyn_company=" + usmf + ")", "", nil, 400, wire.CodeBadRequest},
		"get by alternate key":    {"GET", "/api/data/v9.2/accounts(accountnumber='A1',_msdyn_company_value=" + usmf + ")", "", nil, 200, ""},
	}
	order := []string{"duplicate alternate key", "same number, no company", "unknown column", "too long", "bad option",
		"bind to a missing row", "update with etag", "update with stale etag", "delete with stale etag", "set one column",
		"clear one column", "get missing", "key not defined", "patch a collection", "forbidden key character", "get by alternate key"}
	for _, name := range order {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			r := env.do("dv", tc.method, tc.path, tc.body, tc.headers...)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.wantCode != "" {
				if got := errorCode(t, r); got != tc.wantCode {
					t.Errorf("code %q, want %q", got, tc.wantCode)
				}
			}
		})
	}
	r := env.do("dv", "GET", "/api/data/v9.2/accounts("+id+")?$select=name,telephone1", "")
	got := r.json(t)
	if diff := cmp.Diff([]any{"Litware Inc", nil}, []any{got["name"], got["telephone1"]}); diff != "" {
		t.Errorf("row after writes (-want +got):\n%s", diff)
	}
	if nm := env.do("dv", "GET", "/api/data/v9.2/accounts("+id+")", "", "If-None-Match", r.header.Get("ETag")); nm.status != 304 {
		t.Errorf("If-None-Match: %d, want 304", nm.status)
	}
	if del := env.do("dv", "DELETE", "/api/data/v9.2/accounts("+id+")", ""); del.status != 204 {
		t.Errorf("delete: %d", del.status)
	}
	if del := env.do("dv", "DELETE", "/api/data/v9.2/accounts("+id+")", ""); del.status != 404 {
		t.Errorf("second delete: %d, want 404", del.status)
	}
}

func TestAutoNumber(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"PUT", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Attributes(LogicalName='accountnumber')",
			`{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","AutoNumberFormat":"C{SEQNUM:4}"}`, 204},
		{"POST", "/api/data/v9.2/SetAutoNumberSeed", `{"EntityName":"account","AttributeName":"accountnumber","Value":7}`, 204},
		{"POST", "/api/data/v9.2/accounts", `{"name":"one"}`, 204},
		{"POST", "/api/data/v9.2/accounts", `{"name":"two"}`, 204},
		{"POST", "/api/data/v9.2/accounts", `{"name":"manual","accountnumber":"M1"}`, 204},
	}
	for _, s := range steps {
		if r := env.do("dv", s.method, s.path, s.body); r.status != s.want {
			t.Fatalf("%s %s: %d %s", s.method, s.path, r.status, r.body)
		}
	}
	r := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name,accountnumber&$orderby=accountnumber", "")
	var got []string
	for _, v := range r.json(t)["value"].([]any) {
		got = append(got, v.(map[string]any)["accountnumber"].(string))
	}
	if diff := cmp.Diff([]string{"C0007", "C0008", "M1"}, got); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
	next := env.do("dv", "POST", "/api/data/v9.2/GetNextAutoNumberValue", `{"EntityName":"account","AttributeName":"accountnumber"}`).json(t)
	seed := env.do("dv", "POST", "/api/data/v9.2/GetAutoNumberSeed", `{"EntityName":"account","AttributeName":"accountnumber"}`).json(t)
	if next["NextAutoNumberValue"] != 9.0 || seed["AutoNumberSeedValue"] != 7.0 {
		t.Errorf("next %v seed %v", next, seed)
	}
	attr := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength,AutoNumberFormat&$filter=LogicalName eq 'accountnumber'", "")
	vals := attr.json(t)["value"].([]any)
	if len(vals) != 1 || vals[0].(map[string]any)["AutoNumberFormat"] != "C{SEQNUM:4}" {
		t.Errorf("attribute: %s", attr.body)
	}
}

func TestDataverseMetadata(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	r := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='account')?$select=LogicalName,EntitySetName,PrimaryIdAttribute", "")
	body := r.json(t)
	if diff := cmp.Diff([]any{"account", "accounts", "accountid"}, []any{body["LogicalName"], body["EntitySetName"], body["PrimaryIdAttribute"]}); diff != "" {
		t.Errorf("entity (-want +got):\n%s", diff)
	}
	list := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName eq 'cdm_company'", "").json(t)
	if v := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["EntitySetName"] != "cdm_companies" {
		t.Errorf("filtered list %v", list)
	}
	org := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions?$select=LogicalName&$filter=OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'OrganizationOwned' and LogicalName eq 'uom'", "").json(t)
	if v := org["value"].([]any); len(v) != 1 {
		t.Errorf("enum filter: %v", org)
	}
	pick := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Attributes(LogicalName='customertypecode')", "").json(t)
	if pick["@odata.type"] != "#Microsoft.Dynamics.CRM.PicklistAttributeMetadata" || len(pick["OptionSet"].(map[string]any)["Options"].([]any)) != 12 {
		t.Errorf("picklist %v", pick)
	}
	who := env.do("dv", "GET", "/api/data/v9.2/WhoAmI", "").json(t)
	if who["UserId"] == "" || who["OrganizationId"] == "" {
		t.Errorf("WhoAmI %v", who)
	}
	teams := env.do("dv", "GET", "/api/data/v9.2/teams?$select=name,isdefault&$filter=_businessunitid_value eq "+who["BusinessUnitId"].(string), "").json(t)["value"].([]any)
	if len(teams) != 1 || teams[0].(map[string]any)["isdefault"] != true {
		t.Errorf("default team of the root business unit: %v", teams)
	}
	if doc := env.do("dv", "GET", "/api/data/v9.2/$metadata", ""); doc.status != 200 || !strings.Contains(string(doc.body), `<EntityContainer Name="System">`) {
		t.Errorf("$metadata: %d", doc.status)
	}
}

func TestDataverseExpand(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	c := env.do("dv", "POST", "/api/data/v9.2/contacts?$select=contactid", `{"firstname":"Susanna","lastname":"Stubberod"}`, "Prefer", "return=representation").json(t)
	env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"Litware","primarycontactid@odata.bind":"/contacts(`+c["contactid"].(string)+`)"}`)
	r := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name,_primarycontactid_value&$expand=primarycontactid($select=fullname)", "")
	row := r.json(t)["value"].([]any)[0].(map[string]any)
	pc, _ := row["primarycontactid"].(map[string]any)
	if diff := cmp.Diff([]any{c["contactid"], "Susanna Stubberod"}, []any{row["_primarycontactid_value"], pc["fullname"]}); diff != "" {
		t.Errorf("expand (-want +got):\n%s\n%s", diff, r.body)
	}
	nav := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name&$filter=primarycontactid/fullname eq 'Susanna Stubberod'", "")
	if n := len(nav.json(t)["value"].([]any)); n != 1 {
		t.Errorf("filter through the lookup: %d rows: %s", n, nav.body)
	}
}

func TestAnnotations(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	createCompany(t, env, "USMF")
	env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"Litware","customertypecode":3,"msdyn_company@odata.bind":"/cdm_companies(cdm_companycode='USMF')"}`)
	r := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name,customertypecode,_msdyn_company_value", "", "Prefer", `odata.include-annotations="*"`)
	row := r.json(t)["value"].([]any)[0].(map[string]any)
	got := []any{row["customertypecode@"+"OData.Community.Display.V1.FormattedValue"], row["_msdyn_company_value@"+"OData.Community.Display.V1.FormattedValue"], row["_msdyn_company_value@"+"Microsoft.Dynamics.CRM.lookuplogicalname"], r.header.Get("Preference-Applied")}
	if diff := cmp.Diff([]any{"Customer", "Company USMF", "cdm_company", `odata.include-annotations="*"`}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	plain := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=customertypecode", "").json(t)["value"].([]any)[0].(map[string]any)
	if _, has := plain["customertypecode@"+"OData.Community.Display.V1.FormattedValue"]; has {
		t.Error("annotations without the preference")
	}
}

func TestReferences(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	c := env.do("dv", "POST", "/api/data/v9.2/contacts?$select=contactid", `{"lastname":"Doe"}`, "Prefer", "return=representation").json(t)["contactid"].(string)
	a := env.do("dv", "POST", "/api/data/v9.2/accounts?$select=accountid", `{"name":"A"}`, "Prefer", "return=representation").json(t)["accountid"].(string)
	steps := []struct {
		method, body string
		want         any
	}{
		{"PUT", `{"@odata.id":"` + env.info.DataverseURL + `/api/data/v9.2/contacts(` + c + `)"}`, c},
		{"DELETE", "", nil},
	}
	for _, s := range steps {
		if r := env.do("dv", s.method, "/api/data/v9.2/accounts("+a+")/primarycontactid/$ref", s.body); r.status != 204 {
			t.Fatalf("%s $ref: %d %s", s.method, r.status, r.body)
		}
		got := env.do("dv", "GET", "/api/data/v9.2/accounts("+a+")?$select=_primarycontactid_value", "").json(t)["_primarycontactid_value"]
		if got != s.want {
			t.Errorf("after %s: %v, want %v", s.method, got, s.want)
		}
	}
}

func TestUpsertByCompanyKey(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	usmf := createCompany(t, env, "USMF")
	cases := []struct {
		name, company string
		want          int
	}{
		{"create with the company from the URL", usmf, 204},
		{"update the same row", usmf, 204},
		{"unknown company", "00000000-0000-4000-8000-000000000009", 404},
	}
	for _, tc := range cases {
		r := env.do("dv", "PATCH", "/api/data/v9.2/accounts(accountnumber='A1',msdyn_company="+tc.company+")", `{"name":"Contoso"}`)
		if r.status != tc.want {
			t.Fatalf("%s: %d, want %d: %s", tc.name, r.status, tc.want, r.body)
		}
	}
	rows := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=accountnumber,_msdyn_company_value&$filter=_msdyn_company_value eq "+strings.ToUpper(usmf), "").json(t)["value"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["_msdyn_company_value"] != usmf {
		t.Errorf("rows %v", rows)
	}
}

// TestMetadataCasts reads the type-specific attribute properties the way clients do: cast segments
// with $select and $expand=OptionSet($select=Options).
func TestMetadataCasts(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	base := "/api/data/v9.2/EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM."
	r := env.do("dv", "GET", base+"PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)", "")
	found := false
	for _, v := range r.json(t)["value"].([]any) {
		a := v.(map[string]any)
		if a["LogicalName"] != "customertypecode" {
			continue
		}
		found = true
		opts := a["OptionSet"].(map[string]any)["Options"].([]any)
		first := opts[0].(map[string]any)
		if len(opts) != 12 || first["Value"] != 1.0 {
			t.Errorf("options %v", opts)
		}
	}
	if !found {
		t.Fatalf("customertypecode missing: %s", r.body)
	}
	l := env.do("dv", "GET", base+"LookupAttributeMetadata?$select=LogicalName,Targets", "").json(t)["value"].([]any)
	targets := map[string]any{}
	for _, v := range l {
		a := v.(map[string]any)
		targets[a["LogicalName"].(string)] = a["Targets"]
	}
	if diff := cmp.Diff([]any{"cdm_company"}, targets["msdyn_company"]); diff != "" {
		t.Errorf("msdyn_company targets (-want +got):\n%s", diff)
	}
}

func TestDeepInsert(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	r := env.do("dv", "POST", "/api/data/v9.2/accounts?$select=_primarycontactid_value", `{"name":"Parent","primarycontactid":{"firstname":"Ann","lastname":"Berg"}}`, "Prefer", "return=representation")
	if r.status != 201 {
		t.Fatalf("deep insert: %d %s", r.status, r.body)
	}
	id := r.json(t)["_primarycontactid_value"].(string)
	c := env.do("dv", "GET", "/api/data/v9.2/contacts("+id+")?$select=fullname", "").json(t)
	if c["fullname"] != "Ann Berg" {
		t.Errorf("nested contact %v", c)
	}
	bad := env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"Parent","primarycontactid":{"nosuch":1}}`)
	if n := env.do("dv", "GET", "/api/data/v9.2/accounts/$count", ""); bad.status != 400 || string(n.body) != "1" {
		t.Errorf("failed deep insert: %d, accounts %s", bad.status, n.body)
	}
}

// TestCustomTable creates a table, a column and a key the way protocols.md §2.14 and §5.7 show, then
// writes rows to it.
func TestCustomTable(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{KeyIndexDelay: time.Millisecond})
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/api/data/v9.2/EntityDefinitions", `{"@odata.type":"Microsoft.Dynamics.CRM.EntityMetadata","SchemaName":"new_Widget","OwnershipType":"UserOwned",
			"DisplayName":{"LocalizedLabels":[{"Label":"Widget","LanguageCode":1033}]},
			"Attributes":[{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Name","IsPrimaryName":true,"MaxLength":100}]}`, 204},
		{"POST", "/api/data/v9.2/EntityDefinitions", `{"SchemaName":"new_Widget"}`, 400},
		{"POST", "/api/data/v9.2/EntityDefinitions(LogicalName='new_widget')/Attributes", `{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Code","MaxLength":20}`, 204},
		{"POST", "/api/data/v9.2/EntityDefinitions(LogicalName='new_widget')/Keys", `{"SchemaName":"new_WidgetCodeKey","KeyAttributes":["new_code"]}`, 204},
		{"POST", "/api/data/v9.2/new_widgets", `{"new_name":"first","new_code":"W1"}`, 204},
	}
	for _, s := range steps {
		if r := env.do("dv", s.method, s.path, s.body); r.status != s.want {
			t.Fatalf("%s %s: %d, want %d: %s", s.method, s.path, r.status, s.want, r.body)
		}
	}
	env.e.skew.Add(int64(time.Second))
	k := env.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='new_widget')/Keys(LogicalName='new_widgetcodekey')?$select=EntityKeyIndexStatus", "")
	if got := k.json(t)["EntityKeyIndexStatus"]; got != "Active" {
		t.Fatalf("key status %v", got)
	}
	r := env.do("dv", "GET", "/api/data/v9.2/new_widgets(new_code='W1')?$select=new_name", "")
	if r.status != 200 || r.json(t)["new_name"] != "first" {
		t.Errorf("by key: %d %s", r.status, r.body)
	}
}
