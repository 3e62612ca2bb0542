package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/emulator/store"
	"github.com/google/go-cmp/cmp"
)

const taxGroups = "msdyn_taxgroups - Sales tax groups"

// mapAction runs a Start action (5 pause, 6 resume, 4 stop) on the named map with the given
// parameters JSON ("" for none) and returns the map's state and its request's error message.
func mapAction(t *testing.T, env *testEnv, tok string, cs map[string]any, name string, action int, params string) (string, string) {
	t.Helper()
	env.e.SetControlPolls(0)
	tid := dwMapNamed(t, mapsOf(t, env, tok, cs), name)["tid"].(string)
	p := ""
	if params != "" {
		p = `,"parameters":` + params
	}
	body := `{"action":"` + string(rune('0'+action)) + `","details":[{"tid":"` + tid + `","cid":"` + cs["id"].(string) + `"` + p + `}]}`
	r := env.ctl(tok, "POST", mgmt+"Start", body)
	if r.status != http.StatusOK {
		t.Fatalf("Start %d: %d %s", action, r.status, r.body)
	}
	var maps []map[string]any
	_ = json.Unmarshal(env.ctl(tok, "GET", mgmt+"Status/"+r.json(t)["requestId"].(string), "").body, &maps)
	d := maps[0]["detail"].(map[string]any)
	return d["state"].(string), d["lastRequest"].(map[string]any)["errorMessage"].(string)
}

// dvTaxGroup reads the description of a Dataverse tax group ("" and false when missing).
func dvTaxGroup(t *testing.T, env *testEnv, code string) (map[string]any, bool) {
	t.Helper()
	r := env.do("dv", "GET", "/api/data/v9.2/msdyn_taxgroups?$select=msdyn_name,msdyn_description,_msdyn_company_value&$filter="+
		url.QueryEscape("msdyn_name eq '"+code+"'"), "")
	rows := r.json(t)["value"].([]any)
	if len(rows) == 0 {
		return nil, false
	}
	return rows[0].(map[string]any), true
}

// foTaxGroup reads an F&O tax group of USMF.
func foTaxGroup(t *testing.T, env *testEnv, code string) (map[string]any, bool) {
	t.Helper()
	r := env.do("fo", "GET", "/data/SalesTaxGroups(dataAreaId='usmf',TaxGroupCode='"+code+"')?cross-company=true", "")
	if r.status == http.StatusNotFound {
		return nil, false
	}
	return r.json(t), true
}

func TestLiveSyncBothWays(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	startMap(t, env, tok, cs, taxGroups, "CRM")
	usmf := companyID(t, env, "USMF")

	if r := env.do("fo", "POST", "/data/SalesTaxGroups", `{"dataAreaId":"USMF","TaxGroupCode":"LIVE","Description":"Made in F&O"}`); r.status != http.StatusCreated {
		t.Fatalf("F&O create: %d %s", r.status, r.body)
	}
	got, ok := dvTaxGroup(t, env, "LIVE")
	want := map[string]any{"msdyn_name": "LIVE", "msdyn_description": "Made in F&O", "_msdyn_company_value": usmf}
	if !ok {
		t.Fatal("the F&O create did not reach Dataverse")
	}
	delete(got, "@odata.etag")
	id := got["msdyn_taxgroupid"].(string)
	delete(got, "msdyn_taxgroupid")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Dataverse row after the F&O create (-want +got):\n%s", diff)
	}

	if r := env.do("dv", "PATCH", "/api/data/v9.2/msdyn_taxgroups("+id+")", `{"msdyn_description":"Edited in Dataverse"}`); r.status != http.StatusNoContent {
		t.Fatalf("Dataverse update: %d %s", r.status, r.body)
	}
	if fo, _ := foTaxGroup(t, env, "LIVE"); fo["Description"] != "Edited in Dataverse" {
		t.Errorf("F&O row after the Dataverse update: %v", fo)
	}
	// No echo: the runtime's F&O write is the last write of the pair, none came back to Dataverse.
	ctx := context.Background()
	dvRowNow, _, _ := env.e.store.Get(ctx, store.Dataverse, "msdyn_taxgroup", id)
	foID, _ := store.FinOpsID(mustTable(t, env, store.FinOps, "SalesTaxGroups"), map[string]any{"dataAreaId": "usmf", "TaxGroupCode": "LIVE"})
	foRowNow, _, _ := env.e.store.Get(ctx, store.FinOps, "SalesTaxGroup", foID)
	if foRowNow.Version != dvRowNow.Version+1 {
		t.Errorf("versions: Dataverse %d, F&O %d; want F&O written once right after Dataverse", dvRowNow.Version, foRowNow.Version)
	}

	if r := env.do("fo", "DELETE", "/data/SalesTaxGroups(dataAreaId='usmf',TaxGroupCode='LIVE')?cross-company=true", ""); r.status != http.StatusNoContent {
		t.Fatalf("F&O delete: %d %s", r.status, r.body)
	}
	if _, ok := dvTaxGroup(t, env, "LIVE"); ok {
		t.Error("the F&O delete did not reach Dataverse")
	}
}

