package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/emulator/store"
)

// ctl sends a request to the control plane with token ("" sends none).
func (env *testEnv) ctl(token, method, path, body string) response {
	env.t.Helper()
	return env.ctlAt(env.info.ControlURL, token, method, path, body)
}

// ctlAt sends a request to the listener at base with token ("" sends none).
func (env *testEnv) ctlAt(base, token, method, path, body string) response {
	env.t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := env.client.Do(req)
	if err != nil {
		env.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// linked starts a demo emulator and links it with USMF; it returns the environment, a control
// token and the connection set.
func linked(t *testing.T, opts Options) (*testEnv, string, map[string]any) {
	t.Helper()
	opts.FinOps = "demo"
	if opts.Rows == 0 {
		opts.Rows = 4
	}
	env := startEnv(t, opts)
	tok := env.token(ControlAudience)
	r := env.ctl(tok, "POST", "/api/ConnectionSet", `{"environments":[{"targetType":"CRM","directUrl":"`+env.info.DataverseURL+`"}],"legalEntities":["USMF"]}`)
	if r.status != http.StatusOK {
		t.Fatalf("link: %d %s", r.status, r.body)
	}
	return env, tok, r.json(t)
}

// dataset is the Dataverse environment's name in a connection set: the dataset of its integration
// keys.
func dataset(t *testing.T, cs map[string]any) string {
	t.Helper()
	for _, e := range cs["environments"].(map[string]any) {
		if env := e.(map[string]any); env["targetType"] == "CRM" {
			return env["name"].(string)
		}
	}
	t.Fatal("the connection set has no CRM environment")
	return ""
}

// saveVersion saves a map version the documented way: a msdyn_dualwriteentitymap row (name
// "{prefix}_[{map name}]", a task with the one leg given) in the unmanaged solution of author, over
// the Web API, then Apply solution, polled to its end. It returns the final Status answer.
func (env *testEnv) saveVersion(tok string, cs map[string]any, mapName, leg, author, version string) map[string]any {
	env.t.Helper()
	prefix := strings.ToLower(author)
	if len(prefix) > 8 {
		prefix = prefix[:8]
	}
	sol := prefix + "_maps"
	if r := env.do("dv", "GET", "/api/data/v9.2/solutions?$select=solutionid&$filter=uniquename eq '"+sol+"'", ""); len(r.json(env.t)["value"].([]any)) == 0 {
		p := env.do("dv", "POST", "/api/data/v9.2/publishers", `{"uniquename":"`+prefix+`","friendlyname":"`+author+`","customizationprefix":"`+prefix+`","customizationoptionvalueprefix":12345}`)
		pub := p.header.Get("OData-EntityId")
		pub = pub[strings.LastIndex(pub, "("):]
		if r := env.do("dv", "POST", "/api/data/v9.2/solutions", `{"uniquename":"`+sol+`","friendlyname":"`+author+`","version":"1.0.0.0","publisherid@odata.bind":"/publishers`+pub+`"}`); r.status >= 300 {
			env.t.Fatalf("solution: %d %s", r.status, r.body)
		}
	}
	task, _ := json.Marshal(`{"name":"` + mapName + `","legs":[` + leg + `]}`)
	row := `{"msdyn_name":"` + prefix + `_[` + mapName + `]","msdyn_displayname":"` + mapName + `","msdyn_version":"` + version + `","msdyn_mapping":` + string(task) + `}`
	if r := env.do("dv", "POST", "/api/data/v9.2/msdyn_dualwriteentitymaps", row, "MSCRM.SolutionUniqueName", sol); r.status >= 300 {
		env.t.Fatalf("entity map row: %d %s", r.status, r.body)
	}
	cid := cs["id"].(string)
	r := env.ctl(tok, "POST", mgmt+"SolutionAware/"+cid+"/RestoreTemplates", `{"action":"2","solutions":[{"criteria":{"uniquename":"`+sol+`"}}]}`)
	id, _ := r.json(env.t)["requestId"].(string)
	if r.status != http.StatusOK || id == "" {
		env.t.Fatalf("RestoreTemplates: %d %s", r.status, r.body)
	}
	for range 10 {
		st := env.ctl(tok, "GET", mgmt+"SolutionAware/"+cid+"/Status/"+id, "").json(env.t)
		if st["state"] != "1" {
			return st
		}
	}
	env.t.Fatal("Apply solution never ended")
	return nil
}

// mapsOf lists the maps (DWMap) of the link.
func mapsOf(t *testing.T, env *testEnv, tok string, cs map[string]any) []map[string]any {
	t.Helper()
	r := env.ctl(tok, "GET", mgmt+"Entities?targetType=AX&cid="+cs["id"].(string), "")
	var maps []map[string]any
	if r.status != http.StatusOK || json.Unmarshal(r.body, &maps) != nil {
		t.Fatalf("Entities: %d %s", r.status, r.body)
	}
	return maps
}

func dwMapNamed(t *testing.T, maps []map[string]any, name string) map[string]any {
	t.Helper()
	for _, m := range maps {
		if m["detail"].(map[string]any)["tName"] == name {
			return m["detail"].(map[string]any)
		}
	}
	t.Fatalf("no map %q", name)
	return nil
}

func TestControlAuthorization(t *testing.T) {
	env := startEnv(t, Options{})
	host := strings.TrimPrefix(env.info.FinOpsURL, "https://")
	path := mgmt + "Environments?targetType=AX&identifier=" + url.QueryEscape(host)
	cases := map[string]struct {
		token  string
		status int
	}{
		"no token":              {"", http.StatusUnauthorized},
		"a Dataverse token":     {env.token(env.info.DataverseURL), http.StatusUnauthorized},
		"a control-plane token": {env.token(ControlAudience), http.StatusOK},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if r := env.ctl(tc.token, "GET", path, ""); r.status != tc.status {
				t.Fatalf("%d %s, want %d", r.status, r.body, tc.status)
			}
		})
	}
}

