package emulator

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/dwctl/dwctl/config"
	"github.com/dwctl/dwctl/emulator/store"
)

// TestContosoMapsRun does on the control plane what an apply of examples/contoso does: links the
// demo pair with the example's companies, sets its integration keys, saves every map (a new version
// of an out-of-box map, or a new map) and starts them in dependency order with the initial sync
// the example asks for. Every start must succeed without initial-sync errors.
func TestContosoMapsRun(t *testing.T) {
	dir := "../examples/contoso"
	cfg, diags := config.Load(dir, config.LoadOptions{Vars: []config.VarArg{{File: true, Value: dir + "/prod.dwvars"}}})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %s", dir, diags.Error())
	}
	env := startEnv(t, Options{FinOps: "demo", Rows: 4})
	env.e.SetControlPolls(0)
	tok := env.token(ControlAudience)
	var codes []string
	for _, co := range cfg.Companies {
		codes = append(codes, co.ID)
		if r := env.do("fo", "GET", "/data/LegalEntities('"+co.ID+"')", ""); r.status == http.StatusNotFound {
			if r := env.do("fo", "POST", "/data/LegalEntities", `{"LegalEntityId":"`+co.ID+`","Name":"`+co.Name+`"}`); r.status != http.StatusCreated {
				t.Fatalf("legal entity %s: %d %s", co.ID, r.status, r.body)
			}
		}
	}
	sort.Strings(codes)
	le, _ := json.Marshal(codes)
	r := env.ctl(tok, "POST", "/api/ConnectionSet", `{"environments":[{"targetType":"CRM","directUrl":"`+env.info.DataverseURL+`"}],"legalEntities":`+string(le)+`}`)
	if r.status != http.StatusOK {
		t.Fatalf("link: %d %s", r.status, r.body)
	}
	cs := r.json(t)
	keys := map[string][]string{}
	for _, k := range cfg.IntegrationKeys {
		keys[k.Table] = k.Columns
	}
	for table, cols := range keys { // one table a request [O]
		kb, _ := json.Marshal(map[string]any{"datasetName": dataset(t, cs), "integrationKeys": map[string][]string{table: cols}})
		if r := env.ctl(tok, "POST", "/api/dataset/"+dataset(t, cs)+"/IntegrationKeys", string(kb)); r.status >= 300 {
			t.Fatalf("integration key of %s: %d %s", table, r.status, r.body)
		}
	}
	for _, m := range contosoOrder(t, cfg) {
		tid := saveContosoMap(t, env, tok, cs, m)
		is := m.InitialSync
		skip := is == nil || !is.Enabled || is.Mode == "dwctl"
		master := "CRM"
		if is != nil && is.Master == "finops" {
			master = "AX"
		}
		start := `{"action":"1","details":[{"tid":"` + tid + `","cid":"` + cs["id"].(string) + `","parameters":{"skipInitialSync":` +
			strconv.FormatBool(skip) + `,"conflictResolution":{"option":"1","master":"` + master + `"}}}]}`
		r := env.ctl(tok, "POST", mgmt+"Start", start)
		if r.status != http.StatusOK {
			t.Fatalf("%s: start: %d %s", m.Address, r.status, r.body)
		}
		var maps []map[string]any
		_ = json.Unmarshal(env.ctl(tok, "GET", mgmt+"Status/"+r.json(t)["requestId"].(string), "").body, &maps)
		d := maps[0]["detail"].(map[string]any)
		if d["state"] != "4" {
			t.Errorf("%s: state %v after start: %v", m.Address, d["state"], d["lastRequest"])
			continue
		}
		if skip {
			continue
		}
		res := env.ctl(tok, "GET", "/api/ProjectExecutionWithCompanies/"+d["pid"].(string), "").json(t)
		for _, x := range res["projectExecutionResponses"].([]any) {
			exec := x.(map[string]any)
			if exec["errorCount"] != 0.0 {
				t.Errorf("%s: initial sync of %v: %v", m.Address, exec["legalEntityId"], exec["taskExecutionStatuses"])
			}
		}
	}
	// The demo data of USMF, DEMF and GBSI reached Dataverse (USRT and FRSI have none).
	got := map[string]string{}
	for _, set := range []string{"msdyn_paymentterms", "msdyn_customergroups", "msdyn_vendorgroups", "uoms", "transactioncurrencies", "msdyn_customerpaymentmethods"} {
		got[set] = string(env.do("dv", "GET", "/api/data/v9.2/"+set+"/$count", "").body)
	}
	want := map[string]string{"msdyn_paymentterms": "9", "msdyn_customergroups": "12", "msdyn_vendorgroups": "9", "uoms": "4",
		"transactioncurrencies": "6", "msdyn_customerpaymentmethods": "6"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Dataverse rows after the initial syncs (-want +got):\n%s", diff)
	}

	// Live sync through the example's maps.
	for _, w := range [][2]string{
		{"CustomersV3", `{"dataAreaId":"usmf","CustomerAccount":"C-LIVE","OrganizationName":"Live Org","PartyType":"Organization","CustomerGroupId":"10","SalesCurrencyCode":"USD","PaymentTerms":"Net30","OnHoldStatus":"Invoice","IsOneTimeCustomer":"Yes"}`},
		{"VendorsV2", `{"dataAreaId":"usmf","VendorAccountNumber":"V-LIVE","VendorOrganizationName":"Live Vendor","VendorPartyType":"Organization","VendorGroupId":"10","CurrencyCode":"USD","DefaultPaymentTermsName":"Net10"}`},
	} {
		if r := env.do("fo", "POST", "/data/"+w[0], w[1]); r.status != http.StatusCreated {
			t.Fatalf("F&O %s: %d %s", w[0], r.status, r.body)
		}
	}
	acc := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name,msdyn_onholdstatus,msdyn_onetimecustomer,customertypecode,address1_addresstypecode&$filter=accountnumber eq 'C-LIVE'", "")
	ven := env.do("dv", "GET", "/api/data/v9.2/msdyn_vendors?$select=msdyn_name,msdyn_isperson,_msdyn_paymentterms_value&$filter=msdyn_vendoraccountnumber eq 'V-LIVE'", "")
	live := map[string]string{}
	for name, r := range map[string]response{"account": acc, "vendor": ven} {
		for _, row := range r.json(t)["value"].([]any) {
			for k, v := range row.(map[string]any) {
				if !strings.HasSuffix(k, "id") && k != "@odata.etag" {
					live[name+"."+k] = mapText(v)
				}
			}
		}
	}
	if live["vendor._msdyn_paymentterms_value"] != "null" && live["vendor._msdyn_paymentterms_value"] != "" {
		live["vendor._msdyn_paymentterms_value"] = "bound"
	}
	wantLive := map[string]string{"account.name": "Live Org", "account.msdyn_onholdstatus": "806380001", "account.msdyn_onetimecustomer": "true",
		"account.customertypecode": "3", "account.address1_addresstypecode": "2",
		"vendor.msdyn_name": "Live Vendor", "vendor.msdyn_isperson": "false", "vendor._msdyn_paymentterms_value": "bound"}
	if diff := cmp.Diff(wantLive, live); diff != "" {
		t.Errorf("Dataverse rows written by live sync (-want +got):\n%s", diff)
	}
}