func mustTable(t *testing.T, env *testEnv, svc store.Service, set string) *store.Table {
	t.Helper()
	tb, ok := env.e.store.TableBySet(svc, set)
	if !ok {
		t.Fatalf("no %s table %s", svc, set)
	}
	return tb
}

func TestLiveSyncStoppedMapDoesNothing(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	startMap(t, env, tok, cs, taxGroups, "CRM")
	if state, msg := mapAction(t, env, tok, cs, taxGroups, actStop, ""); state != "1" || msg != "" {
		t.Fatalf("stop: state %s %s", state, msg)
	}
	if r := env.do("fo", "POST", "/data/SalesTaxGroups", `{"dataAreaId":"USMF","TaxGroupCode":"OFF"}`); r.status != http.StatusCreated {
		t.Fatalf("F&O create: %d %s", r.status, r.body)
	}
	if _, ok := dvTaxGroup(t, env, "OFF"); ok {
		t.Error("a stopped map carried a write")
	}
}

// customersRunning starts the reference maps and the two Customers V3 maps.
func customersRunning(t *testing.T) (*testEnv, string, map[string]any) {
	env, tok, cs := linked(t, Options{})
	for _, name := range []string{"msdyn_paymentterms - Terms of payment", "msdyn_customergroups - Customer groups",
		"transactioncurrencies - Currencies", "accounts - Customers V3", "contacts - Customers V3"} {
		startMap(t, env, tok, cs, name, "AX")
	}
	return env, tok, cs
}

func TestLiveSyncFiltersAndSeveralMaps(t *testing.T) {
	env, _, _ := customersRunning(t)
	for _, body := range []string{
		`{"dataAreaId":"usmf","CustomerAccount":"ORG-1","OrganizationName":"Org One","PartyType":"Organization","CustomerGroupId":"10","SalesCurrencyCode":"USD","OnHoldStatus":"Invoice"}`,
		`{"dataAreaId":"usmf","CustomerAccount":"PER-1","PersonFirstName":"Pat","PersonLastName":"Person","PartyType":"Person","CustomerGroupId":"10"}`,
		`{"dataAreaId":"usmf","CustomerAccount":"NONE-1","OrganizationName":"Neither","PartyType":"None","CustomerGroupId":"10"}`,
	} {
		if r := env.do("fo", "POST", "/data/CustomersV3", body); r.status != http.StatusCreated {
			t.Fatalf("F&O create: %d %s", r.status, r.body)
		}
	}
	got := map[string]string{}
	accounts := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=accountnumber,name,msdyn_onholdstatus,customertypecode&$filter="+
		url.QueryEscape("accountnumber eq 'ORG-1' or accountnumber eq 'PER-1' or accountnumber eq 'NONE-1'"), "")
	for _, r := range accounts.json(t)["value"].([]any) {
		m := r.(map[string]any)
		got["account:"+m["accountnumber"].(string)] = m["name"].(string) + "/" + mapText(m["msdyn_onholdstatus"]) + "/" + mapText(m["customertypecode"])
	}
	contacts := env.do("dv", "GET", "/api/data/v9.2/contacts?$select=msdyn_contactpersonid,fullname,msdyn_sellable&$filter="+
		url.QueryEscape("msdyn_contactpersonid eq 'ORG-1' or msdyn_contactpersonid eq 'PER-1' or msdyn_contactpersonid eq 'NONE-1'"), "")
	for _, r := range contacts.json(t)["value"].([]any) {
		m := r.(map[string]any)
		got["contact:"+m["msdyn_contactpersonid"].(string)] = m["fullname"].(string) + "/" + mapText(m["msdyn_sellable"])
	}
	want := map[string]string{"account:ORG-1": "Org One/806380001/3", "contact:PER-1": "Pat Person/true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Dataverse rows after the F&O creates (-want +got):\n%s", diff)
	}

	// A Dataverse contact the filter excludes (not sellable) stays in Dataverse.
	c := contacts.json(t)["value"].([]any)[0].(map[string]any)
	id := c["contactid"].(string)
	if r := env.do("dv", "PATCH", "/api/data/v9.2/contacts("+id+")", `{"msdyn_sellable":false,"lastname":"Hidden"}`); r.status != http.StatusNoContent {
		t.Fatalf("Dataverse update: %d %s", r.status, r.body)
	}
	fo := env.do("fo", "GET", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='PER-1')?cross-company=true", "").json(t)
	if fo["PersonLastName"] != "Person" {
		t.Errorf("F&O row after a Dataverse update the filter excludes: PersonLastName %v", fo["PersonLastName"])
	}
}