func TestControlRefusals(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	cid := cs["id"].(string)
	tid := dwMapNamed(t, mapsOf(t, env, tok, cs), "msdyn_taxgroups - Sales tax groups")["tid"].(string)
	leg := func(field, filter string) string {
		return `{"sourceEnvironmentType":"AX","sourceSchema":"SalesTaxGroups","destinationEnvironmentType":"CRM","destinationSchema":"msdyn_taxgroups",
		 "sourceFilter":` + filter + `,"fieldMappings":[{"syncDirection":3,"sourceField":"` + field + `","destinationField":"msdyn_name"}]}`
	}
	cases := map[string]struct {
		method, path, body string
		status             int
		text               string
	}{
		"second link":          {"POST", "/api/ConnectionSet", `{"environments":[{"targetType":"CRM","directUrl":"` + env.info.DataverseURL + `"}]}`, 409, "already linked"},
		"unknown connection":   {"GET", mgmt + "Entities?targetType=AX&cid=nope", "", 404, "was not found"},
		"unknown request":      {"GET", mgmt + "Status/nope", "", 404, "Request nope was not found"},
		"unknown action":       {"POST", mgmt + "Start", `{"action":"2","details":[{"tid":"` + tid + `","cid":"` + cid + `"}]}`, 400, "Unknown action"},
		"unknown table key":    {"POST", "/api/dataset/" + dataset(t, cs) + "/IntegrationKeys", `{"datasetName":"` + dataset(t, cs) + `","integrationKeys":{"nosuchtable":["a"]}}`, 400, "does not exist"},
		"keys of two tables":   {"POST", "/api/dataset/" + dataset(t, cs) + "/IntegrationKeys", `{"datasetName":"` + dataset(t, cs) + `","integrationKeys":{"uom":["msdyn_symbol"],"account":["accountnumber"]}}`, 400, "one table a request"},
		"keys on the cname":    {"POST", "/api/dataset/" + cs["name"].(string) + "/IntegrationKeys", `{"datasetName":"` + cs["name"].(string) + `","integrationKeys":{"uom":["msdyn_symbol"]}}`, 404, "Dataset"},
		"switch without pid":   {"POST", mgmt + "SolutionAware/" + cid + "/SwitchActive/" + tid, tid, 400, "not initialized"},
		"reset with array":     {"POST", "/api/ConnectionSet/" + cid + "/Reset?targetType=AX&forceReset=true", `{"powerAppsEnvironmentName":"` + env.info.DataverseURL + `","environments":[],"legalEntities":[]}`, 400, "powerAppsEnvironmentName"},
		"unknown legal entity": {"POST", "/api/ConnectionSet/" + cid + "/LegalEntities", `{"legalEntities":["XX"]}`, 400, "does not exist"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := env.ctl(tok, tc.method, tc.path, tc.body)
			if r.status != tc.status || !strings.Contains(string(r.body), tc.text) {
				t.Fatalf("%d %s, want %d with %q", r.status, r.body, tc.status, tc.text)
			}
		})
	}
	solutions := map[string]struct {
		leg, author, version string
		text                 string
	}{
		"unknown F&O field": {leg("NoSuchField", `""`), "Contoso", "1.0.0.9", "Missing source field NoSuchField"},
		"bad F&O filter":    {leg("TaxGroupCode", `"((TaxGroupCode == ))"`), "Fabrikam", "1.0.0.9", "F&O filter"},
	}
	for name, tc := range solutions {
		t.Run(name, func(t *testing.T) {
			st := env.saveVersion(tok, cs, "msdyn_taxgroups - Sales tax groups", tc.leg, tc.author, tc.version)
			if st["state"] != "3" || !strings.Contains(st["result"].(map[string]any)["message"].(string), tc.text) {
				t.Fatalf("Apply solution: %v, want an error with %q", st, tc.text)
			}
		})
	}
	t.Run("existing version", func(t *testing.T) {
		if st := env.saveVersion(tok, cs, "msdyn_taxgroups - Sales tax groups", leg("TaxGroupCode", `""`), "Northwind", "1.0.0.1"); st["state"] != "2" {
			t.Fatalf("first save: %v", st)
		}
		st := env.saveVersion(tok, cs, "msdyn_taxgroups - Sales tax groups", leg("TaxGroupCode", `""`), "Northwind", "1.0.0.1")
		if st["state"] != "3" || !strings.Contains(st["result"].(map[string]any)["message"].(string), "already has version 1.0.0.1 by Northwind") {
			t.Fatalf("the same version again: %v", st)
		}
	})
}

