package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// personsMap adds a second map on the customers' table pair (CustomersV3 ↔
// accounts) that carries persons instead of organisations.
func personsMap(_, src string) string {
	return src + `
table_map "customer_persons" {
  link       = link.main
  finops     = "CustomersV3"
  dataverse  = "accounts"
  depends_on = [table_map.customers]

  initial_sync {
    enabled = true
    master  = "finops"
  }

  filter {
    finops    = "((PartyType == \"Person\"))"
    dataverse = "customertypecode eq 4"
  }

  field "CUSTOMERACCOUNT" "accountnumber" { direction = "to_dataverse" }
  field "ORGANIZATIONNAME" "name" { direction = "to_dataverse" }
  field "" "customertypecode" { default = 4 }
}
`
}

// TestTwoMapsOnOneTablePair applies two maps on one table pair with
// different filters: both are created and run, the next plan has no
// changes, and editing one of them changes that one only.
func TestTwoMapsOnOneTablePair(t *testing.T) {
	t.Parallel()
	dir := exampleDir(t, "quickstart", personsMap)
	if r := dwctl(t, dir, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("plan after apply: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	r := dwctl(t, dir, "state", "list")
	for _, addr := range []string{"table_map.customers\n", "table_map.customer_persons\n"} {
		if !strings.Contains(r.stdout, addr) {
			t.Errorf("state list lacks %s", strings.TrimSpace(addr))
		}
	}
	path := filepath.Join(dir, "main.dw.hcl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), `field "" "customertypecode" { default = 4 }`,
		"field \"\" \"customertypecode\" { default = 4 }\n  field \"PRIMARYCONTACTEMAIL\" \"emailaddress1\" { direction = \"to_dataverse\" }", 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	r = dwctl(t, dir, "plan", "-json")
	var plan struct {
		Actions []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil {
		t.Fatalf("plan -json: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	var ids []string
	for _, a := range plan.Actions {
		ids = append(ids, a.ID)
	}
	want := []string{"table_map.customer_persons:stop", "table_map.customer_persons:save_version", "table_map.customer_persons:start"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("plan after editing one of the two maps (-want +got):\n%s", diff)
	}
	if r := dwctl(t, dir, "apply", "-auto-approve", "-no-color"); r.status != 0 {
		t.Fatalf("apply of the edit: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := dwctl(t, dir, "plan", "-detailed-exitcode", "-no-color"); r.status != 0 {
		t.Fatalf("plan after the edit: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
}