func mapText(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func TestLiveSyncCoupledFailures(t *testing.T) {
	env, _, _ := customersRunning(t)
	group := env.do("dv", "GET", "/api/data/v9.2/msdyn_customergroups?$select=msdyn_customergroupid&$filter="+url.QueryEscape("msdyn_groupid eq '10'"), "")
	groupID := group.json(t)["value"].([]any)[0].(map[string]any)["msdyn_customergroupid"].(string)
	bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
	cases := map[string]struct {
		svc, path, body string
		status          int
		message         string // the start of the error message (F&O: the inner message)
		foAccount       string // the F&O customer that must not exist afterwards
		dvAccount       string // the Dataverse account that must not exist afterwards
	}{
		"a lookup that does not resolve in Dataverse": {svc: "fo", path: "/data/CustomersV3", status: http.StatusInternalServerError,
			body:      `{"dataAreaId":"usmf","CustomerAccount":"BAD-CUR","OrganizationName":"Bad","PartyType":"Organization","CustomerGroupId":"10","SalesCurrencyCode":"XYZ"}`,
			message:   "Write failed for table row of type 'CustomerV3'. Infolog: Error: Unable to write data to entity accounts. Writes to account failed with error message Request failed with status code BadRequest and CDS error code : 0x8006088a response message: Couldn't resolve the guid for the field: transactioncurrencyid.isocurrencycode. The lookup wasn't found: XYZ",
			foAccount: "BAD-CUR", dvAccount: "BAD-CUR"},
		"a mandatory F&O field missing": {svc: "dv", path: "/api/data/v9.2/accounts", status: http.StatusBadRequest,
			body:      `{"name":"No group","accountnumber":"NO-GROUP","customertypecode":3,` + bind + `}`,
			message:   "Unable to write data to entity customerv3. Writes to CustomersV3 failed with error message Request failed with status code InternalServerError and response message: Write failed for table row of type 'CustomerV3'. Infolog: Warning: Field 'CustomerGroupId' must be filled in.",
			foAccount: "NO-GROUP", dvAccount: "NO-GROUP"},
		"an F&O value longer than its field": {svc: "dv", path: "/api/data/v9.2/accounts", status: http.StatusBadRequest,
			body:      `{"name":"` + strings.Repeat("Long", 30) + `","accountnumber":"LONG-NAME","customertypecode":3,"msdyn_customergroupid@odata.bind":"/msdyn_customergroups(` + groupID + `)",` + bind + `}`,
			message:   "Unable to write data to entity customerv3. Writes to CustomersV3 failed with error message Request failed with status code InternalServerError and response message: Write failed for table row of type 'CustomerV3'. Infolog: Error: The value of field 'OrganizationName' is longer than 100 characters.",
			dvAccount: "LONG-NAME"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := env.do(tc.svc, "POST", tc.path, tc.body)
			var e struct {
				Error struct {
					Code, Message string
					Innererror    struct{ Message string }
				}
			}
			_ = json.Unmarshal(r.body, &e)
			msg := e.Error.Message
			if tc.svc == "fo" {
				msg = e.Error.Innererror.Message
			} else if e.Error.Code != "0x80040265" {
				t.Errorf("code %q, want the plug-in's 0x80040265", e.Error.Code)
			}
			if r.status != tc.status || !strings.HasPrefix(msg, tc.message) {
				t.Fatalf("answer %d %s\nwant %d starting %q", r.status, msg, tc.status, tc.message)
			}
			if tc.foAccount != "" {
				if r := env.do("fo", "GET", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='"+tc.foAccount+"')?cross-company=true", ""); r.status != http.StatusNotFound {
					t.Errorf("F&O kept the customer: %d", r.status)
				}
			}
			n := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=accountnumber&$filter="+url.QueryEscape("accountnumber eq '"+tc.dvAccount+"'"), "")
			if rows := n.json(t)["value"].([]any); len(rows) != 0 {
				t.Errorf("Dataverse kept the account: %v", rows)
			}
		})
	}
}

