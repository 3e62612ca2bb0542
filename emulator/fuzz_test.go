package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzEmulator starts an emulator for a request fuzzer (which calls the routers in process).
func fuzzEmulator(f *testing.F) *Emulator {
	e, err := Start(context.Background(), Options{DataDir: f.TempDir(), FinOps: "demo", Dataverse: "existing", Rows: 3})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { e.Close() })
	return e
}

var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

func fuzzRequest(t *testing.T, serve func(http.ResponseWriter, *http.Request), method uint8, target, body string) {
	req, err := http.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "https://emulator"+target, strings.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", `multipart/mixed; boundary="batch_b1"`)
	rec := httptest.NewRecorder()
	serve(rec, req)
	if rec.Code < 200 || rec.Code > 599 {
		t.Errorf("%s %s: status %d", req.Method, target, rec.Code)
	}
}

func FuzzDataverseRequest(f *testing.F) {
	e := fuzzEmulator(f)
	for _, s := range []string{"accounts?$top=1", "accounts(accountnumber='A00001',msdyn_company=null)", "contacts?$filter=contains(fullname,'a')&$orderby=lastname",
		"EntityDefinitions(LogicalName='account')/Keys", "accounts/$count", "$batch", "WhoAmI", "accounts?$skiptoken=%3Ccookie%20pagenumber=%222%22"} {
		f.Add(uint8(0), s, "")
	}
	f.Add(uint8(1), "accounts", `{"name":"x","msdyn_company@odata.bind":"/cdm_companies(cdm_companycode='X')"}`)
	f.Add(uint8(1), "$batch", strings.Replace(sampleBatch, "%s", "00000000-0000-0000-0000-000000000001", 1))
	f.Fuzz(func(t *testing.T, method uint8, path, body string) {
		fuzzRequest(t, e.dataverse.ServeHTTP, method, "/api/data/v9.2/"+path, body)
	})
}

func FuzzFinOpsRequest(f *testing.F) {
	e := fuzzEmulator(f)
	for _, s := range []string{"CustomersV3?cross-company=true&$top=2", "CustomerGroups(dataAreaId='usmf',CustomerGroupId='10')?cross-company=true",
		"SequenceV2Tables?$filter=ScopeValue eq 'USMF'", "$metadata", "CustomersV3/$count"} {
		f.Add(uint8(0), s, "")
	}
	f.Add(uint8(1), "CustomerGroups", `{"dataAreaId":"usmf","CustomerGroupId":"F1"}`)
	f.Fuzz(func(t *testing.T, method uint8, path, body string) {
		fuzzRequest(t, e.finops.ServeHTTP, method, "/data/"+path, body)
	})
}
