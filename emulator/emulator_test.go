package emulator

import (
	"strings"
	"testing"
)

func TestAcceptanceReads(t *testing.T) {
	t.Parallel()
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

func TestListenAddresses(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		host, wantPrefix string
	}{
		"default":     {"", "https://127.0.0.1:"},
		"localhost":   {"localhost", "https://localhost:"},
		"unspecified": {"0.0.0.0", "https://127.0.0.1:"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			env := startEnv(t, Options{Host: tc.host})
			for _, u := range []string{env.info.DataverseURL, env.info.FinOpsURL, env.info.AuthorityURL, env.info.ControlURL} {
				if !strings.HasPrefix(u, tc.wantPrefix) {
					t.Errorf("URL %s, want prefix %s", u, tc.wantPrefix)
				}
			}
			if r := env.do("dv", "GET", "/api/data/v9.2/WhoAmI", ""); r.status != 200 {
				t.Errorf("WhoAmI over %s: %d", env.info.DataverseURL, r.status)
			}
		})
	}
}