// addVendorContactsMap adds "contacts - CDS Contacts V2" with the published filters and starts it.
func addVendorContactsMap(t *testing.T, env *testEnv, tok string, cs map[string]any) {
	t.Helper()
	legs := `{"sourceEnvironmentType":"AX","sourceSchema":"CDSContactsV2","destinationSchema":"contacts","sourceFilter":"(AssociatedContactType == 1)",
	   "reversedSourceFilter":"msdyn_contactforvendor eq true and msdyn_sellable eq false and msdyn_contactpersonid ne null",
	   "fieldMappings":[{"syncDirection":3,"sourceField":"ContactPersonId","destinationField":"msdyn_contactpersonid"},
	    {"syncDirection":3,"sourceField":"FirstName","destinationField":"firstname"},
	    {"syncDirection":3,"sourceField":"LastName","destinationField":"lastname"},
	    {"syncDirection":1,"sourceField":"","destinationField":"msdyn_contactforvendor","valueTransforms":[{"transformType":"Default","defaultValue":true}]},
	    {"syncDirection":2,"sourceField":"AssociatedContactType","destinationField":"","valueTransforms":[{"transformType":"Default","defaultValue":"Vendor"}]}]}`
	if st := env.saveVersion(tok, cs, "contacts - CDS Contacts V2", legs, "Contoso", "1.0.0.1"); st["state"] != "2" {
		t.Fatalf("adding the map: %v", st)
	}
	startMap(t, env, tok, cs, "contacts - CDS Contacts V2", "CRM")
}

