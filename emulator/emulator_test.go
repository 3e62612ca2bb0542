package emulator

import (
	"testing"
)

func TestAcceptanceReads(t *testing.T) {
	env := startEnv(t, Options{FinOps: "demo", Dataverse: "existing", Rows: 5})
	r := env.do("dv", "GET", "/api/data/v9.2/accounts?$top=2", "")
	if r.status != 200 {
		t.Fatalf("accounts: %d %s", r.status, r.body)
	}
	if v := r.json(t)["value"].([]any); len(v) != 2 {
		t.Fatalf("want 2 accounts, got %d", len(v))
	}
	r = env.do("fo", "GET", "/data/CustomersV3?cross-company=true&$top=2", "")
	if r.status != 200 {
		t.Fatalf("customers: %d %s", r.status, r.body)
	}
	t.Logf("%s", r.body)
}