// contosoOrder orders the maps so that each comes after the maps it depends on.
func contosoOrder(t *testing.T, cfg *config.Config) []*config.TableMap {
	var names []string
	for a := range cfg.TableMaps {
		names = append(names, a)
	}
	sort.Strings(names)
	done := map[string]bool{}
	var out []*config.TableMap
	var visit func(a string, depth int)
	visit = func(a string, depth int) {
		m, ok := cfg.TableMaps[a]
		if done[a] || !ok || depth > len(names) {
			return
		}
		for _, d := range m.DependsOn {
			visit(d, depth+1)
		}
		done[a] = true
		out = append(out, m)
	}
	for _, a := range names {
		visit(a, 0)
	}
	if len(out) != len(cfg.TableMaps) {
		t.Fatalf("ordered %d of %d maps", len(out), len(cfg.TableMaps))
	}
	return out
}

// saveContosoMap saves a map as a new version of the out-of-box map of its pair (made active) or
// as a new map, and returns the template id to start.
func saveContosoMap(t *testing.T, env *testEnv, tok string, cs map[string]any, m *config.TableMap) string {
	t.Helper()
	dv := mustTable(t, env, store.Dataverse, m.Dataverse)
	name := m.Dataverse + " - " + m.FinOps
	var existing map[string]any
	for _, x := range mapsOf(t, env, tok, cs) {
		left, right := x["leftEntity"].(map[string]any), x["rightEntity"].(map[string]any)
		if strings.EqualFold(left["name"].(string), m.FinOps) && right["name"] == dv.Name {
			existing = x["detail"].(map[string]any)
			name = existing["tName"].(string)
		}
	}
	var fields []map[string]any
	for _, f := range m.Fields {
		dir := map[config.Direction]int{config.ToDataverse: 1, config.ToFinOps: 2}[f.Direction]
		fm := map[string]any{"syncDirection": max(dir, 3*(1-min(dir, 1))), "sourceField": f.FinOps, "destinationField": f.Dataverse}
		var transforms []any
		if len(f.ValueMap) > 0 {
			vm := map[string]string{}
			for _, p := range f.ValueMap {
				vm[p.FinOps] = ctyText(p.Dataverse)
			}
			transforms = append(transforms, map[string]any{"transformType": "ValueMap", "valueMap": vm})
		}
		if f.Default != cty.NilVal {
			transforms = append(transforms, map[string]any{"transformType": "Default", "defaultValue": ctyText(f.Default)})
		}
		fm["valueTransforms"] = transforms
		fields = append(fields, fm)
	}
	var foFilter, dvFilter string
	if m.Filter != nil && m.Filter.FinOps != nil {
		foFilter = m.Filter.FinOps.Value
	}
	if m.Filter != nil && m.Filter.Dataverse != nil {
		dvFilter = m.Filter.Dataverse.Value
	}
	leg, _ := json.Marshal(map[string]any{"sourceEnvironmentType": "AX", "sourceSchema": m.FinOps, "destinationSchema": m.Dataverse,
		"sourceFilter": foFilter, "reversedSourceFilter": dvFilter, "fieldMappings": fields})
	if st := env.saveVersion(tok, cs, name, string(leg), "contoso", "1.0.0.100"); st["state"] != "2" {
		t.Fatalf("%s: save: %v", m.Address, st)
	}
	tid := ""
	for _, x := range mapsOf(t, env, tok, cs) {
		d := x["detail"].(map[string]any)
		for _, v := range d["templates"].([]any) {
			if v := v.(map[string]any); d["tName"] == name && v["author"] == "contoso" {
				tid = v["id"].(string)
			}
		}
	}
	if tid == "" {
		t.Fatalf("%s: no version by contoso after Apply solution", m.Address)
	}
	if existing != nil {
		pid, _ := existing["pid"].(string)
		if pid == "" {
			r := env.ctl(tok, "POST", mgmt+"Start", `{"action":"8","details":[{"tid":"`+existing["tid"].(string)+`","cid":"`+cs["id"].(string)+`"}]}`)
			env.e.SetControlPolls(0)
			env.ctl(tok, "GET", mgmt+"Status/"+r.json(t)["requestId"].(string), "")
			for _, x := range mapsOf(t, env, tok, cs) {
				if d := x["detail"].(map[string]any); d["tName"] == name {
					pid, _ = d["pid"].(string)
				}
			}
		}
		if r := env.ctl(tok, "POST", mgmt+"SolutionAware/"+cs["id"].(string)+"/SwitchActive/"+tid+"?pid="+pid, tid); r.status >= 300 {
			t.Fatalf("%s: switch active: %d %s", m.Address, r.status, r.body)
		}
	}
	return tid
}

// ctyText renders a value-map or default value as the service stores it.
func ctyText(v cty.Value) string {
	switch {
	case v.IsNull():
		return ""
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True())
	case v.Type() == cty.String:
		return v.AsString()
	}
	return v.GoString()
}