func TestLiveSyncTwoMapsOnOneTable(t *testing.T) {
	env, tok, cs := customersRunning(t)
	addVendorContactsMap(t, env, tok, cs)
	group := env.do("dv", "GET", "/api/data/v9.2/msdyn_customergroups?$select=msdyn_customergroupid&$filter="+url.QueryEscape("msdyn_groupid eq '10'"), "")
	groupID := group.json(t)["value"].([]any)[0].(map[string]any)["msdyn_customergroupid"].(string)
	bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
	writes := []struct{ svc, path, body string }{
		{"dv", "/api/data/v9.2/contacts", `{"msdyn_contactpersonid":"VC-1","lastname":"Vendorson","msdyn_contactforvendor":true,"msdyn_sellable":false,` + bind + `}`},
		{"dv", "/api/data/v9.2/contacts", `{"msdyn_contactpersonid":"CC-1","lastname":"Customerson","msdyn_sellable":true,` +
			`"msdyn_customergroupid@odata.bind":"/msdyn_customergroups(` + groupID + `)",` + bind + `}`},
		{"fo", "/data/CDSContactsV2", `{"dataAreaId":"usmf","ContactPersonId":"VC-2","LastName":"Supplier","AssociatedContactType":"Vendor"}`},
		{"fo", "/data/CDSContactsV2", `{"dataAreaId":"usmf","ContactPersonId":"CC-2","LastName":"Buyer","AssociatedContactType":"Customer"}`},
	}
	for _, w := range writes {
		if r := env.do(w.svc, "POST", w.path, w.body); r.status >= 300 {
			t.Fatalf("POST %s: %d %s", w.path, r.status, r.body)
		}
	}
	got := map[string]string{}
	for _, id := range []string{"VC-1", "CC-1", "VC-2", "CC-2"} {
		if r := env.do("fo", "GET", "/data/CDSContactsV2(dataAreaId='usmf',ContactPersonId='"+id+"')?cross-company=true", ""); r.status == http.StatusOK {
			got["CDSContactsV2:"+id] = r.json(t)["AssociatedContactType"].(string)
		}
		if r := env.do("fo", "GET", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='"+id+"')?cross-company=true", ""); r.status == http.StatusOK {
			got["CustomersV3:"+id] = r.json(t)["PartyType"].(string)
		}
		r := env.do("dv", "GET", "/api/data/v9.2/contacts?$select=lastname,msdyn_contactforvendor&$filter="+url.QueryEscape("msdyn_contactpersonid eq '"+id+"'"), "")
		for _, row := range r.json(t)["value"].([]any) {
			got["contacts:"+id] = mapText(row.(map[string]any)["msdyn_contactforvendor"])
		}
	}
	want := map[string]string{
		"contacts:VC-1": "true", "CDSContactsV2:VC-1": "Vendor", // the vendor map's filters only
		"contacts:CC-1": "false", "CustomersV3:CC-1": "Person", // the customer map's filters only
		"CDSContactsV2:VC-2": "Vendor", "contacts:VC-2": "true",
		"CDSContactsV2:CC-2": "Customer", // the F&O filter keeps customer contacts out
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows after the writes (-want +got):\n%s", diff)
	}
}

func TestLiveSyncPolymorphicLookup(t *testing.T) {
	env, tok, cs := customersRunning(t)
	if r := env.ctl(tok, "POST", "/api/dataset/"+dataset(t, cs)+"/IntegrationKeys",
		`{"datasetName":"`+dataset(t, cs)+`","integrationKeys":{"salesorder":["msdyn_salesordernumber","msdyn_company.cdm_companycode"]}}`); r.status >= 300 {
		t.Fatalf("integration key: %d %s", r.status, r.body)
	}
	legs := `{"sourceEnvironmentType":"AX","sourceSchema":"CDSSalesOrderHeaders","destinationSchema":"salesorders",
	   "fieldMappings":[{"syncDirection":3,"sourceField":"SalesOrderNumber","destinationField":"msdyn_salesordernumber"},
	    {"syncDirection":3,"sourceField":"OrderingCustomerAccountNumber","destinationField":"customerid.Account(accountnumber).Contact(msdyn_contactpersonid)"},
	    {"syncDirection":1,"sourceField":"SalesOrderName","destinationField":"name"}]},
	  {"sourceEnvironmentType":"CRM","sourceSchema":"salesorders","destinationSchema":"CDSSalesOrderHeaders","sourceFilter":"msdyn_ordertype eq 192350000"}`
	if st := env.saveVersion(tok, cs, "salesorders - CDS sales order headers", legs, "Contoso", "1.0.0.1"); st["state"] != "2" {
		t.Fatalf("adding the map: %v", st)
	}
	startMap(t, env, tok, cs, "salesorders - CDS sales order headers", "CRM")

	idOf := func(set, filter string) string {
		r := env.do("dv", "GET", "/api/data/v9.2/"+set+"?$filter="+url.QueryEscape(filter), "")
		rows := r.json(t)["value"].([]any)
		if len(rows) != 1 {
			t.Fatalf("%s where %s: %s", set, filter, r.body)
		}
		for k, v := range rows[0].(map[string]any) {
			if k == strings.TrimSuffix(set, "s")+"id" {
				return v.(string)
			}
		}
		t.Fatalf("no id in %v", rows[0])
		return ""
	}
	account, contact := idOf("accounts", "accountnumber eq 'US-001'"), idOf("contacts", "msdyn_contactpersonid eq 'US-004'")
	for _, o := range [][2]string{{"SO-1", "US-001"}, {"SO-2", "US-004"}} {
		if r := env.do("fo", "POST", "/data/CDSSalesOrderHeaders", `{"dataAreaId":"usmf","SalesOrderNumber":"`+o[0]+`","OrderingCustomerAccountNumber":"`+o[1]+`","SalesOrderName":"Order `+o[0]+`"}`); r.status != http.StatusCreated {
			t.Fatalf("F&O order: %d %s", r.status, r.body)
		}
	}
	bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
	if r := env.do("dv", "POST", "/api/data/v9.2/salesorders", `{"name":"From CRM","msdyn_salesordernumber":"SO-3","msdyn_ordertype":192350000,`+
		`"customerid_contact@odata.bind":"/contacts(`+contact+`)",`+bind+`}`); r.status != http.StatusNoContent {
		t.Fatalf("Dataverse order: %d %s", r.status, r.body)
	}
	got := map[string]string{}
	for _, so := range []string{"SO-1", "SO-2", "SO-3"} {
		r := env.do("dv", "GET", "/api/data/v9.2/salesorders?$select=_customerid_value&$filter="+url.QueryEscape("msdyn_salesordernumber eq '"+so+"'"), "")
		if rows := r.json(t)["value"].([]any); len(rows) == 1 {
			got["dv:"+so] = mapText(rows[0].(map[string]any)["_customerid_value"])
		}
		f := env.do("fo", "GET", "/data/CDSSalesOrderHeaders(dataAreaId='usmf',SalesOrderNumber='"+so+"')?cross-company=true", "")
		if f.status == http.StatusOK {
			got["fo:"+so] = f.json(t)["OrderingCustomerAccountNumber"].(string)
		}
	}
	want := map[string]string{"dv:SO-1": account, "fo:SO-1": "US-001", "dv:SO-2": contact, "fo:SO-2": "US-004", "dv:SO-3": contact, "fo:SO-3": "US-004"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orders (-want +got):\n%s", diff)
	}
}

