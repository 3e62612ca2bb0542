package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dwctl/dwctl/config"
)

// TestPromotion applies examples/contoso to a development pair with
// dev.dwvars and to a production pair with prod.dwvars: both end with the
// same maps (fields, filters, versions) and integration keys, and differ
// exactly where the variable files differ — the European companies linked,
// the account autonumber's seed and the alert recipients.
func TestPromotion(t *testing.T) {
	t.Parallel()
	states := map[string]map[string]json.RawMessage{}
	for _, stage := range []string{"dev", "prod"} {
		vars := stage + ".dwvars"
		dir := exampleDir(t, "contoso", contosoOnEmulator, config.VarArg{File: true, Value: vars})
		if r := dwctlEnv(t, dir, contosoEnv, "apply", "-auto-approve", "-no-color", "-var-file="+vars); r.status != 0 {
			t.Fatalf("apply %s: status %d\n%s\n%s", stage, r.status, r.stdout, r.stderr)
		}
		if r := dwctlEnv(t, dir, contosoEnv, "plan", "-detailed-exitcode", "-no-color", "-var-file="+vars); r.status != 0 {
			t.Fatalf("plan %s after apply: status %d\n%s\n%s", stage, r.status, r.stdout, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, ".dwctl", stage+".state.json"))
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Objects map[string]struct {
				Attributes json.RawMessage `json:"attributes"`
			} `json:"objects"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		states[stage] = map[string]json.RawMessage{}
		for addr, o := range st.Objects {
			states[stage][addr] = o.Attributes
		}
	}
	dev, prod := states["dev"], states["prod"]
	// The same maps and keys, attribute for attribute.
	shared := func(s map[string]json.RawMessage) map[string]string {
		out := map[string]string{}
		for addr, a := range s {
			if strings.HasPrefix(addr, "table_map.") || strings.HasPrefix(addr, "integration_key.") {
				out[addr] = string(a)
			}
		}
		return out
	}
	if diff := cmp.Diff(shared(dev), shared(prod)); diff != "" {
		t.Errorf("maps and keys differ between the stages (-dev +prod):\n%s", diff)
	}
	if len(shared(dev)) == 0 {
		t.Fatal("no maps or keys in state")
	}
	// The companies differ as european_companies says.
	companies := func(s map[string]json.RawMessage) []string {
		var out []string
		for addr := range s {
			if strings.HasPrefix(addr, "company.") {
				out = append(out, addr)
			}
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff([]string{`company.USMF`, `company.USRT`, `company.europe["DEMF"]`}, companies(dev)); diff != "" {
		t.Errorf("dev companies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`company.USMF`, `company.USRT`, `company.europe["DEMF"]`, `company.europe["FRSI"]`, `company.europe["GBSI"]`}, companies(prod)); diff != "" {
		t.Errorf("prod companies (-want +got):\n%s", diff)
	}
	// The seed and the alert recipients are each stage's own.
	seeds := map[string]int64{}
	for stage, s := range states {
		var seq struct {
			NumberSequence struct {
				Dataverse struct{ Seed int64 }
			} `json:"number_sequence"`
		}
		if err := json.Unmarshal(s["number_sequence.customer_account_usmf"], &seq); err != nil {
			t.Fatal(err)
		}
		seeds[stage] = seq.NumberSequence.Dataverse.Seed
	}
	if diff := cmp.Diff(map[string]int64{"dev": 5000, "prod": 8000}, seeds); diff != "" {
		t.Errorf("account seeds (-want +got):\n%s", diff)
	}
	recipients := map[string][]string{}
	for stage, s := range states {
		var link struct {
			Link struct {
				Alerts []struct{ Recipients []string }
			}
		}
		if err := json.Unmarshal(s["link.main"], &link); err != nil || len(link.Link.Alerts) == 0 {
			t.Fatalf("%s link.main: %v %s", stage, err, s["link.main"])
		}
		recipients[stage] = link.Link.Alerts[0].Recipients
	}
	want := map[string][]string{"dev": {"dual-write-dev@contoso.com"}, "prod": {"dual-write-ops@contoso.com", "erp-oncall@contoso.com"}}
	if diff := cmp.Diff(want, recipients); diff != "" {
		t.Errorf("alert recipients (-want +got):\n%s", diff)
	}
}