func TestControlRequestsWaitForPolls(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	env.e.SetControlPolls(2)
	tid := dwMapNamed(t, mapsOf(t, env, tok, cs), "msdyn_taxgroups - Sales tax groups")["tid"].(string)
	r := env.ctl(tok, "POST", mgmt+"Start", `{"action":"1","details":[{"tid":"`+tid+`","cid":"`+cs["id"].(string)+`","parameters":{"skipInitialSync":true}}]}`)
	id, _ := r.json(t)["requestId"].(string)
	if r.status != http.StatusOK || id == "" {
		t.Fatalf("Start: %d %s", r.status, r.body)
	}
	var states []string
	for range 4 {
		var maps []map[string]any
		_ = json.Unmarshal(env.ctl(tok, "GET", mgmt+"Status/"+id, "").body, &maps)
		reqs := maps[0]["detail"].(map[string]any)["lastRequests"].([]any)
		states = append(states, reqs[len(reqs)-1].(map[string]any)["state"].(string)+"/"+maps[0]["detail"].(map[string]any)["state"].(string))
	}
	if got := strings.Join(states, " "); got != "1/6 1/6 2/4 2/4" {
		t.Fatalf("request/map states over four polls: %s", got)
	}
}

// TestControlStatePersists restarts an emulator and finds its link and map states again.
func TestControlStatePersists(t *testing.T) {
	dir := t.TempDir()
	env, tok, cs := linked(t, Options{DataDir: dir})
	env.e.SetControlPolls(0)
	tid := dwMapNamed(t, mapsOf(t, env, tok, cs), "msdyn_taxgroups - Sales tax groups")["tid"].(string)
	r := env.ctl(tok, "POST", mgmt+"Start", `{"action":"1","details":[{"tid":"`+tid+`","cid":"`+cs["id"].(string)+`","parameters":{"skipInitialSync":true}}]}`)
	env.ctl(tok, "GET", mgmt+"Status/"+r.json(t)["requestId"].(string), "")
	env.e.Close()
	e2, err := Start(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e2.Close() })
	env2 := newTestEnv(t, e2)
	got := dwMapNamed(t, mapsOf(t, env2, env2.token(ControlAudience), cs), "msdyn_taxgroups - Sales tax groups")
	if got["state"] != "4" || got["tid"] != tid {
		t.Fatalf("after restart: %v", got)
	}
}