// TestLiveWriteAnswerLost: a live write is carried out — its coupled write on the other side
// included — and its answer lost. A client that looks before writing again (as dwctl's clients
// do) finds the row, and both sides hold it once with the values written: nothing lost, nothing
// duplicated, nothing changed by the retry.
func TestLiveWriteAnswerLost(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	startMap(t, env, tok, cs, taxGroups, "CRM")
	writes := []struct{ svc, path, body, code string }{
		{"dv", "/api/data/v9.2/msdyn_taxgroups", `{"msdyn_name":"LOSTDV","msdyn_description":"Lost answer in Dataverse","msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"}`, "LOSTDV"},
		{"fo", "/data/SalesTaxGroups", `{"dataAreaId":"USMF","TaxGroupCode":"LOSTFO","Description":"Lost answer in F&O"}`, "LOSTFO"},
	}
	for _, w := range writes {
		base := env.info.DataverseURL
		if w.svc == "fo" {
			base = env.info.FinOpsURL
		}
		if r := env.ctlAt(base, "", "POST", FaultsPath, `{"next":["lost"]}`); r.status != http.StatusOK {
			t.Fatalf("faults: %d %s", r.status, r.body)
		}
		req, _ := http.NewRequest("POST", base+w.path, strings.NewReader(w.body))
		req.Header.Set("Authorization", "Bearer "+env.token(base))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := env.client.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("%s create: answered %s, want the answer lost", w.svc, resp.Status)
		}
		dv, dvOK := dvTaxGroup(t, env, w.code)
		fo, foOK := foTaxGroup(t, env, w.code)
		if !dvOK || !foOK || dv["msdyn_description"] != fo["Description"] {
			t.Fatalf("%s: after the lost answer Dataverse %v (%v), F&O %v (%v); want the row on both sides", w.code, dv, dvOK, fo, foOK)
		}
		n := 0
		r := env.do("dv", "GET", "/api/data/v9.2/msdyn_taxgroups?$select=msdyn_name&$filter="+url.QueryEscape("msdyn_name eq '"+w.code+"'"), "")
		n += len(r.json(t)["value"].([]any))
		if n != 1 {
			t.Errorf("%s: %d Dataverse rows, want 1", w.code, n)
		}
	}
}
