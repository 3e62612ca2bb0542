package emulator

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dwctl/dwctl/emulator/protection"
	"github.com/dwctl/dwctl/emulator/store"
	"github.com/dwctl/dwctl/emulator/wire"
	"github.com/google/go-cmp/cmp"
)

// TestForcedFaults queues faults through the admin endpoint and checks each is answered in order.
func TestForcedFaults(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	req, _ := http.NewRequest("POST", env.info.DataverseURL+FaultsPath, strings.NewReader(`{"spec":"retry-after:7","next":["429","drop","none","503"]}`))
	resp, err := env.client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin: %v %v", err, resp)
	}
	resp.Body.Close()
	var got []string
	for i := 0; i < 5; i++ {
		r, err := env.rawGet(env.info.DataverseURL + "/api/data/v9.2/WhoAmI")
		switch {
		case err != nil:
			got = append(got, "dropped")
		case r.StatusCode == 429:
			got = append(got, "429 retry-after "+r.Header.Get("Retry-After"))
		default:
			got = append(got, r.Status[:3])
		}
	}
	if diff := cmp.Diff([]string{"429 retry-after 7", "dropped", "200", "503", "200"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func (env *testEnv) rawGet(u string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+env.token(env.info.DataverseURL))
	resp, err := env.client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestServiceProtectionLimits(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{DataverseLimits: protection.Limits{Requests: 3, Window: time.Minute}, FinOpsLimits: protection.Limits{Requests: 2}})
	cases := map[string]struct {
		svc, path string
		n         int
		code      string
		message   string
	}{
		"dataverse": {"dv", "/api/data/v9.2/WhoAmI", 3, "0x80072322", "Number of requests exceeded the limit of 3 over time window of 60 seconds."},
		"finops":    {"fo", "/data/LegalEntities", 2, "", "Number of requests exceeded the limit of 2 over the time window of 300 seconds."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < tc.n; i++ {
				r := env.do(tc.svc, "GET", tc.path, "")
				if r.status != 200 {
					t.Fatalf("request %d: %d", i+1, r.status)
				}
				if got, want := r.header.Get("x-ms-ratelimit-burst-remaining-xrm-requests"), strconv.Itoa(tc.n-i-1); tc.svc == "dv" && got != want {
					t.Errorf("request %d: remaining %q, want %q", i+1, got, want)
				}
			}
			r := env.do(tc.svc, "GET", tc.path, "")
			e := r.json(t)["error"].(map[string]any)
			got := []any{r.status, e["code"], e["message"], r.header.Get("Retry-After") != ""}
			if diff := cmp.Diff([]any{429, tc.code, tc.message, true}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	env.e.skew.Add(int64(2 * time.Minute))
	if r := env.do("dv", "GET", "/api/data/v9.2/WhoAmI", ""); r.status != 200 {
		t.Errorf("after the window: %d", r.status)
	}
}

// TestRestartKeepsEverything writes, restarts on the same directory and reads back.
func TestRestartKeepsEverything(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e1, err := Start(context.Background(), Options{DataDir: dir, FinOps: "demo", Rows: 2})
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, e1)
	r := env.do("dv", "POST", "/api/data/v9.2/accounts", `{"name":"kept","accountnumber":"K1"}`)
	if r.status != 204 {
		t.Fatalf("create: %d", r.status)
	}
	env.do("dv", "POST", "/api/data/v9.2/EntityDefinitions(LogicalName='contact')/Keys", `{"SchemaName":"new_EmailKey","KeyAttributes":["emailaddress1"]}`)
	info1 := e1.Info()
	oldToken := env.token(info1.FinOpsURL)
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := Start(context.Background(), Options{DataDir: dir, FinOps: "empty",
		DataversePort: port(t, info1.DataverseURL), FinOpsPort: port(t, info1.FinOpsURL), AuthorityPort: port(t, info1.AuthorityURL)})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	info2 := e2.Info()
	env2 := newTestEnv(t, e2)
	if r := env2.do("fo", "GET", "/data/LegalEntities", "", "Authorization", "Bearer "+oldToken); r.status != 200 {
		t.Errorf("a token from before the restart: %d", r.status)
	}
	same := []string{info1.TenantID, info1.ClientID, info1.ClientSecret, info1.CAFile, info1.FinOpsURL}
	if diff := cmp.Diff(same, []string{info2.TenantID, info2.ClientID, info2.ClientSecret, info2.CAFile, info2.FinOpsURL}); diff != "" {
		t.Errorf("identity changed (-before +after):\n%s", diff)
	}
	got := env2.do("dv", "GET", "/api/data/v9.2/accounts?$select=name&$filter=accountnumber eq 'K1'", "").json(t)["value"].([]any)
	keys := env2.do("dv", "GET", "/api/data/v9.2/EntityDefinitions(LogicalName='contact')/Keys?$select=SchemaName", "").json(t)["value"].([]any)
	customers := env2.do("fo", "GET", "/data/CustomersV3/$count?cross-company=true", "")
	if len(got) != 1 || len(keys) != 2 || string(customers.body) != "8" {
		t.Errorf("after restart: accounts %v, keys %v, customers %s", got, keys, customers.body)
	}
}

func TestLimitsAdmin(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	post := func(body string) int {
		resp, err := env.client.Post(env.info.FinOpsURL+LimitsPath, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(`{"requests": 1, "window": "10s"}`); code != 200 {
		t.Fatalf("set limits: %d", code)
	}
	var got []int
	for i := 0; i < 2; i++ {
		got = append(got, env.do("fo", "GET", "/data/LegalEntities", "").status)
	}
	got = append(got, post(`{"window": "soon"}`), post(`{}`), env.do("fo", "GET", "/data/LegalEntities", "").status)
	if diff := cmp.Diff([]int{200, 429, 400, 200, 200}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func port(t *testing.T, u string) int {
	t.Helper()
	n, err := strconv.Atoi(u[strings.LastIndex(u, ":")+1:])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExecutionCostModel: a request is charged its cost, not its wall time: a read RequestCost and
// RowReadCost per row returned, a $batch RequestCost once and RowWriteCost per row written.
func TestExecutionCostModel(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{Dataverse: "existing", Rows: 5})
	charged := func() time.Duration {
		tot, _ := env.e.Usage(store.Dataverse)
		return tot.Charged
	}
	before := charged()
	r := env.do("dv", "GET", "/api/data/v9.2/accounts?$select=name&$top=3", "")
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	if got, want := charged()-before, wire.RequestCost+3*wire.RowReadCost; got != want {
		t.Errorf("a read of 3 rows was charged %v, want %v", got, want)
	}
	before = charged()
	r = env.do("dv", "POST", "/api/data/v9.2/$batch", strings.ReplaceAll(fmt.Sprintf(sampleBatch, "3f2c0000-0000-4000-8000-000000000009"), "\n", "\r\n"),
		"Content-Type", `multipart/mixed; boundary="batch_b1"`)
	if r.status != 200 {
		t.Fatalf("batch: %d %s", r.status, r.body)
	}
	// The sample creates an account and upserts a contact in a change set, then reads one account back.
	if got, want := charged()-before, wire.RequestCost+2*wire.RowWriteCost+wire.RowReadCost; got != want {
		t.Errorf("the sample batch was charged %v, want %v", got, want)
	}
	if tot, _ := env.e.Usage(store.Dataverse); tot.Requests < 2 || tot.Busy <= 0 {
		t.Errorf("totals %+v", tot)
	}
}
