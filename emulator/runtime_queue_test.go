package emulator

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLiveSyncPauseQueuesAndResume(t *testing.T) {
	cases := map[string]struct {
		params     string
		wantQ1     string // Dataverse description of Q1 after resume, "" when absent
		wantExempt string // F&O description of EXEMPT after resume
		wantQueued int
	}{
		"catch up replays in order": {wantQ1: "C", wantExempt: "Exempt (paused)"},
		"skip and keep the queue": {params: `{"dualWriteSkipCatchUpSyncParameters":{"skipCatchUpSyncPreserveData":true}}`,
			wantExempt: "Exempt", wantQueued: 6},
		"skip and discard": {params: `{"dualWriteSkipCatchUpSyncParameters":{"skipCatchUpSyncPreserveData":false}}`,
			wantExempt: "Exempt"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env, tok, cs := linked(t, Options{})
			pid := startMap(t, env, tok, cs, taxGroups, "AX")
			if state, msg := mapAction(t, env, tok, cs, taxGroups, actPause, ""); state != "5" || msg != "" {
				t.Fatalf("pause: state %s %s", state, msg)
			}
			key := "/data/SalesTaxGroups(dataAreaId='usmf',TaxGroupCode='%s')?cross-company=true"
			exempt, _ := dvTaxGroup(t, env, "EXEMPT")
			steps := []struct{ svc, method, path, body string }{
				{"fo", "POST", "/data/SalesTaxGroups", `{"dataAreaId":"usmf","TaxGroupCode":"Q1","Description":"A"}`},
				{"fo", "PATCH", fmt.Sprintf(key, "Q1"), `{"Description":"B"}`},
				{"fo", "PATCH", fmt.Sprintf(key, "Q1"), `{"Description":"C"}`},
				{"fo", "POST", "/data/SalesTaxGroups", `{"dataAreaId":"usmf","TaxGroupCode":"Q2","Description":"Gone"}`},
				{"fo", "DELETE", fmt.Sprintf(key, "Q2"), ""},
				{"dv", "PATCH", "/api/data/v9.2/msdyn_taxgroups(" + exempt["msdyn_taxgroupid"].(string) + ")", `{"msdyn_description":"Exempt (paused)"}`},
			}
			for _, s := range steps {
				if r := env.do(s.svc, s.method, s.path, s.body); r.status >= 300 {
					t.Fatalf("%s %s: %d %s", s.method, s.path, r.status, r.body)
				}
			}
			if _, ok := dvTaxGroup(t, env, "Q1"); ok {
				t.Fatal("a paused map carried a write")
			}
			if n, _, _ := env.e.QueuedChanges(context.Background(), pid); n != 6 {
				t.Fatalf("queued %d changes, want 6", n)
			}
			if state, msg := mapAction(t, env, tok, cs, taxGroups, actResume, tc.params); state != "4" || msg != "" {
				t.Fatalf("resume: state %s %s", state, msg)
			}
			got := map[string]any{}
			if q1, ok := dvTaxGroup(t, env, "Q1"); ok {
				got["Q1"] = q1["msdyn_description"]
			}
			if _, ok := dvTaxGroup(t, env, "Q2"); ok {
				got["Q2"] = "present"
			}
			fo, _ := foTaxGroup(t, env, "EXEMPT")
			got["EXEMPT"] = fo["Description"]
			got["queued"], _, _ = env.e.QueuedChanges(context.Background(), pid)
			want := map[string]any{"EXEMPT": tc.wantExempt, "queued": tc.wantQueued}
			if tc.wantQ1 != "" {
				want["Q1"] = tc.wantQ1
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after resume (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLiveSyncCatchUpFailuresStayQueued(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	pid := startMap(t, env, tok, cs, taxGroups, "AX")
	mapAction(t, env, tok, cs, taxGroups, actPause, "")
	bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
	for _, code := range []string{"GOOD", "MUCH-TOO-LONG"} { // F&O tax group codes have 10 characters
		if r := env.do("dv", "POST", "/api/data/v9.2/msdyn_taxgroups", `{"msdyn_name":"`+code+`",`+bind+`}`); r.status != http.StatusNoContent {
			t.Fatalf("Dataverse create: %d %s", r.status, r.body)
		}
	}
	state, msg := mapAction(t, env, tok, cs, taxGroups, actResume, "")
	if state != "4" || !strings.Contains(msg, "1 of 2 queued changes failed") || !strings.Contains(msg, "longer than 10 characters") {
		t.Fatalf("resume: state %s, message %q", state, msg)
	}
	if _, ok := foTaxGroup(t, env, "GOOD"); !ok {
		t.Error("the good change was not replayed")
	}
	n, errs, _ := env.e.QueuedChanges(context.Background(), pid)
	if n != 1 || len(errs) != 1 {
		t.Errorf("queue after catch-up: %d changes, errors %v; want the failed one", n, errs)
	}
}

// taxGroupBatch is a Dataverse $batch with one change set creating two tax groups of USMF.
const taxGroupBatch = `--batch_rt
Content-Type: multipart/mixed; boundary=changeset_rt

--changeset_rt
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST /api/data/v9.2/msdyn_taxgroups HTTP/1.1
Content-Type: application/json

{"msdyn_name":"%s","msdyn_description":"first",%s}
--changeset_rt
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST /api/data/v9.2/msdyn_taxgroups HTTP/1.1
Content-Type: application/json

{"msdyn_name":"%s","msdyn_description":"second",%s}
--changeset_rt--
--batch_rt--
`

func TestLiveSyncBatchChangeSet(t *testing.T) {
	env, tok, cs := linked(t, Options{})
	startMap(t, env, tok, cs, taxGroups, "AX")
	bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
	cases := map[string]struct {
		first, second string
		status        int
		statuses      []string
		want          map[string]bool // code → present on both sides
	}{
		"a coupled failure rolls the change set back": {first: "BATCH1", second: "WAY-TOO-LONG-CODE", status: http.StatusBadRequest,
			statuses: []string{"400#2"}, want: map[string]bool{"BATCH1": false, "WAY-TOO-LONG-CODE": false}},
		"both written on both sides": {first: "BATCH2", second: "BATCH3", status: http.StatusOK,
			statuses: []string{"204#1", "204#2"}, want: map[string]bool{"BATCH2": true, "BATCH3": true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := fmt.Sprintf(taxGroupBatch, tc.first, bind, tc.second, bind)
			r := env.do("dv", "POST", "/api/data/v9.2/$batch", body, "Content-Type", "multipart/mixed; boundary=batch_rt")
			if r.status != tc.status {
				t.Fatalf("batch: %d %s", r.status, r.body)
			}
			if diff := cmp.Diff(tc.statuses, batchStatuses(t, r)); diff != "" {
				t.Errorf("parts (-want +got):\n%s\n%s", diff, r.body)
			}
			for code, want := range tc.want {
				_, inDV := dvTaxGroup(t, env, code)
				_, inFO := false, false
				if len(code) <= 10 {
					_, inFO = foTaxGroup(t, env, code)
				}
				if inDV != want || inFO != want {
					t.Errorf("%s: in Dataverse %v, in F&O %v, want %v on both", code, inDV, inFO, want)
				}
			}
		})
	}
}

func TestLiveSyncAlertsPauseOrStop(t *testing.T) {
	cases := map[string]struct {
		action, state string
		count, queued int
		synced        bool // whether the write after the failures reaches F&O
	}{
		"pause queues what follows": {action: "Pause", count: 2, state: "5", queued: 1},
		"stop lets writes through":  {action: "Stop", count: 2, state: "1"},
		"below the threshold":       {action: "Pause", count: 3, state: "4", synced: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env, tok, cs := linked(t, Options{})
			pid := startMap(t, env, tok, cs, taxGroups, "AX")
			alert := `[{"name":"outage","state":"Active","errorTypes":["Application"],"threshold":{"count":` + strconv.Itoa(tc.count) + `,"interval":15,"unitOfTime":"Minutes"},"action":"` + tc.action + `","recipients":["ops@contoso.com"]}]`
			if r := env.ctl(tok, "POST", "/api/ConnectionSet/"+cs["id"].(string)+"/AlertSettings", alert); r.status >= 300 {
				t.Fatalf("alert settings: %d %s", r.status, r.body)
			}
			bind := `"msdyn_company@odata.bind":"/cdm_companies(` + companyID(t, env, "USMF") + `)"`
			for _, code := range []string{"TOO-LONG-ONE", "TOO-LONG-TWO"} {
				if r := env.do("dv", "POST", "/api/data/v9.2/msdyn_taxgroups", `{"msdyn_name":"`+code+`",`+bind+`}`); r.status != http.StatusBadRequest {
					t.Fatalf("failing write %s: %d %s", code, r.status, r.body)
				}
			}
			if got := dwMapNamed(t, mapsOf(t, env, tok, cs), taxGroups)["state"]; got != tc.state {
				t.Fatalf("map state after the alert: %v, want %s", got, tc.state)
			}
			if r := env.do("dv", "POST", "/api/data/v9.2/msdyn_taxgroups", `{"msdyn_name":"AFTER",`+bind+`}`); r.status != http.StatusNoContent {
				t.Fatalf("write after the alert: %d %s", r.status, r.body)
			}
			if _, ok := foTaxGroup(t, env, "AFTER"); ok != tc.synced {
				t.Errorf("the write after the failures reached F&O: %v, want %v", ok, tc.synced)
			}
			if n, _, _ := env.e.QueuedChanges(context.Background(), pid); n != tc.queued {
				t.Errorf("queued %d, want %d", n, tc.queued)
			}
		})
	}
}

func TestLiveSyncQueueSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	env, tok, cs := linked(t, Options{DataDir: dir})
	startMap(t, env, tok, cs, taxGroups, "AX")
	mapAction(t, env, tok, cs, taxGroups, actPause, "")
	if r := env.do("fo", "POST", "/data/SalesTaxGroups", `{"dataAreaId":"usmf","TaxGroupCode":"KEPT","Description":"Queued before the restart"}`); r.status != http.StatusCreated {
		t.Fatalf("F&O create: %d %s", r.status, r.body)
	}
	if err := env.e.Close(); err != nil {
		t.Fatal(err)
	}
	env2 := startEnv(t, Options{DataDir: dir})
	tok2 := env2.token(ControlAudience)
	if state, msg := mapAction(t, env2, tok2, cs, taxGroups, actResume, ""); state != "4" || msg != "" {
		t.Fatalf("resume after the restart: state %s %s", state, msg)
	}
	if got, ok := dvTaxGroup(t, env2, "KEPT"); !ok || got["msdyn_description"] != "Queued before the restart" {
		t.Errorf("Dataverse row after resuming: %v", got)
	}
}

// finOpsBatch is an F&O $batch with one change set: a customer group, then a customer.
const finOpsBatch = `--batch_fo
Content-Type: multipart/mixed; boundary=changeset_fo

--changeset_fo
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST /data/CustomerGroups HTTP/1.1
Content-Type: application/json

{"dataAreaId":"usmf","CustomerGroupId":"%s","Description":"From a batch","PaymentTermId":"Net30"}
--changeset_fo
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST /data/CustomersV3 HTTP/1.1
Content-Type: application/json

{"dataAreaId":"usmf","CustomerAccount":"%s","OrganizationName":"Batch","PartyType":"Organization","CustomerGroupId":"%s","SalesCurrencyCode":"%s"}
--changeset_fo--
--batch_fo--
`

func TestLiveSyncFinOpsBatchChangeSet(t *testing.T) {
	env, _, _ := customersRunning(t)
	cases := map[string]struct {
		group, account, currency string
		statuses                 []string
		want                     bool // both rows on both sides
	}{
		"a lookup Dataverse cannot resolve rolls the change set back": {group: "B1", account: "BATCH-1", currency: "XYZ", statuses: []string{"500#2"}},
		"both written on both sides":                                  {group: "B2", account: "BATCH-2", currency: "USD", statuses: []string{"201#1", "201#2"}, want: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := fmt.Sprintf(finOpsBatch, tc.group, tc.account, tc.group, tc.currency)
			r := env.do("fo", "POST", "/data/$batch", body, "Content-Type", "multipart/mixed; boundary=batch_fo")
			if r.status != http.StatusOK {
				t.Fatalf("batch: %d %s", r.status, r.body)
			}
			if diff := cmp.Diff(tc.statuses, batchStatuses(t, r)); diff != "" {
				t.Errorf("parts (-want +got):\n%s\n%s", diff, r.body)
			}
			got := map[string]bool{}
			got["fo group"] = env.do("fo", "GET", "/data/CustomerGroups(dataAreaId='usmf',CustomerGroupId='"+tc.group+"')?cross-company=true", "").status == http.StatusOK
			got["fo customer"] = env.do("fo", "GET", "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='"+tc.account+"')?cross-company=true", "").status == http.StatusOK
			for key, q := range map[string]string{"dv group": "msdyn_customergroups?$filter=msdyn_groupid eq '" + tc.group + "'",
				"dv account": "accounts?$filter=accountnumber eq '" + tc.account + "'"} {
				got[key] = len(env.do("dv", "GET", "/api/data/v9.2/"+q, "").json(t)["value"].([]any)) == 1
			}
			want := map[string]bool{"fo group": tc.want, "fo customer": tc.want, "dv group": tc.want, "dv account": tc.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rows after the batch (-want +got):\n%s", diff)
			}
		})
	}
}
