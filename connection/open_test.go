package connection

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwctl/dwctl/config"
)

func loadSrc(t *testing.T, src string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.dw.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cfg
}

const realPair = `
environment "finops" "fo" {
  url = "https://contoso.operations.dynamics.com"
  auth {
    tenant_id     = "72f988bf-0000-4000-8000-00000000c0de"
    client_id     = "5b0d3a8e-1d6f-4c7a-9c1e-0000000000de"
    client_secret = "not-a-real-secret"
  }
}
environment "dataverse" "ce" { url = "https://contoso.crm.dynamics.com" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
  GATEWAY
}
`

// TestOpenReal opens real environments without contacting them: the
// clients are built, nothing is sent until a read.
func TestOpenReal(t *testing.T) {
	tests := map[string]struct {
		gateway string
		wantErr string
	}{
		"with a gateway": {gateway: `control { gateway = "https://projectmanagementservice.weu-il107.gateway.prod.island.powerapps.com" }`},
		"without":        {wantErr: "control.gateway is required"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := loadSrc(t, strings.Replace(realPair, "GATEWAY", tc.gateway, 1))
			c, err := Open(context.Background(), cfg, Options{Dir: cfg.Dir})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			p := c.Pairs["main"]
			if p.Control == nil || p.FinOps == nil || p.Dataverse == nil {
				t.Fatalf("pair %+v", p)
			}
			if p.Endpoints.Dataverse != "https://contoso.crm.dynamics.com" || c.Emulator("x") != nil {
				t.Errorf("endpoints %+v", p.Endpoints)
			}
			if strings.Contains(p.FinOps.Environment(), "not-a-real-secret") {
				t.Error("the secret shows in the environment name")
			}
		})
	}
}

func TestOpenEmulatedNeedsOneName(t *testing.T) {
	cfg := loadSrc(t, `
environment "finops" "fo" { url = "emulator://a" }
environment "dataverse" "ce" { url = "https://contoso.crm.dynamics.com" }
link "main" {
  finops    = environment.fo
  dataverse = environment.ce
}
`)
	if _, err := Open(context.Background(), cfg, Options{Dir: cfg.Dir}); err == nil || !strings.Contains(err.Error(), "same emulator://NAME") {
		t.Fatalf("error %v", err)
	}
}