// TestEntityMapRows checks the msdyn_dualwriteentitymap rows: one per published version, one more
// per saved version, named after the publisher.
func TestEntityMapRows(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	maps := mapsOf(t, env, tok, cs)
	versions := 0
	for _, m := range maps {
		for _, v := range m["detail"].(map[string]any)["templates"].([]any) {
			if v.(map[string]any)["id"] != nil {
				versions++
			}
		}
	}
	count := func() int {
		n, err := env.e.Store().Count(context.Background(), store.Dataverse, "msdyn_dualwriteentitymap")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != versions {
		t.Fatalf("%d entity map rows, want one per version (%d)", n, versions)
	}
	st := env.saveVersion(tok, cs, "msdyn_taxgroups - Sales tax groups", `{"sourceEnvironmentType":"AX","sourceSchema":"SalesTaxGroups","destinationSchema":"msdyn_taxgroups",
	 "fieldMappings":[{"syncDirection":3,"sourceField":"TaxGroupCode","destinationField":"msdyn_name"}]}`, "Contoso", "1.0.0.7")
	if st["state"] != "2" || count() != versions+1 {
		t.Fatalf("save: %v; %d rows", st, count())
	}
	taxes := dwMapNamed(t, mapsOf(t, env, tok, cs), "msdyn_taxgroups - Sales tax groups")
	if n := len(taxes["templates"].([]any)); n != 4 { // two of Microsoft's, Contoso's, the record without an id
		t.Fatalf("%d templates after the save: %v", n, taxes["templates"])
	}
	q := env.do("dv", "GET", "/api/data/v9.2/msdyn_dualwriteentitymaps?$select=msdyn_name,msdyn_version&$filter="+
		url.QueryEscape("startswith(msdyn_name, 'contoso_')"), "")
	rows, _ := q.json(t)["value"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["msdyn_name"] != "contoso_[msdyn_taxgroups - Sales tax groups]" ||
		rows[0].(map[string]any)["msdyn_version"] != "1.0.0.7" {
		t.Fatalf("saved version's row: %s", q.body)
	}
}

func TestRefreshEndpoint(t *testing.T) {
	env, tok, _ := linked(t, Options{})
	target := t.TempDir()
	cases := map[string]struct {
		token  string
		status int
	}{
		"without a token":  {"", http.StatusUnauthorized},
		"with a token":     {tok, http.StatusOK},
		"into its own dir": {tok, http.StatusBadRequest},
	}
	for _, name := range []string{"without a token", "with a token", "into its own dir"} {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			dir := target
			if name == "into its own dir" {
				dir = env.e.opts.DataDir
			}
			body, _ := json.Marshal(map[string]string{"target_dir": dir})
			r := env.ctl(tc.token, "POST", ControlRefreshPath, string(body))
			if r.status != tc.status {
				t.Fatalf("%d %s, want %d", r.status, r.body, tc.status)
			}
		})
	}
	copied, err := store.Open(filepath.Join(target, store.DatabaseFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if state, _ := copied.Setting(context.Background(), "control/link"); !strings.Contains(state, `"cid"`) {
		t.Fatalf("the copy holds no link: %.200s", state)
	}
}
